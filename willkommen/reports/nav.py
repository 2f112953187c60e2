from django.utils.translation import gettext_lazy as _

DESK = [
    (_("Figures: ServicePoint"), "reports:servicepoint", "reports.view"),
    (_("Figures: casework"), "reports:casework", "reports.view"),
    (_("Figures: appointments"), "reports:appointments", "reports.view"),
]
