"""The case and the person's residence history (kept by the clients room, the source of truth).

- :func:`record_decision` – the workflow effect ``residence`` (``finalise`` and ``approve``): a final
  grant writes the status the Anliegen grants (catalogue ``residence_kind``), a refusal writes a
  "refused" entry, a decision that ends the stay an "ended" entry – in the transaction of the decision.
- :func:`issue_certificate` / :func:`extend_certificate` – a Fiktionsbescheinigung and its extension,
  with its history entry, in one transaction.
- :func:`permit_expiry` / :func:`sync_permit_expiry` – ``Case.permit_expires_on`` derived from the
  history: the end of the status document the person held when the application arrived. The clients
  room calls the listener after every change (``clients/residence.py``).
- :func:`fiction_paragraph` – § 81 for a case, from the history and the pure ``fiction.fiction_rule``.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import fiction, workflow
from .errors import CaseError
from .models import Case, Outcome, TimelineKind
from .timeline import add_entry


def arrival(case):
    return timezone.localtime(case.received_at).date()


# --- § 81 -----------------------------------------------------------------------------------------

EXPLANATIONS = {
    fiction.P81_4_1: gettext_lazy(
        "§ 81 (4) sentence 1 AufenthG: applied for before the current permit expired; "
        "the permit continues to apply until the decision."
    ),
    fiction.P81_4_3: gettext_lazy(
        "§ 81 (4) sentence 3 AufenthG: applied for after the permit expired; the office may order that it "
        "continues to apply, to avoid undue hardship."
    ),
    fiction.P81_3_1: gettext_lazy(
        "§ 81 (3) sentence 1 AufenthG: lawful stay without a residence title; the stay counts as permitted."
    ),
    fiction.P81_3_2: gettext_lazy(
        "§ 81 (3) sentence 2 AufenthG: applied for after the lawful stay ended; the deportation counts as suspended."
    ),
    fiction.NONE: gettext_lazy(
        "No continued residence under § 81 follows from the residence history (no title on record, a Schengen "
        "visa, or an application that is not for a residence title). Check the history before issuing a "
        "certificate."
    ),
}


def fiction_inputs(entry):
    """The pure function's inputs from a history entry (``clients`` ``latest_title``), or {} for none."""
    from willkommen.clients.models import ResidenceKind

    if entry is None:
        return {}
    if entry.kind in (ResidenceKind.TITLE, ResidenceKind.VISA):
        return {"title_kind": fiction.TITLE, "title_expires": entry.valid_to}
    if entry.kind == ResidenceKind.SCHENGEN:
        return {"title_kind": fiction.SCHENGEN_VISA, "title_expires": entry.valid_to}
    if entry.kind == ResidenceKind.ENTRY and entry.valid_to:  # a lawful stay without a title (visa-free)
        return {"lawful_stay_until": entry.valid_to}
    return {}  # settlement permit (no end), Duldung, Gestattung, freedom of movement: no § 81 effect


def applies_for_title(anliegen):
    """Whether the Anliegen applies for a residence title (§ 81 can apply): it grants a title or a visa."""
    from willkommen.clients.models import ResidenceKind

    return anliegen.residence_kind in (ResidenceKind.TITLE, ResidenceKind.VISA, ResidenceKind.SETTLEMENT)


def fiction_paragraph(case):
    """The § 81 rule for ``case`` ("81_4_1", "81_4_3", "81_3_1", "81_3_2" or "")."""
    from willkommen.clients.selectors import latest_title

    day = arrival(case)
    return fiction.fiction_rule(
        arrival=day,
        applies_for_title=applies_for_title(case.anliegen),
        **fiction_inputs(latest_title(case.person, day)),
    )


# --- the permit expiry on the case -----------------------------------------------------------------


def permit_expiry(case):
    """The end of the status document the person held on the day the application arrived (the queue's
    "permit expires within 30 days"), or None."""
    from willkommen.clients.models import ResidenceKind
    from willkommen.clients.selectors import latest_title

    entry = latest_title(case.person, arrival(case))
    if entry is None or entry.kind == ResidenceKind.ENTRY:
        return None
    return entry.valid_to


def sync_permit_expiry(person):
    """Listener of the clients room: the person's open cases take their permit expiry from the history."""
    cases = Case.objects.filter(
        authority_id=person.authority_id, person=person, status__in=sorted(workflow.OPEN)
    ).select_related("person")
    for case in cases:
        case.person = person
        expires = permit_expiry(case)
        if case.permit_expires_on != expires:
            case.permit_expires_on = expires
            case.save(update_fields=["permit_expires_on", "updated_at"])


# --- decisions ------------------------------------------------------------------------------------


