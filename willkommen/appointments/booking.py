"""Booking commands: hold a place (for the public, invitations, staff and allocation rounds), confirm it from
the e-mail link, cancel, move, expire unconfirmed holds, remind. Places change only in :mod:`.ledger`."""

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from . import jobs, ledger, limits
from .errors import PASSPORT_NUMBER_INVALID, BookingError, SlotGone, duplicate, not_found
from .identity import (
    email_key,
    hash_token,
    identity_key,
    new_reference,
    new_token,
    normalise_passport_number,
    passport_keys,
    token_matches,
)
from .models import ACTIVE_STATUSES, BlockedAttempt, Booking, Channel, Mode, Status


@dataclass(frozen=True)
class Terms:
    """How a place is taken: the channel it is drawn from, and by whom on whose behalf."""

    channel: str = Channel.PUBLIC
    confirmed: bool = False  # staff, invitations, allocation: no e-mail opt-in needed
    proof_of_work: bool = False
    notify: bool = True
    booked_by: object = None
    invitation: object = None
    person: object = None
    case: object = None
    follow_up_of: object = None
    portal_url: str = ""
    identity_scope: str = ""  # office-made follow-ups stand beside the client's own booking


PUBLIC = Terms()


@dataclass(frozen=True)
class BySlug:
    """An Anliegen named by its slug (the public API): checked against the slot in the slot's one read."""

    slug: str


@dataclass(frozen=True)
class Keys:
    person: str
    passports: list
    email: str


def count_blocked(authority, reason):
    BlockedAttempt.objects.create(authority=authority, reason=reason)


# --- hold ---------------------------------------------------------------------------------------------


def hold(authority, *, slot_id, anliegen, applicant, terms=PUBLIC, now=None):
    """Take a place for ``applicant`` (an :class:`~.identity.Applicant`): held until the client confirms by
    e-mail, or confirmed at once with ``terms.confirmed`` (staff, invitations, allocation).

    Returns ``(booking, token)``; the token is the client's secret for confirm/cancel/move and is stored only
    as a hash. Raises :class:`~.errors.SlotGone` (409), :class:`~.errors.BookingError` (400, or 409 for a
    duplicate or the per-e-mail limit). The number of statements does not depend on the data: one read, and
    for a place that looks free one transaction of four writes (see :mod:`.ledger`)."""
    now = now or timezone.now()
    keys = _keys(authority, applicant, terms, now)
    email = "" if terms.confirmed else keys.email
    state = ledger.serialised(lambda: ledger.read(authority.pk, slot_id, email))
    _check_slot(state, anliegen, terms, now)
    token = new_token()
    row = _row(authority, state, applicant, terms, keys, token, now)
    booking_id, used = _take(authority, state, terms, row, keys, now)
    booking = Booking(**row, id=booking_id, slot_id=state.id, channel=used)
    booking._state.adding, booking._state.db = False, connection.alias
    if terms.notify:
        jobs.notify("confirmation" if terms.confirmed else "confirm_request", booking.pk, token=token)
    return booking, token


def _keys(authority, applicant, terms, now):
    # A known person the office invited (by letter or SMS) may book without an e-mail address: the office
    # confirms at once and writes through the person's channel.
    known = terms.confirmed and terms.person is not None
    if not applicant.family_name or not applicant.date_of_birth or not (applicant.email or known):
        raise BookingError(_("Name, date of birth and e-mail are required."))
    if applicant.date_of_birth > timezone.localdate(now):
        raise BookingError(_("The date of birth lies in the future."), errors={"date_of_birth": "future"})
    try:
        passports = passport_keys(authority, normalise_passport_number(applicant.passport_number))
    except ValueError:
        raise BookingError(PASSPORT_NUMBER_INVALID, errors={"passport_number": "invalid"}) from None
    person = identity_key(applicant.family_name, applicant.given_names, applicant.date_of_birth, applicant.email)
    if terms.identity_scope:
        person = hashlib.sha256(f"{person}/{terms.identity_scope}".encode()).hexdigest()
        passports = []
    return Keys(person, passports, email_key(applicant.email))


def _check_slot(state, anliegen, terms, now):
    """Refuse what the read already shows: an unknown or past slot (400), no free place (409), an Anliegen
    in allocation mode, the per-e-mail limit."""
    if state is None or state.withdrawn or not state.location_active or not _same_anliegen(state, anliegen):
        raise BookingError(_("This appointment time does not exist for your Anliegen."), errors={"slot": "unknown"})
    if state.starts_at <= now:
        raise BookingError(_("This appointment time is in the past."), errors={"slot": "past"})
    if not ledger.has_place(state, terms.channel, now):
        # Read without a lock: the losing side of a rush ends here, with one statement and no transaction.
        raise SlotGone()
    if not terms.confirmed and state.mode == Mode.ALLOCATION:
        raise BookingError(
            _("Places for this Anliegen are given in allocation rounds. Please file a request."), code="allocation"
        )
    if not terms.confirmed and state.active_by_email >= limits.email_active_limit():
        raise BookingError(
            _("This e-mail address already holds as many appointments as one address may. Cancel one first."),
            code="email_limit",
            status=409,
        )


