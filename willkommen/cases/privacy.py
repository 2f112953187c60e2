"""The cases room's share of data protection: a person's cases with their timeline, decisions, requests
for documents and automatic messages in the Art. 15 copy; erasing them with the person; and which
persons a case keeps: an open case always, a closed one as long as the person's file is kept (the case
belongs to the file, whose archive period the e-file room applies)."""

from django.utils.translation import gettext_lazy as _

from willkommen.clients import personal_data
from willkommen.clients.personal_data import Section, rows

from .models import AutoMessage, Case, Decision, DecisionState, DocumentRequest, TimelineEntry, TimelineKind
from .workflow import FINAL

SECRETS = ("access_code_hash", "idempotency_key")


def export(authority, person):
    cases = Case.objects.filter(authority=authority, person=person).order_by("received_at", "id")
    of_cases = {"authority": authority, "case__person": person}
    timeline = TimelineEntry.objects.filter(**of_cases).order_by("at", "id")
    decisions = Decision.objects.filter(**of_cases).order_by("id")
    return Section(
        internal={"internal_notes", "decision_drafts"},
        tables={
            "cases": rows(cases, exclude=SECRETS),
            "timeline": rows(timeline.exclude(kind=TimelineKind.NOTE)),
            "internal_notes": rows(timeline.filter(kind=TimelineKind.NOTE)),
            "decisions": rows(decisions.filter(state=DecisionState.FINAL)),
            "decision_drafts": rows(decisions.exclude(state=DecisionState.FINAL)),
            "document_requests": rows(DocumentRequest.objects.filter(**of_cases).order_by("requested_at", "id")),
            "automatic_messages": rows(AutoMessage.objects.filter(**of_cases).order_by("sent_at", "id")),
        },
    )


def erase(authority, person_ids):
    _n, per_model = Case.objects.filter(authority=authority, person_id__in=person_ids).delete()
    return per_model


def keeps(authority, person_ids, now):
    from willkommen.efile.selectors import persons_with_deleted_file

    cases = Case.objects.filter(authority=authority, person_id__in=person_ids)
    open_cases = cases.exclude(status__in=FINAL)
    in_kept_files = cases.exclude(person_id__in=persons_with_deleted_file(authority))
    return set(open_cases.values_list("person_id", flat=True)) | set(in_kept_files.values_list("person_id", flat=True))


CONTRIBUTOR = personal_data.Contributor(
    key="cases",
    label=_("Cases"),
    models=("cases.Case", "cases.TimelineEntry", "cases.Decision", "cases.DocumentRequest", "cases.AutoMessage"),
    export=export,
    erase=erase,
    keeps=keeps,
)


def register():
    personal_data.register(CONTRIBUTOR)