def record_decision(case, decision, actor):
    """The history entry of a final decision (the ``residence`` effect); None when the Anliegen grants
    no residence status (a formal obligation, a new card, the certificate itself)."""
    from willkommen.clients.models import ResidenceKind, ResidenceSource
    from willkommen.clients.services import record_residence

    kind = case.anliegen.residence_kind
    if not kind:
        return None
    common = {
        "legal_basis": decision.legal_basis,
        "source": ResidenceSource.DECISION,
        "actor": actor,
        "case": case,
        "issued_by": case.authority.name,
    }
    today = timezone.localdate()
    if decision.outcome == Outcome.REFUSE:
        entry = record_residence(
            case.person,
            kind=ResidenceKind.ENDED if decision.ends_stay else ResidenceKind.REFUSED,
            valid_from=today,
            note=_("Case %(number)s") % {"number": case.number},
            source_ref=f"decision:{decision.pk}",
            **common,
        )
    else:
        entry = record_residence(
            case.person,
            kind=kind,
            valid_from=decision.valid_from or today,
            valid_to=decision.valid_to,
            conditions=decision.conditions,
            note=_("Case %(number)s") % {"number": case.number},
            source_ref=f"decision:{decision.pk}",
            **common,
        )
    add_entry(
        case,
        TimelineKind.DECISION,
        actor=actor,
        text=_("Residence history: %(entry)s") % {"entry": entry.get_kind_display()},
        data={"residence_entry": entry.pk},
    )
    return entry


# --- the certificate of continued residence ----------------------------------------------------------


def _paragraph_label(paragraph):
    from willkommen.letters.models import FiktionParagraph

    labels = {
        "81_3_1": "§ 81 Abs. 3 Satz 1 AufenthG",
        "81_3_2": "§ 81 Abs. 3 Satz 2 AufenthG",
        "81_4_1": "§ 81 Abs. 4 Satz 1 AufenthG",
        "81_4_3": "§ 81 Abs. 4 Satz 3 AufenthG",
    }
    return labels.get(paragraph) or str(FiktionParagraph(paragraph).label)


def issue_certificate(case, actor, **data):
    """Issue a Fiktionsbescheinigung for an open case: the certificate, its PDF, the history entry and
    the timeline line in one transaction (a failure anywhere leaves none of them). Raises CaseError."""
    from willkommen.clients.models import ResidenceKind, ResidenceSource
    from willkommen.clients.services import record_residence
    from willkommen.letters.services import LetterError, issue_fiktion

    if case.is_final or case.status == workflow.Status.DECIDED:
        raise CaseError(_("A certificate is only issued while the application is open."))
    try:
        with transaction.atomic():
            certificate, letter = issue_fiktion(case, actor, **data)
            record_residence(
                case.person,
                kind=ResidenceKind.FICTION,
                valid_from=certificate.issued_on,
                valid_to=certificate.valid_until,
                legal_basis=_paragraph_label(certificate.paragraph),
                conditions=certificate.conditions,
                document_number=certificate.serial,
                issued_by=certificate.office,
                source=ResidenceSource.CERTIFICATE,
                actor=actor,
                case=case,
                source_ref=f"certificate:{certificate.serial}",
            )
            add_entry(
                case,
                TimelineKind.LETTER,
                actor=actor,
                text=letter.title,
                data={"letter": letter.pk, "serial": certificate.serial},
            )
    except LetterError as exc:
        raise CaseError(exc.message, exc.errors) from exc
    return certificate, letter


def extend_certificate(certificate, actor, *, valid_until):
    """Extend a certificate: a new dated history entry from the day after the old end to the new one."""
    from datetime import timedelta

    from willkommen.clients.models import ResidenceKind, ResidenceSource
    from willkommen.clients.services import record_residence
    from willkommen.letters.services import LetterError, extend_fiktion

    old_end = certificate.current_valid_until
    try:
        with transaction.atomic():
            certificate, letter = extend_fiktion(certificate, actor, valid_until=valid_until)
            record_residence(
                certificate.person,
                kind=ResidenceKind.FICTION,
                valid_from=old_end + timedelta(days=1),
                valid_to=certificate.current_valid_until,
                legal_basis=_paragraph_label(certificate.paragraph),
                conditions=certificate.conditions,
                document_number=certificate.serial,
                issued_by=certificate.office,
                note=_("Extension %(n)s") % {"n": len(certificate.extensions)},
                source=ResidenceSource.CERTIFICATE,
                actor=actor,
                case=certificate.case,
                source_ref=f"certificate:{certificate.serial}:{len(certificate.extensions)}",
            )
            add_entry(certificate.case, TimelineKind.LETTER, actor=actor, text=letter.title, data={"letter": letter.pk})
    except LetterError as exc:
        raise CaseError(exc.message, exc.errors) from exc
    return certificate, letter