def _same_anliegen(state, anliegen):
    if isinstance(anliegen, BySlug):
        return state.anliegen_slug == anliegen.slug and state.anliegen_active
    return state.anliegen_id == anliegen.pk


def _row(authority, state, applicant, terms, keys, token, now):
    """The booking's columns (by attribute name), for the ledger's INSERT."""
    return {
        "authority_id": authority.pk,
        "token_hash": hash_token(token),
        "anliegen_id": state.anliegen_id,
        "location_id": state.location_id,
        "starts_at": state.starts_at,
        "status": Status.CONFIRMED if terms.confirmed else Status.HELD,
        "family_name": applicant.family_name.strip(),
        "given_names": (applicant.given_names or "").strip(),
        "date_of_birth": applicant.date_of_birth,
        "email": applicant.email.strip(),
        "email_key": keys.email,
        "phone": applicant.phone or "",
        "language": applicant.language or "de",
        "interpreter_needed": bool(applicant.interpreter_needed),
        "interpreter_language": applicant.interpreter_language or "",
        "identity_key": keys.person,
        "passport_key": keys.passports[0] if keys.passports else "",
        "answers": applicant.answers or {},
        "proof_of_work": terms.proof_of_work,
        "invitation_id": getattr(terms.invitation, "pk", None),
        "booked_by_id": getattr(terms.booked_by, "pk", None),
        "person_id": getattr(terms.person, "pk", None),
        "case_id": getattr(terms.case, "pk", None),
        "follow_up_of_id": getattr(terms.follow_up_of, "pk", None),
        "hold_expires_at": None if terms.confirmed else now + dt.timedelta(minutes=limits.hold_minutes()),
        "confirmed_at": now if terms.confirmed else None,
        "portal_url": terms.portal_url,
        "created_at": now,
    }


def _take(authority, state, terms, row, keys, now):
    if len(keys.passports) > 1 and _duplicate_exists(authority, state.anliegen_id, keys.person, keys.passports[1:]):
        count_blocked(authority, "duplicate")  # booked under a previous SECRET_KEY: the index cannot see it
        raise duplicate()
    for _attempt in range(3):
        row["reference"] = new_reference()
        try:
            return ledger.take(state, terms.channel, row, now)
        except ledger.NotInserted:
            if _duplicate_exists(authority, state.anliegen_id, keys.person, keys.passports):
                count_blocked(authority, "duplicate")
                raise duplicate() from None
            # Otherwise a reference drawn twice (1 in 10^12): draw again.
    raise BookingError(_("Please try again."), code="retry", status=409)


def _duplicate_exists(authority, anliegen_id, person_key, passport_keys=()):
    """An active booking for this Anliegen by the same person: same name, date of birth and e-mail, or
    the same passport number (under the current or a previous SECRET_KEY)."""
    same = Q(identity_key=person_key)
    if passport_keys:
        same |= Q(passport_key__in=passport_keys)
    return Booking.objects.filter(
        same, authority=authority, anliegen_id=anliegen_id, status__in=ACTIVE_STATUSES
    ).exists()


# --- the booking's own links ----------------------------------------------------------------------------


def get_booking(authority, reference, token=None):
    """The booking with this reference at this authority; with ``token`` it must match (else 404-like error)."""
    booking = (
        Booking.objects.select_related("slot", "location", "anliegen")
        .filter(authority=authority, reference=str(reference or "").upper())
        .first()
    )
    if booking is None or (token is not None and not token_matches(booking, token)):
        if booking is not None:
            count_blocked(authority, "bad_token")
        raise not_found()
    return booking


def hold_expired(booking, now):
    """A held place returns to the pool only once its time is up *and* the confirmation request has left
    (``notified_at``): the client's time starts when the mail does. A hold whose mail never left is given
    up after ``APPOINTMENTS_HOLD_MAIL_GRACE_MINUTES``."""
    if booking.status != Status.HELD or not booking.hold_expires_at or booking.hold_expires_at > now:
        return False
    grace = dt.timedelta(minutes=getattr(settings, "APPOINTMENTS_HOLD_MAIL_GRACE_MINUTES", 24 * 60))
    return booking.notified_at is not None or booking.created_at <= now - grace


def _expire_locked(booking):
    ledger.give_back(booking.slot, booking.channel)
    booking.status = Status.EXPIRED
    booking.save(update_fields=["status"])


def confirm(authority, reference, token, now=None):
    """Double opt-in: the client confirms the hold from the e-mail link."""
    now = now or timezone.now()
    booking = ledger.serialised(lambda: get_booking(authority, reference, token))

    def run():
        with ledger.write_transaction():
            locked, _slots, _windows = ledger.locked_booking(authority, booking.pk)
            if hold_expired(locked, now):
                _expire_locked(locked)
                return locked, True
            if locked.status == Status.HELD:
                locked.status = Status.CONFIRMED
                locked.confirmed_at = now
                locked.hold_expires_at = None
                locked.save(update_fields=["status", "confirmed_at", "hold_expires_at"])
                jobs.notify("confirmation", locked.pk, token=token)
            return locked, False

    locked, expired = ledger.serialised(run)
    if expired:
        raise BookingError(
            _("The reservation has expired because it was not confirmed in time. Please book again."),
            code="expired",
            status=410,
        )
    if locked.status != Status.CONFIRMED:
        raise BookingError(_("This appointment can no longer be confirmed."), code="state", status=409)
    return locked


