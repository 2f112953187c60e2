"""Attended appointments invite to the contact room's satisfaction survey (a registered source)."""

from django.utils import timezone

from willkommen.appointments import services
from willkommen.appointments.models import Booking, Status
from willkommen.appointments.survey import attended_on
from willkommen.appointments.testing import applicant
from willkommen.clients.testing import make_client
from willkommen.contact import survey
from willkommen.contact.models import SurveyInvitation


def test_attended_bookings_of_the_day_are_invited(authority, future_slot):
    attended, _ = services.hold(
        authority,
        slot_id=future_slot.pk,
        anliegen=future_slot.anliegen,
        applicant=applicant(1),
        terms=services.Terms(confirmed=True),
    )
    missed, _ = services.hold(
        authority,
        slot_id=future_slot.pk,
        anliegen=future_slot.anliegen,
        applicant=applicant(2),
        terms=services.Terms(confirmed=True),
    )
    person, other = make_client(authority), make_client(authority, family_name="Petrenko", email="p@example.org")
    Booking.objects.filter(pk=attended.pk).update(person=person, status=Status.ATTENDED)
    Booking.objects.filter(pk=missed.pk).update(person=other, status=Status.NO_SHOW)
    day = timezone.localtime(future_slot.starts_at).date()
    assert [p for p, _reason in attended_on(day)] == [person]
    assert attended_on in survey._SOURCES  # registered in AppConfig.ready()
    assert survey.invite_for_day(day) == 1
    assert SurveyInvitation.objects.get().reason == "attended_appointment"
