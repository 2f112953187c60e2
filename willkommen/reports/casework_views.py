"""Casework figures page (``/desk/reports/cases/``) with charts, CSV and XLSX."""

import datetime as dt

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from willkommen.cases import selectors as cases
from willkommen.catalogue import selectors as catalogue
from willkommen.core.desk import desk_view
from willkommen.tenancy import selectors as tenancy

from . import casework, figures
from .forms import CaseworkForm

TABLES = ("summary", "day", "backlog", "processing", "outcomes", "workload")


def _teams_of(user, authority):
    teams = tenancy.teams(authority)
    if user.can("cases.view_all"):
        return list(teams), True
    return list(teams.filter(memberships__user=user).distinct()), False


def _anliegen(authority):
    language = get_language()
    return [(a.pk, catalogue.title(a, language)) for a in catalogue.anliegen_list(authority, active_only=False)]


def _compute(request, data=None):
    authority, user = request.authority, request.user
    teams, all_teams = _teams_of(user, authority)
    anliegen = _anliegen(authority)
    form = CaseworkForm(
        data if data is not None else (request.GET or None),
        locations=tenancy.locations(authority),
        teams=teams,
        anliegen=anliegen,
        all_teams=all_teams,
    )
    if not form.is_valid():
        return form, None, {}
    location = form.chosen_location()
    team_ids = None
    if location is not None:
        team_ids = teams_at_location(authority, location)
    anliegen_id = form.chosen_anliegen_id()
    result = cases.casework_figures(
        user,
        authority,
        form.cleaned_data["start"],
        form.cleaned_data["end"],
        team=form.chosen_team(),
        anliegen=anliegen_id,
        team_ids=team_ids,
    )
    result["invitations"] = _invitations(authority, form, teams, all_teams, team_ids, anliegen_id)
    result["voice"] = _voice(authority, form)
    return form, result, dict(anliegen)


def _voice(authority, form):
    """Feedback, complaints and survey answers of the period (the whole authority: they have no team)."""
    from willkommen.contact import selectors as contact

    return contact.voice_figures(authority, form.cleaned_data["start"], form.cleaned_data["end"])


def _invitations(authority, form, teams, all_teams, team_ids, anliegen_id):
    """Renewal invitations (whole authority: they have no team) and invitations to apply of the rights
    check (the chosen team, the location's teams, or the teams a team lead sees) in the period."""
    from willkommen.appointments.figures import renewal_figures
    from willkommen.rights.selectors import invitation_figures

    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    chosen = form.chosen_team()
    scope = [chosen.pk] if chosen is not None else team_ids
    if scope is None and not all_teams:
        scope = [team.pk for team in teams]
    return {
        "renewals": renewal_figures(authority, start, end, anliegen=anliegen_id),
        "rights": invitation_figures(authority, start, end, team_ids=scope, anliegen=anliegen_id),
    }


def teams_at_location(authority, location):
    """The teams that hold consultation hours at ``location`` (the cases carry no location of their own)."""
    from willkommen.contact import selectors as contact

    return contact.team_ids_at_location(authority, location)


@desk_view("reports.view")
def casework_figures(request):
    form, result, titles = _compute(request)
    if result is None:
        return render(request, "reports/casework.html", {"form": form}, status=400)
    flow = casework.flow_series(result["flow"]["per_day"])
    bands = [{"label": casework.band_label(b["band"]), "value": b["count"]} for b in result["backlog"]["bands"]]
    processing = casework.processing_rows(result)
    outcome_rows = casework.outcome_rows(result, titles)
    return render(
        request,
        "reports/casework.html",
        {
            "form": form,
            "result": result,
            "summary": casework.summary_lines(result)[1:],
            "workload": casework.workload_lines(result),
            "per_day": result["flow"]["per_day"],
            "processing": processing,
            "outcome_rows": outcome_rows,
            "bands": bands,
            "chart_in": figures.bars(flow, "in", "label"),
            "chart_out": figures.bars(flow, "out", "label"),
            "chart_bands": figures.bars(bands, "value", "label", label_width=190),
            "chart_processing": figures.bars(
                [{"label": p["label"], "value": round(p["median"] or 0, 1)} for p in processing],
                "value",
                "label",
                label_width=250,
                width=700,
            ),
            "chart_outcomes": figures.bars(
                [{"label": r["anliegen"][:40], "value": r["total"]} for r in outcome_rows],
                "value",
                "label",
                label_width=300,
                width=720,
            ),
            "query": request.GET.urlencode(),
        },
    )


