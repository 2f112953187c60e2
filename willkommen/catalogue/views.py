from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from willkommen.letters.pdf import render_pdf_once

from . import finder_page, next_steps, selectors
from .checklist import InvalidAnswers, build, fee, parse_answers, question_rows
from .models import Anliegen

MAX_QUERY_FIELDS = 40


def _not_found(request):
    return render(
        request,
        "core/error.html",
        {"title": _("Unknown matter"), "message": _("We do not know this matter. Please choose one from the list.")},
        status=404,
    )


def _load(request, slug):
    if request.authority is None:
        return None
    try:
        return selectors.get_anliegen(request.authority, slug)
    except Anliegen.DoesNotExist:
        return None


def _answers(request, anliegen):
    raw = {key: value for key, value in request.GET.items() if key not in {"lang"}}
    if len(raw) > MAX_QUERY_FIELDS:
        raise InvalidAnswers([_("Too many answers.")])
    return parse_answers(anliegen.questions.all(), raw)


def index(request):
    items = list(selectors.anliegen_list(request.authority)) if request.authority else []
    finder = finder_page.context(
        request, items, lambda a: reverse("catalogue:questions", args=[a.slug]), language=translation.get_language()
    )
    return render(request, "catalogue/index.html", {"rows": items, "finder": finder})


def questions(request, slug):
    anliegen = _load(request, slug)
    if anliegen is None:
        return _not_found(request)
    language = translation.get_language()
    try:  # answers given before (the "change" links carry them) are preselected; anything odd is ignored
        given = _answers(request, anliegen)
    except InvalidAnswers:
        given = {}
    return render(
        request,
        "catalogue/questions.html",
        {
            "anliegen": anliegen,
            "title": selectors.title(anliegen, language),
            "summary": selectors.summary(anliegen, language),
            "questions": question_rows(anliegen, language, given),
        },
    )


def _checklist_or_error(request, slug):
    anliegen = _load(request, slug)
    if anliegen is None:
        return None, None, _not_found(request)
    try:
        answers = _answers(request, anliegen)
    except InvalidAnswers as exc:
        response = render(
            request,
            "core/error.html",
            {"title": _("Please check your answers"), "errors": exc.errors},
            status=400,
        )
        return None, None, response
    return anliegen, answers, None


def result(request, slug):
    anliegen, answers, error = _checklist_or_error(request, slug)
    if error:
        return error
    language = translation.get_language()
    checklist = build(anliegen, answers, language)
    amount, fee_note = fee(anliegen, answers)
    return render(
        request,
        "catalogue/result.html",
        {
            "anliegen": anliegen,
            "title": selectors.title(anliegen, language),
            "checklist": checklist,
            "fee": amount,
            "fee_note": fee_note,
            "query": request.GET.urlencode(),
            "questions": question_rows(anliegen, language, answers),
            "actions": next_steps.for_anliegen(request, anliegen, request.GET.urlencode()),
        },
    )


def pdf(request, slug):
    anliegen, answers, error = _checklist_or_error(request, slug)
    if error:
        return error
    language = translation.get_language()
    checklist = build(anliegen, answers, language)
    amount, fee_note = fee(anliegen, answers)
    content = render_pdf_once(
        "catalogue/checklist_pdf.html",
        {
            "authority": request.authority,
            "title": selectors.title(anliegen, language),
            "anliegen": anliegen,
            "checklist": checklist,
            "fee": amount,
            "fee_note": fee_note,
        },
        language=language,
        kind="checklists",
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="checklist-{anliegen.slug}-{language}.pdf"'
    return response
