"""Commands on appointments. Other rooms use only these functions (and ``selectors``).

No overbooking: every command that takes or gives back a place runs in one transaction and
locks the rows it changes in a fixed order: the slot rows (by id), then the waiting-room
windows of their location (by location and start), then the booking. On PostgreSQL the locks
are ``SELECT ... FOR UPDATE``; on SQLite every transaction is ``IMMEDIATE`` and so serialised.
"""

import datetime as dt
import hashlib
import hmac
import random
import re
import secrets
import threading
import time
import unicodedata
from contextlib import contextmanager

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import capacity
from .models import ACTIVE_STATUSES, BlockedAttempt, Booking, Channel, Mode, Offer, Slot, Status, WaitingWindow

HOLD_MINUTES = getattr(settings, "APPOINTMENTS_HOLD_MINUTES", 30)
REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
QR_SALT = "willkommen.appointments.qr"


PASSPORT_NUMBER_INVALID = gettext_lazy(
    "Please enter the passport number as it is printed: 5 to 20 letters (A–Z) and digits; spaces do not matter."
)


class BookingError(Exception):
    """A booking command that cannot be carried out; ``message`` is shown to the client.

    ``status`` is the HTTP status an API or page answers with (409 when the place is gone,
    400 for bad input, 410 for an expired hold, 404 for an unknown booking)."""

    status = 400

    def __init__(self, message, *, code="invalid", status=None, errors=None):
        super().__init__(str(message))
        self.message = str(message)
        self.code = code
        self.errors = errors or {}
        if status is not None:
            self.status = status


class SlotGone(BookingError):
    status = 409

    def __init__(self, message=None):
        super().__init__(
            message or _("This appointment is no longer available. Please choose another time."), code="gone"
        )


