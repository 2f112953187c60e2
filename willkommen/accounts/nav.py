from django.utils.translation import gettext_lazy as _

DESK = [
    (_("Integrations (API access)"), "accounts:integrations", "integrations.manage"),
]
PORTAL = []
