"""The rights room's share of data protection: the facts recorded on a person and the checks of the
person in the Art. 15 copy (the checks are the office's internal working), erased with the person."""

from django.utils.translation import gettext_lazy as _

from willkommen.clients import personal_data
from willkommen.clients.personal_data import Section, rows

from .models import Check, CheckOutcome, Fact, RightsInvitation


def export(authority, person):
    facts = Fact.objects.filter(authority=authority, person=person).order_by("kind", "established_on", "id")
    checks = Check.objects.filter(authority=authority, person=person).order_by("on", "id")
    outcomes = CheckOutcome.objects.filter(authority=authority, check_run__person=person).order_by("check_run", "id")
    invitations = RightsInvitation.objects.filter(authority=authority, person=person).order_by("invited_at", "id")
    return Section(
        tables={
            "rights_facts": rows(facts),
            "rights_checks": rows(checks),
            "rights_outcomes": rows(outcomes),
            "rights_invitations": rows(invitations),
        },
        internal={"rights_checks", "rights_outcomes"},
    )


def erase(authority, person_ids):
    counts = {}
    for qs in (
        RightsInvitation.objects.filter(authority=authority, person_id__in=person_ids),
        CheckOutcome.objects.filter(authority=authority, check_run__person_id__in=person_ids),
        Check.objects.filter(authority=authority, person_id__in=person_ids),
        Fact.objects.filter(authority=authority, person_id__in=person_ids),
    ):
        _n, deleted = qs.delete()
        counts.update({label: n for label, n in deleted.items() if n})
    return counts


CONTRIBUTOR = personal_data.Contributor(
    key="rights",
    label=_("Residence rights checks"),
    models=("rights.Fact", "rights.Check", "rights.CheckOutcome", "rights.RightsInvitation"),
    export=export,
    erase=erase,
)


def register():
    personal_data.register(CONTRIBUTOR)
