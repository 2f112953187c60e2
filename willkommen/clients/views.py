from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from willkommen.accounts.decorators import desk_view
from willkommen.audit.services import record
from willkommen.core.forms import form_status

from . import selectors, services
from .forms import PersonForm, ResidenceEntryForm, SearchForm
from .models import Person

PAGE_SIZE = 50


def _person_or_404(request, pk):
    try:
        return selectors.get_person(request.authority, pk)
    except Person.DoesNotExist:
        raise Http404


@desk_view("clients.view")
def person_list(request):
    form = SearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    people = selectors.search(request.authority, query)[:PAGE_SIZE] if query else []
    if query:
        record(authority=request.authority, action="search", request=request, purpose="person search", detail=query)
    return render(
        request,
        "clients/person_list.html",
        {"form": form, "people": people, "query": query, "can_edit": request.user.can("clients.edit")},
    )


@desk_view("clients.edit")
def person_create(request):
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.instance.authority = request.authority
            person = form.save()
            record(authority=request.authority, action="create", person_id=person.pk, obj=person, request=request)
        duplicates = services.find_duplicates(person)
        if duplicates:
            messages.warning(request, _("This person may already exist. Please check the possible duplicates."))
            return redirect("clients:duplicates", pk=person.pk)
        return redirect("clients:detail", pk=person.pk)
    return render(request, "clients/person_form.html", {"form": form}, status=form_status(form))


@desk_view("clients.view")
def person_detail(request, pk):
    person = _person_or_404(request, pk)
    purpose = request.GET.get("purpose", "")[:200] or "casework"
    record(
        authority=request.authority, action="read", person_id=person.pk, obj=person, request=request, purpose=purpose
    )
    return render(
        request,
        "clients/person_detail.html",
        {
            "person": person,
            "entries": person.residence_entries.all(),
            "aliases": person.aliases.all(),
            "entry_form": ResidenceEntryForm(),
            "can_edit": request.user.can("clients.edit"),
            "can_merge": request.user.can("clients.merge"),
        },
    )


@desk_view("clients.edit")
def person_edit(request, pk):
    person = _person_or_404(request, pk)
    form = PersonForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        form.save()
        record(authority=request.authority, action="update", person_id=person.pk, obj=person, request=request)
        messages.success(request, _("Saved."))
        return redirect("clients:detail", pk=person.pk)
    return render(request, "clients/person_form.html", {"form": form, "person": person}, status=form_status(form))


@desk_view("clients.edit")
@require_POST
def residence_add(request, pk):
    person = _person_or_404(request, pk)
    form = ResidenceEntryForm(request.POST)
    if form.is_valid():
        entry = form.save(commit=False)
        entry.authority = request.authority
        entry.person = person
        entry.save()
        record(authority=request.authority, action="create", person_id=person.pk, obj=entry, request=request)
        messages.success(request, _("Entry added."))
        return redirect("clients:detail", pk=person.pk)
    return render(
        request,
        "clients/person_detail.html",
        {
            "person": person,
            "entries": person.residence_entries.all(),
            "aliases": person.aliases.all(),
            "entry_form": form,
            "can_edit": True,
            "can_merge": request.user.can("clients.merge"),
        },
        status=400,
    )


@desk_view("clients.view")
def duplicates(request, pk):
    person = _person_or_404(request, pk)
    candidates = services.find_duplicates(person)
    record(
        authority=request.authority,
        action="read",
        person_id=person.pk,
        obj=person,
        request=request,
        purpose="duplicate check",
    )
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
