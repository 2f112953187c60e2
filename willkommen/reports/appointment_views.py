"""Appointment figures page (``/desk/reports/appointments/``) with a chart, CSV and XLSX."""

from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from willkommen.appointments import selectors as appointments
from willkommen.catalogue import selectors as catalogue
from willkommen.core.desk import desk_view
from willkommen.tenancy import selectors as tenancy

from . import figures
from .forms import PeriodForm


def _pct(share):
    return "" if share is None else round(share * 100, 1)


def _round(value):
    return "" if value is None else round(value, 1)


def _compute(request):
    form = PeriodForm(request.GET or None, locations=tenancy.locations(request.authority))
    if not form.is_valid():
        return form, None, []
    result = appointments.appointment_figures(
        request.authority, form.cleaned_data["start"], form.cleaned_data["end"], location=form.chosen_location()
    )
    language = get_language()
    rows = []
    for a in catalogue.anliegen_list(request.authority, active_only=False):
        lead = result["lead"].get(a.pk, {"n": 0, "median": None, "p90": None})
        next_free = result["next_free"].get(a.pk)
        if lead["n"] or next_free is not None:
            rows.append({"anliegen": catalogue.title(a, language), "next_free": next_free, **lead})
    return form, result, rows


def channel_label(channel):
    return {
        "public": _("public online"),
        "invitation": _("invitation only"),
        "urgent": _("urgent reserve"),
    }.get(channel, channel)


def tables(result, rows):
    summary = [
        [_("Figure"), _("Value")],
        [_("Appointments booked"), result["booked"]],
        [_("Came"), result["came"]],
        [_("No-shows"), result["no_show"]],
        [_("No-show rate (%)"), _pct(result["no_show_rate"])],
        [_("Cancelled"), result["cancelled"]],
        [_("Cancellation rate (%)"), _pct(result["cancel_rate"])],
        [_("Urgent reserve used (%)"), _pct(result["urgent_used"])],
        [_("Booking attempts refused (limits, proof of work)"), result["blocked"]],
        [_("Allocation rounds run"), result["rounds"]["rounds"]],
        [_("Allocation requests"), result["rounds"]["requests"]],
        [_("Allocation requests served"), result["rounds"]["served"]],
        [_("Allocation requests on the waiting list"), result["rounds"]["waiting"]],
    ]
    channels = [[_("Channel"), _("Places"), _("Taken"), _("Utilisation (%)")]] + [
        [channel_label(c["channel"]), c["places"], c["taken"], _pct(c["utilisation"])] for c in result["channels"]
    ]
    lead = [
        [
            _("Anliegen"),
            _("Next free place (days)"),
            _("Bookings"),
            _("Lead time median (days)"),
            _("Lead time 90th percentile (days)"),
        ]
    ] + [
        [r["anliegen"], "" if r["next_free"] is None else r["next_free"], r["n"], _round(r["median"]), _round(r["p90"])]
        for r in rows
    ]
    return [(_("Summary"), summary), (_("Channels"), channels), (_("Lead times"), lead)]


@desk_view("reports.view")
def appointment_figures(request):
    form, result, rows = _compute(request)
    if result is None:
        return render(request, "reports/appointments.html", {"form": form}, status=400)
    sheets = tables(result, rows)
    return render(
        request,
        "reports/appointments.html",
        {
            "form": form,
            "result": result,
            "summary": sheets[0][1][1:],
            "channels": sheets[1][1],
            "lead": sheets[2][1],
            "chart_next": figures.bars(
                [{"label": r["anliegen"][:40], "value": r["next_free"]} for r in rows if r["next_free"] is not None],
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


def _filename(form, ext):
    return f"appointments-{form.cleaned_data['start']}-{form.cleaned_data['end']}.{ext}"


@desk_view("reports.view")
def appointment_csv(request):
    from .exports import csv_response

    form, result, rows = _compute(request)
    if result is None:
        return _bad(request, form)
    names = {"summary": 0, "channels": 1, "lead": 2}
    index = names.get(request.GET.get("table", "summary"), 0)
    return csv_response(tables(result, rows)[index][1], _filename(form, "csv"))


@desk_view("reports.view")
def appointment_xlsx(request):
    from .exports import xlsx_response

    form, result, rows = _compute(request)
    if result is None:
        return _bad(request, form)
    return xlsx_response(tables(result, rows), _filename(form, "xlsx"))
