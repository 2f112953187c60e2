"""Feedback and the satisfaction survey: the public form (``/feedback/``), the survey link
(``/survey/<token>/``, no account) and the head of office's queue (``/desk/contact/feedback/``)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from willkommen.audit.services import record_read
from willkommen.core.desk import desk_view
from willkommen.core.ratelimit import ratelimit

from . import feedback, selectors, survey
from .forms import AnswerFeedbackForm, FeedbackForm, SurveyForm
from .services import ContactError


def _require_authority(request):
    if request.authority is None:
        raise Http404


@ratelimit("feedback")
def feedback_form(request):
    _require_authority(request)
    if request.method != "POST":
        return render(request, "contact/feedback.html", {"form": FeedbackForm()})
    form = FeedbackForm(request.POST)
    if form.is_valid():
        try:
            feedback.give_feedback(request.authority, language=translation.get_language(), **form.cleaned_data)
        except ContactError as exc:
            form.add_error(None, exc.message)
        else:
            return render(request, "contact/feedback_thanks.html")
    return render(request, "contact/feedback.html", {"form": form}, status=400)


@ratelimit("survey")
def survey_answer(request, token):
    """The survey in the client's language; answered once (a second answer gets a polite 409)."""
    invitation = survey.invitation_for(token)
    if invitation is None or (request.authority is not None and request.authority.pk != invitation.authority_id):
        raise Http404
    with translation.override(invitation.language):
        request.LANGUAGE_CODE = invitation.language
        return _survey_page(request, invitation)


def _survey_page(request, invitation):
    posted = request.method == "POST"
    if invitation.answered_at is not None:
        return render(request, "contact/survey_done.html", {"again": posted}, status=409 if posted else 200)
    if not posted:
        return render(request, "contact/survey.html", {"form": SurveyForm()})
    form = SurveyForm(request.POST)
    if not form.is_valid():
        return render(request, "contact/survey.html", {"form": form}, status=400)
    try:
        survey.answer_survey(invitation, form.cleaned_data, form.cleaned_data.get("comment", ""))
    except ContactError:
        return render(request, "contact/survey_done.html", {"again": True}, status=409)
    return render(request, "contact/survey_done.html", {"again": False})


def _queue_page(request, forms=None, status=200):
    authority = request.authority
    items = list(selectors.open_feedback(authority))
    answered = list(selectors.recently_answered(authority))
    cases = [f.case for f in items + answered if f.case_id]
    if cases:
        record_read(request, *cases, purpose="feedback list")
    forms = forms or {}
    rows = [{"item": f, "form": forms.get(f.pk) or AnswerFeedbackForm(prefix=f"f{f.pk}")} for f in items]
    return render(
        request,
        "contact/feedback_desk.html",
        {"rows": rows, "answered": answered, "today": timezone.localdate()},
        status=status,
    )


@desk_view("contact.feedback")
def feedback_queue(request):
    return _queue_page(request)


@desk_view("contact.feedback")
@require_POST
def answer_feedback(request, pk):
    item = selectors.feedback_for(request.authority, pk)
    if item is None:
        raise Http404
    form = AnswerFeedbackForm(request.POST, prefix=f"f{pk}")
    if form.is_valid():
        try:
            _answered, message = feedback.answer_feedback(item, request.user, form.cleaned_data["reply"], request)
        except ContactError as exc:
            form.add_error("reply", exc.message)
        else:
            if message is None:
                messages.success(request, _("The reply was saved. The client left no address: nothing was sent."))
            else:
                messages.success(request, _("The reply was saved and sent to the client."))
            return redirect("contact:feedback_queue")
    return _queue_page(request, {pk: form}, status=400)


@desk_view("contact.feedback")
def reply_letter(request, pk):
    """The reply letter of answered feedback (the PDF kept in the person's e-file); the read is logged."""
    item = selectors.feedback_for(request.authority, pk)
    if item is None or item.reply_letter_id is None:
        raise Http404
    letter = item.reply_letter
    record_read(request, letter, purpose="feedback reply letter")
    from willkommen.letters.services import letter_download

    return letter_download(letter, f"reply-{item.case.number if item.case_id else item.pk}.pdf")