class CheckInError(Exception):
    """Check-in refused (forged, unknown or reused code, another location or day); the message is translated."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = str(message)


# --- identity, references, tokens -------------------------------------------------------------


def _normal(text):
    return " ".join(unicodedata.normalize("NFKC", str(text or "")).casefold().split())


def identity_key(family_name, given_names, date_of_birth, email):
    """A person for the one-active-booking rule: name, date of birth and e-mail, normalised and hashed."""
    raw = "|".join([_normal(family_name), _normal(given_names), str(date_of_birth), _normal(email)])
    return hashlib.sha256(raw.encode()).hexdigest()


PASSPORT_SALT = "willkommen.appointments.passport"
PASSPORT_PATTERN = re.compile(r"[A-Z0-9]{5,20}")


def normalise_passport_number(value):
    """The passport number as compared: upper case, without spaces (full-width characters folded).
    Returns "" for no number; raises ValueError when what is left is not 5–20 letters A–Z and digits."""
    text = "".join(unicodedata.normalize("NFKC", str(value or "")).split()).upper()
    if text and not PASSPORT_PATTERN.fullmatch(text):
        raise ValueError(text)
    return text


def passport_keys(authority, number):
    """Keyed hashes of a normalised passport number at ``authority``: HMAC-SHA256 with a key derived from
    SECRET_KEY (the first, stored with new bookings), then from each of SECRET_KEY_FALLBACKS (so a rotated
    key still finds the bookings made before). The authority is part of the message, so the same passport
    gives unrelated values at different authorities. Empty for no number."""
    if not number:
        return []
    message = f"{authority.pk}:{number}"
    secrets_in_use = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return [
        salted_hmac(PASSPORT_SALT, message, secret=secret, algorithm="sha256").hexdigest() for secret in secrets_in_use
    ]


def hash_token(token):
    return hashlib.sha256(token.encode()).hexdigest()


def new_reference():
    return "T-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))


def qr_payload(booking):
    """What the QR code on the confirmation carries: the reference, signed by the server."""
    return signing.Signer(salt=QR_SALT).sign(booking.reference)


def token_matches(booking, token):
    return bool(token) and hmac.compare_digest(booking.token_hash, hash_token(str(token)))


def count_blocked(authority, reason):
    BlockedAttempt.objects.create(authority=authority, reason=reason)


# --- locking ----------------------------------------------------------------------------------


_SQLITE_WRITER = threading.RLock()


def _serialised(fn, attempts=200):
    """Run ``fn`` (which opens its own transaction), retrying when the database says it is locked.

    SQLite's shared in-memory test database answers "locked" at once instead of waiting;
    PostgreSQL may report a serialisation failure. Both are safe to retry: nothing was written."""
    for attempt in range(attempts):
        try:
            if connection.vendor == "sqlite":
                with _SQLITE_WRITER:
                    return fn()
            return fn()
        except OperationalError as exc:
            text = str(exc).lower()
            if attempt == attempts - 1 or not ("locked" in text or "deadlock" in text or "serializ" in text):
                raise
            time.sleep(random.uniform(0.001, 0.005) * (1 + attempt % 8))  # noqa: S311 (back-off jitter)
    return None  # pragma: no cover


@contextmanager
def _write_transaction():
    """A transaction that changes capacity. SQLite allows one writer at a time anyway; threads of one
    process queue here instead of spinning on the database lock."""
    if connection.vendor == "sqlite":
        with _SQLITE_WRITER, transaction.atomic():
            yield
    else:
        with transaction.atomic():
            yield


def _window_starts(slot):
    return capacity.windows(slot.starts_at, slot.ends_at)


def ensure_windows(slots):
    rows = [
        WaitingWindow(authority_id=s.authority_id, location_id=s.location_id, starts_at=start)
        for s in slots
        for start in _window_starts(s)
    ]
    WaitingWindow.objects.bulk_create(rows, ignore_conflicts=True)


def _lock(authority, slot_ids):
    """Lock slots (by id), then their waiting-room windows (by location, start); return both."""
    slots = list(Slot.objects.select_for_update().filter(authority=authority, pk__in=set(slot_ids)).order_by("pk"))
    by_location = {}
    for slot in slots:
        by_location.setdefault(slot.location_id, set()).update(_window_starts(slot))
    windows = {}
    for location_id in sorted(by_location):
        for window in (
            WaitingWindow.objects.select_for_update()
            .filter(authority=authority, location_id=location_id, starts_at__in=by_location[location_id])
            .order_by("starts_at")
        ):
            windows[(location_id, window.starts_at)] = window
    return {s.pk: s for s in slots}, windows


class _WindowsMissing(Exception):
    """A locked slot's waiting-room windows do not exist yet (raised inside the transaction, before any write)."""


def _windows_missing(slots, windows):
    return any((s.location_id, start) not in windows for s in slots for start in _window_starts(s))


def _with_windows(slots, locked_part):
    """Run ``locked_part(windows_created)`` (one locking transaction). Waiting-room windows are created lazily
    by the first booking that needs them: when the transaction finds them missing it stops before writing,
    the windows are created (idempotent, outside the transaction) and it runs once more with
    ``windows_created=True``. So a booking in existing windows writes nothing else."""
    try:
        return locked_part(False)
    except _WindowsMissing:
        ensure_windows(slots)
        return locked_part(True)


def reserve_released(slot, now=None):
    return (now or timezone.now()) >= slot.reserve_release_at


def channels_for(slot, channel, now=None):
    """Channels a request may draw from, in order of preference."""
    if channel == Channel.PUBLIC:
        return [Channel.PUBLIC, Channel.URGENT] if reserve_released(slot, now) else [Channel.PUBLIC]
    if channel == Channel.INVITATION:
        return [Channel.INVITATION, Channel.PUBLIC]
    if channel == Channel.URGENT:
        return [Channel.URGENT, Channel.PUBLIC]
    raise ValueError(channel)


def has_place(slot, channel, now=None):
    """Whether ``slot`` (as read, not locked) shows a free place for ``channel``; the waiting room is not checked."""
    return any(slot.free(c) > 0 for c in channels_for(slot, channel, now))


