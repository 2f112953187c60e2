"""Commands of the messaging room. Other rooms send through :func:`send_to_client` or :func:`send_template`.

Sending stores the message in the person's conversation first, then delivers it after commit
(a job). Delivery takes the row under a lock and only proceeds from "queued" or "retrying", so a
retried job never sends a message twice; failures are recorded as attempts and retried with
exponential backoff by a periodic job; a permanent failure (or exhausted retries) falls back to
the next channel in the client's order (for example SMS -> e-mail -> letter in the print queue).
"""

import datetime as dt
import logging
import re
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from . import attachments as attachment_store
from . import channels, template_texts
from .models import (
    Attachment,
    Channel,
    DeliveryAttempt,
    Direction,
    GroupNotice,
    InterpreterBooking,
    Message,
    MessageTemplate,
    Status,
)

log = logging.getLogger(__name__)

PERSON_CHANNEL = {"post": Channel.LETTER}  # the clients room calls the letter channel "post"
FINISHED = {Status.SENT, Status.PRINT_QUEUED, Status.PRINTED}


def _setting(name, default):
    return getattr(settings, name, default)


def max_body_chars():
    return _setting("MESSAGING_MAX_BODY_CHARS", 20_000)


def channel_order(person):
    """The person's preferred channel first, then the fallback order (MESSAGING_FALLBACK_ORDER)."""
    preferred = PERSON_CHANNEL.get(person.preferred_channel, person.preferred_channel)
    order = [preferred] + [
        c for c in _setting("MESSAGING_FALLBACK_ORDER", ["email", "sms", "letter"]) if c != preferred
    ]
    return [c for c in order if c in channels.registered()]


def _first_reachable(person, order):
    for key in order:
        if channels.get(key).address_for(person):
            return key
    return None


# --- sending -------------------------------------------------------------------------------------


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
        channel = Channel.EMAIL
        if person is not None:
            channel = Channel.PORTAL
            for key in channel_order(person):
                if (key == Channel.EMAIL and email) or channels.get(key).address_for(person):
                    channel = key
                    break
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


def backoff(attempts):
    """Seconds to wait after the ``attempts``-th failed attempt: base, 2×base, 4×base, ..."""
    base = _setting("MESSAGING_RETRY_BASE_SECONDS", 60)
    return min(base * 2 ** max(attempts - 1, 0), 6 * 3600)


def deliver(message_id, now=None):
    """Deliver one queued message (idempotent: finished messages are left alone). Returns the message."""
    now = now or timezone.now()
    with transaction.atomic():
        message = Message.objects.select_for_update().get(pk=message_id)
        if message.status not in (Status.QUEUED, Status.RETRYING):
            return message
        if message.status == Status.RETRYING and message.next_attempt_at and message.next_attempt_at > now:
            return message
        message.status = Status.SENDING
        message.attempts += 1
        message.save(update_fields=["status", "attempts"])
    adapter = channels.get(message.channel)
    permanent = False
    try:
        provider_id = adapter.send(message)
    except channels.PermanentFailure as error:
        permanent, failure = True, str(error)
    except channels.TransientFailure as error:
        failure = str(error)
    except Exception as error:  # an adapter bug must not lose the message: record and retry
        log.exception("channel %s failed", message.channel)
        failure = f"{type(error).__name__}: {error}"
    else:
        DeliveryAttempt.objects.create(
            authority=message.authority,
            message=message,
            channel=message.channel,
            ok=True,
            provider_id=provider_id or "",
        )
        message.status = Status.PRINT_QUEUED if message.channel == Channel.LETTER else Status.SENT
        message.sent_at = timezone.now()
        message.provider_id = (provider_id or "")[:120]
        message.next_attempt_at = None
        message.save(update_fields=["status", "sent_at", "provider_id", "next_attempt_at"])
        return message
    if not permanent and message.attempts >= _setting("MESSAGING_RETRY_MAX_ATTEMPTS", 5):
        permanent, failure = True, f"{failure} (gave up after {message.attempts} attempts)"
    DeliveryAttempt.objects.create(
        authority=message.authority,
        message=message,
        channel=message.channel,
        ok=False,
        permanent=permanent,
        error=failure[:500],
    )
    message.last_error = failure[:500]
    if permanent:
        message.status = Status.FAILED
        message.next_attempt_at = None
    else:
        message.status = Status.RETRYING
        message.next_attempt_at = now + dt.timedelta(seconds=backoff(message.attempts))
    message.save(update_fields=["status", "next_attempt_at", "last_error"])
    if permanent:
        fallback = _fall_back(message)
        if fallback is not None:
            deliver(fallback.pk, now=now)
    return message


