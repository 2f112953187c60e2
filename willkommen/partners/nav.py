from django.utils.translation import gettext_lazy as _

DESK = [
    (_("Requests to other authorities"), "partners:requests", "cases.work"),
    (_("Incoming requests"), "partners:incoming", "cases.work"),
    (_("Figures: requests to other authorities"), "partners:figures", "reports.view"),
    (_("Request types"), "partners:types", "catalogue.edit"),
    (_("My clients (partner portal)"), "partners:portal", "partner.portal"),
    (_("Notices to partner organisations"), "partners:notices", "partners.notify"),
]
PORTAL = [
    (
        _("Consents"),
        "partners:client_consents",
        _("Let a counselling service or another partner help you, see who has access, and take it back."),
    )
]
