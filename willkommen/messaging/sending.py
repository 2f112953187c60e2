"""Sending: a message is stored in the person's conversation first, then delivered after commit by a job.

Other rooms send through :func:`send_to_client` (a text they wrote) or :func:`send_template` (an
automatic message from the template store, ``texts.py``); both are re-exported by ``services.py``.
"""

from django.db import transaction

from . import attachments as attachment_store
from . import channels, texts
from .channels import choose_channel, max_body_chars
from .models import Attachment, Channel, Direction, Message, Status


def send_to_client(
    authority, *, email, subject, body, language="de", person=None, case=None, attachments=(), template_key=""
):
    """Send a message to a client; ``attachments`` are (filename, bytes, mimetype) tuples.

    Stores the message in the person's conversation (when ``person`` is given) and delivers it
    after commit through the person's preferred channel (e-mail when only ``email`` is given).
    Returns the stored :class:`Message`."""
    return send_message(
        authority,
        person=person,
        email=email,
        subject=subject,
        body=body,
        language=language,
        case=case,
        attachments=attachments,
        template_key=template_key,
    )


def send_message(
    authority,
    *,
    person=None,
    email="",
    subject,
    body,
    language="de",
    case=None,
    attachments=(),
    template_key="",
    channel=None,
    author=None,
    notice=None,
    idempotency_key="",
    uploaded=(),
):
    """Store an outgoing message and queue its delivery. ``uploaded`` are checked attachment dicts."""
    if idempotency_key:
        existing = Message.objects.filter(authority=authority, idempotency_key=idempotency_key).first()
        if existing:
            return existing
    if channel is None:
        channel = choose_channel(person, email)
    address = email if channel == Channel.EMAIL and email else ""
    text = channels.clean_text(body)
    flags = []
    if len(text) > max_body_chars():
        text, flags = text[: max_body_chars()], ["body_truncated"]
    with transaction.atomic():
        message = Message.objects.create(
            authority=authority,
            person=person,
            case=case,
            direction=Direction.OUT,
            channel=channel,
            subject=channels.clean_header(subject),
            body=text,
            language=language or "de",
            template_key=template_key,
            address=address[:254],
            status=Status.QUEUED,
            author=author if getattr(author, "is_authenticated", False) else None,
            notice=notice,
            idempotency_key=idempotency_key,
            flags=flags,
        )
        for filename, content, mimetype in attachments:
            Attachment.objects.create(
                authority=authority,
                message=message,
                **attachment_store.store_bytes(authority, filename, content, mimetype),
            )
        for fields in uploaded:
            Attachment.objects.create(authority=authority, message=message, **fields)
        queue_delivery(message)
    return message


def queue_delivery(message):
    from .tasks import deliver_message

    message_id = message.pk
    transaction.on_commit(lambda: deliver_message.enqueue(message_id))


def send_template(
    authority,
    key,
    *,
    context,
    person=None,
    email="",
    case=None,
    language=None,
    attachments=(),
    channel=None,
    idempotency_key="",
):
    """Send the automatic message ``key`` from the template store, filled with ``context``, in the
    client's language (German with a translation note where the language has no text)."""
    language = language or (person.preferred_language if person else "de")
    rendered = texts.render(authority, key, language, context)
    return send_message(
        authority,
        person=person,
        email=email,
        subject=rendered.subject,
        body=rendered.body,
        language=rendered.language,
        case=case,
        attachments=attachments,
        template_key=key,
        channel=channel,
        idempotency_key=idempotency_key,
    )