def cancel(authority, reference, token=None, *, staff=None, reason="", notify=True, now=None):
    """Cancel by the client (with token) or by staff; the place returns to the pool."""
    now = now or timezone.now()
    booking = get_booking(authority, reference, None if staff else token)
    if staff is None and token is None:
        raise not_found()

    def run():
        with ledger.write_transaction():
            locked, _slots, _windows = ledger.locked_booking(authority, booking.pk)
            if locked.status not in ACTIVE_STATUSES:
                return locked, False
            ledger.give_back(locked.slot, locked.channel)
            locked.status = Status.CANCELLED
            locked.cancelled_at = now
            locked.save(update_fields=["status", "cancelled_at"])
            return locked, True

    locked, changed = ledger.serialised(run)
    if not changed and locked.status != Status.CANCELLED:
        raise BookingError(_("This appointment can no longer be cancelled."), code="state", status=409)
    if changed and notify:
        jobs.notify("cancelled", locked.pk, reason=reason, by_office=staff is not None)
    return locked


def move(authority, reference, token=None, *, slot_id, staff=None, reason="", now=None):
    """Move an active booking to another slot of the same Anliegen; the person stays the same."""
    now = now or timezone.now()
    if staff is None and token is None:
        raise not_found()
    booking = get_booking(authority, reference, None if staff else token)
    target = ledger.serialised(lambda: ledger.read(authority.pk, slot_id))
    if target is None or target.withdrawn or not target.location_active or target.anliegen_id != booking.anliegen_id:
        raise BookingError(_("This appointment time does not exist for your Anliegen."), errors={"slot": "unknown"})
    if target.starts_at <= now:
        raise BookingError(_("This appointment time is in the past."), errors={"slot": "past"})
    if target.id == booking.slot_id:
        return booking
    channel = Channel.INVITATION if booking.channel == Channel.INVITATION else Channel.PUBLIC
    if staff is not None and booking.channel == Channel.URGENT:
        channel = Channel.URGENT
    locked = ledger.serialised(lambda: _move_locked(authority, booking, target, channel, now))
    jobs.notify("moved", locked.pk, reason=reason, by_office=staff is not None)
    return locked


def _move_locked(authority, booking, target, channel, now):
    ledger.ensure_windows([target])
    with ledger.write_transaction():
        locked, slots, windows = ledger.locked_booking(authority, booking.pk, [target.id])
        if locked.status not in ACTIVE_STATUSES:
            raise BookingError(_("This appointment can no longer be moved."), code="state", status=409)
        if hold_expired(locked, now):
            raise BookingError(_("The reservation has expired. Please book again."), code="expired", status=410)
        new_slot = slots[target.id]
        used = ledger.take_locked(new_slot, windows, channel, now)
        ledger.give_back(locked.slot, locked.channel)
        locked.slot = new_slot
        locked.location_id = new_slot.location_id
        locked.starts_at = new_slot.starts_at
        locked.channel = used
        locked.reminder_sent_at = None
        locked.save(update_fields=["slot", "location", "starts_at", "channel", "reminder_sent_at"])
        return locked


def expire_holds(now=None):
    """Return unconfirmed holds whose time is up to the pool (see :func:`hold_expired`). Returns how many."""
    now = now or timezone.now()
    expired = 0
    candidates = Booking.objects.filter(status=Status.HELD, hold_expires_at__lte=now).values_list("pk", "authority_id")
    for booking_id, authority_id in candidates:

        def run(booking_id=booking_id, authority_id=authority_id):
            with ledger.write_transaction():
                locked, _slots, _windows = ledger.locked_booking(authority_id, booking_id)
                if hold_expired(locked, now):
                    _expire_locked(locked)
                    return 1
                return 0

        expired += ledger.serialised(run)
    return expired


def send_reminders(now=None):
    """E-mail a reminder to every confirmed booking starting within ``APPOINTMENTS_REMINDER_HOURS`` (once)."""
    now = now or timezone.now()
    hours = getattr(settings, "APPOINTMENTS_REMINDER_HOURS", 48)
    sent = 0
    for booking_id in Booking.objects.filter(
        status=Status.CONFIRMED,
        reminder_sent_at__isnull=True,
        starts_at__gt=now,
        starts_at__lte=now + dt.timedelta(hours=hours),
    ).values_list("pk", flat=True):
        # Claim first so two workers never send twice.
        if Booking.objects.filter(pk=booking_id, reminder_sent_at__isnull=True).update(reminder_sent_at=now):
            jobs.notify("reminder", booking_id)
            sent += 1
    return sent