def _fall_back(message):
    """Queue the same message on the next reachable channel, or None when none is left."""
    person = message.person
    if person is None or message.direction != Direction.OUT:
        return None
    tried = {message.channel}
    origin = message
    while origin.fallback_of_id:
        origin = origin.fallback_of
        tried.add(origin.channel)
    order = [c for c in channel_order(person) if c not in tried and c != Channel.PORTAL]
    key = _first_reachable(person, order)
    if key is None:
        return None
    fallback = Message.objects.create(
        authority=message.authority,
        person=person,
        case=message.case,
        direction=Direction.OUT,
        channel=key,
        subject=message.subject,
        body=message.body,
        language=message.language,
        template_key=message.template_key,
        status=Status.QUEUED,
        fallback_of=message,
        notice=message.notice,
        author=message.author,
        flags=[*message.flags, f"fallback_from_{message.channel}"],
    )
    for attachment in message.attachments.exclude(file_name="letter.pdf"):
        attachment.pk = None
        attachment.message = fallback
        attachment.save()
    return fallback


def retry_due(authority=None, now=None):
    """Deliver every message whose retry is due. Returns how many were tried."""
    now = now or timezone.now()
    due = Message.objects.filter(status=Status.RETRYING, next_attempt_at__lte=now)
    if authority is not None:
        due = due.filter(authority=authority)
    ids = list(due.values_list("pk", flat=True)[:500])
    for pk in ids:
        deliver(pk, now=now)
    return len(ids)


def retry_now(message):
    """Staff: try a failed or waiting message again at once."""
    with transaction.atomic():
        locked = Message.objects.select_for_update().get(pk=message.pk)
        if locked.status not in (Status.FAILED, Status.RETRYING):
            return locked
        locked.status = Status.QUEUED
        locked.next_attempt_at = None
        locked.save(update_fields=["status", "next_attempt_at"])
    return deliver(message.pk)


def mark_printed(message):
    Message.objects.filter(pk=message.pk, status=Status.PRINT_QUEUED).update(status=Status.PRINTED)


# --- templates -----------------------------------------------------------------------------------


def _fill(text, context):
    return re.sub(r"\{(\w+)\}", lambda m: str(context.get(m.group(1), "")), text)


def _template(authority, key, language, from_database=True):
    if from_database:
        row = (
            MessageTemplate.objects.filter(authority=authority, key=key, language=language, is_active=True)
            .order_by("-version")
            .first()
        )
        return (row.subject, row.body, row.german_below) if row is not None else None
    shipped = template_texts.TEXTS.get(key, {}).get(language)
    if shipped:
        return shipped[0], shipped[1], key in template_texts.GERMAN_BELOW
    return None


def render_template(authority, key, language, context):
    """(subject, body, language used) of an automatic message; falls back to en, then de.

    Where the template carries legal weight (``german_below``) the German text follows the translation."""
    # An authority with its own rows for this template uses only those; otherwise the shipped texts.
    from_database = MessageTemplate.objects.filter(authority=authority, key=key).exists()
    for candidate in [language, *settings.TEXT_FALLBACK_LANGUAGES]:
        found = _template(authority, key, candidate, from_database)
        if found:
            subject, body, german_below = found
            break
    else:
        raise KeyError(f"no template {key!r}")
    subject, body = channels.clean_header(_fill(subject, context)), _fill(body, context)
    if german_below and candidate != "de":
        german = _template(authority, key, "de", from_database)
        if german:
            body = f"{body}\n\n---\nDeutsch (maßgeblich):\n{_fill(german[1], context)}"
    return subject, body, candidate


