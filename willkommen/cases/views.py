"""Desk pages of the cases room: the work queue, the case on one screen, and its actions."""

from csp.decorators import csp_replace
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from willkommen.accounts.decorators import desk_view
from willkommen.audit.services import record_read
from willkommen.clients.visibility import Resource, visible
from willkommen.core.paging import LeanPaginator
from willkommen.core.replica import heavy_reads

from . import (
    communication,
    drafting,
    requesting,
    residence,
    selectors,
    services,
    transparency,
    workflow,
    workspace,
)
from .forms import (
    BulkReassignForm,
    DecisionForm,
    ExtendForm,
    FlagsForm,
    MessageForm,
    NoteForm,
    QueueFilterForm,
    RequestDocumentsForm,
    ReviewForm,
    TransitionForm,
)
from .models import DecisionState
from .permissions import get_case_for, get_case_to_review, reviewable_cases, visible_cases
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
    with heavy_reads():  # the count, the page's ids and its rows from the replica when there is one
        page = LeanPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    record_read(request, *page.object_list, purpose="work queue")
    workspace.mark_unread(request.authority, page.object_list)
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
    qs = selectors.awaiting_approval(request.user, request.authority, reviewable_cases(request.user, request.authority))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    record_read(request, *page.object_list, purpose="approvals")
    return render(request, "cases/approvals.html", {"page": page})


def _case(request, pk):
    return get_case_for(request.user, request.authority, pk)


def _letters(request, case):
    """The case's letters, within the visibility policy (the case's own visibility is stricter)."""
    from willkommen.letters.models import Letter

    return visible(Letter.objects.filter(case=case), request.user, request.authority, Resource.LETTERS)


@desk_view("desk")
def detail(request, pk):
    case = get_case_to_review(request.user, request.authority, pk)
    # the Anliegen's title is shown by the page and by the automatic message's preview: its texts read once
    prefetch_related_objects([case], selectors.anliegen_texts())
    review_only = case.review_only  # an approver of another team: read-only, to review the decision
    record_read(request, case, purpose="four-eyes review" if review_only else "casework")
    decision = services.current_decision(case)
    fiction = selectors.fiction_paragraph(case)  # § 81 from the person's residence history

    context = {
        "case": case,
        "new_access_code": request.session.pop(OPENED_KEY.format(pk=case.pk), None),  # shown once
        "timeline": selectors.full_timeline(case),
        "days_left": workspace.days_left(case),
        "checklist": workspace.checklist(request, case),
        "next_case": None if review_only else workspace.next_case(request, case),
        "transitions": []
        if review_only
        else [t for t in services.available_transitions(case, request.user) if not t.needs_form],
        "can_work": request.user.can("cases.work") and not review_only,
        "review_only": review_only,
        "can_approve": request.user.can("cases.approve"),
        "decision": decision,
        "may_review": bool(
            decision
            and case.status == workflow.Status.AWAITING_APPROVAL
            and request.user.can("cases.approve")
            and decision.drafted_by_id != request.user.pk
        ),
        "letters": _letters(request, case),
        "fiction": fiction,
        "fiction_text": residence.EXPLANATIONS[fiction],
        "certificates": case.fiktion_certificates.all(),
        "document_requests": case.document_requests.all(),
        "preview": transparency.preview(case),
        "note_form": NoteForm(),
        "message_form": MessageForm(),
        "flags_form": FlagsForm(
            initial={
                "stay_at_stake": case.stay_at_stake,
                "discretionary": case.discretionary,
            }
        ),
        "review_form": ReviewForm(),
        "extend_form": ExtendForm(),
        "statuses": workflow.Status,
    }
    return render(request, "cases/detail.html", context)


def _page(request, case, form, heading, submit):
    """The context of a form page about ``case``; the page shows the case, so it is logged as a read."""
    record_read(request, case, purpose=f"case form: {request.resolver_match.url_name}")
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
        services.take(case, name, request.user, note=note)
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
    services.set_flags(case, request.user, **form.cleaned_data)  # the open draft's need for approval follows
    return _back(pk)


