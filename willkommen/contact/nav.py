from django.utils.translation import gettext_lazy as _

DESK = [
    (_("Callback requests"), "contact:callbacks", "cases.work"),
    (_("Consultation and phone hours"), "contact:hours", "contact.hours"),
    (_("Feedback and complaints"), "contact:feedback_queue", "contact.feedback"),
]
PORTAL = [
    (_("Feedback and complaints"), "contact:feedback", _("Tell us what went well or what went wrong.")),
]
