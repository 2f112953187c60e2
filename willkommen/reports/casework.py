"""The casework figures turned into tables (page, CSV, XLSX) and chart data. Pure functions over the
result of ``cases.selectors.casework_figures``."""

import datetime as dt

from django.utils.translation import gettext as _

OUTCOMES = ("grant", "partial", "refuse")
TARGETS = {"simple": "14", "complex": "90"}


def _round(value, digits=1):
    return "" if value is None else round(value, digits)


def _pct(share):
    return "" if share is None else round(share * 100, 1)


def band_label(key):
    low, _sep, high = key.partition("-")
    if key.endswith("+"):
        return _("%(n)s days and more") % {"n": key[:-1]}
    return _("%(low)s to %(high)s days") % {"low": low, "high": high}


def class_label(key):
    return {"simple": _("simple (target 14 days)"), "complex": _("complex (target 3 months)")}.get(key, key or "–")


def summary_lines(result):
    f, b, p, m, c, e, t = (
        result["flow"],
        result["backlog"],
        result["processing"],
        result["messages"],
        result["clock"],
        result["four_eyes"],
        result["transfers"],
    )
    return [
        [_("Figure"), _("Value")],
        [_("Cases in"), f["in"]],
        [_("Cases out"), f["out"]],
        [_("Cases decided"), f["decided"]],
        [_("Backlog at the start"), f["backlog_start"]],
        [_("Backlog at the end"), f["backlog_end"]],
        [_("Of these waiting for documents"), b["clock_stopped"]],
        [_("Processing time median (days)"), _round(p["overall"]["median"])],
        [_("Processing time 90th percentile (days)"), _round(p["overall"]["p90"])],
        [_("Decided on time (%)"), _pct(p["on_time_share"])],
        [_("Interim answers due"), m["interim"]["due"]],
        [_("Interim answers on time (%)"), _pct(m["interim"]["on_time_share"])],
        [_("Status messages due"), m["status"]["due"]],
        [_("Status messages on time (%)"), _pct(m["status"]["on_time_share"])],
        [_("Days the clock stood still (decided cases)"), c["days"]],
        [_("Requests for documents"), c["requests"]],
        [_("Decisions needing a second approver (%)"), _pct(e["share"])],
        [_("Approval turnaround median (hours)"), _round(e["turnaround"]["median"])],
        [_("Approval turnaround 90th percentile (hours)"), _round(e["turnaround"]["p90"])],
        [_("Transferred to another authority"), t["out"]],
        [_("Received from another authority"), t["in"]],
        *invitation_lines(result.get("invitations")),
        *voice_lines(result.get("voice")),
    ]


def voice_lines(voice):
    """Feedback and complaints received in the period, replies on time, the satisfaction survey."""
    if not voice:
        return []
    survey = voice["survey"]
    labels = {
        "waiting": _("Complaints: waiting times"),
        "treatment": _("Complaints: treatment"),
        "language": _("Complaints: language"),
        "decision": _("Complaints: decisions"),
        "accessibility": _("Complaints: accessibility"),
        "other": _("Complaints: other"),
    }
    return [
        [_("Feedback received"), voice["feedback"]],
        [_("Complaints received"), voice["by_kind"]["complaint"]],
        *[[label, voice["complaints"].get(key, 0)] for key, label in labels.items()],
        [_("Feedback answered on time (%)"), _pct(voice["on_time_share"])],
        [_("Satisfaction surveys sent"), survey["sent"]],
        [_("Satisfaction surveys answered"), survey["answered"]],
        [_("Satisfaction overall (average, 1–5)"), _round(survey["overall"])],
        [_("Explained understandably (average, 1–5)"), _round(survey["understood"])],
        [_("Easy to reach (average, 1–5)"), _round(survey["reachable"])],
    ]


def workload_lines(result):
    """Open cases per caseworker at the end of the period (issue 17 item 3)."""
    rows = [[_("Caseworker"), _("Open cases"), _("Of these overdue")]]
    for r in result.get("workload", []):
        rows.append([r["name"] or _("not assigned"), r["open"], r["overdue"]])
    return rows


def invitation_lines(invitations):
    """Renewal invitations and invitations to apply (rights check) of the period and what followed."""
    if not invitations:
        return []
    r, q = invitations["renewals"], invitations["rights"]
    return [
        [_("Renewal invitations sent"), r["sent"]],
        [_("Renewal invitations answered (applied or booked)"), r["answered"]],
        [_("Renewal invitations answered (%)"), _pct(r["answered_share"])],
        [_("Renewal invitations reminded"), r["reminded"]],
        [_("Renewals listed as expiring, not applied"), r["unanswered"]],
        [_("Invitations to apply (rights check)"), q["invited"]],
        [_("Of these with an appointment"), q["by_appointment"]],
        [_("Invitations to apply followed by an application"), q["applied"]],
        [_("Invitations to apply followed by an application (%)"), _pct(q["applied_share"])],
    ]


def day_lines(result):
    lines = [[_("Day"), _("Cases in"), _("Cases out"), _("Backlog")]]
    for d in result["flow"]["per_day"]:
        lines.append([d["day"], d["in"], d["out"], d["backlog"]])
    return lines


def backlog_lines(result):
    lines = [[_("Age since arrival"), _("Open cases")]]
    for band in result["backlog"]["bands"]:
        lines.append([band_label(band["band"]), band["count"]])
    return lines


def processing_rows(result):
    rows = []
    for key in ("simple", "complex"):
        spread = result["processing"]["by_class"].get(key, {"n": 0, "median": None, "p90": None})
        rows.append({"key": key, "label": class_label(key), **spread})
    return rows


def processing_lines(result):
    lines = [[_("Complexity class"), _("Decided"), _("Median (days)"), _("90th percentile (days)")]]
    for row in processing_rows(result):
        lines.append([row["label"], row["n"], _round(row["median"]), _round(row["p90"])])
    return lines


def outcome_rows(result, titles):
    rows = []
    for anliegen_id, counts in result["outcomes"].items():
        rows.append(
            {
                "anliegen": titles.get(anliegen_id, str(anliegen_id)),
                **{o: counts.get(o, 0) for o in OUTCOMES},
                "total": sum(counts.values()),
            }
        )
    return sorted(rows, key=lambda r: (-r["total"], r["anliegen"]))


def outcome_lines(result, titles):
    lines = [[_("Anliegen"), _("grant"), _("partial grant"), _("refusal"), _("Total")]]
    for row in outcome_rows(result, titles):
        lines.append([row["anliegen"], *[row[o] for o in OUTCOMES], row["total"]])
    return lines


def tables(result, titles):
    """(sheet title, lines) for every table, in the order of the page."""
    return [
        (_("Summary"), summary_lines(result)),
        (_("Per day"), day_lines(result)),
        (_("Backlog by age"), backlog_lines(result)),
        (_("Processing time"), processing_lines(result)),
        (_("Outcomes"), outcome_lines(result, titles)),
        (_("Workload"), workload_lines(result)),
    ]


def flow_series(per_day, max_days=62):
    """The days for the in/out charts; longer periods are summed per week (labelled by the Monday)."""
    if len(per_day) <= max_days:
        return [{"label": d["day"].strftime("%d.%m."), "in": d["in"], "out": d["out"]} for d in per_day]
    weeks = {}
    for d in per_day:
        monday = d["day"] - dt.timedelta(days=d["day"].weekday())
        week = weeks.setdefault(monday, {"label": monday.strftime("%d.%m."), "in": 0, "out": 0})
        week["in"] += d["in"]
        week["out"] += d["out"]
    return [weeks[k] for k in sorted(weeks)]