@desk_view("cases.work")
def request_documents(request, pk):
    """Ask the client for documents: every checklist item by its name in the staff member's language, with
    its document and verification; the required ones without a verified original preticked. The client's
    message and letter name them in the client's language (``communication.document_titles``)."""
    case = _case(request, pk)
    if not workflow.allowed(case.status, "request_documents"):
        return _error(
            request, _("Documents can only be requested while the case is received or in review."), status=409
        )
    rows = requesting.request_items(case, translation.get_language() or "de")
    form = RequestDocumentsForm(
        request.POST or None,
        items=[(row.key, row.title) for row in rows],
        initial={"items": [row.key for row in rows if row.proposed]},
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.take(case, "request_documents", request.user, **form.cleaned_data)
            except CaseError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("The request was sent to the client."))
                return _back(pk)
        status = 400
    context = _page(request, case, form, _("Request documents"), _("Send request"))
    documents = [row.document for row in rows if row.document is not None]
    if documents:
        record_read(request, *documents, purpose="case form: request_documents", detail="documents on file")
    selected = set(form["items"].value() or [])
    context.update(
        {
            "applying": [(row, row.key in selected) for row in rows if row.applies],
            "other_items": [(row, row.key in selected) for row in rows if not row.applies],
        }
    )
    return render(request, "cases/request_documents.html", context, status=status)


DECISION_FIELDS = (
    "outcome",
    "legal_basis",
    "valid_from",
    "valid_to",
    "shorter_validity_reason",
    "conditions",
    "reasoning",
    "plain_explanation",
    "ends_stay",
    "sponsor_title_expires_on",
    "bound_end_on",
)


def _decision_initial(case, current):
    """The form's start: the current draft, else the Anliegen's legal basis and the proposed validity;
    also the proposed end of validity."""
    start, end = services.proposed_validity(
        case,
        legal_basis=current.legal_basis if current else None,
        sponsor_until=current.sponsor_title_expires_on if current else None,
        bound_end=current.bound_end_on if current else None,
    )
    initial = {
        "legal_basis": case.anliegen.legal_basis,
        "valid_from": start,
        "valid_to": end,
        "outcome": "grant",
        "discretionary": case.discretionary,
    }
    if current is not None:
        initial.update({f: getattr(current, f) for f in DECISION_FIELDS})
    return initial, end


@desk_view("cases.work")
def decision(request, pk):
    case = _case(request, pk)
    if case.status not in (workflow.Status.IN_REVIEW, workflow.Status.DECISION_DRAFTED):
        return _error(request, _("A decision can only be drafted while the case is in review."), status=409)
    current = services.current_decision(case)
    initial, end = _decision_initial(case, current)
    form = DecisionForm(
        request.POST or None,
        initial=initial,
        sponsor=case.anliegen.not_beyond_sponsor,
        bound=case.anliegen.validity_bound_to,
    )
    reasons = services.approval_reasons(case, current.legal_basis if current else case.anliegen.legal_basis)
    context = {
        **_page(request, case, form, _("Decision"), _("Save draft")),
        "proposed_to": end,
        "current": current,
        "approval_reasons": services.reasons_in_words(reasons),
    }
    if request.method == "POST":
        if form.is_valid() and _save_draft(request, case, form):
            messages.success(request, _("The decision draft was saved."))
            return _back(pk)
        context["proposed_to"] = _proposal_from(case, form) or end
        return render(request, "cases/decision.html", context, status=400)
    return render(request, "cases/decision.html", context)


def _proposal_from(case, form):
    """The longest validity for what was entered (start, legal basis, the sponsor's or the course's or
    contract's end), so a refused form proposes the cap for the dates just given."""
    data = getattr(form, "cleaned_data", {}) or {}
    if not data.get("valid_from"):
        return None
    return services.proposed_validity(
        case,
        data["valid_from"],
        legal_basis=data.get("legal_basis"),
        sponsor_until=data.get("sponsor_title_expires_on"),
        bound_end=data.get("bound_end_on"),
    )[1]


def _save_draft(request, case, form):
    """Store the valid form as the decision draft (True), or put the refusal's reasons on the form (False)."""
    fields = dict(form.cleaned_data)
    discretionary = fields.pop("discretionary")
    try:
        with transaction.atomic():  # the draft and what other rooms record with it (cases/drafting.py)
            if discretionary != case.discretionary:  # takes effect with this draft (no stale state)
                services.set_flags(case, request.user, discretionary=discretionary)
            drafted = services.draft_decision(case, request.user, **fields)
            drafting.drafted(request, case, drafted)
    except CaseError as exc:
        case.refresh_from_db()
        form.add_error(None, exc.message)
        for error in exc.errors:
            form.add_error(None, error)
        return False
    return True


