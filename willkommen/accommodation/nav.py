from django.utils.translation import gettext_lazy as _

DESK = [(_("Accommodations"), "accommodation:list", "accommodation.view")]
PORTAL = []
