"""Portal pages: the multi-step online application, the receipt, and the client's status page.

Every step is a plain form (works without JavaScript). A draft is reachable from the browser
session that started it, or after signing in by magic link with the e-mail address in it.
"""

import secrets

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from willkommen.accounts.client_identity import current_identity
from willkommen.audit.services import record, record_read
from willkommen.catalogue import finder_page
from willkommen.catalogue import selectors as catalogue_selectors
from willkommen.catalogue.checklist import InvalidAnswers, answer_summary, answers_query, parse_answers, question_rows
from willkommen.catalogue.models import Anliegen
from willkommen.contact import selectors as contact_selectors
from willkommen.contact.forms import CallbackForm
from willkommen.core.ratelimit import ratelimit, too_many
from willkommen.efile.uploads import UploadRejected

from . import identity, selectors, services
from .forms import PersonalForm, ResumeForm, StatusLoginForm, UploadForm
from .models import Application

SESSION_APPS = identity.SESSION_APPS
MAX_FIELDS = 60
CARRIED_PREFIX = "a-"
NOT_ANSWERS = {"lang"}


def _error(request, title, message="", errors=(), status=400):
    return render(request, "core/error.html", {"title": title, "message": message, "errors": errors}, status=status)


def _require_authority(request):
    if request.authority is None:
        raise Http404


def _remember(request, application):
    ids = request.session.get(SESSION_APPS, [])
    if str(application.public_id) not in ids:
        request.session[SESSION_APPS] = [*ids, str(application.public_id)][-20:]


def _application(request, public_id):
    _require_authority(request)
    try:
        application = selectors.get_application(request.authority, public_id)
    except Application.DoesNotExist:
        raise Http404 from None
    allowed = str(application.public_id) in request.session.get(SESSION_APPS, [])
    ident = current_identity(request)
    if not allowed and ident and ident.email and application.email:
        allowed = ident.email.lower() == application.email.lower()
    if not allowed:
        raise Http404
    return application


def _draft_or_receipt(request, public_id):
    application = _application(request, public_id)
    if not application.is_draft:
        return application, redirect("applications:receipt", public_id=application.public_id)
    return application, None


def _steps(application, current):
    names = [
        ("personal", _("Personal data")),
        ("questions", _("Your answers") if application.answers_given else _("Questions")),
        ("documents", _("Documents")),
        ("review", _("Check and send")),
    ]
    return [
        {
            "name": name,
            "label": label,
            "url": reverse(f"applications:{name}", args=[application.public_id]),
            "current": name == current,
        }
        for name, label in names
    ]


def _anliegen_title(application):
    return catalogue_selectors.title(application.anliegen, translation.get_language())


def index(request):
    _require_authority(request)
    items = list(catalogue_selectors.anliegen_list(request.authority))
    finder = finder_page.context(
        request,
        items,
        lambda a: reverse("applications:start", args=[a.slug]),
        available=lambda a: a.allows_online,
        language=translation.get_language(),
        unavailable_note=_("This matter cannot be applied for online."),
    )
    online = [a for a in items if a.allows_online]
    return render(request, "applications/index.html", {"rows": online, "finder": finder})


def _carried_answers(request, anliegen):
    """Answers given on the checklist or with a booking, carried here so they are not asked again: in the
    query of the link (``?married=yes``, as the checklist sends them) and in hidden ``a-`` fields of the
    start form. Returns ``(answers, carried)``; a tampered or unknown answer raises ``InvalidAnswers``."""
    if request.method == "POST":
        raw = {k.removeprefix(CARRIED_PREFIX): v for k, v in request.POST.items() if k.startswith(CARRIED_PREFIX)}
    else:
        raw = {k: v for k, v in request.GET.items() if k not in NOT_ANSWERS}
    if len(raw) > MAX_FIELDS:
        raise InvalidAnswers([_("Too many answers.")])
    carried = bool(raw) or (request.method == "POST" and request.POST.get("carried") == "yes")
    return parse_answers(anliegen.questions.all(), raw), carried


def _answers_context(anliegen, language, answers):
    """The "your answers" list with its change link back to the checklist's questions (prefilled)."""
    query = answers_query(answers)
    change = reverse("catalogue:questions", args=[anliegen.slug])
    return {
        "summary": answer_summary(anliegen, language, answers),
        "carried_answers": answers,
        "change_url": f"{change}?{query}" if query else change,
    }