def _bad(request, form):
    return render(
        request,
        "core/error.html",
        {
            "title": _("Export not possible"),
            "message": _("Please check the period."),
            "errors": form.non_field_errors(),
        },
        status=400,
    )


def _filename(form, ext, table=""):
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    return f"cases{'-' + table if table else ''}-{start}-{end}.{ext}"


@desk_view("reports.view")
def casework_csv(request):
    from .exports import csv_response

    form, result, titles = _compute(request)
    if result is None:
        return _bad(request, form)
    table = request.GET.get("table", "summary")
    if table not in TABLES:
        table = "summary"
    lines = dict(zip(TABLES, (lines for _title, lines in casework.tables(result, titles)), strict=True))[table]
    return csv_response(lines, _filename(form, "csv", table))


@desk_view("reports.view")
def casework_xlsx(request):
    from .exports import xlsx_response

    form, result, titles = _compute(request)
    if result is None:
        return _bad(request, form)
    return xlsx_response(casework.tables(result, titles), _filename(form, "xlsx"))


def month_bounds(value, today=None):
    """First and last day of the month ``YYYY-MM``; the last full month when empty; None when unreadable."""
    today = today or timezone.localdate()
    if not value:
        last = today.replace(day=1) - dt.timedelta(days=1)
        return last.replace(day=1), last
    try:
        first = dt.datetime.strptime(value, "%Y-%m").date()
    except ValueError:
        return None
    following = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return first, following - dt.timedelta(days=1)


@desk_view("reports.view")
def casework_pdf(request):
    """The month's casework figures as a PDF the head of office can send as it is (WeasyPrint)."""
    from willkommen.letters.pdf import render_pdf

    bounds = month_bounds(request.GET.get("month", ""))
    if bounds is None:
        return render(
            request,
            "core/error.html",
            {"title": _("Export not possible"), "message": _("Please give the month as YYYY-MM.")},
            status=400,
        )
    data = request.GET.copy()
    data["start"], data["end"] = bounds[0].isoformat(), bounds[1].isoformat()
    form, result, titles = _compute(request, data)
    if result is None:
        return _bad(request, form)
    flow = casework.flow_series(result["flow"]["per_day"], max_days=0)
    content = render_pdf(
        "reports/casework_pdf.html",
        {
            "authority": request.authority,
            "start": bounds[0],
            "end": bounds[1],
            "filters": _filter_labels(form),
            "result": result,
            "summary": casework.summary_lines(result)[1:],
            "processing": casework.processing_rows(result),
            "backlog": casework.backlog_lines(result)[1:],
            "outcome_rows": casework.outcome_rows(result, titles),
            "chart_in": figures.bars(flow, "in", "label"),
            "chart_out": figures.bars(flow, "out", "label"),
            "made_at": timezone.localtime(),
            "made_by": request.user.display_name,
        },
        language=get_language(),
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="cases-{bounds[0]:%Y-%m}.pdf"'
    return response


def _filter_labels(form):
    labels = []
    team = form.chosen_team()
    if team is not None:
        labels.append(team.name)
    anliegen_id = form.chosen_anliegen_id()
    if anliegen_id is not None:
        labels.append(dict(form.anliegen)[anliegen_id])
    location = form.chosen_location()
    if location is not None:
        labels.append(location.name)
    return labels
