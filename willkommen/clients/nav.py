from django.utils.translation import gettext_lazy as _

DESK = [(_("Clients"), "clients:list", "clients.view")]
