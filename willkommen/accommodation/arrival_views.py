"""Desk pages for arrivals (issue 19 item 6) and for residents at risk (item 4)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from willkommen.accounts.decorators import desk_view
from willkommen.audit.services import record_read

from . import arrivals, risk, selectors, services
from .forms import ArrivalForm, ArrivalPlaceForm, RiskFlagForm
from .models import ArrivalState


def _arrival(request, pk):
    found = selectors.get_arrival(request.authority, pk)
    if found is None:
        raise Http404
    return found


def _list_page(request, form=None, status=200):
    announced = list(selectors.arrivals(request.authority))
    proposals = selectors.proposals(request.authority, announced)
    for arrival in announced:
        arrival.proposal = proposals.get(arrival.pk)
    closed = selectors.arrivals(request.authority, state=None).exclude(state=ArrivalState.ANNOUNCED)
    return render(
        request,
        "accommodation/arrivals.html",
        {
            "announced": announced,
            "closed": closed.order_by("-closed_at", "-pk")[:20],
            "form": form or ArrivalForm(),
            "can_manage": request.user.can("accommodation.manage"),
        },
        status=status,
    )


@desk_view("accommodation.view")
def arrival_list(request):
    """The arrivals queue: announced households by expected day, each with the free beds that fit it."""
    return _list_page(request)


@desk_view("accommodation.manage")
@require_POST
def arrival_announce(request):
    form = ArrivalForm(request.POST)
    if not form.is_valid():
        return _list_page(request, form, status=400)
    try:
        arrival, created = arrivals.announce(request.authority, actor=request.user, **form.cleaned_data)
    except services.AccommodationError as error:
        form.add_error(None, error.message)
        return _list_page(request, form, status=409)
    messages.success(
        request,
        (_("The arrival %(reference)s was recorded.") if created else _("The arrival %(reference)s was updated."))
        % {"reference": arrival.reference},
    )
    return redirect("accommodation:arrival", pk=arrival.pk)


def _detail_page(request, arrival, form=None, status=200):
    proposal = None
    if arrival.state == ArrivalState.ANNOUNCED:
        earlier = list(selectors.arrivals(request.authority).filter(expected_on__lte=arrival.expected_on))
        proposal = selectors.proposals(request.authority, earlier).get(arrival.pk)
    initial = {"accommodation": proposal.accommodation_id} if proposal else {}
    if arrival.state == ArrivalState.PLACED:
        residents = [p.person for p in arrival.placements.select_related("person")]
        record_read(request, *residents, purpose="accommodation: arrival placed")
    else:
        residents = []
    return render(
        request,
        "accommodation/arrival.html",
        {
            "arrival": arrival,
            "proposal": proposal,
            "residents": residents,
            "form": form or ArrivalPlaceForm(authority=request.authority, initial=initial),
            "can_manage": request.user.can("accommodation.manage") and arrival.state == ArrivalState.ANNOUNCED,
        },
        status=status,
    )


@desk_view("accommodation.view")
def arrival_detail(request, pk):
    return _detail_page(request, _arrival(request, pk))


@desk_view("accommodation.manage")
@require_POST
def arrival_place(request, pk):
    from willkommen.clients.selectors import persons

    arrival = _arrival(request, pk)
    form = ArrivalPlaceForm(request.POST, authority=request.authority)
    if not form.is_valid():
        return _detail_page(request, arrival, form, status=400)
    wanted = form.cleaned_data["persons"]
    found = {p.pk: p for p in persons(request.authority).filter(pk__in=wanted)}
    if len(found) != len(wanted):
        form.add_error("persons", _("No client with this number."))
        return _detail_page(request, arrival, form, status=400)
    try:
        arrivals.place(
            request.authority,
            arrival,
            [found[pk] for pk in wanted],
            form.cleaned_data["accommodation"],
            moved_in=form.cleaned_data["moved_in"],
            actor=request.user,
            request=request,
        )
    except services.AccommodationError as error:
        if error.code == "closed":
            return redirect("accommodation:arrival", pk=arrival.pk)  # a second submit: it is placed already
        form.add_error(None, error.message)
        return _detail_page(request, arrival, form, status=409)
    messages.success(
        request,
        _("The household %(reference)s now lives in %(accommodation)s.")
        % {"reference": arrival.reference, "accommodation": form.cleaned_data["accommodation"].name},
    )
    return redirect("accommodation:arrival", pk=arrival.pk)


@desk_view("accommodation.manage")
@require_POST
def arrival_cancel(request, pk):
    arrival = _arrival(request, pk)
    try:
        arrivals.cancel(request.authority, arrival, actor=request.user, request=request)
    except services.AccommodationError:
        pass  # closed already (a second submit): the page shows its state
    else:
        messages.success(request, _("The arrival %(reference)s was cancelled.") % {"reference": arrival.reference})
    return redirect("accommodation:arrival", pk=arrival.pk)


# --- residents at risk --------------------------------------------------------------------------------


def _placement_of(request, pk):
    found = selectors.get_placement(request.authority, pk)
    if found is None:
        raise Http404
    return found


@desk_view("accommodation.risk")
@require_POST
def risk_add(request, pk):
    from .views import _placement_page

    placement = _placement_of(request, pk)
    form = RiskFlagForm(request.POST)
    if not form.is_valid():
        return _placement_page(request, placement, risk_form=form, status=400)
    try:
        risk.flag(request.authority, placement.person, actor=request.user, request=request, **form.cleaned_data)
    except services.AccommodationError as error:
        form.add_error(None, error.message)
        return _placement_page(request, placement, risk_form=form, status=409)
    messages.success(request, _("The need for protection was recorded."))
    return redirect("accommodation:placement", pk=placement.pk)


@desk_view("accommodation.risk")
@require_POST
def risk_end(request, pk, flag_pk):
    placement = _placement_of(request, pk)
    found = selectors.risk_flags_of(request.authority, placement.person).filter(pk=flag_pk).first()
    if found is None:
        raise Http404
    if risk.end(request.authority, found, actor=request.user, request=request):
        messages.success(request, _("The need for protection was ended."))
    return redirect("accommodation:placement", pk=placement.pk)