@ratelimit("applications")
def start(request, slug):
    _require_authority(request)
    try:
        anliegen = catalogue_selectors.get_anliegen(request.authority, slug)
    except Anliegen.DoesNotExist:
        anliegen = None
    if anliegen is None or not anliegen.allows_online:
        return _error(request, _("Unknown matter"), _("This matter cannot be applied for online."), status=404)
    language = translation.get_language()
    try:
        answers, carried = _carried_answers(request, anliegen)
    except InvalidAnswers as exc:
        return _error(
            request,
            _("Please check your answers"),
            _("Some of the answers carried over are not valid. Please start again from the checklist."),
            errors=exc.errors,
        )
    if request.method == "POST":
        application = services.start_draft(request.authority, anliegen, language)
        if carried:
            services.save_answers(application, answers)
        _remember(request, application)
        return redirect("applications:personal", public_id=application.public_id)
    context = {
        "anliegen": anliegen,
        "title": catalogue_selectors.title(anliegen, language),
        "summary": catalogue_selectors.summary(anliegen, language),
        "carried": carried,
    }
    if carried:
        context["answers"] = _answers_context(anliegen, language, answers)
    return render(request, "applications/start.html", context)


@ratelimit("applications")
def personal(request, public_id):
    application, done = _draft_or_receipt(request, public_id)
    if done:
        return done
    initial = dict(application.personal or {})
    initial.setdefault("preferred_language", application.language)
    if isinstance(initial.get("nationalities"), list):
        initial["nationalities"] = ", ".join(initial["nationalities"])
    form = PersonalForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            services.save_personal(application, form.cleaned_data)
            # answers given on the checklist or with the booking are not asked again
            following = "documents" if application.answers_given else "questions"
            return redirect(f"applications:{following}", public_id=application.public_id)
        status = 400
    else:
        status = 200
    return render(
        request,
        "applications/personal.html",
        {
            "application": application,
            "form": form,
            "steps": _steps(application, "personal"),
            "title": _anliegen_title(application),
        },
        status=status,
    )


@ratelimit("applications")
def questions(request, public_id):
    application, done = _draft_or_receipt(request, public_id)
    if done:
        return done
    language = translation.get_language()
    errors = []
    answers = application.answers or {}
    if request.method == "POST":
        raw = {k[2:]: v for k, v in request.POST.items() if k.startswith("q-")}
        if len(raw) > MAX_FIELDS:
            errors = [_("Too many answers.")]
        else:
            try:
                answers = parse_answers(application.anliegen.questions.all(), raw)
            except InvalidAnswers as exc:
                errors = exc.errors
        if not errors:
            services.save_answers(application, answers)
            return redirect("applications:documents", public_id=application.public_id)
    changing = request.method == "POST" or "change" in request.GET or not application.answers_given
    return render(
        request,
        "applications/questions.html",
        {
            "application": application,
            "questions": question_rows(application.anliegen, language, answers),
            "given": answer_summary(application.anliegen, language, answers),
            "changing": changing,
            "errors": errors,
            "steps": _steps(application, "questions"),
            "title": _anliegen_title(application),
        },
        status=400 if errors else 200,
    )


def _upload_rows(application, language, errors=None):
    uploads = {u.checklist_key: u for u in application.uploads.all()}
    return [
        {"entry": e, "upload": uploads.get(e.key), "error": (errors or {}).get(e.key, "")}
        for e in services.checklist_entries(application, language)
    ]


@ratelimit("applications")
def documents(request, public_id):
    application, done = _draft_or_receipt(request, public_id)
    if done:
        return done
    language = translation.get_language()
    errors = {}
    if request.method == "POST":
        keys = {e.key for e in services.checklist_entries(application, language)}
        for field_name, uploaded in request.FILES.items():
            key = field_name.removeprefix("file-")
            if key not in keys:
                errors[key] = _("This document is not asked for in your application.")
                continue
            try:
                services.add_upload(application, key, uploaded)
            except UploadRejected as exc:
                errors[key] = exc.message
        if not errors:
            if request.FILES:
                messages.success(request, _("Your documents were received and stored."))
            if "next" in request.POST:
                return redirect("applications:review", public_id=application.public_id)
            return redirect("applications:documents", public_id=application.public_id)
    return render(
        request,
        "applications/documents.html",
        {
            "application": application,
            "rows": _upload_rows(application, language, errors),
            "errors": errors,
            "steps": _steps(application, "documents"),
            "title": _anliegen_title(application),
        },
        status=400 if errors else 200,
    )


