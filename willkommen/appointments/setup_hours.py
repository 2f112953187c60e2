"""Opening hours and closures per location (desk pages for ``office.setup``, issue 15 item 8).

The models are the tenancy room's; the pages live here because a change regenerates the appointment slots
(:func:`.setup.regenerate_location`): free slots of closed days or hours are removed, slots holding bookings
stay (withdrawn) and the bookings on a closed day are counted on the page, for staff to move them."""

from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from willkommen.accounts.decorators import desk_view
from willkommen.audit.models import Action
from willkommen.tenancy.models import Closure, Location, OpeningHours

from . import setup
from .setup_forms import ClosureForm, OpeningHoursForm
from .setup_views import CAPABILITY, audit


def _location(request):
    locations = list(Location.objects.filter(authority=request.authority).order_by("name"))
    wanted = request.GET.get("location") or request.POST.get("location")
    if wanted and not any(str(loc.pk) == wanted for loc in locations):
        raise Http404
    return locations, next((loc for loc in locations if str(loc.pk) == wanted), locations[0] if locations else None)


def _hours_url(location):
    return f"{reverse('appointments:setup-hours')}?{urlencode({'location': location.pk})}"


@desk_view(CAPABILITY)
def hours(request):
    locations, location = _location(request)
    rows = OpeningHours.objects.filter(authority=request.authority, location=location) if location else []
    return render(
        request, "appointments/setup/hours.html", {"locations": locations, "location": location, "rows": rows}
    )


@desk_view(CAPABILITY)
def hours_form(request, pk=None):
    if pk:
        row = OpeningHours.objects.filter(authority=request.authority, pk=pk).select_related("location").first()
        if row is None:
            raise Http404
        location = row.location
    else:
        _locations, location = _location(request)
        if location is None:
            raise Http404
        row = OpeningHours(authority=request.authority, location=location)
    form = OpeningHoursForm(request.POST or None, instance=row)
    context = {"form": form, "row": row if row.pk else None, "location": location}
    if request.method != "POST":
        return render(request, "appointments/setup/hours_form.html", context)
    if not form.is_valid():
        return render(request, "appointments/setup/hours_form.html", context, status=400)
    created = row.pk is None
    with transaction.atomic():
        saved = form.save()
        audit(request, Action.CREATE if created else Action.UPDATE, saved, _detail(form, created, location))
    _regenerated(request, setup.regenerate_location(request.authority, location.pk))
    return redirect(_hours_url(location))


def _detail(form, created, location):
    return f"location: {location}; {setup.change_detail(form, created=created)}"


@desk_view(CAPABILITY)
@require_POST
def hours_delete(request, pk):
    row = OpeningHours.objects.filter(authority=request.authority, pk=pk).select_related("location").first()
    if row is None:
        raise Http404
    location = row.location
    with transaction.atomic():
        audit(request, Action.DELETE, row, f"location: {location}; {row}")
        row.delete()
    _regenerated(request, setup.regenerate_location(request.authority, location.pk))
    return redirect(_hours_url(location))


def _regenerated(request, result):
    messages.success(
        request,
        _("Saved. Slots: %(created)s new, %(removed)s removed; slots holding bookings are kept.") % result,
    )


@desk_view(CAPABILITY)
def closures(request):
    """Closures from a month ago on, each with the bookings that fall on its days."""
    since = timezone.localdate() - timezone.timedelta(days=31)
    rows = list(
        Closure.objects.filter(authority=request.authority, ends_on__gte=since)
        .select_related("location")
        .order_by("starts_on", "pk")[:200]
    )
    for row in rows:
        row.bookings = setup.bookings_between(request.authority, row.starts_on, row.ends_on, row.location_id).count()
    return render(
        request,
        "appointments/setup/closures.html",
        {"rows": rows, "calendar": request.user.can("appointments.manage")},
    )


def _closure(request, pk):
    row = Closure.objects.filter(authority=request.authority, pk=pk).select_related("location").first()
    if row is None:
        raise Http404
    return row


@desk_view(CAPABILITY)
def closure_form(request, pk=None):
    row = _closure(request, pk) if pk else Closure(authority=request.authority)
    before_location = row.location_id
    form = ClosureForm(request.POST or None, instance=row, authority=request.authority)
    context = {"form": form, "row": row if row.pk else None}
    if request.method != "POST":
        return render(request, "appointments/setup/closure_form.html", context)
    if not form.is_valid():
        return render(request, "appointments/setup/closure_form.html", context, status=400)
    created = row.pk is None
    with transaction.atomic():
        saved = form.save()
        audit(request, Action.CREATE if created else Action.UPDATE, saved, setup.change_detail(form, created=created))
    _after_closure(request, saved, {before_location, saved.location_id} if not created else {saved.location_id})
    return redirect("appointments:setup-closures")


def _after_closure(request, closure, location_ids):
    """Regenerate the slots of the locations concerned and say how many bookings fall on the closed days."""
    totals = {"created": 0, "removed": 0}
    for location_id in {None} if None in location_ids else location_ids:
        result = setup.regenerate_location(request.authority, location_id)
        totals = {key: totals[key] + result[key] for key in totals}
    _regenerated(request, totals)
    count = setup.bookings_between(request.authority, closure.starts_on, closure.ends_on, closure.location_id).count()
    if count:
        messages.warning(
            request,
            ngettext(
                "%(count)s booking falls on the closed days. It is kept: please move it.",
                "%(count)s bookings fall on the closed days. They are kept: please move them.",
                count,
            )
            % {"count": count},
        )


@desk_view(CAPABILITY)
@require_POST
def closure_delete(request, pk):
    row = _closure(request, pk)
    location_id = row.location_id
    with transaction.atomic():
        audit(request, Action.DELETE, row, f"location: {row.location or '–'}; {row.starts_on} – {row.ends_on}")
        row.delete()
    _regenerated(request, setup.regenerate_location(request.authority, location_id))
    return redirect("appointments:setup-closures")
