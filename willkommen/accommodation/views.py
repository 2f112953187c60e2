"""Desk pages of the accommodation room: accommodations with their occupancy, residents, placing,
moving and moving out. Every page that shows a client's data writes it to the audit log."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from willkommen.accounts.decorators import desk_view
from willkommen.audit.services import record
from willkommen.core.forms import form_status

from . import selectors, services
from .forms import AccommodationForm, MoveForm, MoveOutForm, PlaceForm, SearchForm

SEARCH_LIMIT = 20


def _accommodation(request, pk):
    found = selectors.get_accommodation(request.authority, pk)
    if found is None:
        raise Http404
    return found


def _placement(request, pk):
    found = selectors.get_placement(request.authority, pk)
    if found is None:
        raise Http404
    return found


def _posted(request):
    """The submitted data for a form, also when it is empty (so an empty POST is refused, not ignored)."""
    return request.POST if request.method == "POST" else None


def _read(request, person_id, obj, purpose):
    record(authority=request.authority, action="read", person_id=person_id, obj=obj, request=request, purpose=purpose)


@desk_view("accommodation.view")
def accommodation_list(request):
    rows = list(selectors.with_occupancy(request.authority))
    totals = {
        "capacity": sum(a.capacity for a in rows if a.active),
        "occupied": sum(a.occupied for a in rows),
    }
    totals["free"] = max(totals["capacity"] - sum(a.occupied for a in rows if a.active), 0)
    return render(
        request,
        "accommodation/list.html",
        {"accommodations": rows, "totals": totals, "can_manage": request.user.can("accommodation.manage")},
    )


def _save(request, form, status_ok=200):
    """Save the accommodation form through the service; returns the saved object or None (errors on the form)."""
    if not form.is_valid():
        return None
    try:
        return services.save_accommodation(request.authority, form.instance)
    except services.AccommodationError as error:
        form.add_error("name" if error.code == "name" else "capacity", error.message)
        return None


@desk_view("accommodation.manage")
def accommodation_create(request):
    form = AccommodationForm(_posted(request))
    if request.method == "POST":
        form.instance.authority = request.authority
        saved = _save(request, form)
        if saved is not None:
            messages.success(request, _("The accommodation was saved."))
            return redirect("accommodation:detail", pk=saved.pk)
    return render(request, "accommodation/form.html", {"form": form}, status=form_status(form))


@desk_view("accommodation.manage")
def accommodation_edit(request, pk):
    accommodation = _accommodation(request, pk)
    form = AccommodationForm(_posted(request), instance=accommodation)
    if request.method == "POST":
        saved = _save(request, form)
        if saved is not None:
            messages.success(request, _("The accommodation was saved."))
            return redirect("accommodation:detail", pk=saved.pk)
    return render(
        request, "accommodation/form.html", {"form": form, "accommodation": accommodation}, status=form_status(form)
    )


@desk_view("accommodation.view")
def accommodation_detail(request, pk):
    accommodation = _accommodation(request, pk)
    residents = list(selectors.current_placements(request.authority, accommodation))
    past = list(selectors.past_placements(request.authority, accommodation, limit=20))
    for placement in residents + past:
        _read(request, placement.person_id, placement, "accommodation: residents list")
    occupied = len(residents)
    return render(
        request,
        "accommodation/detail.html",
        {
            "accommodation": accommodation,
            "residents": residents,
            "past": past,
            "occupied": occupied,
            "free": max(accommodation.capacity - occupied, 0),
            "can_manage": request.user.can("accommodation.manage"),
            "can_notify": request.user.can("messaging.send"),
            "can_open_file": request.user.can("clients.view"),
        },
    )


@desk_view("accommodation.manage")
def place(request, pk):
    from willkommen.clients.selectors import persons, search

    accommodation = _accommodation(request, pk)
    search_form = SearchForm(request.GET or None)
    query = search_form.cleaned_data["q"].strip() if search_form.is_valid() else ""
    found = []
    if query:
        found = list(search(request.authority, query).order_by("family_name", "given_names", "pk")[:SEARCH_LIMIT])
        record(
            authority=request.authority,
            action="search",
            request=request,
            purpose="accommodation: find a client to place",
            detail=query,
        )
        current = selectors.open_placements_by_person(request.authority, [f.pk for f in found])
        for person in found:
            person.current_placement = current.get(person.pk)

    initial = {}
    chosen = None
    if request.method == "GET" and request.GET.get("person", "").isdigit():
        chosen = persons(request.authority).filter(pk=int(request.GET["person"])).first()
        if chosen is not None:
            initial["person"] = chosen.pk
            _read(request, chosen.pk, chosen, "accommodation: client chosen for placing")
    form = PlaceForm(_posted(request), initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        person = None
        if form.is_valid():
            person = persons(request.authority).filter(pk=form.cleaned_data["person"]).first()
            if person is None:
                form.add_error("person", _("No client with this number."))
        if person is not None and form.is_valid():
            try:
                services.place(
                    request.authority,
                    person,
                    accommodation,
                    moved_in=form.cleaned_data["moved_in"],
                    unit=form.cleaned_data["unit"],
                    placed_by=request.user,
                    request=request,
                )
            except services.AccommodationError as error:
                form.add_error(None, error.message)
                status = 409
            else:
                messages.success(
                    request,
                    _("%(name)s now lives in %(accommodation)s.")
                    % {"name": person.full_name, "accommodation": accommodation.name},
                )
                return redirect("accommodation:detail", pk=accommodation.pk)
    return render(
        request,
        "accommodation/place.html",
        {
            "accommodation": accommodation,
            "occupied": selectors.occupancy(request.authority, accommodation),
            "form": form,
            "search_form": search_form,
            "query": query,
            "found": found,
            "chosen": chosen,
        },
        status=status,
    )


def _placement_page(request, placement, *, move_form=None, move_out_form=None, status=200):
    _read(request, placement.person_id, placement, "accommodation: placement")
    can_manage = request.user.can("accommodation.manage")
    return render(
        request,
        "accommodation/placement.html",
        {
            "placement": placement,
            "person": placement.person,
            "history": selectors.placements_of(request.authority, placement.person),
            "can_manage": can_manage and placement.is_open,
            # Refusals of an action on a closed stay (whose forms are not shown any more).
            "problems": [e for f in (move_form, move_out_form) if f is not None for e in f.non_field_errors()],
            "can_open_file": request.user.can("clients.view"),
            "move_form": move_form or MoveForm(authority=request.authority),
            "move_out_form": move_out_form or MoveOutForm(),
        },
        status=status,
    )


@desk_view("accommodation.view")
def placement_detail(request, pk):
    return _placement_page(request, _placement(request, pk))


@desk_view("accommodation.manage")
@require_POST
def placement_move(request, pk):
    placement = _placement(request, pk)
    form = MoveForm(request.POST, authority=request.authority)
    if not form.is_valid():
        return _placement_page(request, placement, move_form=form, status=400)
    try:
        new = services.move(
            request.authority,
            placement,
            form.cleaned_data["accommodation"],
            on=form.cleaned_data["moved_on"],
            unit=form.cleaned_data["unit"],
            placed_by=request.user,
            request=request,
        )
    except services.AccommodationError as error:
        form.add_error(None, error.message)
        return _placement_page(request, placement, move_form=form, status=409)
    messages.success(
        request,
        _("%(name)s now lives in %(accommodation)s.")
        % {"name": new.person.full_name, "accommodation": new.accommodation.name},
    )
    return redirect("accommodation:placement", pk=new.pk)


@desk_view("accommodation.manage")
@require_POST
def placement_move_out(request, pk):
    placement = _placement(request, pk)
    form = MoveOutForm(request.POST)
    if not form.is_valid():
        return _placement_page(request, placement, move_out_form=form, status=400)
    try:
        services.move_out(
            request.authority, placement, on=form.cleaned_data["moved_out"], actor=request.user, request=request
        )
    except services.AccommodationError as error:
        form.add_error(None, error.message)
        return _placement_page(request, placement, move_out_form=form, status=409)
    messages.success(
        request,
        _("%(name)s moved out of %(accommodation)s.")
        % {"name": placement.person.full_name, "accommodation": placement.accommodation.name},
    )
    return redirect("accommodation:detail", pk=placement.accommodation_id)
