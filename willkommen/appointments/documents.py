"""The booking's documents: the calendar file and the PDF with the QR code. Rendered when first downloaded
(never ahead of the mail that links to them) and kept in the cache, keyed by what they show, so a second
download, or one after the booking changed, costs a cache read or exactly one rendering.

Their words come from messaging's template store (keys in :data:`TEXTS`), like the booking's mails; the
cache key carries the texts' fingerprint, so an administrator's edit shows in the next download. Only the
labels of the PDF's table stay in the translation catalogue."""

import hashlib
import io

from django.core.cache import cache
from django.utils import timezone

from willkommen.messaging.services import render_text, text_fingerprint

from .identity import qr_payload
from .notifications import anliegen_title, booking_values, checklist_for, checklists

CACHE_SECONDS = 7 * 24 * 3600
TEXTS = {
    "ics": ["booking_calendar_description"],
    "pdf": ["booking_pdf_intro", "booking_pdf_at_the_appointment", "booking_pdf_bring"],
}


def _cached(kind, booking, render):
    shown = "|".join(
        str(x)
        for x in (
            booking.pk,
            booking.reference,
            booking.status,
            booking.starts_at.isoformat(),
            booking.slot.ends_at.isoformat(),
            booking.location_id,
            booking.anliegen_id,
            booking.language,
            booking.family_name,
            booking.given_names,
            text_fingerprint(booking.authority, TEXTS[kind], booking.language),
        )
    )
    key = f"appointments:{kind}:{booking.pk}:{hashlib.sha256(shown.encode()).hexdigest()[:20]}"
    content = cache.get(key)
    if content is None:
        content = render(booking)
        cache.set(key, content, CACHE_SECONDS)
    return content


def ics(booking):
    """The appointment as an iCalendar file (bytes), in the booking's language."""
    return _cached("ics", booking, _render_ics)


def pdf(booking):
    """The confirmation with QR code and checklist as PDF (bytes)."""
    return _cached("pdf", booking, _render_pdf)


def _render_ics(booking):
    from icalendar import Calendar, Event

    values = booking_values(booking, **checklists(booking))
    description = render_text(booking.authority, "booking_calendar_description", booking.language, values).body
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
    event.add("location", ics_location(location))
    event.add("description", description)
    cal.add_component(event)
    return cal.to_ical()


def ics_location(location):
    """ "Name, Street, 83999 Town": postcode and town together, no comma between them or for an empty part."""
    town = " ".join(x.strip() for x in [location.postal_code, location.city] if x and x.strip())
    return ", ".join(x.strip() for x in [location.name, location.street, town] if x and x.strip())


def qr_svg(booking):
    import segno

    out = io.BytesIO()
    segno.make(qr_payload(booking), error="m").save(out, kind="svg", scale=4, xmldecl=False, svgns=True)
    return out.getvalue().decode()


def _render_pdf(booking):
    from willkommen.letters.pdf import render_pdf

    return render_pdf(
        "appointments/confirmation_pdf.html",
        {
            "booking": booking,
            "authority": booking.authority,
            "title": anliegen_title(booking),
            "qr_svg": qr_svg(booking),
            "checklist": checklist_for(booking),
            "text_values": booking_values(booking),
        },
        language=booking.language,
    )
