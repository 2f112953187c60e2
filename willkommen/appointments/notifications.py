"""What the client receives: confirmation request, confirmation (with links to the calendar file and the PDF
with QR code, rendered on first download, see :mod:`.documents`), reminder, notices of cancellation and
moves, invitations and the waiting-list notice. The texts are messaging's template store (keys
``booking_*``, ``reminder``, ``invitation``, ``waitlist``); this module supplies the placeholder values and
sends through ``willkommen.messaging.services.send_template``; each ``send_<kind>`` returns the stored
message. Mail first: nothing is rendered before the mail leaves."""

from django.utils import timezone

from willkommen.catalogue import checklist as checklist_lib
from willkommen.catalogue import selectors as catalogue_selectors
from willkommen.messaging.services import send_template

from .limits import hold_minutes
from .models import Booking


def booking_link(booking, token, action=""):
    base = (booking.portal_url or "").rstrip("/")
    suffix = f"{action}/" if action else ""
    return f"{base}/appointments/booking/{booking.reference}/{token}/{suffix}"


def _booking(booking_id):
    return Booking.objects.select_related("authority", "location", "anliegen", "slot").get(pk=booking_id)


def anliegen_title(booking, language=None):
    """The Anliegen's title in ``language`` (default: the booking's, for its mails and documents)."""
    return catalogue_selectors.title(booking.anliegen, language or booking.language) or booking.anliegen.slug


def checklist_for(booking, language=None):
    try:
        return checklist_lib.build(booking.anliegen, booking.answers or {}, language or booking.language)
    except Exception:  # noqa: BLE001 (a changed catalogue must not stop a confirmation)
        return None


def _place(location):
    return ", ".join(
        x for x in [location.name, location.street, f"{location.postal_code} {location.city}".strip()] if x
    )


def _checklist(booking, required):
    """What to bring (``required``) or bring if available, as a function of the language."""

    def items(language):
        try:
            entries = checklist_lib.build(booking.anliegen, booking.answers or {}, language).entries
        except Exception:  # noqa: BLE001 (a changed catalogue must not stop a confirmation)
            return []
        return [e.title for e in entries if bool(e.required) == required]

    return items


def checklists(booking):
    """The placeholders ``checklist`` and ``checklist_optional``: what to bring, and what if available."""
    return {"checklist": _checklist(booking, True), "checklist_optional": _checklist(booking, False)}


def booking_values(booking, **more):
    """The placeholder values of a booking's texts (the messages and the documents)."""
    local = timezone.localtime(booking.starts_at)
    return {
        "name": f"{booking.given_names} {booking.family_name}".strip(),
        "anliegen": lambda language: catalogue_selectors.title(booking.anliegen, language) or booking.anliegen.slug,
        "date": local.date(),
        "time": f"{local:%H:%M}",
        "place": _place(booking.location),
        "reference": booking.reference,
        "authority": booking.authority.name,
        **more,
    }


def _send(booking, key, values):
    return send_template(
        booking.authority,
        key,
        context=values,
        email=booking.email,
        person=booking.person,
        case=booking.case,
        language=booking.language,
    )


def send_confirm_request(booking_id, token):
    booking = _booking(booking_id)
    values = booking_values(
        booking,
        confirm_url=booking_link(booking, token, "confirm"),
        cancel_url=booking_link(booking, token, "cancel"),
        hold_minutes=hold_minutes(),
    )
    return _send(booking, "booking_confirm_request", values)


def send_confirmation(booking_id, token=None):
    booking = _booking(booking_id)
    links = {}
    if token:
        links = {
            "detail_url": booking_link(booking, token),
            "cancel_url": booking_link(booking, token, "cancel"),
            "move_url": booking_link(booking, token, "move"),
        }
    values = booking_values(booking, **checklists(booking), **links)
    return _send(booking, "booking_confirmation", values)


def send_reminder(booking_id):
    booking = _booking(booking_id)
    return _send(
        booking,
        "reminder",
        booking_values(booking, **checklists(booking)),
    )


def send_cancelled(booking_id, reason="", by_office=False):
    booking = _booking(booking_id)
    key = "booking_cancelled_by_office" if by_office else "booking_cancelled"
    return _send(booking, key, booking_values(booking, reason=reason))


def send_moved(booking_id, reason="", by_office=False):
    booking = _booking(booking_id)
    return _send(
        booking, "booking_moved_by_office" if by_office else "booking_moved", booking_values(booking, reason=reason)
    )


def invitation_link(token, portal_url=""):
    """The client's link of a personal invitation (the invitation message carries it)."""
    return f"{(portal_url or '').rstrip('/')}/appointments/invitation/{token}/"


def send_invitation(invitation_id, token, portal_url):
    from .models import Invitation

    invitation = Invitation.objects.select_related("authority", "anliegen", "person", "case").get(pk=invitation_id)
    link = invitation_link(token, portal_url)
    values = {
        "name": f"{invitation.given_names} {invitation.family_name}".strip(),
        "anliegen": lambda language: catalogue_selectors.title(invitation.anliegen, language),
        "deadline": invitation.deadline,
        "link": link,
        "authority": invitation.authority.name,
    }
    if invitation.person_id:  # a known person: their channel (or the one staff chose), by post as a letter
        from . import personal_letters

        message = personal_letters.send(
            invitation.authority,
            "invitation",
            person=invitation.person,
            values=values,
            link=link,
            channel=invitation.channel or None,
            case=invitation.case,
            email=invitation.email,
            idempotency_key=f"invitation:{invitation.pk}",
        )
        Invitation.objects.filter(pk=invitation.pk).update(channel=message.channel)
        return message
    return send_template(
        invitation.authority,
        "invitation",
        context=values,
        email=invitation.email,
        person=invitation.person,
        case=invitation.case,
        language=invitation.language,
    )


def send_waitlist(request_id):
    from .models import AllocationRequest

    req = AllocationRequest.objects.select_related("authority", "round__anliegen").get(pk=request_id)
    values = {
        "name": f"{req.given_names} {req.family_name}".strip(),
        "anliegen": lambda language: catalogue_selectors.title(req.round.anliegen, language),
        "position": req.waitlist_position,
        "authority": req.authority.name,
    }
    return send_template(req.authority, "waitlist", context=values, email=req.email, language=req.language)
