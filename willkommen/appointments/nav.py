from django.utils.translation import gettext_lazy as _

DESK = [
    (_("Appointments"), "appointments:desk", "appointments.manage"),
    (_("Renewals"), "appointments:desk-renewals", "messaging.send"),
]
PORTAL = [(_("Book an appointment"), "appointments:index", _("Choose a time, see what to bring, confirm by e-mail."))]
