"""Desk pages of the cases room: the work queue, the case on one screen, and its actions."""

import json

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from willkommen.accounts.decorators import desk_view
from willkommen.audit.services import record

from . import communication, selectors, services, workflow
from .forms import (
    BulkReassignForm,
    DecisionForm,
    ExtendForm,
    FiktionForm,
    FlagsForm,
    MessageForm,
    NoteForm,
    QueueFilterForm,
    RequestDocumentsForm,
    ReviewForm,
    TransferForm,
    TransitionForm,
)
from .permissions import get_case_for, visible_cases
from .services import CaseError

PAGE_SIZE = 50


def _error(request, message, errors=(), status=400, title=None):
    return render(
        request,
        "core/error.html",
        {"title": title or _("This did not work"), "message": message, "errors": list(errors)},
        status=status,
    )


def render_queue(request, *, default_scope=None):
    """The work queue page (also the body of /desk/ for people who work cases). Team leads start on
    their teams' queue, caseworkers on their own."""
    user = request.user
    default_scope = default_scope or ("team" if user.can("cases.assign") else "mine")
    form = QueueFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    if request.GET and not form.is_valid():
        status = 400
    else:
        status = 200
    scope = data.get("scope") or default_scope
    qs = selectors.queue(
        user,
        request.authority,
        scope=scope,
        status=data.get("status") or "",
        urgency=data.get("urgency"),
        search=data.get("q") or "",
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    record(authority=request.authority, action="read", request=request, purpose="work queue")
    return render(
        request,
        "cases/queue.html",
        {
            "form": form,
            "page": page,
            "scope": scope,
            "urgency_labels": selectors.URGENCY_LABELS,
            "can_assign": user.can("cases.assign"),
            "greeting": getattr(request.resolver_match, "view_name", "") == "core:desk_home",
        },
        status=status,
    )


@desk_view("cases.work")
def queue(request):
    return render_queue(request)


@desk_view("cases.approve")
def approvals(request):
    """Decisions waiting for a second pair of eyes (team leads, head of office)."""
    qs = (
        visible_cases(request.user, request.authority)
        .filter(status=workflow.Status.AWAITING_APPROVAL)
        .select_related("person", "anliegen", "assignee")
        .prefetch_related(selectors.anliegen_texts())
        .order_by("due_on", "id")
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "cases/approvals.html", {"page": page})


def _case(request, pk):
    return get_case_for(request.user, request.authority, pk)


@desk_view("desk")
def detail(request, pk):
    case = _case(request, pk)
    record(
        authority=request.authority,
        action="read",
        person_id=case.person_id,
        obj=case,
        request=request,
        purpose="casework",
    )
    decision = services.current_decision(case)
    from willkommen.letters.models import Letter

    context = {
        "case": case,
        "timeline": selectors.full_timeline(case),
        "transitions": [t for t in services.available_transitions(case, request.user) if not t.needs_form],
        "can_work": request.user.can("cases.work"),
        "can_approve": request.user.can("cases.approve"),
        "decision": decision,
        "may_review": bool(
            decision
            and case.status == workflow.Status.AWAITING_APPROVAL
            and request.user.can("cases.approve")
            and decision.drafted_by_id != request.user.pk
        ),
        "letters": Letter.objects.filter(authority=request.authority, case=case),
        "certificates": case.fiktion_certificates.all(),
        "document_requests": case.document_requests.all(),
        "preview": communication.preview(case),
        "note_form": NoteForm(),
        "message_form": MessageForm(),
        "flags_form": FlagsForm(
            initial={
                "stay_at_stake": case.stay_at_stake,
                "discretionary": case.discretionary,
                "permit_expires_on": case.permit_expires_on,
            }
        ),
        "review_form": ReviewForm(),
        "extend_form": ExtendForm(),
        "statuses": workflow.Status,
    }
    return render(request, "cases/detail.html", context)


def _page(case, form, heading, submit):
    return {"case": case, "form": form, "heading": heading, "submit": submit}


def _back(pk):
    return redirect("cases:detail", pk=pk)


@desk_view("cases.work")
@require_POST
def take_transition(request, pk, name):
    case = _case(request, pk)
    t = workflow.get(name)
    if t is None or t.needs_form:
        raise Http404
    form = TransitionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        if name == "documents_received":
            services.documents_received(case, request.user, note=note)
        elif name == "finalise":
            services.finalise(case, request.user)
        elif name == "submit_for_approval":
            services.submit_for_approval(case, request.user)
        else:
            services.transition(case, name, request.user, note=note)
    except CaseError as exc:
        return _error(request, exc.message, exc.errors, status=409)
    messages.success(request, _("Done: %(label)s") % {"label": t.label})
    return _back(pk)


@desk_view("cases.work")
@require_POST
def add_note(request, pk):
    case = _case(request, pk)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _error(request, _("Please write a note."), [e for errs in form.errors.values() for e in errs])
    services.add_note(case, request.user, form.cleaned_data["text"])
    return _back(pk)


@desk_view("cases.work")
@require_POST
def write_message(request, pk):
    case = _case(request, pk)
    form = MessageForm(request.POST)
    if not form.is_valid():
        return _error(request, _("Write a subject and a message."), [e for errs in form.errors.values() for e in errs])
    communication.send_message(case, request.user, **form.cleaned_data)
    messages.success(request, _("The message was sent."))
    return _back(pk)


@desk_view("cases.work")
@require_POST
def set_flags(request, pk):
    case = _case(request, pk)
    form = FlagsForm(request.POST)
    if not form.is_valid():
        return _error(request, _("Please check your input."), [e for errs in form.errors.values() for e in errs])
    for name, value in form.cleaned_data.items():
        setattr(case, name, value)
    case.save(update_fields=[*form.cleaned_data, "updated_at"])
    services.add_entry(
        case,
        "note",
        actor=request.user,
        text=_("Priorities updated"),
        data={k: str(v) for k, v in form.cleaned_data.items()},
    )
    return _back(pk)


def _checklist_choices(case):
    from willkommen.catalogue.checklist import build

    entries = build(case.anliegen, case.answers or {}, "de").entries  # staff work in German
    keys = {e.key for e in entries}
    choices = [(e.key, e.title) for e in entries]
    choices += [(item.key, item.key) for item in case.anliegen.checklist_items.all() if item.key not in keys]
    return choices


@desk_view("cases.work")
def request_documents(request, pk):
    case = _case(request, pk)
    if not workflow.allowed(case.status, "request_documents"):
        return _error(
            request, _("Documents can only be requested while the case is received or in review."), status=409
        )
    choices = _checklist_choices(case)
    form = RequestDocumentsForm(request.POST or None, items=choices)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.request_documents(
                    case,
                    request.user,
                    items=form.cleaned_data["items"],
                    note=form.cleaned_data["note"],
                    deadline=form.cleaned_data["deadline"],
                )
            except CaseError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("The request was sent to the client."))
                return _back(pk)
        return render(
            request,
            "cases/request_documents.html",
            _page(case, form, _("Request documents"), _("Send request")),
            status=400,
        )
    return render(request, "cases/request_documents.html", _page(case, form, _("Request documents"), _("Send request")))


