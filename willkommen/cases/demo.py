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
]


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
            source="online" if index % 2 else "desk",
            received_at=now - timedelta(days=days),
            idempotency_key=f"demo-case-{index}",
        )
        if code is None:
            continue  # already there from an earlier run
        worker = case.assignee or _staff(authority, "caseworker")
        if worker is None:
            continue
        if plan == "expiring":
            case.permit_expires_on = timezone.localdate() + timedelta(days=20)
            case.save(update_fields=["permit_expires_on"])
        if plan == "stay_at_stake":
            case.stay_at_stake = True
            case.save(update_fields=["stay_at_stake"])
        if plan in ("review", "documents", "awaiting_approval", "expiring"):
            services.transition(case, "start_review", worker)
        if plan == "documents":
            keys = list(target.checklist_items.values_list("key", flat=True)[:1])
            services.request_documents(case, worker, items=keys, note="Bitte eine aktuelle Bescheinigung.")
        if plan == "awaiting_approval":
            case.discretionary = True
            case.save(update_fields=["discretionary"])
            start, end = services.proposed_validity(case)
            # Family reunification has no fixed longest validity (it ends with the sponsor's permit):
            # the demo sponsor holds a permit for two more years.
            end = end or services.add_months(start, 24)
            services.draft_decision(
                case,
                worker,
                outcome="grant",
                legal_basis=target.legal_basis,
                reasoning="Die Voraussetzungen liegen vor; das Ermessen wird zugunsten der Familie ausgeübt.",
                valid_from=start,
                valid_to=end,
            )
            if lead is not None and lead.pk != worker.pk:
                services.submit_for_approval(case, worker)
