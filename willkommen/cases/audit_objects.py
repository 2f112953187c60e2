"""How the audit log names a case and its decisions: by the case number (``audit/objects.py``)."""

from django.utils.translation import gettext as _

from willkommen.audit import objects

from .models import Case, Decision, LegalChange


def cases(authority, ids):
    rows = Case.objects.filter(authority=authority, pk__in=objects.int_ids(ids)).values_list("pk", "number")
    return {str(pk): _("Case %(number)s") % {"number": number} for pk, number in rows}


def decisions(authority, ids):
    rows = Decision.objects.filter(authority=authority, pk__in=objects.int_ids(ids)).values_list("pk", "case__number")
    return {str(pk): _("Decision in case %(number)s") % {"number": number} for pk, number in rows}


def legal_changes(authority, ids):
    rows = LegalChange.objects.filter(authority=authority, pk__in=objects.int_ids(ids)).values_list(
        "pk", "legal_basis", "changed_on"
    )
    return {
        str(pk): _("Change in the law %(basis)s of %(day)s") % {"basis": basis, "day": day.isoformat()}
        for pk, basis, day in rows
    }


def register():
    objects.register("cases.case", cases)
    objects.register("cases.decision", decisions)
    objects.register("cases.legalchange", legal_changes)