@ratelimit("applications")
def review(request, public_id):
    application, done = _draft_or_receipt(request, public_id)
    if done:
        return done
    language = translation.get_language()
    problems = []
    if request.method == "POST":
        if request.POST.get("acknowledge") == "yes" and application.consent_at is None:
            services.acknowledge_information(application)
        try:
            services.submit(
                application,
                idempotency_key=request.POST.get("idempotency_key", ""),
                status_url=request.build_absolute_uri(reverse("applications:status_login")),
            )
        except services.SubmitRefused as exc:
            problems = exc.problems
        else:
            return redirect("applications:receipt", public_id=application.public_id)
    return render(
        request,
        "applications/review.html",
        {
            "application": application,
            "personal": application.personal,
            "answers": answer_summary(application.anliegen, language, application.answers or {}),
            "rows": _upload_rows(application, language),
            "missing": services.missing_entries(application, language),
            "problems": problems or [],
            "blocking": services.blocking_problems(application),
            "idempotency_key": request.POST.get("idempotency_key") or secrets.token_urlsafe(24),
            "steps": _steps(application, "review"),
            "title": _anliegen_title(application),
        },
        status=400 if problems else 200,
    )


def receipt(request, public_id):
    application = _application(request, public_id)
    if application.is_draft:
        return redirect("applications:review", public_id=application.public_id)
    case = application.case
    context = selectors.status_context(case, translation.get_language())
    context.update(
        {
            "application": application,
            "access_code": services.unseal_code(application),
            "counts_under_81": selectors.permit_counts_under_81(application),
            "fiction_text": selectors.fiction_text(selectors.application_fiction(application)),
        }
    )
    return render(request, "applications/receipt.html", context)


def receipt_pdf(request, public_id):
    from .receipt import client_receipt, receipt_file_name

    application = _application(request, public_id)
    if application.is_draft:
        raise Http404
    # Rendered by the receipt job (off the request) and kept; rendered here only if the job has not run yet.
    pdf = client_receipt(application.case, application, services.unseal_code(application))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{receipt_file_name(application.case)}"'
    return response


@ratelimit("applications")
def save_for_later(request, public_id):
    """Send a magic link to the draft's e-mail address; the client resumes from any device."""
    application = _application(request, public_id)
    if request.method != "POST":
        return redirect("applications:personal", public_id=application.public_id)
    if not application.email:
        messages.error(request, _("Please enter your e-mail address first."))
        return redirect("applications:personal", public_id=application.public_id)
    _send_resume_link(request, application.email)
    return render(request, "applications/link_sent.html", {"email": application.email})


def _send_resume_link(request, email):
    from willkommen.accounts.services import send_sign_in_link

    send_sign_in_link(request, email, reverse("applications:mine"), key="application_resume_link")


@ratelimit("applications-resume", limit=10)
def resume(request):
    _require_authority(request)
    form = ResumeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        if selectors.drafts_for_email(request.authority, email).exists():
            _send_resume_link(request, email)
        # The same answer whether or not a draft exists.
        return render(request, "applications/link_sent.html", {"email": email})
    return render(request, "applications/resume.html", {"form": form}, status=400 if form.errors else 200)


def mine(request):
    _require_authority(request)
    ident = current_identity(request)
    drafts = selectors.drafts_for_email(request.authority, ident.email) if ident and ident.email else []
    session_ids = request.session.get(SESSION_APPS, [])
    own = Application.objects.filter(authority=request.authority, public_id__in=session_ids).select_related("anliegen")
    rows = {a.pk: a for a in [*drafts, *own]}
    return render(request, "applications/mine.html", {"applications": list(rows.values()), "identity": ident})


# --- status page ------------------------------------------------------------------------------------


def status_login(request):
    _require_authority(request)
    form = StatusLoginForm(request.POST or None)
    if request.method == "POST":
        number = request.POST.get("number", "")
        if not identity.attempt_allowed(request, number):
            return too_many(request)
        if form.is_valid():
            case = identity.verify(request, form.cleaned_data["number"], form.cleaned_data["code"])
            if case is not None:
                identity.sign_in_with_case(request, case)
                return redirect("applications:status")
        form.add_error(None, _("The case number or the access code is not correct."))
        return render(request, "applications/status_login.html", {"form": form}, status=400)
    return render(request, "applications/status_login.html", {"form": form})


