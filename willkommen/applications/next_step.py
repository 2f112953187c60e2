"""The checklist result's link to the online application (with the answers given), for Anliegen that can be
applied for online."""

from django.urls import reverse
from django.utils.translation import gettext as _


def offer(request, anliegen, query):
    if not anliegen.allows_online:
        return None
    # the answers go along, so the application does not ask them again
    url = reverse("applications:start", args=[anliegen.slug])
    return _("Apply online"), f"{url}?{query}" if query else url
