"""What the client receives: confirmation request, confirmation (ICS, PDF with QR code), reminder,
notices of cancellation and moves. Sent through ``willkommen.messaging.services.send_to_client``."""

import io

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from willkommen.catalogue import checklist as checklist_lib
from willkommen.catalogue import selectors as catalogue_selectors
from willkommen.messaging.services import send_to_client

from .models import Booking
from .services import HOLD_MINUTES


def booking_link(booking, token, action=""):
    base = (booking.portal_url or "").rstrip("/")
    suffix = f"{action}/" if action else ""
    return f"{base}/appointments/booking/{booking.reference}/{token}/{suffix}"


def _booking(booking_id):
    return Booking.objects.select_related("authority", "location", "anliegen", "slot").get(pk=booking_id)


def ics(booking):
    """The appointment as an iCalendar file (bytes)."""
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", "-//Willkommen//appointments//DE")
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"{booking.reference}@willkommen")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", booking.starts_at)
    event.add("dtend", booking.slot.ends_at)
    event.add("summary", f"{booking.authority.name}: {anliegen_title(booking)} ({booking.reference})")
    location = booking.location
    event.add(
        "location", ", ".join(x for x in [location.name, location.street, location.postal_code, location.city] if x)
    )
    event.add("description", _("Booking reference: %(reference)s") % {"reference": booking.reference})
    cal.add_component(event)
    return cal.to_ical()


def qr_svg(booking):
    import segno

    from .services import qr_payload

    out = io.BytesIO()
    segno.make(qr_payload(booking), error="m").save(out, kind="svg", scale=4, xmldecl=False, svgns=True)
    return out.getvalue().decode()


def anliegen_title(booking):
    return catalogue_selectors.title(booking.anliegen, booking.language) or booking.anliegen.slug


def checklist_for(booking):
    try:
        return checklist_lib.build(booking.anliegen, booking.answers or {}, booking.language)
    except Exception:  # noqa: BLE001 (a changed catalogue must not stop a confirmation)
        return None


def pdf(booking):
    from willkommen.letters.pdf import render_pdf

    return render_pdf(
        "appointments/confirmation_pdf.html",
        {
            "booking": booking,
            "authority": booking.authority,
            "title": anliegen_title(booking),
            "qr_svg": qr_svg(booking),
            "checklist": checklist_for(booking),
        },
        language=booking.language,
    )


def _send(booking, subject, template, context, attachments=(), key=""):
    from .services import in_language

    with in_language(booking):
        body = render_to_string(
            template, {"booking": booking, "title": anliegen_title(booking), "authority": booking.authority, **context}
        )
        send_to_client(
            booking.authority,
            email=booking.email,
            subject=str(subject()),
            body=body,
            language=booking.language,
            person=booking.person,
            case=booking.case,
            attachments=attachments,
            template_key=key,
        )


def send_confirm_request(booking_id, token):
    booking = _booking(booking_id)
    _send(
        booking,
        lambda: _("Please confirm your appointment %(reference)s") % {"reference": booking.reference},
        "appointments/mail/confirm_request.txt",
        {
            "confirm_url": booking_link(booking, token, "confirm"),
            "cancel_url": booking_link(booking, token, "cancel"),
            "hold_minutes": HOLD_MINUTES,
        },
        key="appointments.confirm_request",
    )


def send_confirmation(booking_id, token=None):
    booking = _booking(booking_id)
    links = {}
    if token:
        links = {
            "detail_url": booking_link(booking, token),
            "cancel_url": booking_link(booking, token, "cancel"),
            "move_url": booking_link(booking, token, "move"),
        }
    _send(
        booking,
        lambda: _("Your appointment %(reference)s is confirmed") % {"reference": booking.reference},
        "appointments/mail/confirmation.txt",
        {"checklist": checklist_for(booking), **links},
        attachments=[
            (f"{booking.reference}.ics", ics(booking), "text/calendar"),
            (f"{booking.reference}.pdf", pdf(booking), "application/pdf"),
        ],
        key="appointments.confirmation",
    )


def send_reminder(booking_id):
    booking = _booking(booking_id)
    _send(
        booking,
        lambda: _("Reminder: your appointment %(reference)s") % {"reference": booking.reference},
        "appointments/mail/reminder.txt",
        {"checklist": checklist_for(booking)},
        key="appointments.reminder",
    )


def send_cancelled(booking_id, reason="", by_office=False):
    booking = _booking(booking_id)
    _send(
        booking,
        lambda: _("Your appointment %(reference)s is cancelled") % {"reference": booking.reference},
        "appointments/mail/cancelled.txt",
        {"reason": reason, "by_office": by_office},
        key="appointments.cancelled",
    )


def send_moved(booking_id, reason="", by_office=False):
    booking = _booking(booking_id)
    _send(
        booking,
        lambda: _("Your appointment %(reference)s has a new time") % {"reference": booking.reference},
        "appointments/mail/moved.txt",
        {"reason": reason, "by_office": by_office},
        attachments=[(f"{booking.reference}.ics", ics(booking), "text/calendar")],
        key="appointments.moved",
    )


def send_invitation(invitation_id, token, portal_url):
    from .models import Invitation
    from .services import in_language

    invitation = Invitation.objects.select_related("authority", "anliegen").get(pk=invitation_id)
    url = f"{(portal_url or '').rstrip('/')}/appointments/invitation/{token}/"
    with in_language(invitation):
        title = catalogue_selectors.title(invitation.anliegen, invitation.language)
        body = render_to_string(
            "appointments/mail/invitation.txt",
            {"invitation": invitation, "title": title, "url": url, "authority": invitation.authority},
        )
        send_to_client(
            invitation.authority,
            email=invitation.email,
            subject=_("Invitation to an appointment: %(title)s") % {"title": title},
            body=body,
            language=invitation.language,
            person=invitation.person,
            case=invitation.case,
            template_key="appointments.invitation",
        )


def send_waitlist(request_id):
    from .models import AllocationRequest
    from .services import in_language

    req = AllocationRequest.objects.select_related("authority", "round__anliegen").get(pk=request_id)
    with in_language(req):
        title = catalogue_selectors.title(req.round.anliegen, req.language)
        body = render_to_string(
            "appointments/mail/waitlist.txt", {"request": req, "title": title, "authority": req.authority}
        )
        send_to_client(
            req.authority,
            email=req.email,
            subject=_("Your request for an appointment: %(title)s") % {"title": title},
            body=body,
            language=req.language,
            template_key="appointments.waitlist",
        )
