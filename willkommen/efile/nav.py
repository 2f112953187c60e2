from django.utils.translation import gettext_lazy as _

DESK = [(_("E-file search"), "efile:search", "cases.work")]
PORTAL = []
