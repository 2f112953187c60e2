"""Queries of the messaging room; every one filters by authority in SQL."""

from django.db.models import Prefetch
from django.utils import timezone

from willkommen.clients import case_refs

from .models import Attachment, DeliveryAttempt, Direction, Interpreter, InterpreterBooking, Message, Status


def thread(authority, person, *, with_attempts=False):
    """The person's whole conversation, oldest first (fallback copies shown under their original)."""
    qs = (
        Message.objects.filter(authority=authority, person=person, fallback_of__isnull=True)
        .select_related("case", "author")
        .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.filter(authority=authority)))
        .order_by("created_at", "id")
    )
    if with_attempts:
        qs = qs.prefetch_related(
            Prefetch("delivery_attempts", queryset=DeliveryAttempt.objects.filter(authority=authority)),
            Prefetch("fallbacks", queryset=Message.objects.filter(authority=authority).order_by("id")),
        )
    return qs


def unread_from_office(authority, person):
    return Message.objects.filter(
        authority=authority, person=person, direction=Direction.OUT, read_at__isnull=True
    ).count()


def cases_with_unread_from_client(authority, case_ids):
    """The ids among ``case_ids`` with a message from the client the office has not read yet (one query)."""
    if not case_ids:
        return set()
    return set(
        Message.objects.filter(
            authority=authority, case_id__in=list(case_ids), direction=Direction.IN, read_at__isnull=True
        )
        .values_list("case_id", flat=True)
        .distinct()
    )


def recent_incoming(authority):
    return (
        Message.objects.filter(authority=authority, direction=Direction.IN, person__isnull=False)
        .select_related("person", "case")
        .order_by("-created_at")
    )


def unassigned(authority):
    return (
        Message.objects.filter(authority=authority, status=Status.UNASSIGNED)
        .prefetch_related("attachments")
        .order_by("created_at")
    )


def delivery_problems(authority):
    """Failed messages without a successful fallback, and messages waiting for a retry."""
    return (
        Message.objects.filter(authority=authority, status__in=[Status.FAILED, Status.RETRYING, Status.SENDING])
        .exclude(fallbacks__status__in=[Status.SENT, Status.PRINT_QUEUED, Status.PRINTED])
        .select_related("person")
        .prefetch_related(Prefetch("delivery_attempts", queryset=DeliveryAttempt.objects.filter(authority=authority)))
        .order_by("-created_at")
    )


def print_queue(authority):
    return (
        Message.objects.filter(authority=authority, status=Status.PRINT_QUEUED)
        .select_related("person")
        .prefetch_related("attachments")
        .order_by("created_at")
    )


def latest_case(authority, person):
    return case_refs.latest_of_person(authority, person)


def person_for_identity(authority, identity):
    """The person a signed-in client is: by person, by case, or by a single matching e-mail address."""
    from willkommen.clients.selectors import persons, persons_with_email

    if identity.person_id:
        return persons(authority).filter(pk=identity.person_id).first()
    if identity.case_id:
        case = case_refs.by_id(authority, identity.case_id)
        return case.person if case else None
    if identity.email:
        found = list(persons_with_email(authority, identity.email)[:2])
        return found[0] if len(found) == 1 else None
    return None


def interpreters(authority):
    return Interpreter.objects.filter(authority=authority).order_by("-active", "name")


def upcoming_bookings(authority):
    return (
        InterpreterBooking.objects.filter(authority=authority, starts_at__gte=timezone.now(), cancelled=False)
        .select_related("interpreter", "case")
        .order_by("starts_at")
    )


def group_notices(authority, limit=50):
    """The authority's latest group notices (for printing one as a poster)."""
    from .models import GroupNotice

    return GroupNotice.objects.filter(authority=authority).order_by("-created_at", "-pk")[:limit]


def group_notice(authority, pk):
    from .models import GroupNotice

    return GroupNotice.objects.filter(authority=authority, pk=pk).first()


def channel_label(value):
    """A channel in the reader's language ("E-Mail", "Brief"); unknown or empty values as they are."""
    from willkommen.core.labels import choice_label

    from .models import Channel

    return choice_label(Channel, value)
