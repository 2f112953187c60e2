"""Desk pages of the accommodation room: accommodations with their occupancy, residents, placing,
moving and moving out. Every page that shows a client's data writes it to the audit log."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from willkommen.accounts.decorators import desk_view
from willkommen.audit.services import record_read
from willkommen.core.forms import form_status

from . import selectors, services
from .forms import (
    AccommodationForm,
    BlockForm,
    ExtendForm,
    IsolateForm,
    MoveForm,
    MoveOutForm,
    PlaceForm,
    RoomForm,
    SearchForm,
    SuppliesForm,
)
from .risk_panel import risk_context

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


@desk_view("accommodation.view")
def accommodation_list(request):
    """The occupancy view: per accommodation its beds, residents and free beds by kind (one query)."""
    rows = list(selectors.with_occupancy(request.authority))
    for row in rows:
        row.figures = selectors.occupancy_row(row)
    keys = ("beds", "occupied", "normal_free", "reserve_free", "isolation_free", "blocked")
    totals = {key: sum(r.figures[key] for r in rows if r.active or key == "occupied") for key in keys}
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


def _detail_page(request, accommodation, *, room_form=None, status=200):
    residents = list(selectors.current_placements(request.authority, accommodation))
    past = list(selectors.past_placements(request.authority, accommodation, limit=20))
    episodes = list(selectors.active_episodes(request.authority, accommodation))
    record_read(request, *residents, *past, purpose="accommodation: residents list")
    row = selectors.with_occupancy(request.authority, pk=accommodation.pk).get()
    figures = selectors.occupancy_row(row)
    by_placement = {e.placement_id: e for e in episodes}
    beds = list(selectors.beds_with_residents(request.authority, accommodation))
    for bed in beds:
        for stay in bed.current:
            stay.episode = by_placement.get(stay.pk)
    return render(
        request,
        "accommodation/detail.html",
        {
            "accommodation": accommodation,
            "residents": residents,
            "past": past,
            "beds": beds,
            "figures": figures,
            "occupied": figures["occupied"],
            "free": row.free,
            "room_form": room_form or RoomForm(),
            "can_manage": request.user.can("accommodation.manage"),
            "can_notify": request.user.can("messaging.send"),
            "can_open_file": request.user.can("clients.view"),
        },
        status=status,
    )


@desk_view("accommodation.view")
def accommodation_detail(request, pk):
    return _detail_page(request, _accommodation(request, pk))


@desk_view("accommodation.manage")
@require_POST
def add_room(request, pk):
    accommodation = _accommodation(request, pk)
    form = RoomForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, accommodation, room_form=form, status=400)
    try:
        services.add_room(
            request.authority,
            accommodation,
            floor=form.cleaned_data["floor"],
            name=form.cleaned_data["name"],
            beds=form.cleaned_data["beds"],
            kind=form.cleaned_data["kind"],
            rule=form.cleaned_data["rule"],
            actor=request.user,
        )
    except services.AccommodationError as error:
        form.add_error("name", error.message)
        return _detail_page(request, accommodation, room_form=form, status=409)
    messages.success(request, _("The room was added."))
    return redirect("accommodation:detail", pk=accommodation.pk)


def _bed(request, pk):
    found = selectors.get_bed(request.authority, pk)
    if found is None:
        raise Http404
    return found


@desk_view("accommodation.manage")
@require_POST
def bed_block(request, pk):
    bed = _bed(request, pk)
    form = BlockForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please give the reason for blocking."))
        return redirect("accommodation:detail", pk=bed.accommodation_id)
    try:
        services.block_bed(request.authority, bed, reason=form.cleaned_data["reason"], actor=request.user)
    except services.AccommodationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The bed is blocked."))
    return redirect("accommodation:detail", pk=bed.accommodation_id)


@desk_view("accommodation.manage")
@require_POST
def bed_unblock(request, pk):
    bed = _bed(request, pk)
    services.unblock_bed(request.authority, bed, actor=request.user)
    messages.success(request, _("The bed is free to use again."))
    return redirect("accommodation:detail", pk=bed.accommodation_id)


@desk_view("accommodation.manage")
def place(request, pk):
    from willkommen.clients.selectors import persons, search

    accommodation = _accommodation(request, pk)
    search_form = SearchForm(request.GET or None)
    query = search_form.cleaned_data["q"].strip() if search_form.is_valid() else ""
    found = []
    if query:
        found = list(search(request.authority, query).order_by("family_name", "given_names", "pk")[:SEARCH_LIMIT])
        record_read(request, *found, action="search", purpose="accommodation: find a client to place", detail=query)
        current = selectors.open_placements_by_person(request.authority, [f.pk for f in found])
        for person in found:
            person.current_placement = current.get(person.pk)

    initial = {}
    chosen = None
    if request.method == "GET" and request.GET.get("person", "").isdigit():
        chosen = persons(request.authority).filter(pk=int(request.GET["person"])).first()
        if chosen is not None:
            initial["person"] = chosen.pk
            record_read(request, chosen, purpose="accommodation: client chosen for placing")
    form = PlaceForm(_posted(request), initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        person = None
        if form.is_valid():
            person = persons(request.authority).filter(pk=form.cleaned_data["person"]).first()
            if person is None:
                form.add_error("person", _("No client with this number."))
        members = []
        if person is not None and form.is_valid():
            wanted = [pk for pk in form.cleaned_data["household"] if pk != person.pk]
            members = list(persons(request.authority).filter(pk__in=wanted))
            if len(members) != len(wanted):
                form.add_error("household", _("No client with this number."))
        if person is not None and form.is_valid():
            try:
                if members:
                    services.place_household(
                        request.authority,
                        [person, *members],
                        accommodation,
                        moved_in=form.cleaned_data["moved_in"],
                        placed_by=request.user,
                        request=request,
                    )
                else:
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


def _placement_page(
    request, placement, *, move_form=None, move_out_form=None, isolate_form=None, risk_form=None, status=200
):
    record_read(request, placement, purpose="accommodation: placement")
    can_manage = request.user.can("accommodation.manage")
    episode = selectors.open_episode(request.authority, placement.person_id)
    return render(
        request,
        "accommodation/placement.html",
        {
            "placement": placement,
            "person": placement.person,
            "history": selectors.placements_of(request.authority, placement.person),
            "episode": episode,
            "can_manage": can_manage and placement.is_open,
            "can_isolate": can_manage and placement.is_open and episode is None,
            # Refusals of an action on a closed stay (whose forms are not shown any more).
            "problems": [
                e for f in (move_form, move_out_form, isolate_form) if f is not None for e in f.non_field_errors()
            ],
            "can_open_file": request.user.can("clients.view"),
            "move_form": move_form or MoveForm(authority=request.authority),
            "move_out_form": move_out_form or MoveOutForm(),
            "isolate_form": isolate_form or IsolateForm(),
            **risk_context(request, placement.person, risk_form),
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
            request.authority,
            placement,
            on=form.cleaned_data["moved_out"],
            to=form.cleaned_data["to"],
            actor=request.user,
            request=request,
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


# --- isolation and quarantine -------------------------------------------------------------------------


@desk_view("accommodation.manage")
@require_POST
def placement_isolate(request, pk):
    placement = _placement(request, pk)
    form = IsolateForm(request.POST)
    if not form.is_valid():
        return _placement_page(request, placement, isolate_form=form, status=400)
    try:
        episode = services.isolate(
            request.authority,
            placement,
            kind=form.cleaned_data["kind"],
            reason=form.cleaned_data["reason"],
            starts_on=form.cleaned_data["starts_on"],
            planned_end=form.cleaned_data["planned_end"],
            actor=request.user,
            request=request,
        )
    except services.AccommodationError as error:
        current = selectors.open_episode(request.authority, placement.person_id)
        if current is not None and current.home_bed_id == placement.bed_id and placement.moved_out == current.starts_on:
            return redirect("accommodation:episode", pk=current.pk)  # a second submit of the same form
        form.add_error(None, error.message)
        return _placement_page(request, placement, isolate_form=form, status=409)
    messages.success(
        request,
        _("%(name)s is now on bed %(bed)s until %(end)s.")
        % {"name": placement.person.full_name, "bed": str(episode.bed), "end": services._day(episode.planned_end)},
    )
    return redirect("accommodation:episode", pk=episode.pk)


@desk_view("accommodation.view")
def isolation_overview(request):
    """Who is isolated or quarantined where and until when, the soonest end first."""
    episodes = list(selectors.active_episodes(request.authority))
    record_read(request, *episodes, purpose="accommodation: isolation overview")
    return render(request, "accommodation/isolation.html", {"episodes": episodes, "today": timezone.localdate()})


def _episode(request, pk):
    found = selectors.get_episode(request.authority, pk)
    if found is None:
        raise Http404
    return found


def _episode_page(request, episode, *, supplies_form=None, extend_form=None, status=200):
    record_read(request, episode, purpose="accommodation: isolation or quarantine")
    today = timezone.localdate()
    checks = list(selectors.supply_checks(request.authority, episode))
    todays = next((c for c in checks if c.day == today), None)
    initial = (
        {"meals": todays.meals, "medicine": todays.medicine, "contact": todays.contact, "note": todays.note}
        if todays
        else None
    )
    active = selectors.is_active(episode, today)
    return render(
        request,
        "accommodation/episode.html",
        {
            "episode": episode,
            "person": episode.person,
            "active": active,
            "checks": checks,
            "todays": todays,
            "can_manage": request.user.can("accommodation.manage") and active,
            "supplies_form": supplies_form or SuppliesForm(initial=initial),
            "extend_form": extend_form or ExtendForm(initial={"planned_end": episode.planned_end}),
        },
        status=status,
    )


@desk_view("accommodation.view")
def episode_detail(request, pk):
    return _episode_page(request, _episode(request, pk))


@desk_view("accommodation.manage")
@require_POST
def episode_supplies(request, pk):
    episode = _episode(request, pk)
    form = SuppliesForm(request.POST)
    if not form.is_valid():
        return _episode_page(request, episode, supplies_form=form, status=400)
    try:
        services.record_supplies(request.authority, episode, actor=request.user, request=request, **form.cleaned_data)
    except services.AccommodationError as error:
        form.add_error(None, error.message)
        return _episode_page(request, episode, supplies_form=form, status=409)
    messages.success(request, _("Today's supplies are recorded."))
    return redirect("accommodation:episode", pk=episode.pk)


@desk_view("accommodation.manage")
@require_POST
def episode_extend(request, pk):
    episode = _episode(request, pk)
    form = ExtendForm(request.POST)
    if not form.is_valid():
        return _episode_page(request, episode, extend_form=form, status=400)
    try:
        services.extend_episode(
            request.authority,
            episode,
            planned_end=form.cleaned_data["planned_end"],
            actor=request.user,
            request=request,
        )
    except services.AccommodationError as error:
        form.add_error(None, error.message)
        return _episode_page(request, episode, extend_form=form, status=409)
    messages.success(request, _("The planned end was changed."))
    return redirect("accommodation:episode", pk=episode.pk)


@desk_view("accommodation.manage")
@require_POST
def episode_end(request, pk):
    episode = _episode(request, pk)
    try:
        ended = services.end_episode(request.authority, episode, actor=request.user, request=request)
    except services.AccommodationError as error:
        messages.info(request, error.message)  # ended already (a second click, or the job): nothing to do
        return redirect("accommodation:episode", pk=episode.pk)
    if ended.moved_back:
        messages.success(request, _("The episode has ended; the resident is back on a normal bed."))
    else:
        messages.warning(
            request, _("The episode has ended, but no normal bed is free: the resident stays on this bed.")
        )
    return redirect("accommodation:episode", pk=episode.pk)