def _take(slot, windows, channel, now):
    """Take one place of ``slot`` (locked) for ``channel``; return the channel used or raise SlotGone."""
    cap = slot.location.waiting_room_cap
    for start in _window_starts(slot):
        window = windows.get((slot.location_id, start))
        if window is None:
            raise SlotGone()
        if window.taken >= cap:
            raise SlotGone()
    for used in channels_for(slot, channel, now):
        if slot.free(used) > 0:
            field = f"{used}_taken"
            Slot.objects.filter(pk=slot.pk).update(**{field: F(field) + 1})
            setattr(slot, field, getattr(slot, field) + 1)
            WaitingWindow.objects.filter(
                authority_id=slot.authority_id, location_id=slot.location_id, starts_at__in=_window_starts(slot)
            ).update(taken=F("taken") + 1)
            for start in _window_starts(slot):
                windows[(slot.location_id, start)].taken += 1
            return used
    raise SlotGone()


def _give_back(slot, channel):
    field = f"{channel}_taken"
    Slot.objects.filter(pk=slot.pk, **{f"{field}__gt": 0}).update(**{field: F(field) - 1})
    WaitingWindow.objects.filter(
        authority_id=slot.authority_id, location_id=slot.location_id, starts_at__in=_window_starts(slot), taken__gt=0
    ).update(taken=F("taken") - 1)


# --- booking ----------------------------------------------------------------------------------


def _bookable_slot(authority, slot_id, anliegen, now):
    slot = (
        Slot.objects.select_related("location")
        .filter(authority=authority, pk=slot_id, withdrawn=False, location__active=True)
        .first()
    )
    if slot is None or (anliegen is not None and slot.anliegen_id != anliegen.pk):
        raise BookingError(_("This appointment time does not exist for your Anliegen."), errors={"slot": "unknown"})
    if slot.starts_at <= now:
        raise BookingError(_("This appointment time is in the past."), errors={"slot": "past"})
    return slot


def _offer_mode(slot):
    return (
        Offer.objects.filter(authority_id=slot.authority_id, anliegen_id=slot.anliegen_id, location_id=slot.location_id)
        .values_list("mode", flat=True)
        .first()
    )


def _duplicate_exists(authority, anliegen_id, identity_key, passport_keys=()):
    """An active booking for this Anliegen by the same person: same name, date of birth and e-mail, or
    the same passport number (under the current or a previous SECRET_KEY)."""
    same = Q(identity_key=identity_key)
    if passport_keys:
        same |= Q(passport_key__in=passport_keys)
    return Booking.objects.filter(
        same, authority=authority, anliegen_id=anliegen_id, status__in=ACTIVE_STATUSES
    ).exists()


def _duplicate_error():
    return BookingError(
        _("You already have an appointment for this Anliegen. Cancel it first to book another."),
        code="duplicate",
        status=409,
    )


def queue_notification(kind, object_id, **extra):
    """Queue a client notification (``notifications.send_<kind>``) on the job queue once the transaction
    commits: mail, ICS and PDF are rendered by the job, never inside the request."""
    from .tasks import send_notification

    transaction.on_commit(lambda: send_notification.enqueue(kind, object_id, **extra))


