"""The office sets up its appointments (desk pages for ``office.setup``, issue 15 item 8): appointment offers
per Anliegen and location with a preview of the slots they generate, and the allocation rounds. Opening
hours and closures are in :mod:`.setup_hours`. Every change is audited (purpose "office set-up")."""

from django.contrib import messages
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from willkommen.accounts.decorators import desk_view
from willkommen.audit.models import Action
from willkommen.audit.services import record
from willkommen.cases.selectors import anliegen_texts

from . import allocation, setup
from .models import AllocationRound, Offer
from .setup_forms import OfferForm, RoundForm

CAPABILITY = "office.setup"
PURPOSE = "office set-up"


def audit(request, action, obj, detail=""):
    record(authority=request.authority, action=action, obj=obj, request=request, purpose=PURPOSE, detail=detail)


def _offer(request, pk):
    offer = Offer.objects.filter(authority=request.authority, pk=pk).select_related("anliegen", "location").first()
    if offer is None:
        raise Http404
    return offer


@desk_view(CAPABILITY)
def offers(request):
    rows = (
        Offer.objects.filter(authority=request.authority)
        .select_related("anliegen", "location")
        .prefetch_related(anliegen_texts())
        .order_by("location__name", "anliegen__order", "anliegen__slug")
    )
    return render(request, "appointments/setup/offers.html", {"offers": rows})


@desk_view(CAPABILITY)
def offer_form(request, pk=None):
    """New or changed offer. "Show preview" shows the slots of the next days as the form stands; only
    then "Save" appears; saving regenerates the future slots and keeps every booking."""
    offer = _offer(request, pk) if pk else Offer(authority=request.authority)
    if request.method != "POST":
        return _offer_page(request, OfferForm(instance=offer, authority=request.authority), offer)
    form = OfferForm(request.POST, instance=offer, authority=request.authority)
    if not form.is_valid():
        return _offer_page(request, form, offer, status=400)
    if request.POST.get("action") != "save":
        return _offer_page(request, form, offer, preview=setup.preview(form.instance))
    created = offer.pk is None
    with transaction.atomic():
        saved = form.save()
        audit(request, Action.CREATE if created else Action.UPDATE, saved, setup.change_detail(form, created=created))
    result = setup.regenerate(saved)
    messages.success(
        request,
        _("Offer saved. Slots: %(created)s new, %(removed)s removed, %(updated)s adjusted; bookings kept.") % result,
    )
    return redirect("appointments:setup-offers")


def _offer_page(request, form, offer, *, preview=None, status=200):
    context = {
        "form": form,
        "offer": offer if offer.pk else None,
        "preview": preview,
        "kept": setup.kept_bookings(offer) if offer.pk else 0,
    }
    return render(request, "appointments/setup/offer_form.html", context, status=status)


@desk_view(CAPABILITY)
def rounds(request):
    """The allocation rounds with their figures: requests, served (a place booked), on the waiting list."""
    rows = (
        AllocationRound.objects.filter(authority=request.authority)
        .select_related("anliegen", "location")
        .prefetch_related(anliegen_texts())
        .annotate(
            n_requests=Count("requests"),
            n_served=Count("requests", filter=Q(requests__booking__isnull=False)),
            n_waiting=Count("requests", filter=Q(requests__waitlist_position__isnull=False)),
        )
        .order_by("-closes_at", "-pk")[:100]
    )
    return render(request, "appointments/setup/rounds.html", {"rounds": rows, "now": timezone.now()})


@desk_view(CAPABILITY)
def round_new(request):
    form = RoundForm(request.POST or None, authority=request.authority)
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "appointments/setup/round_form.html", {"form": form}, status=400)
        form.instance.authority = request.authority
        with transaction.atomic():
            saved = form.save()
            audit(request, Action.CREATE, saved, setup.change_detail(form, created=True))
        messages.success(request, _("Allocation round opened."))
        return redirect("appointments:setup-rounds")
    return render(request, "appointments/setup/round_form.html", {"form": form})


@desk_view(CAPABILITY)
@require_POST
def round_run(request, pk):
    """Close the round now (if still open) and run the allocation (``allocation.run``, once per round)."""
    round = AllocationRound.objects.filter(authority=request.authority, pk=pk).select_related("authority").first()
    if round is None:
        raise Http404
    now = timezone.now()
    with transaction.atomic():
        result = allocation.run(round, now=now) if round.ran_at is None else None
        if result is None:
            return _already_run(request)
        if round.closes_at > now:
            AllocationRound.objects.filter(pk=round.pk).update(closes_at=now)
            audit(request, Action.UPDATE, round, f"closes_at: {_local(round.closes_at)} → {_local(now)}")
        audit(request, Action.UPDATE, round, "ran: {booked} booked, {waiting} waiting, seed {seed}".format(**result))
    messages.success(request, _("Round run: %(booked)s places given, %(waiting)s on the waiting list.") % result)
    return redirect("appointments:setup-rounds")


def _local(moment):
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"


def _already_run(request):
    message = _("This round has already been run.")
    return render(request, "core/error.html", {"title": _("Not done"), "message": message}, status=409)
