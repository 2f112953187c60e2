"""Desk pages of requests to other authorities (under /desk/partners/).

Outgoing requests are seen by those who see their case; an incoming request (from another authority on the
platform) by those who work cases at the authority it is addressed to – and of that authority's case they
see only what the request shows (name, date of birth, the question). Every page that shows a person is
recorded in the audit log of the authority that holds the person.
"""

from datetime import timedelta

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from willkommen.audit.services import record_read
from willkommen.cases import selectors as cases
from willkommen.catalogue import selectors as catalogue
from willkommen.core.desk import desk_view
from willkommen.tenancy.models import Authority

from . import recipients, selectors, services
from .forms import AnswerForm, RequestForm, TypeChoiceForm, TypeSettingsForm
from .models import RecipientType, RequestStatus


def _error(request, message, status=400):
    return render(request, "core/error.html", {"title": _("This did not work"), "message": message}, status=status)


def _record(request, rows, purpose):
    """One audit entry per row shown, written into the log of the authority that holds the person."""
    by_authority = {}
    for row in rows:
        by_authority.setdefault(row.authority_id, []).append(row)
    for group in by_authority.values():
        record_read(request, *group, purpose=purpose, authority=group[0].authority)


def _case(request, case_id):
    case = (
        cases.visible_cases(request.user, request.authority)
        .select_related("person", "anliegen", "authority")
        .filter(pk=case_id)
        .first()
    )
    if case is None:
        raise Http404
    return case


def _platform_authorities(request):
    return Authority.objects.exclude(pk=request.authority.pk).order_by("name")


def _values(case):
    return {
        "name": f"{case.person.given_names} {case.person.family_name}".strip(),
        "date_of_birth": case.person.date_of_birth.strftime("%d.%m.%Y") if case.person.date_of_birth else "–",
        "case_number": case.number,
        "anliegen": catalogue.title(case.anliegen, get_language() or "de"),
        "authority": case.authority.name,
    }


@desk_view("cases.work")
def requests_list(request):
    status = request.GET.get("status", "open")
    rows = selectors.outgoing(request.user, request.authority)
    if status == "overdue":
        rows = rows.filter(status=RequestStatus.OPEN, due_on__lt=timezone.localdate())
    elif status in RequestStatus.values:
        rows = rows.filter(status=status)
    else:
        status = "all"
    rows = list(rows.order_by("due_on", "pk")[:200])
    _record(request, rows, "requests to other authorities")
    return render(request, "partners/requests.html", {"rows": rows, "status": status})


@desk_view("cases.work")
def incoming(request):
    rows = list(selectors.incoming(request.user, request.authority).order_by("status", "due_on", "pk")[:200])
    _record(request, rows, "incoming request from another authority")
    return render(request, "partners/incoming.html", {"rows": rows})


@desk_view("cases.work")
def new_request(request, case_id):
    case = _case(request, case_id)
    chooser = TypeChoiceForm(request.GET or None)
    if request.method != "POST" and not chooser.is_valid():
        record_read(request, case, purpose="request to another authority: choose the kind")
        return render(request, "partners/request_choose.html", {"case": case, "chooser": TypeChoiceForm()})
    if request.method == "POST":
        form = RequestForm(request.POST, authorities=_platform_authorities(request))
        if form.is_valid():
            data = form.cleaned_data
            try:
                sent = services.send_request(
                    case,
                    request.user,
                    recipient_type=data["recipient_type"],
                    question=data["question"],
                    recipient_name=data["recipient_name"],
                    due_on=data["due_on"],
                    connector=data["connector"],
                    recipient_email=data["recipient_email"],
                    recipient_address=data["recipient_address"],
                    to_authority=data["to_authority"],
                )
            except services.RequestError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("The request %(reference)s was sent.") % {"reference": sent.reference})
                return redirect("cases:detail", pk=case.pk)
        recipient_type = form.data.get("recipient_type", "")
        status = 400
    else:
        recipient_type = chooser.cleaned_data["recipient_type"]
        type_settings = services.settings_for(request.authority, recipient_type)
        form = RequestForm(
            initial={
                "recipient_type": recipient_type,
                "question": recipients.fill(type_settings.question, _values(case)),
                "due_on": timezone.localdate() + timedelta(days=type_settings.due_days),
                "connector": "email",
            },
            authorities=_platform_authorities(request),
        )
        status = 200
    record_read(request, case, purpose="request to another authority")
    label = RecipientType(recipient_type).label if recipient_type in RecipientType.values else ""
    stops = (
        services.settings_for(request.authority, recipient_type).stops_clock
        if recipient_type in RecipientType.values
        else False
    )
    return render(
        request,
        "partners/request_new.html",
        {"case": case, "form": form, "type_label": label, "stops_clock": stops},
        status=status,
    )


def _visible(request, pk):
    return get_object_or_404(selectors.visible_to(request.user, request.authority), pk=pk)


@desk_view("cases.work")
def request_detail(request, pk):
    return _detail(request, _visible(request, pk))


def _detail(request, row, form=None, status=200):
    incoming_here = row.to_authority_id == request.authority.pk
    _record(
        request, [row], "incoming request from another authority" if incoming_here else "request to another authority"
    )
    context = {
        "row": row,
        "incoming_here": incoming_here,
        "may_answer": row.is_open and services.may_answer(request.user, row),
        "form": form or AnswerForm(),
        "documents": [] if incoming_here else list(row.documents.all()),
    }
    return render(request, "partners/request_detail.html", context, status=status)


@desk_view("cases.work")
@require_POST
def answer(request, pk):
    row = _visible(request, pk)
    form = AnswerForm(request.POST, request.FILES)
    if not form.is_valid():
        return _detail(request, row, form=form, status=400)
    try:
        services.record_answer(
            row, request.user, answer=form.cleaned_data["answer"], files=form.cleaned_data["documents"]
        )
    except services.RequestError as exc:
        form.add_error(None, exc.message)
        return _detail(request, row, form=form, status=409)
    messages.success(request, _("The answer was recorded."))
    if row.to_authority_id == request.authority.pk:
        return redirect("partners:incoming")
    return redirect("cases:detail", pk=row.case_id)


@desk_view("reports.view")
def figures(request):
    return render(
        request,
        "partners/figures.html",
        {"rows": selectors.answer_times(request.authority), "overdue": selectors.overdue(request.authority)[:100]},
    )


@desk_view("catalogue.edit")
def types(request):
    return render(request, "partners/types.html", {"rows": services.all_settings(request.authority)})


@desk_view("catalogue.edit")
def type_edit(request, recipient_type):
    if recipient_type not in RecipientType.values:
        raise Http404
    current = services.settings_for(request.authority, recipient_type)
    if request.method == "POST":
        form = TypeSettingsForm(request.POST)
        if form.is_valid():
            services.save_type_settings(request.authority, recipient_type, **form.cleaned_data)
            messages.success(request, _("Saved."))
            return redirect("partners:types")
        status = 400
    else:
        form = TypeSettingsForm(
            initial={"question": current.question, "stops_clock": current.stops_clock, "due_days": current.due_days}
        )
        status = 200
    return render(
        request,
        "partners/type_edit.html",
        {"form": form, "current": current, "placeholders": recipients.PLACEHOLDERS},
        status=status,
    )
