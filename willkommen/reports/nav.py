from django.utils.translation import gettext_lazy as _

DESK = [(_("Figures: ServicePoint"), "reports:servicepoint", "reports.view")]
