"""Desk pages: consultation and phone hours per team (team lead, head of office) and the callback list."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from willkommen.audit.services import record_read
from willkommen.core.desk import desk_view
from willkommen.tenancy import selectors as tenancy

from . import selectors, services
from .forms import CloseCallbackForm, HourForm
from .models import ContactHour


def managed_teams(user, authority):
    teams = tenancy.teams(authority)
    if user.can("cases.view_all"):
        return teams
    return teams.filter(memberships__user=user, memberships__is_lead=True).distinct()


def _members(authority, teams):
    from willkommen.accounts.models import User

    return User.objects.filter(authority=authority, memberships__team__in=teams, is_active=True).distinct()


def _hours_page(request, form, status=200):
    authority = request.authority
    teams = managed_teams(request.user, authority)
    rows = []
    hours = ContactHour.objects.filter(authority=authority, team__in=teams).select_related("location", "staff")
    by_team = {}
    for hour in hours.order_by("weekday", "starts", "id"):
        by_team.setdefault(hour.team_id, []).append(hour)
    for team in selectors.teams_with_hour_counts(teams):
        rows.append(
            {
                "team": team,
                "hours": by_team.get(team.pk, []),
                "short": team.hours_per_week < selectors.MIN_HOURS_PER_WEEK,
            }
        )
    return render(
        request,
        "contact/hours.html",
        {"form": form, "rows": rows, "minimum": selectors.MIN_HOURS_PER_WEEK},
        status=status,
    )


def _hour_form(request, data=None):
    authority = request.authority
    teams = managed_teams(request.user, authority)
    return HourForm(data, teams=teams, members=_members(authority, teams), locations=tenancy.locations(authority))


@desk_view("contact.hours")
def hours(request):
    if request.method != "POST":
        return _hours_page(request, _hour_form(request))
    form = _hour_form(request, request.POST)
    if not form.is_valid():
        return _hours_page(request, form, status=400)
    chosen = form.chosen()
    data = form.cleaned_data
    try:
        services.add_hour(
            request.user,
            chosen["team"],
            kind=data["kind"],
            weekday=data["weekday"],
            starts=data["starts"],
            ends=data["ends"],
            staff=chosen["staff"],
            location=chosen["location"],
            place=data["place"],
            languages=data["languages"],
        )
    except services.ContactError as exc:
        form.add_error(None, exc.message)
        return _hours_page(request, form, status=400)
    messages.success(request, _("The hour was added."))
    return redirect("contact:hours")


@desk_view("contact.hours")
@require_POST
def delete_hour(request, pk):
    hour = ContactHour.objects.filter(authority=request.authority, pk=pk).select_related("team").first()
    if hour is None:
        raise Http404
    services.delete_hour(request.user, hour)
    messages.success(request, _("The hour was removed."))
    return redirect("contact:hours")


def _callbacks_page(request, forms=None, status=200):
    callbacks = list(selectors.open_callbacks(request.user, request.authority))
    record_read(request, *[c.case for c in callbacks], purpose="callback list")
    forms = forms or {}
    rows = [{"callback": c, "form": forms.get(c.pk) or CloseCallbackForm(prefix=f"c{c.pk}")} for c in callbacks]
    short = []
    if request.user.can("contact.hours"):
        short = selectors.teams_short_of_hours(managed_teams(request.user, request.authority))
    return render(
        request,
        "contact/callbacks.html",
        {"rows": rows, "short": short, "minimum": selectors.MIN_HOURS_PER_WEEK, "today": timezone.localdate()},
        status=status,
    )


@desk_view("cases.work")
def callbacks(request):
    return _callbacks_page(request)


@desk_view("cases.work")
@require_POST
def close_callback(request, pk):
    callback = selectors.callback_for(request.user, request.authority, pk)
    if callback is None:
        raise Http404
    form = CloseCallbackForm(request.POST, prefix=f"c{pk}")
    if form.is_valid():
        try:
            services.close_callback(callback, request.user, form.cleaned_data["note"])
        except services.ContactError as exc:
            form.add_error("note", exc.message)
        except PermissionDenied:
            raise
        else:
            messages.success(request, _("The callback was closed and the note added to the case."))
            return redirect("contact:callbacks")
    return _callbacks_page(request, {pk: form}, status=400)
