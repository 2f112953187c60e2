"""How the audit log names a recorded fact and an invitation to apply (``audit/objects.py``)."""

from django.utils.translation import gettext as _

from willkommen.audit import objects

from .models import Fact, FactKind, RightsInvitation, ScreeningRun


def facts(authority, ids):
    rows = Fact.objects.filter(authority=authority, pk__in=objects.int_ids(ids)).values_list("pk", "kind")
    return {str(pk): _("Recorded fact: %(kind)s") % {"kind": _label(FactKind, kind)} for pk, kind in rows}


def invitations(authority, ids):
    rows = RightsInvitation.objects.filter(authority=authority, pk__in=objects.int_ids(ids)).values_list(
        "pk", "rule__legal_basis"
    )
    return {str(pk): _("Invitation to apply (%(basis)s)") % {"basis": basis} for pk, basis in rows}


def runs(authority, ids):
    rows = ScreeningRun.objects.filter(authority=authority, pk__in=objects.int_ids(ids)).values_list("pk", "on")
    return {str(pk): _("Residence rights screening of %(on)s") % {"on": on.isoformat()} for pk, on in rows}


def _label(choices, value):
    try:
        return choices(value).label
    except ValueError:
        return value


def register():
    objects.register("rights.fact", facts)
    objects.register("rights.rightsinvitation", invitations)
    objects.register("rights.screeningrun", runs)
