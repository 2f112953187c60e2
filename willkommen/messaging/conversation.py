"""The conversation: what clients write in the portal, staff answers and phone notes, read marks and
assigning an unassigned incoming message to a person."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import channels
from .channels import max_body_chars
from .models import Attachment, Channel, Direction, Message, Status
from .sending import send_message


def client_writes(authority, person, *, subject, body, case=None, uploaded=(), language="de"):
    """A client's message from the portal; ``uploaded`` are checked attachment dicts."""
    with transaction.atomic():
        message = Message.objects.create(
            authority=authority,
            person=person,
            case=case,
            direction=Direction.IN,
            channel=Channel.PORTAL,
            subject=channels.clean_header(subject),
            body=channels.clean_text(body)[: max_body_chars()],
            language=language,
            status=Status.RECEIVED,
        )
        for fields in uploaded:
            Attachment.objects.create(authority=authority, message=message, **fields)
    return message


def staff_reply(authority, person, *, subject, body, author, case=None, uploaded=()):
    """A caseworker answers in the thread; delivered by the client's preferred channel."""
    return send_message(
        authority,
        person=person,
        subject=subject,
        body=body,
        language=person.preferred_language,
        case=case,
        author=author,
        uploaded=uploaded,
    )


def phone_note(authority, person, *, body, author, case=None, direction=Direction.IN):
    return Message.objects.create(
        authority=authority,
        person=person,
        case=case,
        direction=direction,
        channel=Channel.PHONE_NOTE,
        subject=_("Phone call"),
        body=channels.clean_text(body)[: max_body_chars()],
        status=Status.NOTED,
        author=author,
    )


def mark_read(authority, person, *, direction):
    Message.objects.filter(authority=authority, person=person, direction=direction, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def assign(message, *, person, case=None):
    """ServicePoint: put an unassigned incoming message into a person's thread."""
    if person.authority_id != message.authority_id or (case is not None and case.authority_id != message.authority_id):
        raise ValueError("other authority")
    Message.objects.filter(pk=message.pk).update(person=person, case=case, status=Status.RECEIVED)
    message.refresh_from_db()
    return message
