from django.utils.translation import gettext_lazy as _

DESK = [
    (_("Residence rights check"), "rights:candidates", "rights.view"),
]
