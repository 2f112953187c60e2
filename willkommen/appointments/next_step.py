"""The checklist result's link to booking: to the times of the Anliegen, the answers already given."""

from django.urls import reverse
from django.utils.translation import gettext as _


def offer(request, anliegen, query):
    from . import selectors

    if (
        request.authority is None
        or not anliegen.allows_appointment
        or not selectors.offers(request.authority, anliegen=anliegen).exists()
    ):
        return None
    url = reverse("appointments:times", args=[anliegen.slug])
    return _("Book an appointment"), f"{url}?{query}" if query else url
