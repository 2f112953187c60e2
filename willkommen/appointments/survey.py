"""Who attended an appointment on a day: a source of the satisfaction survey of the contact room."""

from .models import Booking, Status


def attended_on(day):
    bookings = (
        Booking.objects.filter(status=Status.ATTENDED, starts_at__date=day, person__isnull=False)
        .select_related("person__authority")
        .order_by("pk")
    )
    for booking in bookings:
        yield booking.person, "attended_appointment"


def register():
    from willkommen.contact import survey

    survey.register_source(attended_on)