def _client_cases(request):
    """Cases the signed-in client may see: the one of the code, every case of the person after a sign-in
    with trust level high (the eID card, ``accounts/client_sso.py``), or every case of the e-mail address."""
    from willkommen.cases.models import Case

    ident = current_identity(request)
    if ident is None:
        return None
    qs = Case.objects.filter(authority=request.authority).select_related("anliegen", "person", "team", "assignee")
    if ident.case_id:
        return qs.filter(pk=ident.case_id)
    if ident.person_id and ident.assurance == "high":
        return qs.filter(person_id=ident.person_id, person__merged_into__isnull=True)
    if ident.email:
        return qs.filter(person__email__iexact=ident.email, person__merged_into__isnull=True)
    return qs.none()


def _client_case(request):
    cases = _client_cases(request)
    if cases is None:
        return None, None
    number = request.GET.get("case") or request.POST.get("case")
    case = cases.filter(number=number).first() if number else cases.first()
    return case, cases


def status(request):
    _require_authority(request)
    case, cases = _client_case(request)
    if cases is None:
        return redirect("applications:status_login")
    if case is None:
        return render(request, "applications/status.html", {"case": None, "cases": []})
    context = selectors.status_context(case, translation.get_language())
    context["cases"] = list(cases[:20])
    context["contact_hours"] = contact_selectors.hours_for_case(case)
    context["callback_form"] = CallbackForm()
    return render(request, "applications/status.html", context)


@require_POST
@ratelimit("applications")
def status_callback(request):
    """The client asks to be called back (topic, preferred time, phone): it lands in the team's callback list."""
    from willkommen.contact import services as contact

    _require_authority(request)
    case, cases = _client_case(request)
    if case is None:
        return redirect("applications:status_login")
    form = CallbackForm(request.POST)
    error = None
    if form.is_valid():
        try:
            contact.request_callback(case, language=translation.get_language(), **form.cleaned_data)
        except contact.ContactError as exc:
            error = exc.message
        else:
            messages.success(request, _("Thank you. We will call you back within two working days."))
            return redirect(f"{reverse('applications:status')}?case={case.number}#callback")
    context = selectors.status_context(case, translation.get_language())
    context["cases"] = list(cases[:20])
    context["contact_hours"] = contact_selectors.hours_for_case(case)
    if error:
        form.add_error(None, error)
    context["callback_form"] = form
    return render(request, "applications/status.html", context, status=400)


@require_POST
@ratelimit("applications")
def status_upload(request):
    _require_authority(request)
    case, cases = _client_case(request)
    if case is None:
        return redirect("applications:status_login")
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _error(request, _("Upload not possible"), _("Please choose a file."))
    try:
        services.add_missing_document(
            case, form.cleaned_data["checklist_key"], form.cleaned_data["file"], translation.get_language()
        )
    except UploadRejected as exc:
        return _error(request, _("Upload not possible"), exc.message)
    messages.success(request, _("Your document was received and stored."))
    return redirect(f"{reverse('applications:status')}?case={case.number}")


def status_letter(request, pk):
    """A letter of the client's case (decision, certificate...) as PDF; 404 for anything else."""
    from willkommen.letters.models import Letter

    _require_authority(request)
    cases = _client_cases(request)
    if cases is None:
        return redirect("applications:status_login")
    letter = Letter.objects.filter(
        authority=request.authority, pk=pk, visible_to_client=True, case__in=cases.values("pk")
    ).first()
    if letter is None:
        raise Http404
    record_read(request, letter, action="download", purpose="letter downloaded by the client")
    from willkommen.letters.services import letter_download

    return letter_download(letter, f"{letter.kind}-{letter.pk}.pdf", attachment=True)


def status_export(request):
    """GDPR Art. 15: the client's own copy of their file and case data."""
    from willkommen.clients.subject_access import export_file

    _require_authority(request)
    case, cases = _client_case(request)
    if case is None:
        return redirect("applications:status_login")
    person = case.person
    handle = export_file(request.authority, person, for_client=True)
    record(
        authority=request.authority,
        action="export",
        person_id=person.pk,
        obj=person,
        request=request,
        purpose="GDPR Art. 15 copy for the client",
    )
    response = FileResponse(
        handle, as_attachment=True, filename=f"my-data-{case.number}.zip", content_type="application/zip"
    )
    response["Cache-Control"] = "no-store"
    return response
