"""Demo cases for `manage.py load_demo`: a small, varied work queue per authority. Idempotent:
every case carries an idempotency key, and states are advanced only when the case is new."""

from datetime import timedelta

from django.utils import timezone

from willkommen.catalogue.models import Anliegen
from willkommen.clients.models import Person

from . import services

# (Anliegen slug, days since receipt, what to do with the case)
PLAN = [
    ("studium", 3, "received"),
    ("fachkraft", 20, "review"),
    ("familiennachzug", 30, "awaiting_approval"),
    ("studium", 10, "documents"),
    ("blaue-karte", 95, "review"),  # overdue
    ("niederlassung", 40, "expiring"),
    ("duldung", 5, "stay_at_stake"),
    ("neuer-pass", 12, "review"),
    ("duldung", 15, "granted"),  # decided: the new Duldung stands in the person's residence history
    ("fachkraft", 25, "certificate"),  # a Fiktionsbescheinigung on the § 81 rule the history gives
]


# Every way a case begins at the desk shows up in the demo queue (issue 12 item 2).
DESK_WAYS_IN = ["letter", "counter", "servicepoint", "appointment"]


def _staff(authority, role):
    from willkommen.accounts.models import User

    return User.objects.filter(authority=authority, role=role).order_by("id").first()


def load(authority):
    persons = list(Person.objects.filter(authority=authority, merged_into__isnull=True).order_by("id")[: len(PLAN)])
    anliegen = {a.slug: a for a in Anliegen.objects.filter(authority=authority)}
    if not persons or not anliegen:
        return
    lead = _staff(authority, "team_lead")
    now = timezone.now()
    for index, (person, (slug, days, plan)) in enumerate(zip(persons, PLAN, strict=False)):
        target = anliegen.get(slug) or next(iter(anliegen.values()))
        case, code = services.open_case(
            authority,
            person=person,
            anliegen=target,
            source="online" if index % 2 else DESK_WAYS_IN[(index // 2) % len(DESK_WAYS_IN)],
            received_at=now - timedelta(days=days),
            idempotency_key=f"demo-case-{index}",
        )
        if code is None:
            continue  # already there from an earlier run
        worker = case.assignee or _staff(authority, "caseworker")
        if worker is not None:
            _advance(case, plan, worker, lead, target)


def _advance(case, plan, worker, lead, target):
    """Bring a new demo case to the state its plan names."""
    if plan == "expiring":
        # The client declared online that the permit runs out in 20 days: an unverified entry of the
        # residence history, which the case's permit expiry (and the top urgency) follows.
        from willkommen.clients.services import record_residence

        record_residence(
            case.person,
            kind="title",
            valid_to=timezone.localdate() + timedelta(days=20),
            source="declared",
            case=case,
            source_ref=f"case:{case.pk}:declared",
        )
    if plan == "stay_at_stake":
        case.stay_at_stake = True
        case.save(update_fields=["stay_at_stake"])
    if plan in ("review", "documents", "awaiting_approval", "expiring", "granted", "certificate"):
        services.transition(case, "start_review", worker)
    if plan == "documents":
        keys = list(target.checklist_items.values_list("key", flat=True)[:1])
        services.request_documents(case, worker, items=keys, note="Bitte eine aktuelle Bescheinigung.")
    if plan == "awaiting_approval":
        _awaiting_approval(case, worker, lead, target)
    if plan == "granted":
        _grant_and_decide(case, worker, lead, target)
    if plan == "certificate":
        _certificate(case, worker)


def _awaiting_approval(case, worker, lead, target):
    """A discretionary grant drafted and, where a second person can approve, submitted for approval."""
    case.discretionary = True
    case.save(update_fields=["discretionary"])
    # Family reunification ends with the sponsor's permit: the demo sponsor holds one for two more years.
    sponsor = services.add_months(timezone.localdate(), 24) if target.not_beyond_sponsor else None
    start, end = services.proposed_validity(case, sponsor_until=sponsor)
    end = end or services.add_months(start, 24)
    services.draft_decision(
        case,
        worker,
        outcome="grant",
        legal_basis=target.legal_basis,
        reasoning="Die Voraussetzungen liegen vor; das Ermessen wird zugunsten der Familie ausgeübt.",
        valid_from=start,
        valid_to=end,
        sponsor_title_expires_on=sponsor,
    )
    if lead is not None and lead.pk != worker.pk:
        services.submit_for_approval(case, worker)


HISTORY = 48  # decided cases of the last six months, so the casework figures (/desk/reports/cases/) show something


def history(authority):
    """Cases received over the last six months and mostly decided, with varied processing times, second
    approvals, outcomes, stopped clocks and automatic messages, for the casework figures (loaded by
    ``reports/demo.py``). Written directly with their past dates (a demo only: the services stamp "now"),
    without letters, so loading stays fast. Idempotent (idempotency keys ``demo-history-N``)."""
    persons = list(Person.objects.filter(authority=authority, merged_into__isnull=True).order_by("id")[:15])
    anliegen = list(Anliegen.objects.filter(authority=authority).order_by("order", "slug"))
    lead = _staff(authority, "team_lead")
    worker = _staff(authority, "caseworker")
    if not anliegen:
        return
    if worker is None or not persons:
        return
    now = timezone.now()
    for i in range(HISTORY):
        target = anliegen[i % len(anliegen)]
        received = now - timedelta(days=3 + i * 4, hours=i % 7)
        case, code = services.open_case(
            authority,
            person=persons[i % len(persons)],
            anliegen=target,
            source="online" if i % 3 else "letter",
            received_at=received,
            idempotency_key=f"demo-history-{i}",
        )
        if code is not None:
            _past(case, i, received, now, worker, lead)


HISTORY_OUTCOMES = ["grant", "grant", "grant", "partial", "refuse"]


def _past(case, i, received, now, worker, lead):
    """The history of the ``i``-th demo case received at ``received``: a document request for every sixth,
    the four-week status message when due (some late), and the decision once its processing time is over."""
    from .clock import set_deadlines
    from .models import AutoMessage, DocumentRequest

    simple = case.anliegen.complexity == "simple"
    took = timedelta(days=(5 + (i * 7) % 19) if simple else (25 + (i * 13) % 85), hours=3)
    if i % 6 == 0:
        DocumentRequest.objects.create(
            authority=case.authority,
            case=case,
            items=[],
            note="Demo",
            deadline=(received + timedelta(days=17)).date(),
            requested_at=received + timedelta(days=3),
            fulfilled_at=received + timedelta(days=10),
        )
    status_due = (received + timedelta(days=28)).date()
    if received + timedelta(days=28) < min(now, received + took):
        late = timedelta(days=3) if i % 5 == 0 else timedelta()
        AutoMessage.objects.get_or_create(
            authority=case.authority,
            case=case,
            kind="status",
            due_on=status_due,
            defaults={"sent_at": received + timedelta(days=28) + late, "language": "de", "channel": "email"},
        )
    if received + took >= now:
        set_deadlines(case)
        return  # still open
    _decided_in_the_past(case, i, received + took, worker, lead)


def _decided_in_the_past(case, i, decided, worker, lead):
    from .clock import set_deadlines
    from .models import Decision, TimelineEntry

    target = case.anliegen
    case.status = "decided"
    case.decided_at = decided
    case.last_client_message_at = decided
    case.save(update_fields=["status", "decided_at", "last_client_message_at"])
    set_deadlines(case, on=decided.date())
    approver = lead if (target.discretionary or i % 4 == 0) and lead and lead.pk != worker.pk else None
    Decision.objects.create(
        authority=case.authority,
        case=case,
        outcome=HISTORY_OUTCOMES[i % len(HISTORY_OUTCOMES)],
        legal_basis=target.legal_basis,
        reasoning="Demo",
        state="final",
        needs_approval=approver is not None,
        drafted_by=worker,
        drafted_at=decided - timedelta(hours=4 + (i * 5) % 40) if approver else decided,
        approved_by=approver,
        approved_at=decided if approver else None,
    )
    TimelineEntry.objects.create(
        authority=case.authority,
        case=case,
        at=decided,
        kind="transition",
        actor=worker,
        actor_label=worker.display_name,
        from_status="in_review",
        to_status="decided",
    )


def _grant_and_decide(case, worker, lead, target):
    """A grant for six months (or the catalogue's cap), finalised or approved: the residence effect writes
    the new entry into the person's history."""
    start, end = services.proposed_validity(case)
    six_months = services.add_months(start, 6)
    end = min(end, six_months) if end else six_months
    decision = services.draft_decision(
        case,
        worker,
        outcome="grant",
        legal_basis=target.legal_basis,
        reasoning="Das Abschiebungshindernis besteht fort.",
        valid_from=start,
        valid_to=end,
        shorter_validity_reason="" if end == services.proposed_validity(case)[1] else "Überprüfung nach sechs Monaten.",
    )
    if not decision.needs_approval:
        services.finalise(case, worker)
    elif lead is not None and lead.pk != worker.pk:
        services.submit_for_approval(case, worker)
        services.approve(case, lead, "Einverstanden.")


def _certificate(case, worker):
    from . import residence

    paragraph = residence.fiction_paragraph(case) or "81_4_3"
    residence.issue_certificate(
        case,
        worker,
        paragraph=paragraph,
        valid_until=timezone.localdate() + timedelta(days=90),
        conditions="Beschäftigung gestattet.",
        id_document_type="Reisepass",
        id_document_number="P0000001",
        id_document_issuer="Heimatbehörde",
        id_document_issued_on=timezone.localdate() - timedelta(days=700),
    )