def hold(
    authority,
    *,
    slot_id,
    anliegen,
    family_name,
    given_names,
    date_of_birth,
    email,
    phone="",
    language="de",
    interpreter_needed=False,
    interpreter_language="",
    passport_number="",
    answers=None,
    channel=Channel.PUBLIC,
    proof_of_work=False,
    invitation=None,
    booked_by=None,
    confirmed=False,
    person=None,
    case=None,
    follow_up_of=None,
    portal_url="",
    identity_scope="",
    notify=True,
    now=None,
):
    """Take a place: held until the client confirms by e-mail (or at once ``confirmed`` for staff).

    Returns ``(booking, token)``; the token is the client's secret for confirm/cancel/move and is
    stored only as a hash. ``passport_number`` (optional) is stored only as a keyed hash and, like
    name + date of birth + e-mail, allows one active booking per Anliegen.
    Raises :class:`SlotGone` (409) or :class:`BookingError` (400)."""
    now = now or timezone.now()
    if not family_name or not date_of_birth or not email:
        raise BookingError(_("Name, date of birth and e-mail are required."))
    if date_of_birth > timezone.localdate(now):
        raise BookingError(_("The date of birth lies in the future."), errors={"date_of_birth": "future"})
    try:
        passport = passport_keys(authority, normalise_passport_number(passport_number))
    except ValueError:
        raise BookingError(PASSPORT_NUMBER_INVALID, errors={"passport_number": "invalid"}) from None
    key = identity_key(family_name, given_names, date_of_birth, email)
    if identity_scope:
        # Office-made follow-ups stand beside the client's own booking (the one-active rule is against bots).
        key = hashlib.sha256(f"{key}/{identity_scope}".encode()).hexdigest()
        passport = []
    token = secrets.token_urlsafe(24)

    def locked_part(slot, windows_created):
        with _write_transaction():
            slots, windows = _lock(authority, [slot.pk])
            locked = slots.get(slot.pk)
            if locked is None:
                raise SlotGone()
            if not windows_created and _windows_missing([locked], windows):
                raise _WindowsMissing()
            locked.location = slot.location
            if len(passport) > 1 and _duplicate_exists(authority, slot.anliegen_id, key, passport[1:]):
                raise _duplicate_error()  # booked under a previous SECRET_KEY: the index cannot see it
            used = _take(locked, windows, channel, now)
            # The one-active-booking rule is the partial unique indexes (person, passport): a duplicate
            # fails this INSERT and the whole transaction (with the place taken above) rolls back.
            return Booking.objects.create(
                authority=authority,
                reference=new_reference(),
                token_hash=hash_token(token),
                slot=locked,
                anliegen_id=slot.anliegen_id,
                location_id=slot.location_id,
                starts_at=slot.starts_at,
                channel=used,
                status=Status.CONFIRMED if confirmed else Status.HELD,
                family_name=family_name.strip(),
                given_names=(given_names or "").strip(),
                date_of_birth=date_of_birth,
                email=email.strip(),
                phone=phone or "",
                language=language or "de",
                interpreter_needed=bool(interpreter_needed),
                interpreter_language=interpreter_language or "",
                identity_key=key,
                passport_key=passport[0] if passport else "",
                answers=answers or {},
                proof_of_work=proof_of_work,
                invitation=invitation,
                booked_by=booked_by,
                person=person,
                case=case,
                follow_up_of=follow_up_of,
                hold_expires_at=None if confirmed else now + dt.timedelta(minutes=HOLD_MINUTES),
                confirmed_at=now if confirmed else None,
                portal_url=portal_url,
            )

    def run():
        slot = _bookable_slot(authority, slot_id, anliegen, now)
        if not has_place(slot, channel, now):
            # Read without a lock: a place that is taken now is gone for this request. The losing side of a
            # rush ends here, with one query and no transaction; a free place is checked again under the locks.
            raise SlotGone()
        if not confirmed and _offer_mode(slot) == Mode.ALLOCATION:
            raise BookingError(
                _("Places for this Anliegen are given in allocation rounds. Please file a request."), code="allocation"
            )
        for attempt in range(3):
            try:
                return _with_windows([slot], lambda created: locked_part(slot, created))
            except IntegrityError:
                if _duplicate_exists(authority, slot.anliegen_id, key, passport):
                    raise _duplicate_error() from None
                if attempt == 2:
                    raise
                # Otherwise a reference drawn twice (1 in 10^12): draw again.
        return None  # pragma: no cover

    try:
        booking = _serialised(run)
    except BookingError as exc:
        if exc.code == "duplicate":
            count_blocked(authority, "duplicate")  # outside the rolled-back transaction
        raise
    if not notify:
        pass
    elif confirmed:
        queue_notification("confirmation", booking.pk, token=token)
    else:
        queue_notification("confirm_request", booking.pk, token=token)
    return booking, token


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
        raise BookingError(_("This link is not valid."), code="not_found", status=404)
    return booking


