from django.utils.translation import gettext_lazy as _

DESK = [(_("Appointments"), "appointments:desk", "appointments.manage")]
PORTAL = [(_("Book an appointment"), "appointments:index", _("Choose a time, see what to bring, confirm by e-mail."))]
