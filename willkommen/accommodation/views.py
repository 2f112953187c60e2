"""Desk pages of the accommodation room: accommodations with their occupancy, rooms and beds, residents, one
stay with moving, moving out and starting isolation. Every page that shows a client's data writes it to the
audit log. Elsewhere: placing a client (``place_views.py``), isolation and quarantine (``isolation_views.py``),
usage times (``usage.py``), arrivals and risk flags (``arrival_views.py``); the POST pattern they share is
``actions.act``."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from willkommen.accounts.decorators import desk_view
from willkommen.audit.services import record_read
from willkommen.core.forms import form_status

from . import selectors, services
from .actions import accommodation_or_404, act, posted
from .errors import day
from .forms import (
    AccommodationForm,
    BlockForm,
    IsolateForm,
    MoveForm,
    MoveOutForm,
    RoomForm,
)
from .risk_panel import risk_context


def _placement(request, pk):
    found = selectors.get_placement(request.authority, pk)
    if found is None:
        raise Http404
    return found


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
    form = AccommodationForm(posted(request))
    if request.method == "POST":
        form.instance.authority = request.authority
        saved = _save(request, form)
        if saved is not None:
            messages.success(request, _("The accommodation was saved."))
            return redirect("accommodation:detail", pk=saved.pk)
    return render(request, "accommodation/form.html", {"form": form}, status=form_status(form))


@desk_view("accommodation.manage")
def accommodation_edit(request, pk):
    accommodation = accommodation_or_404(request, pk)
    form = AccommodationForm(posted(request), instance=accommodation)
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
    return _detail_page(request, accommodation_or_404(request, pk))


@desk_view("accommodation.manage")
@require_POST
def add_room(request, pk):
    accommodation = accommodation_or_404(request, pk)
    return act(
        request,
        RoomForm(request.POST),
        page=lambda form, status: _detail_page(request, accommodation, room_form=form, status=status),
        run=lambda data: services.add_room(request.authority, accommodation, **data, actor=request.user),
        done=lambda _room: (_("The room was added."), redirect("accommodation:detail", pk=accommodation.pk)),
        field="name",
    )


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

    def run(data):
        return services.move(
            request.authority,
            placement,
            data["accommodation"],
            on=data["moved_on"],
            unit=data["unit"],
            placed_by=request.user,
            request=request,
        )

    def done(new):
        message = _("%(name)s now lives in %(accommodation)s.") % {
            "name": new.person.full_name,
            "accommodation": new.accommodation.name,
        }
        return message, redirect("accommodation:placement", pk=new.pk)

    return act(
        request,
        MoveForm(request.POST, authority=request.authority),
        page=lambda form, status: _placement_page(request, placement, move_form=form, status=status),
        run=run,
        done=done,
    )


@desk_view("accommodation.manage")
@require_POST
def placement_move_out(request, pk):
    placement = _placement(request, pk)
    message = _("%(name)s moved out of %(accommodation)s.") % {
        "name": placement.person.full_name,
        "accommodation": placement.accommodation.name,
    }
    return act(
        request,
        MoveOutForm(request.POST),
        page=lambda form, status: _placement_page(request, placement, move_out_form=form, status=status),
        run=lambda data: services.move_out(
            request.authority, placement, on=data["moved_out"], to=data["to"], actor=request.user, request=request
        ),
        done=lambda _stay: (message, redirect("accommodation:detail", pk=placement.accommodation_id)),
    )


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
        % {"name": placement.person.full_name, "bed": str(episode.bed), "end": day(episode.planned_end)},
    )
    return redirect("accommodation:episode", pk=episode.pk)