def _locked_booking(authority, booking_id, extra_slot_ids=()):
    """Lock a booking's slot (and ``extra_slot_ids``) and windows, then the booking; re-check the slot."""
    while True:
        slot_id = Booking.objects.filter(authority=authority, pk=booking_id).values_list("slot_id", flat=True).first()
        slots, windows = _lock(authority, [slot_id, *extra_slot_ids])
        booking = Booking.objects.select_for_update().select_related("location").get(pk=booking_id)
        if booking.slot_id == slot_id:
            booking.slot = slots[slot_id]
            return booking, slots, windows
        # Moved in between (only possible on databases with row locks): lock again.


def _expire_locked(booking, now):
    _give_back(booking.slot, booking.channel)
    booking.status = Status.EXPIRED
    booking.save(update_fields=["status"])


def confirm(authority, reference, token, now=None):
    """Double opt-in: the client confirms the hold from the e-mail link."""
    now = now or timezone.now()
    booking = _serialised(lambda: get_booking(authority, reference, token))

    def run():
        with _write_transaction():
            locked, _slots, _windows = _locked_booking(authority, booking.pk)
            if locked.status == Status.HELD and locked.hold_expires_at and locked.hold_expires_at <= now:
                _expire_locked(locked, now)
                return locked, True
            if locked.status == Status.HELD:
                locked.status = Status.CONFIRMED
                locked.confirmed_at = now
                locked.hold_expires_at = None
                locked.save(update_fields=["status", "confirmed_at", "hold_expires_at"])
                queue_notification("confirmation", locked.pk, token=token)
            return locked, False

    locked, expired = _serialised(run)
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
        raise BookingError(_("This link is not valid."), code="not_found", status=404)

    def run():
        with _write_transaction():
            locked, _slots, _windows = _locked_booking(authority, booking.pk)
            if locked.status not in ACTIVE_STATUSES:
                return locked, False
            _give_back(locked.slot, locked.channel)
            locked.status = Status.CANCELLED
            locked.cancelled_at = now
            locked.save(update_fields=["status", "cancelled_at"])
            return locked, True

    locked, changed = _serialised(run)
    if not changed and locked.status != Status.CANCELLED:
        raise BookingError(_("This appointment can no longer be cancelled."), code="state", status=409)
    if changed and notify:
        queue_notification("cancelled", locked.pk, reason=reason, by_office=staff is not None)
    return locked


def move(authority, reference, token=None, *, slot_id, staff=None, reason="", now=None):
    """Move an active booking to another slot of the same Anliegen; the person stays the same."""
    now = now or timezone.now()
    if staff is None and token is None:
        raise BookingError(_("This link is not valid."), code="not_found", status=404)
    booking = get_booking(authority, reference, None if staff else token)
    target = _bookable_slot(authority, slot_id, booking.anliegen, now)
    if target.pk == booking.slot_id:
        return booking
    channel = Channel.INVITATION if booking.channel == Channel.INVITATION else Channel.PUBLIC
    if staff is not None and booking.channel == Channel.URGENT:
        channel = Channel.URGENT

    def locked_part(windows_created):
        with _write_transaction():
            locked, slots, windows = _locked_booking(authority, booking.pk, [target.pk])
            if not windows_created and _windows_missing([slots[target.pk]], windows):
                raise _WindowsMissing()
            if locked.status not in ACTIVE_STATUSES:
                raise BookingError(_("This appointment can no longer be moved."), code="state", status=409)
            if locked.status == Status.HELD and locked.hold_expires_at and locked.hold_expires_at <= now:
                raise BookingError(_("The reservation has expired. Please book again."), code="expired", status=410)
            new_slot = slots[target.pk]
            new_slot.location = target.location
            used = _take(new_slot, windows, channel, now)
            _give_back(locked.slot, locked.channel)
            locked.slot = new_slot
            locked.location_id = new_slot.location_id
            locked.starts_at = new_slot.starts_at
            locked.channel = used
            locked.reminder_sent_at = None
            locked.save(update_fields=["slot", "location", "starts_at", "channel", "reminder_sent_at"])
            return locked

    locked = _serialised(lambda: _with_windows([target], locked_part))
    queue_notification("moved", locked.pk, reason=reason, by_office=staff is not None)
    return locked


