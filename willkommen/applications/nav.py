from django.utils.translation import gettext_lazy as _

PORTAL = [
    (
        _("Apply online"),
        "applications:index",
        _("Send your application and documents online and get a receipt at once."),
    ),
    (
        _("My matters"),
        "applications:my_matters",
        _("All your cases, letters, appointments and consents in one place, after signing in with your ID card."),
    ),
    (_("State of my case"), "applications:status_login", _("With your case number and access code from the receipt.")),
]
DESK = []