def send_template(authority, key, *, context, person=None, email="", case=None, language=None, attachments=()):
    language = language or (person.preferred_language if person else "de")
    subject, body, used = render_template(authority, key, language, context)
    return send_message(
        authority,
        person=person,
        email=email,
        subject=subject,
        body=body,
        language=used,
        case=case,
        attachments=attachments,
        template_key=key,
    )


def seed_templates(authority):
    """Create version 1 of every shipped template in every language where the authority has none."""
    created = 0
    for key, languages in template_texts.TEXTS.items():
        for language, (subject, body) in languages.items():
            _, made = MessageTemplate.objects.get_or_create(
                authority=authority,
                key=key,
                language=language,
                version=1,
                defaults={"subject": subject, "body": body, "german_below": key in template_texts.GERMAN_BELOW},
            )
            created += made
    return created


def template_problems(authority):
    """Every automatic template must exist in every language with all its placeholders: a list of problems."""
    problems = []
    languages = [code for code, _ in settings.LANGUAGES]
    for key in template_texts.PLACEHOLDERS:
        for language in languages:
            row = (
                MessageTemplate.objects.filter(authority=authority, key=key, language=language, is_active=True)
                .order_by("-version")
                .first()
            )
            if row is None:
                problems.append(f"{key}/{language}: missing")
                continue
            missing = missing_placeholders(row.subject, row.body, key)
            if missing:
                problems.append(f"{key}/{language}: lacks " + ", ".join("{" + m + "}" for m in missing))
    return problems


def missing_placeholders(subject, body, key):
    text = f"{subject}\n{body}"
    return [p for p in template_texts.PLACEHOLDERS.get(key, []) if "{" + p + "}" not in text]


# --- the conversation ----------------------------------------------------------------------------


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


# --- group notices -------------------------------------------------------------------------------

OPEN_CASE_EXCLUDED = ("closed", "decided", "withdrawn", "rejected", "granted", "archived", "done")


def group_recipients(authority, group, team=None, accommodation=None):
    from willkommen.clients.selectors import persons

    if group == GroupNotice.Group.ACCOMMODATION:
        # The current residents, as the accommodation room knows them (moved-out residents are not).
        from willkommen.accommodation.selectors import current_residents

        return current_residents(authority, accommodation).distinct()
    people = persons(authority)
    if group == GroupNotice.Group.IN_PROGRESS:
        try:
            from willkommen.cases.workflow import OPEN

            people = people.filter(cases__authority=authority, cases__status__in=sorted(OPEN))
        except ImportError:
            people = people.filter(cases__authority=authority).exclude(cases__status__in=OPEN_CASE_EXCLUDED)
    elif group == GroupNotice.Group.TEAM:
        people = people.filter(cases__authority=authority, cases__team=team)
    return people.distinct()


def notice_text(notice, language):
    for candidate in [language, *settings.TEXT_FALLBACK_LANGUAGES]:
        text = notice.texts.get(candidate)
        if text and text.get("body"):
            return text.get("subject", ""), text["body"], candidate
    raise KeyError("notice without German text")


def send_group_notice(authority, *, group, texts, author=None, team=None, accommodation=None):
    """Send one notice to every person of the group, each in their language (fallback en, de)."""
    if not (texts.get("de") or {}).get("body"):
        raise ValueError("German text required")
    if group == GroupNotice.Group.ACCOMMODATION and (
        accommodation is None or accommodation.authority_id != authority.id
    ):
        raise ValueError("accommodation of this authority required")
    with transaction.atomic():
        notice = GroupNotice.objects.create(
            authority=authority, group=group, team=team, accommodation=accommodation, texts=texts, author=author
        )
        for person in group_recipients(authority, group, team, accommodation):
            subject, body, language = notice_text(notice, person.preferred_language)
            send_message(
                authority,
                person=person,
                subject=subject,
                body=body,
                language=language,
                author=author,
                notice=notice,
                idempotency_key=f"notice-{notice.pk}-{person.pk}",
            )
    return notice