def expire_holds(now=None):
    """Return unconfirmed holds older than the hold time to the pool. Returns how many expired."""
    now = now or timezone.now()
    expired = 0
    for booking_id, authority_id in Booking.objects.filter(status=Status.HELD, hold_expires_at__lte=now).values_list(
        "pk", "authority_id"
    ):

        def run(booking_id=booking_id, authority_id=authority_id):
            with _write_transaction():
                locked, _slots, _windows = _locked_booking(authority_id, booking_id)
                if locked.status == Status.HELD and locked.hold_expires_at <= now:
                    _expire_locked(locked, now)
                    return 1
                return 0

        expired += _serialised(run)
    return expired


def mark(authority, booking, status, *, staff):
    """Mark attended or no-show (staff)."""
    if status not in (Status.ATTENDED, Status.NO_SHOW):
        raise BookingError(_("Unknown status."))
    if booking.authority_id != authority.pk:
        raise BookingError(_("This link is not valid."), code="not_found", status=404)
    if booking.status not in (Status.CONFIRMED, Status.CHECKED_IN, Status.ATTENDED, Status.NO_SHOW):
        raise BookingError(_("Only confirmed appointments can be marked."), code="state", status=409)
    Booking.objects.filter(authority=authority, pk=booking.pk).update(status=status)
    booking.status = status
    from willkommen.audit.services import record

    record(authority=authority, action="update", person_id=booking.person_id, obj=booking, actor=staff, detail=status)
    return booking


# --- invitations (Terminladung) -----------------------------------------------------------------


def invite(
    authority,
    *,
    anliegen,
    family_name,
    given_names,
    date_of_birth,
    email,
    deadline,
    staff,
    language="de",
    location=None,
    slot_id=None,
    person=None,
    case=None,
    portal_url="",
):
    """Invite a client: to a fixed slot (booked and confirmed at once) or with a personal link that
    offers invitation-only places until ``deadline``. Returns ``(invitation, token, booking_or_None)``."""
    from .models import Invitation

    token = secrets.token_urlsafe(24)
    invitation = Invitation.objects.create(
        authority=authority,
        token_hash=hash_token(token),
        anliegen=anliegen,
        location=location,
        family_name=family_name,
        given_names=given_names or "",
        date_of_birth=date_of_birth,
        email=email,
        language=language,
        deadline=deadline,
        person=person,
        case=case,
        created_by=staff,
    )
    booking = None
    if slot_id:
        booking = book_invitation(authority, invitation, slot_id, portal_url=portal_url, staff=staff)
    else:
        queue_notification("invitation", invitation.pk, token=token, portal_url=portal_url)
    return invitation, token, booking


def book_invitation(authority, invitation, slot_id, *, portal_url="", staff=None, now=None):
    """Book through an invitation (once): invitation-only places first, confirmed at once (the e-mail
    address is known to the office), the name from the invitation."""
    from .models import Invitation

    now = now or timezone.now()
    if invitation.deadline < timezone.localdate(now):
        raise BookingError(_("This invitation has been used or has expired."), code="expired", status=410)
    if not Invitation.objects.filter(pk=invitation.pk, authority=authority, used_at__isnull=True).update(used_at=now):
        raise BookingError(_("This invitation has been used or has expired."), code="used", status=410)
    try:
        booking, _token = hold(
            authority,
            slot_id=slot_id,
            anliegen=invitation.anliegen,
            family_name=invitation.family_name,
            given_names=invitation.given_names,
            date_of_birth=invitation.date_of_birth,
            email=invitation.email,
            language=invitation.language,
            channel=Channel.INVITATION,
            invitation=invitation,
            person=invitation.person,
            case=invitation.case,
            confirmed=True,
            booked_by=staff,
            portal_url=portal_url,
            now=now,
        )
    except BookingError:
        Invitation.objects.filter(pk=invitation.pk).update(used_at=None)
        raise
    if invitation.location_id and booking.location_id != invitation.location_id:
        pass  # the office may book another location on the client's behalf
    return booking


