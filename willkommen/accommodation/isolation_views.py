"""Desk pages of isolation and quarantine: who is isolated where until when, one episode with its daily
supplies checklist, extending and ending it (starting one is on the placement page, ``views.py``)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from willkommen.accounts.decorators import desk_view
from willkommen.audit.services import record_read

from . import selectors, services
from .actions import act
from .forms import ExtendForm, SuppliesForm


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
    return act(
        request,
        SuppliesForm(request.POST),
        page=lambda form, status: _episode_page(request, episode, supplies_form=form, status=status),
        run=lambda data: services.record_supplies(
            request.authority, episode, actor=request.user, request=request, **data
        ),
        done=lambda _check: (_("Today's supplies are recorded."), redirect("accommodation:episode", pk=episode.pk)),
    )


@desk_view("accommodation.manage")
@require_POST
def episode_extend(request, pk):
    episode = _episode(request, pk)
    return act(
        request,
        ExtendForm(request.POST),
        page=lambda form, status: _episode_page(request, episode, extend_form=form, status=status),
        run=lambda data: services.extend_episode(
            request.authority, episode, planned_end=data["planned_end"], actor=request.user, request=request
        ),
        done=lambda _extended: (_("The planned end was changed."), redirect("accommodation:episode", pk=episode.pk)),
    )


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