def notice_figures(notice):
    """Delivery figures of a notice: recipients, delivered, waiting, failed, per channel."""
    rows = notice.messages.filter(fallback_of__isnull=True)
    figures = rows.aggregate(
        recipients=Count("id"),
        delivered=Count("id", filter=Q(status__in=FINISHED) | Q(fallbacks__status__in=FINISHED)),
        failed=Count("id", filter=Q(status=Status.FAILED) & ~Q(fallbacks__status__in=FINISHED)),
    )
    figures["by_channel"] = dict(
        notice.messages.filter(status__in=FINISHED).values_list("channel").annotate(n=Count("id")).order_by()
    )
    figures["by_language"] = dict(rows.values_list("language").annotate(n=Count("id")).order_by())
    figures["portal_only"] = rows.filter(status=Status.SENT, provider_id=channels.PORTAL_ONLY).count()
    figures["delivered"] -= figures["portal_only"]
    figures["waiting"] = figures["recipients"] - figures["delivered"] - figures["failed"] - figures["portal_only"]
    return figures


# --- interpreters --------------------------------------------------------------------------------


class BookingConflict(ValueError):
    pass


def booking_cost(interpreter, minutes):
    """Rate × started half hours."""
    half_hours = -(-int(minutes) // 30)
    return (interpreter.hourly_rate * Decimal(half_hours) / 2).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def book_interpreter(
    authority,
    *,
    interpreter,
    starts_at,
    duration_minutes,
    language,
    appointment_id=None,
    case=None,
    person=None,
    booked_by=None,
):
    """Book an interpreter (no overlapping bookings) and send them the date by e-mail after commit."""
    if interpreter.authority_id != authority.id:
        raise ValueError("other authority")
    ends_at = starts_at + dt.timedelta(minutes=duration_minutes)
    with transaction.atomic():
        type(interpreter).objects.select_for_update().filter(pk=interpreter.pk).first()
        overlapping = [
            b
            for b in InterpreterBooking.objects.filter(
                authority=authority,
                interpreter=interpreter,
                cancelled=False,
                starts_at__lt=ends_at,
                starts_at__gt=starts_at - dt.timedelta(hours=24),
            )
            if b.starts_at + dt.timedelta(minutes=b.duration_minutes) > starts_at
        ]
        if overlapping:
            raise BookingConflict(_("The interpreter is already booked at this time."))
        booking = InterpreterBooking.objects.create(
            authority=authority,
            interpreter=interpreter,
            language=language,
            starts_at=starts_at,
            duration_minutes=duration_minutes,
            appointment_id=appointment_id,
            case=case,
            person=person,
            cost=booking_cost(interpreter, duration_minutes),
            booked_by=booked_by,
        )
        from .tasks import notify_interpreter as notify_job

        notify_job.enqueue(booking.pk)  # after commit
    return booking


def notify_interpreter(booking_id):
    booking = InterpreterBooking.objects.select_related("interpreter", "authority").get(pk=booking_id)
    if booking.notified_at:
        return booking
    local = timezone.localtime(booking.starts_at)
    authority = booking.authority
    body = (
        f"Guten Tag {booking.interpreter.name},\n\n"
        f"Sie sind als Dolmetscher/in ({booking.language}) gebucht:\n"
        f"{local:%d.%m.%Y} {local:%H:%M} Uhr, {booking.duration_minutes} Minuten\n"
        f"{authority.name}, {authority.street}, {authority.postal_code} {authority.city}\n"
        f"Buchung Nr. {booking.pk}\n"
    )
    EmailMessage(
        subject=channels.clean_header(f"Dolmetschereinsatz am {local:%d.%m.%Y} – {authority.name}"),
        body=body,
        from_email=authority.email or None,
        to=[booking.interpreter.email],
    ).send()
    InterpreterBooking.objects.filter(pk=booking.pk).update(notified_at=timezone.now())
    return booking


def monthly_costs(authority, year):
    """[(month start, bookings, total EUR)] of the year's interpreter costs, for the budget."""
    rows = (
        InterpreterBooking.objects.filter(authority=authority, cancelled=False, starts_at__year=year)
        .annotate(month=TruncMonth("starts_at"))
        .values("month")
        .annotate(bookings=Count("id"), total=Sum("cost"))
        .order_by("month")
    )
    return [(row["month"], row["bookings"], row["total"]) for row in rows]