@desk_view("cases.approve")
def review(request, pk):
    """Four eyes with everything in sight: the decision awaiting approval – legal basis, validity (and why
    shorter than possible), conditions, reasoning, the plain-language text, the documents it relies on, a
    preview of the notice and what changed since a returned draft – and approve or return it. Every
    approver of the authority may open it (a team lead of any team), never the drafter's own approval."""
    case = get_case_to_review(request.user, request.authority, pk)
    if request.method == "POST":
        form = ReviewForm(request.POST)
        if not form.is_valid():
            return _error(request, _("Choose approve or return."))
        approving = form.cleaned_data["action"] == "approve"
        try:
            services.take(
                case, "approve" if approving else "return_draft", request.user, note=form.cleaned_data["comment"]
            )
        except CaseError as exc:
            return _error(request, exc.message, exc.errors, status=409)
        if approving:
            messages.success(request, _("The decision was approved and the notice sent."))
        else:
            messages.success(request, _("The draft was returned with your comments."))
        if case.review_only:  # the case is no longer awaiting approval: back to the list
            return redirect("cases:approvals")
        return _back(pk)
    decision = services.current_decision(case)
    if decision is None:
        raise Http404
    record_read(request, case, purpose="four-eyes review")
    from .review import review_context

    context = review_context(request, case, decision)
    context["review_form"] = ReviewForm()
    return render(request, "cases/review.html", context)


