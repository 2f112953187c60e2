"""Figures pages: the ServicePoint's visits per day and hour, with charts and exports."""

import io

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from willkommen.accounts.decorators import desk_view
from willkommen.core.labels import choice_label, language_name
from willkommen.servicepoint import selectors as servicepoint

from . import figures
from .forms import PeriodForm


def _figures(request):
    """The form and the visit figures computed in SQL (``servicepoint.selectors.visit_figures``)."""
    form = PeriodForm(request.GET or None, locations=servicepoint.locations(request.authority))
    if not form.is_valid():
        return form, None
    cleaned = form.cleaned_data
    return form, servicepoint.visit_figures(request.authority, cleaned["start"], cleaned["end"], form.chosen_location())


def _category_labels():
    from willkommen.servicepoint.models import Category

    return {value: str(label) for value, label in Category.choices}


def _fmt(value, digits=1):
    if value is None:
        return ""
    return round(value, digits)


@desk_view("reports.view")
def servicepoint_figures(request):
    form, result = _figures(request)
    if result is None:
        return render(request, "reports/servicepoint.html", {"form": form}, status=400)
    labels = _category_labels()
    categories = [{"label": labels.get(c, c), "value": n} for c, n in result["total"]["by_category"].items()]
    per_day = [{"label": d["day"].strftime("%d.%m."), "value": d["visits"]} for d in result["by_day"]]
    per_hour = [{"label": f"{h['hour']:02d}:00", "value": h["visits"]} for h in result["by_hour"]]
    wait_hour = [{"label": f"{h['hour']:02d}:00", "value": _fmt(h["wait_median"])} for h in result["by_hour"]]
    query = request.GET.urlencode()
    return render(
        request,
        "reports/servicepoint.html",
        {
            "form": form,
            "result": result,
            "categories": [(c, labels.get(c, c)) for c in figures.CATEGORIES],
            "chart_categories": figures.bars(categories, "value", "label", label_width=190),
            "chart_days": figures.bars(per_day, "value", "label"),
            "chart_hours": figures.bars(per_hour, "value", "label"),
            "chart_wait": figures.bars(wait_hour, "value", "label"),
            "query": query,
        },
    )


def _table(result, labels, key):
    header = [
        _("Day") if key == "day" else _("Hour"),
        _("Visits"),
        *[labels.get(c, c) for c in figures.CATEGORIES],
        _("Waiting time median (min)"),
        _("Waiting time 90th percentile (min)"),
        _("Service time median (min)"),
        _("Quick issues solved on the spot (%)"),
        _("No-shows"),
    ]
    if key == "hour":
        header += [_("Counter hours staffed"), _("Staff hours at the counters"), _("Visits per counter hour")]
    lines = [header]
    for group in result[f"by_{key}"]:
        share = group["quick_solved_share"]
        lines.append(
            [
                group[key] if key == "day" else f"{group[key]:02d}:00",
                group["visits"],
                *[group["by_category"].get(c, 0) for c in figures.CATEGORIES],
                _fmt(group["wait_median"]),
                _fmt(group["wait_p90"]),
                _fmt(group["service_median"]),
                "" if share is None else round(share * 100, 1),
                group["no_shows"],
                *(
                    [group["counter_hours"], group["staff_hours"], _fmt(group["visits_per_counter_hour"])]
                    if key == "hour"
                    else []
                ),
            ]
        )
    return lines


def _bad_period(request, form):
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


@desk_view("reports.view")
def servicepoint_csv(request):
    form, result = _figures(request)
    if result is None:
        return _bad_period(request, form)
    from .exports import csv_response

    key = "hour" if request.GET.get("by") == "hour" else "day"
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    lines = _table(result, _category_labels(), key)
    return csv_response(lines, f"servicepoint-{key}-{start}-{end}.csv")


@desk_view("reports.view")
def servicepoint_xlsx(request):
    from openpyxl import Workbook

    form, result = _figures(request)
    if result is None:
        return _bad_period(request, form)
    rows = servicepoint.visit_rows(
        request.authority, form.cleaned_data["start"], form.cleaned_data["end"], form.chosen_location()
    )  # the sheet of single visits
    labels = _category_labels()
    book = Workbook()
    sheet = book.active
    sheet.title = _("Per day")[:31]
    for line in _table(result, labels, "day"):
        sheet.append(line)
    hours = book.create_sheet(_("Per hour")[:31])
    for line in _table(result, labels, "hour"):
        hours.append(line)
    _visits_sheet(book.create_sheet(_("Visits")[:31]), rows, labels)
    out = io.BytesIO()
    book.save(out)
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    response = HttpResponse(
        out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="servicepoint-{start}-{end}.xlsx"'
    return response


def _visits_sheet(visits, rows, labels):
    """One line per visit: where, when, which number, category, priority, status, outcome, language, times."""
    from willkommen.servicepoint.models import Outcome, Priority, Status

    visits.append(
        [
            _("Location"),
            _("Day"),
            _("Number"),
            _("Category"),
            _("Priority"),
            _("Status"),
            _("Outcome"),
            _("Language"),
            _("Counter"),
            _("Issued"),
            _("Called"),
            pgettext("time of a visit", "Served"),
            _("Finished"),
        ]
    )
    for r in rows:
        visits.append(
            [
                r["location"],
                r["day"],
                r["number"],
                labels.get(r["category"], r["category"]),
                choice_label(Priority, r["priority"]),
                choice_label(Status, r["status"]),
                choice_label(Outcome, r["outcome"]),
                language_name(r["language"]),
                r["counter"],
                *[
                    timezone.localtime(r[k]).replace(tzinfo=None) if r[k] else None
                    for k in ("issued_at", "called_at", "served_at", "finished_at")
                ],
            ]
        )
