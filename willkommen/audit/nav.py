from django.utils.translation import gettext_lazy as _

DESK = [
    (_("Audit log"), "audit:log", "audit.view"),
    (_("Retention"), "audit:retention", "audit.view"),
    (_("Set up the office"), "audit:office", "office.setup"),
]
