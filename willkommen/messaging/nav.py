from django.utils.translation import gettext_lazy as _

DESK = [
    (_("Messages"), "messaging:desk_overview", "messaging.send"),
    (_("Unassigned mail"), "messaging:desk_inbox", "clients.view"),
    (_("Interpreters"), "messaging:desk_interpreters", "appointments.manage"),
    (_("Message templates"), "messaging:desk_templates", "messaging.templates"),
]
PORTAL = [
    (_("Messages"), "messaging:portal_thread", _("Write to your caseworker securely and read the answers.")),
]
