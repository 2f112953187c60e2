from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from willkommen.core import forms
from willkommen.core.desk import desk_view

from . import objects, selectors
from .models import Action
from .services import record_read

PAGE_SIZE = 100


class AuditFilterForm(forms.Form):
    person = forms.IntegerField(label=_("Person number"), required=False, min_value=1)
    actor = forms.CharField(label=_("Who"), required=False, max_length=100)
    action = forms.ChoiceField(label=_("Action"), required=False, choices=[("", "–"), *Action.choices])
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


@desk_view("audit.view")
def audit_log(request):
    form = AuditFilterForm(request.GET or None)
    entries = []
    status = 200
    if form.is_valid():
        data = form.cleaned_data
        entries = selectors.entries(
            request.authority,
            person_id=data["person"],
            actor=data["actor"],
            action=data["action"],
            date_from=data["date_from"],
            date_to=data["date_to"],
        ).select_related("actor")[:PAGE_SIZE]
    elif form.is_bound:
        status = 400
    else:
        entries = selectors.entries(request.authority).select_related("actor")[:PAGE_SIZE]
    entries = objects.describe_entries(request.authority, list(entries))
    # The log names the persons its entries are about: reading it is a read of them, once per person.
    shown = {entry.person_id: entry for entry in entries if entry.person_id}
    record_read(request, *shown.values(), purpose="audit log")
    return render(request, "audit/log.html", {"form": form, "entries": entries}, status=status)


def _kind_label(kind):
    """'appointments.booking' -> the model's plural name in the reader's language; other kinds as they are."""
    from django.apps import apps

    label, _sep, note = kind.partition(" ")
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        return kind
    name = str(model._meta.verbose_name_plural)
    return f"{name} {note}".strip()


@desk_view("audit.view")
def retention_runs(request):
    """The retention periods in force (setting, value, legal source) and the recorded runs of this authority."""
    from . import retention

    jobs = retention.jobs()
    labels = {job.room: job.label for job in jobs}
    room = request.GET.get("room", "")
    if room and room not in labels:
        return render(
            request,
            "core/error.html",
            {"title": _("Unknown room"), "message": _("Choose one of the rooms in the list.")},
            status=400,
        )
    runs = selectors.retention_runs(request.authority, room=room or None)[:PAGE_SIZE]
    rows = [
        {
            "run": run,
            "label": labels.get(run.room, run.room),
            "deleted": sorted((_kind_label(kind), number) for kind, number in run.deleted.items()),
        }
        for run in runs
    ]
    return render(request, "audit/retention.html", {"jobs": jobs, "rows": rows, "room": room})