@desk_view("cases.work")
def decision(request, pk):
    case = _case(request, pk)
    if case.status not in (workflow.Status.IN_REVIEW, workflow.Status.DECISION_DRAFTED):
        return _error(request, _("A decision can only be drafted while the case is in review."), status=409)
    start, end = services.proposed_validity(case)
    current = services.current_decision(case)
    initial = {"legal_basis": case.anliegen.legal_basis, "valid_from": start, "valid_to": end, "outcome": "grant"}
    if current is not None:
        initial.update(
            {
                f: getattr(current, f)
                for f in (
                    "outcome",
                    "legal_basis",
                    "valid_from",
                    "valid_to",
                    "shorter_validity_reason",
                    "conditions",
                    "reasoning",
                    "plain_explanation",
                    "ends_stay",
                )
            }
        )
    form = DecisionForm(request.POST or None, initial=initial)
    context = {**_page(case, form, _("Decision"), _("Save draft")), "proposed_to": end, "current": current}
    if request.method == "POST":
        if form.is_valid():
            try:
                services.draft_decision(case, request.user, **form.cleaned_data)
            except CaseError as exc:
                form.add_error(None, exc.message)
                for error in exc.errors:
                    form.add_error(None, error)
            else:
                messages.success(request, _("The decision draft was saved."))
                return _back(pk)
        return render(request, "cases/decision.html", context, status=400)
    return render(request, "cases/decision.html", context)


