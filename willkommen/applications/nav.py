from django.utils.translation import gettext_lazy as _

PORTAL = [
    (
        _("Apply online"),
        "applications:index",
        _("Send your application and documents online and get a receipt at once."),
    ),
    (_("State of my case"), "applications:status_login", _("With your case number and access code from the receipt.")),
]
DESK = []
