from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from willkommen.accounts.decorators import desk_view
from willkommen.audit.services import record, record_read
from willkommen.core.forms import form_status

from . import selectors, services
from .forms import ConfirmEntryForm, PersonForm, ResidenceEntryForm, SearchForm
from .models import Person, ResidenceEntry, ResidenceSource
from .visibility import Resource, visible_persons

PAGE_SIZE = 50


def _person_or_404(request, pk):
    """A person the user may see (``visibility.Resource.PERSON``), else 404."""
    try:
        return selectors.get_person(
            request.authority, pk, within=visible_persons(request.user, request.authority, Resource.PERSON)
        )
    except Person.DoesNotExist:
        raise Http404


@desk_view("clients.view")
def person_list(request):
    form = SearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    people = list(selectors.search(request.authority, query)[:PAGE_SIZE]) if query else []
    if query:
        record_read(request, *people, action="search", purpose="person search", detail=query)
    return render(
        request,
        "clients/person_list.html",
        {"form": form, "people": people, "query": query, "can_edit": request.user.can("clients.edit")},
    )


def _next_for_person(request):
    """Where to go on with the new person (``next``: a local desk path, e.g. the case intake prefilled from a
    booking; the person's id is added as ``person``), or ""."""
    from django.utils.http import url_has_allowed_host_and_scheme

    target = (request.POST.get("next") or request.GET.get("next") or "")[:2000]
    local = target.startswith("/") and not target.startswith("//") and "\\" not in target
    if local and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return ""


@desk_view("clients.edit")
def person_create(request):
    form = PersonForm(request.POST or None)
    after = _next_for_person(request)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.instance.authority = request.authority
            person = form.save()
            record(authority=request.authority, action="create", person_id=person.pk, obj=person, request=request)
        duplicates = services.find_duplicates(person)
        if duplicates:
            messages.warning(request, _("This person may already exist. Please check the possible duplicates."))
            return redirect("clients:duplicates", pk=person.pk)
        if after:
            return redirect(f"{after}{'&' if '?' in after else '?'}person={person.pk}")
        return redirect("clients:detail", pk=person.pk)
    return render(request, "clients/person_form.html", {"form": form, "next": after}, status=form_status(form))


def _detail_context(request, person, **extra):
    """The person page: data, other names and the residence timeline (newest first) with the entry in
    force today; unverified (declared) entries carry a confirm form for those who may edit."""
    today = timezone.localdate()
    entries = list(selectors.residence_history(person))
    current = selectors.current_title(person, today)
    can_edit = request.user.can("clients.edit")
    return {
        "person": person,
        "entries": entries,
        "current": current,
        "today": today,
        "aliases": person.aliases.all(),
        "entry_form": ResidenceEntryForm(),
        "confirmations": [(e, ConfirmEntryForm(entry=e)) for e in entries if not e.verified] if can_edit else [],
        "can_edit": can_edit,
        "can_merge": request.user.can("clients.merge"),
        "can_open_case": request.user.can("cases.open"),  # the cases room's desk intake (a capability, no import)
        **extra,
    }


@desk_view("clients.view")
def person_detail(request, pk):
    person = _person_or_404(request, pk)
    purpose = request.GET.get("purpose", "")[:200] or "casework"
    record_read(request, person, purpose=purpose)
    return render(request, "clients/person_detail.html", _detail_context(request, person))


@desk_view("clients.edit")
def person_edit(request, pk):
    person = _person_or_404(request, pk)
    form = PersonForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        form.save()
        record(authority=request.authority, action="update", person_id=person.pk, obj=person, request=request)
        messages.success(request, _("Saved."))
        return redirect("clients:detail", pk=person.pk)
    record_read(request, person, purpose="edit form")
    return render(request, "clients/person_form.html", {"form": form, "person": person}, status=form_status(form))


@desk_view("clients.edit")
@require_POST
def residence_add(request, pk):
    person = _person_or_404(request, pk)
    form = ResidenceEntryForm(request.POST)
    if form.is_valid():
        with transaction.atomic():
            entry = services.record_residence(
                person, **form.cleaned_data, source=ResidenceSource.STAFF, actor=request.user
            )
            record(authority=request.authority, action="create", person_id=person.pk, obj=entry, request=request)
        messages.success(request, _("Entry added."))
        return redirect("clients:detail", pk=person.pk)
    record_read(request, person, purpose="residence entry form")
    return render(request, "clients/person_detail.html", _detail_context(request, person, entry_form=form), status=400)


@desk_view("clients.edit")
@require_POST
def residence_confirm(request, pk, entry_id):
    """Confirm a declared entry against the document (correcting its dates or number); twice is once."""
    person = _person_or_404(request, pk)
    entry = ResidenceEntry.objects.filter(authority=request.authority, person=person, pk=entry_id).first()
    if entry is None:
        raise Http404
    form = ConfirmEntryForm(request.POST, entry=entry)
    if form.is_valid():
        try:
            services.confirm_residence_entry(entry, request.user, request=request, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Entry confirmed."))
            return redirect(reverse("clients:detail", args=[person.pk]) + "#residence")
    record_read(request, person, purpose="residence entry confirmation")
    context = _detail_context(request, person)
    context["confirmations"] = [(e, form if e.pk == entry.pk else f) for e, f in context["confirmations"]]
    return render(request, "clients/person_detail.html", context, status=400)


@desk_view("clients.view")
def duplicates(request, pk):
    person = _person_or_404(request, pk)
    candidates = services.find_duplicates(person)
    record_read(request, person, *candidates, purpose="duplicate check")
    return render(
        request,
        "clients/duplicates.html",
        {"person": person, "candidates": candidates, "can_merge": request.user.can("clients.merge")},
    )


@desk_view("clients.merge")
@require_POST
def merge(request, pk):
    survivor = _person_or_404(request, pk)
    try:
        other_pk = int(request.POST.get("other", ""))
    except ValueError:
        return render(request, "core/error.html", {"title": _("Please choose a person to merge.")}, status=400)
    other = _person_or_404(request, other_pk)
    try:
        services.merge(survivor, other, actor=request.user, request=request)
    except ValueError:
        return render(request, "core/error.html", {"title": _("These records cannot be merged.")}, status=400)
    messages.success(request, _("The records were merged. Every entry of both is kept."))
    return redirect("clients:detail", pk=survivor.pk)
