from django.utils.translation import gettext_lazy as _

PORTAL = [
    (_("What do I need to bring?"), "catalogue:index", _("Answer a few questions and get your personal checklist.")),
]
DESK = []
