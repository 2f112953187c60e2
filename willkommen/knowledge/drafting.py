"""What the knowledge room adds to the cases room: beside the case and the decision form the work
instructions for the case's Anliegen and legal basis and the country notes of the person's nationalities;
in the decision form the text blocks for the legal basis, filled from the case, to insert; and, when the
draft is saved, which block versions it was written with (hook ``cases/drafting.py``)."""

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from willkommen.cases.errors import CaseError

from . import placeholders, selectors
from .models import DecisionBlock

FIELD = "knowledge_block"  # the checkboxes in the decision form: the block versions used


def _may_read(request):
    user = getattr(request, "user", None)
    return user is not None and user.is_authenticated and user.can("knowledge.view")


def _draft_basis(case):
    from willkommen.cases import services as cases

    current = cases.current_decision(case)
    basis = current.legal_basis if current else case.anliegen.legal_basis
    return current, basis


def case_panel(request, case):
    """Slot ``cases.detail``: instructions and country notes beside the case."""
    if case is None or not _may_read(request):
        return ""
    _current, basis = _draft_basis(case)
    context = {
        "instructions": selectors.instructions_for(request.authority, anliegen=case.anliegen, legal_basis=basis),
        "notes": selectors.notes_for_countries(request.authority, case.person.nationalities),
    }
    context["speakers"], context["language"] = _pairing(request, case)
    if not context["instructions"] and not context["notes"] and not context["speakers"]:
        return ""
    return render_to_string("knowledge/_case_panel.html", context, request=request)


def _pairing(request, case):
    """For whoever assigns cases: the caseworkers who speak the client's language (not German)."""
    from . import learning

    person = case.person
    language = person.preferred_language if person.preferred_language != "de" else ""
    if not language or not request.user.can("cases.assign"):
        return [], language
    return learning.speakers(request.authority, language), language


def decision_panel(request, case):
    """Slot ``cases.decision`` (inside the decision form): instructions, country notes and the text blocks
    of the legal basis with their placeholders filled from the case and the draft."""
    if case is None or not _may_read(request):
        return ""
    from willkommen.cases import services as cases
    from willkommen.cases.clock import today

    current, basis = _draft_basis(case)
    start, end = cases.proposed_validity(case, legal_basis=basis)
    if current is not None and current.valid_from:
        start, end = current.valid_from, current.valid_to
    values = placeholders.values_for(case, legal_basis=basis, valid_from=start, valid_to=end, today=today())
    chosen = {str(v) for v in request.POST.getlist(FIELD)} if request.method == "POST" else set()
    if current is not None and not chosen:
        chosen = {str(v.pk) for v in selectors.versions_used(request.authority, current)}
    versions = selectors.current_block_versions(request.authority, legal_basis=basis)
    for version in versions:
        version.filled = placeholders.fill(version.text, values)
        version.chosen = str(version.pk) in chosen
    context = {
        "instructions": selectors.instructions_for(request.authority, anliegen=case.anliegen, legal_basis=basis),
        "notes": selectors.notes_for_countries(request.authority, case.person.nationalities),
        "versions": versions,
        "basis": basis,
        "field": FIELD,
    }
    return render_to_string("knowledge/_decision_panel.html", context, request=request)


def record_blocks(request, case, decision):
    """Listener of ``cases/drafting.py``: the block versions ticked in the form, of this authority."""
    raw = request.POST.getlist(FIELD)
    try:
        wanted = {int(value) for value in raw}
    except (TypeError, ValueError) as error:
        raise CaseError(_("Unknown text block.")) from error
    if not wanted:
        return []
    from .models import TextBlockVersion

    versions = list(TextBlockVersion.objects.filter(authority_id=case.authority_id, pk__in=wanted))
    if len(versions) != len(wanted):
        raise CaseError(_("Unknown text block."))
    DecisionBlock.objects.bulk_create(
        [DecisionBlock(authority_id=case.authority_id, decision=decision, version=v) for v in versions]
    )
    return versions