@desk_view("desk")
@xframe_options_sameorigin
@csp_replace({"frame-ancestors": ["'self'"]})
def decision_preview(request, pk):
    """The notice the current draft would send, as a PDF marked "draft", shown inline (the review page
    frames it; same origin only). For everyone who may see the case or review its decision; audited."""
    case = get_case_to_review(request.user, request.authority, pk)
    decision = services.current_decision(case)
    if decision is None or decision.state == DecisionState.FINAL:
        raise Http404
    record_read(request, case, purpose="decision notice preview")
    response = HttpResponse(communication.decision_notice_preview(case, decision), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="entwurf-bescheid-{case.number}.pdf"'
    response["Cache-Control"] = "no-store, private"
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
    with heavy_reads():  # queue count and workload counts from the replica when there is one
        page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
        workload = list(selectors.workload(authority, team_ids))
    record_read(request, *page.object_list, purpose="team queue")
    workspace.mark_unread(request.authority, page.object_list)
    return render(
        request,
        "cases/team.html",
        {"page": page, "workload": workload, "form": form, "staff": staff},
        status=status,
    )


OPENED_KEY = "cases:opened:{pk}"


PREFILL = ("anliegen", "source", "received_on", "origin")


def _open_page(request, form, person, people, search_form, status=200, questions=None, anliegen=None):
    from urllib.parse import urlencode

    prefill = {key: request.GET[key] for key in PREFILL if request.GET.get(key)}
    prefill.update(_prefilled_answers(request))
    return render(
        request,
        "cases/open.html",
        {
            "form": form,
            "person": person,
            "people": people,
            "search_form": search_form,
            "can_create_person": request.user.can("clients.edit"),
            "prefill_query": urlencode(prefill),
            "prefill": prefill,
            # a new person registered from here comes back to this intake with the prefill (and its origin)
            "register_next": f"{reverse('cases:open')}?{urlencode(prefill)}" if prefill else "",
            "questions": questions or [],
            "question_anliegen": anliegen,
        },
        status=status,
    )


def _prefilled_answers(request):
    """Checklist answers carried in the link (``q_<key>``, e.g. from a booking): preselected in the form,
    checked by ``parse_answers`` only when the form is sent."""
    return {
        key: value[:200]
        for key, value in list(request.GET.items())[:60]
        if key.startswith("q_") and len(key) <= 62 and value
    }


def _question_anliegen(request, raw):
    """The Anliegen whose checklist questions the form asks (the chosen or prefilled one), or None."""
    from willkommen.catalogue.selectors import anliegen_list

    if not raw or not str(raw).isdigit():
        return None
    return anliegen_list(request.authority).filter(pk=int(raw)).prefetch_related("questions__texts").first()


def _questions(anliegen, answers=None):
    from django.utils import translation

    from willkommen.catalogue.checklist import question_rows

    return question_rows(anliegen, translation.get_language(), answers) if anliegen else []


@desk_view("cases.open")
def open_new(request):
    """Open a case at the desk: find the person, then Anliegen, way in, arrival date and declared title.
    The form's one-time key makes a double click open one case."""
    from willkommen.clients.visibility import visible_persons

    from .forms import PersonSearchForm

    persons = visible_persons(request.user, request.authority, Resource.PERSON)
    raw_person = request.POST.get("person") if request.method == "POST" else request.GET.get("person")
    person = None
    if raw_person:
        try:
            person = persons.filter(pk=int(raw_person)).first()
        except (TypeError, ValueError):
            return _error(request, _("This person does not exist."), status=404)
        if person is None:
            raise Http404
    searched = not person and ("q" in request.GET or "born" in request.GET)  # not the prefill alone
    search_form = PersonSearchForm(request.GET if searched else None)
    people = []
    if search_form.is_bound:
        if not search_form.is_valid():
            return _open_page(request, None, None, [], search_form, status=400)
        people = _people_found(request, persons, search_form.cleaned_data)
    if person is None:
        return _open_page(request, None, None, people, search_form)
    record_read(request, person, purpose="open a case")
    if request.method != "POST":
        return _open_form(request, person, search_form)
    return _open_submitted(request, person, search_form)


def _people_found(request, persons, data):
    """The visible persons matching the desk's search (name or number, and date of birth), at most 50."""
    from willkommen.clients.selectors import search as search_persons

    q, born = data["q"], data["born"]
    if not (q or born):
        return []
    qs = persons.filter(pk__in=search_persons(request.authority, q).values("pk"))
    if born:
        qs = qs.filter(date_of_birth=born)
    people = list(qs.order_by("family_name", "given_names", "pk")[:50])
    record_read(request, *people, action="search", purpose="open a case: person search", detail=q)
    return people


def _open_form(request, person, search_form):
    """The empty form for ``person``, prefilled from the query, with a fresh one-time key."""
    import uuid

    from .forms import OpenCaseForm

    initial = {"person": person.pk, "idempotency_key": uuid.uuid4()}
    initial.update({key: request.GET[key] for key in PREFILL if request.GET.get(key)})
    form = OpenCaseForm(authority=request.authority, initial=initial)
    anliegen = _question_anliegen(request, request.GET.get("anliegen"))
    carried = {key[2:]: value for key, value in _prefilled_answers(request).items()}
    questions = _questions(anliegen, carried)
    return _open_page(request, form, person, [], search_form, questions=questions, anliegen=anliegen)


def _open_submitted(request, person, search_form):
    """The sent form: open the case (or show what is wrong, 400, nothing opened)."""
    from willkommen.catalogue.checklist import InvalidAnswers, parse_answers
    from willkommen.efile.uploads import UploadRejected

    from . import intake
    from .forms import OpenCaseForm

    form = OpenCaseForm(request.POST, request.FILES, authority=request.authority)
    anliegen = _question_anliegen(request, request.POST.get("anliegen"))
    raw_answers = {key[2:]: value for key, value in request.POST.items() if key.startswith("q_")}
    page = {"questions": _questions(anliegen, raw_answers), "anliegen": anliegen}
    if not form.is_valid():
        return _open_page(request, form, person, [], search_form, status=400, **page)
    data = form.cleaned_data
    try:
        answers = parse_answers(data["anliegen"].questions.all(), raw_answers)
        case, code = _open_case(request, person, data, answers)
    except InvalidAnswers as exc:
        for error in exc.errors:
            form.add_error(None, error)
        return _open_page(request, form, person, [], search_form, status=400, **page)
    except intake.IntakeRefused as exc:
        form.add_error(None, str(exc))
        return _open_page(request, form, person, [], search_form, status=400, **page)
    except (ValidationError, UploadRejected) as exc:
        form.add_error(None, exc if isinstance(exc, ValidationError) else str(exc))
        return _open_page(request, form, person, [], search_form, status=400, **page)
    return _opened(request, case, code)


def _open_case(request, person, data, answers):
    from . import intake

    return intake.open_at_desk(
        request.authority,
        request.user,
        person=person,
        anliegen=data["anliegen"],
        source=data["source"],
        received_on=data["received_on"],
        title_kind=data["title_kind"],
        title_valid_to=data["title_valid_to"],
        answers=answers,
        origin=data["origin"],
        scans=data["scans"],
        idempotency_key=str(data["idempotency_key"]),
    )


def _opened(request, case, code):
    """After opening (or finding the case a double click opened): the case page, or the access code page
    for a caseworker who may open cases but not see this one."""
    if code:
        request.session[OPENED_KEY.format(pk=case.pk)] = code
        messages.success(
            request, _("Case %(number)s opened. The receipt goes to the client.") % {"number": case.number}
        )
    else:
        messages.info(request, _("This case was already opened (the form was sent twice)."))
    if visible_cases(request.user, request.authority).filter(pk=case.pk).exists():
        return redirect("cases:detail", pk=case.pk)
    return render(
        request,
        "cases/opened.html",
        {"case": case, "access_code": request.session.pop(OPENED_KEY.format(pk=case.pk), None)},
    )
