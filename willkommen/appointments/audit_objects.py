"""How the audit log names a booking: by its reference (``audit/objects.py``)."""

from django.utils.translation import gettext as _

from willkommen.audit import objects

from .models import Booking


def bookings(authority, ids):
    rows = Booking.objects.filter(authority=authority, pk__in=objects.int_ids(ids)).values_list("pk", "reference")
    return {str(pk): _("Booking %(reference)s") % {"reference": reference} for pk, reference in rows}


def register():
    objects.register("appointments.booking", bookings)