@desk_view("cases.approve")
@require_POST
def review(request, pk):
    case = _case(request, pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return _error(request, _("Choose approve or return."))
    try:
        if form.cleaned_data["action"] == "approve":
            services.approve(case, request.user, comment=form.cleaned_data["comment"])
            messages.success(request, _("The decision was approved and the notice sent."))
        else:
            services.return_draft(case, request.user, form.cleaned_data["comment"])
            messages.success(request, _("The draft was returned with your comments."))
    except CaseError as exc:
        return _error(request, exc.message, exc.errors, status=409)
    return _back(pk)


@desk_view("cases.work")
def fiktion(request, pk):
    from willkommen.letters.services import LetterError, issue_fiktion

    case = _case(request, pk)
    if case.is_final or case.status == workflow.Status.DECIDED:
        return _error(request, _("A certificate is only issued while the application is open."), status=409)
    initial = {"paragraph": case.fiction_paragraph or "81_3_1"}
    form = FiktionForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            try:
                certificate, letter = issue_fiktion(case, request.user, **form.cleaned_data)
            except LetterError as exc:
                form.add_error(None, exc.message)
            else:
                services.add_entry(
                    case,
                    "letter",
                    actor=request.user,
                    text=letter.title,
                    data={"letter": letter.pk, "serial": certificate.serial},
                )
                messages.success(request, _("Certificate %(serial)s issued.") % {"serial": certificate.serial})
                return _back(pk)
        return render(
            request,
            "cases/fiktion.html",
            _page(case, form, _("Certificate of continued residence"), _("Issue certificate")),
            status=400,
        )
    return render(
        request,
        "cases/fiktion.html",
        _page(case, form, _("Certificate of continued residence"), _("Issue certificate")),
    )


@desk_view("cases.work")
@require_POST
def extend_fiktion(request, pk, certificate_id):
    from willkommen.letters.services import LetterError
    from willkommen.letters.services import extend_fiktion as extend

    case = _case(request, pk)
    certificate = case.fiktion_certificates.filter(pk=certificate_id).first()
    if certificate is None:
        raise Http404
    form = ExtendForm(request.POST)
    if not form.is_valid():
        return _error(request, _("Give the new end date."), [e for errs in form.errors.values() for e in errs])
    try:
        certificate, letter = extend(certificate, request.user, valid_until=form.cleaned_data["valid_until"])
    except LetterError as exc:
        return _error(request, exc.message, status=409)
    services.add_entry(case, "letter", actor=request.user, text=letter.title, data={"letter": letter.pk})
    return _back(pk)


@desk_view("desk")
def letter_pdf(request, pk, letter_id):
    from willkommen.letters.models import Letter

    case = _case(request, pk)
    letter = Letter.objects.filter(authority=request.authority, case=case, pk=letter_id).first()
    if letter is None:
        raise Http404
    record(
        authority=request.authority,
        action="read",
        person_id=case.person_id,
        obj=letter,
        request=request,
        purpose="letter",
    )
    return FileResponse(
        letter.file.open("rb"), content_type="application/pdf", filename=f"{letter.kind}-{case.number}.pdf"
    )


@desk_view("cases.work")
def transfer(request, pk):
    from .transfer import transfer_case

    case = _case(request, pk)
    if not workflow.allowed(case.status, "transfer"):
        return _error(request, _("This case cannot be transferred in its current state."), status=409)
    form = TransferForm(request.POST or None, exclude=request.authority)
    if request.method == "POST":
        if form.is_valid():
            try:
                new_case = transfer_case(
                    case, form.cleaned_data["authority"], request.user, reason=form.cleaned_data["reason"]
                )
            except CaseError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Handed over as %(number)s.") % {"number": new_case.number})
                return _back(pk)
        return render(
            request,
            "cases/transfer.html",
            _page(case, form, _("Transfer to another authority"), _("Transfer")),
            status=400,
        )
    return render(request, "cases/transfer.html", _page(case, form, _("Transfer to another authority"), _("Transfer")))


@desk_view("cases.work")
def export(request, pk):
    from .transfer import xauslaender_export

    case = _case(request, pk)
    record(
        authority=request.authority,
        action="read",
        person_id=case.person_id,
        obj=case,
        request=request,
        purpose="export",
    )
    response = HttpResponse(
        json.dumps(xauslaender_export(case), ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{case.number}-xauslaender.json"'
    return response


@desk_view("cases.assign")
def team(request):
    """Team lead: the team's queue, the workload per caseworker, and bulk reassignment."""
    from willkommen.accounts.models import User
    from willkommen.accounts.roles import roles_with

    authority = request.authority
    team_ids = selectors.lead_team_ids(request.user, authority)
    cases = selectors.queue(request.user, authority, scope="team").filter(team_id__in=team_ids)
    staff = User.objects.filter(
        authority=authority, is_active=True, memberships__team_id__in=team_ids, role__in=roles_with("cases.work")
    ).distinct()
    form = BulkReassignForm(request.POST or None, cases=visible_cases(request.user, authority), staff=staff)
    if request.method == "POST":
        if form.is_valid():
            count = services.bulk_reassign(
                visible_cases(request.user, authority).filter(pk__in=[c.pk for c in form.cleaned_data["cases"]]),
                actor=request.user,
                assignee=form.cleaned_data["assignee"],
            )
            messages.success(
                request, ngettext("%(count)d case reassigned.", "%(count)d cases reassigned.", count) % {"count": count}
            )
            return redirect("cases:team")
        status = 400
    else:
        status = 200
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    record(authority=authority, action="read", request=request, purpose="team queue")
    return render(
        request,
        "cases/team.html",
        {"page": page, "workload": selectors.workload(authority, team_ids), "form": form, "staff": staff},
        status=status,
    )
