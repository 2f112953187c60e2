"""Desk pages of the template store (capability ``messaging.templates``, the authority's administrator):
every automatic text with its version in each language, a preview in all eight languages, and
editing one language with a preview before saving. A save is a new version; the next message uses it."""

from django.conf import settings
from django.contrib import messages as flash
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from willkommen.accounts.decorators import desk_view

from . import template_texts, texts
from .forms import TemplateForm


def _definition(key):
    try:
        return template_texts.get(key)
    except KeyError:
        raise Http404 from None


def _language(language):
    names = dict(settings.LANGUAGES)
    if language not in names:
        raise Http404
    return {"code": language, "name": names[language], "dir": "rtl" if language in settings.LANGUAGES_BIDI else "ltr"}


@desk_view("messaging.templates")
def overview(request):
    """Every automatic text by topic, its version per language; translations older than the German are marked."""
    rows = texts.overview(request.authority)
    groups = [
        {"label": label, "rows": [r for r in rows if r["definition"].group == group]}
        for group, label in template_texts.GROUPS.items()
    ]
    return render(
        request,
        "messaging/desk_templates.html",
        {
            "groups": groups,
            "languages": [_language(code) for code in texts.languages()],
            "problems": texts.problems(request.authority),
        },
    )


@desk_view("messaging.templates")
def detail(request, key):
    """One text in all eight languages, filled with sample values."""
    definition = _definition(key)
    previews = []
    for code in texts.languages():
        version = texts.current(request.authority, key, code)
        previews.append(
            {"language": _language(code), "version": version, "rendered": texts.sample(request.authority, key, code)}
        )
    return render(request, "messaging/desk_template.html", {"definition": definition, "previews": previews})


def _initial(request, key, language):
    """The text to start from: the version asked for (?version=N, 0 = shipped), else the one in force."""
    current = texts.current(request.authority, key, language)
    wanted = request.GET.get("version", "")
    if wanted.isdigit():
        if int(wanted) == 0:
            shipped = template_texts.shipped(key, language)
            if shipped:
                return {"subject": shipped[0], "body": shipped[1]}
        row = texts.history(request.authority, key, language).filter(version=int(wanted)).first()
        if row is not None:
            return {"subject": row.subject, "body": row.body}
    return {"subject": current.subject, "body": current.body} if current else {}


@desk_view("messaging.templates")
def edit(request, key, language):
    definition = _definition(key)
    lang = _language(language)
    form = TemplateForm(request.POST or None, key=key, initial=_initial(request, key, language))
    preview = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            subject, body = form.cleaned_data["subject"], form.cleaned_data["body"]
            if "save" in request.POST:
                try:
                    texts.save_version(request.authority, key, language, subject=subject, body=body, user=request.user)
                except texts.TemplateError as error:
                    for message in error.errors:
                        form.add_error(None, message)
                    status = 409
                else:
                    flash.success(request, _("Saved as a new version. The next message uses it."))
                    return redirect("messaging:desk_template", key=key)
            else:
                preview = texts.sample(request.authority, key, language, subject=subject, body=body)
        else:
            status = 400
    context = {
        "definition": definition,
        "language": lang,
        "form": form,
        "preview": preview,
        "current": texts.current(request.authority, key, language),
        "history": texts.history(request.authority, key, language)[:20],
    }
    return render(request, "messaging/desk_template_edit.html", context, status=status)
