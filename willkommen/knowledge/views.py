"""Pages of the knowledge room. Portal: the forms library (download) and the news, in the client's
language (German where a translation is missing, with a note). Desk: forms and news (``knowledge.edit``),
country notes (read ``knowledge.view``, change ``knowledge.edit``). Everything is of the request's
authority; another authority's objects answer 404."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from willkommen.accounts.decorators import desk_view
from willkommen.core.forms import form_status

from . import selectors, services
from .forms import CountryNoteForm, NewsForm, PublicFormForm


def _language():
    return (get_language() or "de").split("-")[0]


def _authority(request):
    if request.authority is None:
        raise Http404
    return request.authority


def _or_404(found):
    if found is None:
        raise Http404
    return found


def _posted(request):
    return request.POST if request.method == "POST" else None


# --- portal -----------------------------------------------------------------------------------------


def form_list(request):
    authority = _authority(request)
    shown = selectors.portal_forms(authority, _language())
    return render(request, "knowledge/forms.html", {"forms": shown, "language": _language()})


def form_download(request, pk):
    form = _or_404(selectors.get_form(_authority(request), pk, active_only=True))
    try:
        handle = form.file.open("rb")
    except (FileNotFoundError, OSError) as error:
        raise Http404 from error
    response = FileResponse(handle, as_attachment=True, filename=form.file_name, content_type="application/pdf")
    response["X-Content-Type-Options"] = "nosniff"
    return response


def news_list(request):
    authority = _authority(request)
    return render(request, "knowledge/news.html", {"news": selectors.current_news(authority, _language())})


# --- desk: forms ------------------------------------------------------------------------------------


@desk_view("knowledge.edit")
def desk_forms(request):
    shown = [
        selectors.Shown(f, *selectors.pick_text(f.texts.all(), _language())) for f in selectors.forms(request.authority)
    ]
    return render(request, "knowledge/desk_forms.html", {"forms": shown})


def _form_page(request, instance):
    form = PublicFormForm(
        _posted(request), request.FILES or None, authority=request.authority, language=_language(), instance=instance
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_form(
                request.authority,
                request.user,
                form=instance,
                uploaded_file=form.cleaned_data.get("file") or None,
                texts=form.texts(),
                anliegen=form.chosen_anliegen(),
                position=form.cleaned_data["position"],
                active=form.cleaned_data["active"],
                submission=form.submission_key() if instance is None else None,
            )
        except services.KnowledgeError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("The form was saved."))
            return redirect("knowledge:desk_forms")
    return render(
        request, "knowledge/desk_form_edit.html", {"form": form, "instance": instance}, status=form_status(form)
    )


@desk_view("knowledge.edit")
def desk_form_create(request):
    return _form_page(request, None)


@desk_view("knowledge.edit")
def desk_form_edit(request, pk):
    return _form_page(request, _or_404(selectors.get_form(request.authority, pk)))


@desk_view("knowledge.edit")
@require_POST
def desk_form_delete(request, pk):
    form = selectors.get_form(request.authority, pk)
    if form is not None:  # a second click finds it gone: done once
        services.delete_form(request.authority, request.user, form)
        messages.success(request, _("The form was removed."))
    return redirect("knowledge:desk_forms")


# --- desk: news -------------------------------------------------------------------------------------


@desk_view("knowledge.edit")
def desk_news(request):
    language = _language()
    shown = [
        selectors.Shown(n, *selectors.pick_text(n.texts.all(), language)) for n in selectors.news(request.authority)
    ]
    current = set(selectors.news(request.authority).filter(selectors.current_filter()).values_list("pk", flat=True))
    return render(request, "knowledge/desk_news.html", {"news": shown, "current": current})


def _news_page(request, instance):
    form = NewsForm(_posted(request), instance=instance)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.save_news(
                request.authority,
                request.user,
                item=instance,
                kind=data["kind"],
                visible_from=data["visible_from"],
                visible_until=data.get("visible_until"),
                texts=form.texts(),
                submission=form.submission_key() if instance is None else None,
            )
        except services.KnowledgeError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("The news item was saved."))
            return redirect("knowledge:desk_news")
    return render(
        request, "knowledge/desk_news_edit.html", {"form": form, "instance": instance}, status=form_status(form)
    )


@desk_view("knowledge.edit")
def desk_news_create(request):
    return _news_page(request, None)


@desk_view("knowledge.edit")
def desk_news_edit(request, pk):
    return _news_page(request, _or_404(selectors.get_news(request.authority, pk)))


@desk_view("knowledge.edit")
@require_POST
def desk_news_delete(request, pk):
    item = selectors.get_news(request.authority, pk)
    if item is not None:
        services.delete_news(request.authority, request.user, item)
        messages.success(request, _("The news item was removed."))
    return redirect("knowledge:desk_news")


# --- desk: country notes ----------------------------------------------------------------------------


@desk_view("knowledge.view")
def countries(request):
    return render(
        request,
        "knowledge/countries.html",
        {"notes": selectors.country_notes(request.authority), "can_edit": request.user.can("knowledge.edit")},
    )


@desk_view("knowledge.view")
def country_detail(request, pk):
    from . import sharing

    note = _or_404(selectors.get_country_note(request.authority, pk))
    share = getattr(note, "share", None)  # no sharing row: None
    context = {
        "note": note,
        "can_edit": request.user.can("knowledge.edit"),
        "change": sharing.source_change(note),
        "published": bool(share and share.published),
        "source_authority": share.source.authority if share and share.source else None,
    }
    return render(request, "knowledge/country.html", context)


def _country_page(request, instance):
    form = CountryNoteForm(_posted(request), instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            note = services.save_country_note(request.authority, request.user, form.instance)
        except services.KnowledgeError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("The country note was saved."))
            return redirect("knowledge:country", pk=note.pk)
    return render(request, "knowledge/country_edit.html", {"form": form, "note": instance}, status=form_status(form))


@desk_view("knowledge.edit")
def country_create(request):
    return _country_page(request, None)


@desk_view("knowledge.edit")
def country_edit(request, pk):
    return _country_page(request, _or_404(selectors.get_country_note(request.authority, pk)))
