from django.utils.translation import gettext_lazy as _

DESK = [
    (_("Accommodations"), "accommodation:list", "accommodation.view"),
    (_("Isolation and quarantine"), "accommodation:isolation", "accommodation.view"),
    (_("Arrivals"), "accommodation:arrivals", "accommodation.view"),
]
PORTAL = []