def follow_up(authority, booking, *, slot_id, staff, portal_url=""):
    """A follow-up appointment from an existing one (two clicks on the desk): same person and Anliegen,
    invitation-only places first, confirmed at once."""
    if booking.authority_id != authority.pk:
        raise BookingError(_("This link is not valid."), code="not_found", status=404)
    new, _token = hold(
        authority,
        slot_id=slot_id,
        anliegen=booking.anliegen,
        family_name=booking.family_name,
        given_names=booking.given_names,
        date_of_birth=booking.date_of_birth,
        email=booking.email,
        phone=booking.phone,
        language=booking.language,
        interpreter_needed=booking.interpreter_needed,
        interpreter_language=booking.interpreter_language,
        answers=booking.answers,
        channel=Channel.INVITATION,
        confirmed=True,
        booked_by=staff,
        person=booking.person,
        case=booking.case,
        follow_up_of=booking,
        portal_url=portal_url or booking.portal_url,
        identity_scope=f"follow-up-of-{booking.pk}",
    )
    return new


# --- check-in (ServicePoint) ------------------------------------------------------------------


def check_in(authority, location, code, *, staff, now=None):
    """Check a client in at the ServicePoint by booking reference or QR payload.

    Raises :class:`CheckInError` for a forged, unknown or already used code, a booking of another
    location or another day, or one that is not confirmed."""
    now = now or timezone.now()
    code = str(code or "").strip()
    if ":" in code:
        try:
            reference = signing.Signer(salt=QR_SALT).unsign(code)
        except signing.BadSignature:
            count_blocked(authority, "forged_qr")
            raise CheckInError(_("This QR code is not valid.")) from None
    else:
        reference = code.upper()
    if not reference:
        raise CheckInError(_("No booking with this reference."))

    def run():
        with _write_transaction():
            booking = (
                Booking.objects.select_for_update()
                .select_related("anliegen", "location")
                .filter(authority=authority, reference=reference)
                .first()
            )
            if booking is None:
                raise CheckInError(_("No booking with this reference."))
            if booking.status == Status.CHECKED_IN:
                raise CheckInError(_("This booking has already been checked in."))
            if booking.status != Status.CONFIRMED:
                raise CheckInError(_("This booking is not confirmed (it was cancelled, expired or not confirmed)."))
            if booking.location_id != location.pk:
                raise CheckInError(_("This appointment is at another location."))
            if timezone.localdate(booking.starts_at) != timezone.localdate(now):
                raise CheckInError(_("This appointment is on another day."))
            booking.status = Status.CHECKED_IN
            booking.checked_in_at = now
            booking.checked_in_by = staff
            booking.save(update_fields=["status", "checked_in_at", "checked_in_by"])
            return booking

    return _serialised(run)


def send_reminders(now=None):
    """E-mail a reminder to every confirmed booking starting within the next 48 hours (once)."""
    now = now or timezone.now()
    hours = getattr(settings, "APPOINTMENTS_REMINDER_HOURS", 48)
    from . import notifications

    sent = 0
    for booking in Booking.objects.filter(
        status=Status.CONFIRMED,
        reminder_sent_at__isnull=True,
        starts_at__gt=now,
        starts_at__lte=now + dt.timedelta(hours=hours),
    ):
        # Claim first so two workers never send twice.
        if Booking.objects.filter(pk=booking.pk, reminder_sent_at__isnull=True).update(reminder_sent_at=now):
            notifications.send_reminder(booking.pk)
            sent += 1
    return sent


def language_of(booking):
    return booking.language if booking.language in dict(settings.LANGUAGES) else "de"


def in_language(booking):
    return translation.override(language_of(booking))
