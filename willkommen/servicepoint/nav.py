from django.utils.translation import gettext_lazy as _

DESK = [
    (_("ServicePoint"), "servicepoint:desk", "servicepoint.work"),
    (_("Document drop-off"), "servicepoint:drop_off", "efile.dropoff"),
]
