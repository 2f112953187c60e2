from django.utils.translation import gettext_lazy as _

DESK = [
    (_("Callback requests"), "contact:callbacks", "cases.work"),
    (_("Consultation and phone hours"), "contact:hours", "contact.hours"),
]
PORTAL = []
