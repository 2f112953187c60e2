"""'Open case' from a booking: the prefilled desk intake link and the link back (hook of the cases room,
``cases.intake.register_origin``). The cases room knows no booking; it calls :func:`link` with the id."""

from urllib.parse import urlencode

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

ORIGIN = "booking"


def open_case_url(booking):
    """``/desk/cases/new/`` prefilled from ``booking``: the person (or a search by name and date of birth when
    the booking is not linked to one yet), the Anliegen, way in ``appointment``, the appointment's day and the
    checklist answers the client gave when booking (preselected; the caseworker checks them with the client)."""
    params = {}
    if booking.person_id:
        params["person"] = booking.person_id
    else:
        params.update(q=booking.family_name, born=booking.date_of_birth.isoformat())
    params.update(
        anliegen=booking.anliegen_id,
        source="appointment",
        received_on=min(timezone.localdate(booking.starts_at), timezone.localdate()).isoformat(),
        origin=f"{ORIGIN}:{booking.pk}",
    )
    # the checklist answers the client gave when booking, as the intake's question fields (q_<key>)
    params.update(
        {f"q_{key}": "yes" if value is True else "no" if value is False else value for key, value in answers(booking)}
    )
    return f"{reverse('cases:open')}?{urlencode(params)}"


def answers(booking):
    """The booking's checklist answers (key, value), in a fixed order; only plain values."""
    raw = booking.answers if isinstance(booking.answers, dict) else {}
    return [(str(k)[:60], v) for k, v in sorted(raw.items()) if isinstance(v, (bool, str)) and v != ""][:50]


def link(authority, actor, object_id, case):
    """Link the booking to the case just opened (and to its person when it had none)."""
    from willkommen.cases.intake import IntakeRefused

    from .models import Booking

    with transaction.atomic():
        booking = Booking.objects.select_for_update().filter(authority=authority, pk=object_id).first()
        if booking is None:
            raise IntakeRefused(_("This appointment does not exist."))
        if booking.case_id and booking.case_id != case.pk:
            raise IntakeRefused(_("This appointment is already linked to another case."))
        if booking.person_id and booking.person_id != case.person_id:
            raise IntakeRefused(_("This appointment belongs to another person."))
        booking.case = case
        booking.person_id = case.person_id
        booking.save(update_fields=["case", "person"])
    return _("appointment %(reference)s") % {"reference": booking.reference}
