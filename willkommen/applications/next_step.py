"""The checklist result's link to the online application, for Anliegen that can be applied for online."""

from django.urls import reverse
from django.utils.translation import gettext as _


def offer(request, anliegen, query):
    if not anliegen.allows_online:
        return None
    return _("Apply online"), reverse("applications:start", args=[anliegen.slug])
