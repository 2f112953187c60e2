"""The appointments room's share of data protection: a person's bookings, invitations and allocation
requests in the Art. 15 copy; erasing them with the person; keeping a person while a booking is inside its
period; and the retention job: bookings, invitations and allocation requests go APPOINTMENTS_RETENTION_DAYS
after the appointment (the invitation's deadline, the request window).

A booking made online is linked to a person only once the office does so; until then it is the person's
booking when its identity key (name, date of birth and e-mail, normalised and hashed – the key of the
one-booking-per-person rule) is the person's."""

from datetime import timedelta

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from willkommen.audit import retention
from willkommen.clients import personal_data
from willkommen.clients.personal_data import Section, rows

from .models import AllocationRequest, Booking, Invitation, Renewal
from .selectors import bookings_of_persons as _bookings
from .selectors import identity_keys_of as _keys

SECRETS = ("token_hash", "identity_key", "passport_key")


def export(authority, person):
    keys = list(_keys(authority, [person.pk]).values())
    return Section(
        tables={
            "bookings": rows(_bookings(authority, [person.pk], keys).order_by("starts_at", "id"), exclude=SECRETS),
            "invitations": rows(
                Invitation.objects.filter(authority=authority, person=person).order_by("created_at", "id"),
                exclude=SECRETS,
            ),
            "renewal_invitations": rows(
                Renewal.objects.filter(authority=authority, person=person).order_by("invited_on", "id"),
                exclude=SECRETS,
            ),
            "allocation_requests": rows(
                AllocationRequest.objects.filter(authority=authority, identity_key__in=keys).order_by("id"),
                exclude=SECRETS,
            ),
        }
    )


def erase(authority, person_ids):
    keys = list(_keys(authority, person_ids).values())
    counts = {}
    for queryset in (
        AllocationRequest.objects.filter(authority=authority, identity_key__in=keys),
        Renewal.objects.filter(authority=authority, person_id__in=person_ids),
        Invitation.objects.filter(authority=authority, person_id__in=person_ids),
        _bookings(authority, person_ids, keys),
    ):
        _n, per_model = queryset.delete()
        for label, number in per_model.items():
            counts[label] = counts.get(label, 0) + number
    return counts


def keeps(authority, person_ids, now):
    """A booking, invitation or allocation request still inside its period (future ones included)."""
    cutoff = now - timedelta(days=settings.APPOINTMENTS_RETENTION_DAYS)
    by_key = _keys(authority, person_ids)
    owner = {key: pk for pk, key in by_key.items()}
    kept = set()
    for person_id, key in (
        _bookings(authority, person_ids, list(owner))
        .filter(starts_at__gte=cutoff)
        .values_list("person_id", "identity_key")
    ):
        kept.add(person_id if person_id in person_ids else owner.get(key))
    invitations = Invitation.objects.filter(authority=authority, person_id__in=person_ids, deadline__gte=cutoff.date())
    kept |= set(invitations.values_list("person_id", flat=True))
    renewals = Renewal.objects.filter(authority=authority, person_id__in=person_ids, expires_on__gte=cutoff.date())
    kept |= set(renewals.values_list("person_id", flat=True))
    requests = AllocationRequest.objects.filter(
        authority=authority, identity_key__in=list(owner), round__closes_at__gte=cutoff
    )
    kept |= {owner[key] for key in requests.values_list("identity_key", flat=True)}
    return kept - {None}


def apply_retention(authority, now, tally):
    cutoff = now - timedelta(days=settings.APPOINTMENTS_RETENTION_DAYS)
    mine = {"authority": authority}
    retention.delete_in_batches(AllocationRequest.objects.filter(**mine, round__closes_at__lt=cutoff), tally)
    retention.delete_in_batches(Renewal.objects.filter(**mine, expires_on__lt=cutoff.date()), tally)
    retention.delete_in_batches(Invitation.objects.filter(**mine, deadline__lt=cutoff.date()), tally)
    retention.delete_in_batches(Booking.objects.filter(**mine, starts_at__lt=cutoff), tally)


CONTRIBUTOR = personal_data.Contributor(
    key="appointments",
    label=_("Appointments"),
    models=(
        "appointments.Booking",
        "appointments.Invitation",
        "appointments.AllocationRequest",
        "appointments.Renewal",
    ),
    export=export,
    erase=erase,
    keeps=keeps,
)

JOB = retention.Job(
    room="appointments",
    label=_("Bookings, invitations, allocation requests"),
    apply=apply_retention,
    order=30,
    periods=(
        retention.Period(
            "APPOINTMENTS_RETENTION_DAYS",
            "days",
            _(
                "Bookings (after the appointment), invitations (after their deadline), allocation requests, "
                "renewal invitations (after the title's end)"
            ),
            _(
                "Derived: no law names a period; what a matter needs is kept in the case file. 90 days cover "
                "follow-up appointments, questions about no-shows and complaints about a booking."
            ),
        ),
    ),
)


def register():
    personal_data.register(CONTRIBUTOR)
    retention.register(JOB)
