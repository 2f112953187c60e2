"""Desk pages for invitations to known persons (issue 12, items 5 and 6):

- ``/desk/appointments/renewals/``: the renewal list – titles running out whose holders were invited (by
  default those who answered neither the invitation nor the follow-up: "expires soon, not applied"),
  filtered in SQL by authority and by the visibility policy (resource ``messages``: a caseworker sees the
  persons of their team's work, the head of office all);
- ``/desk/appointments/renewals/invite/``: invite the listed persons to an appointment in bulk – GET shows
  the count, the recipients and the text before anything is sent, POST sends (one invitation per person and
  form key, so a repeated submit sends nothing twice);
- ``/desk/appointments/invite/person/<id>/`` (``?case=<id>``): invite one person, linked to the person and
  the case ("Invite to an appointment" on the case and person pages), by e-mail, SMS, messenger or letter.

Capability ``messaging.send`` (invitations are messages to clients; every role holding it also holds
``appointments.manage``)."""

import uuid

from django import forms as django_forms
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from willkommen.accounts.decorators import desk_view
from willkommen.audit.services import record_read
from willkommen.catalogue import selectors as catalogue_selectors
from willkommen.catalogue.models import Anliegen
from willkommen.clients.visibility import Resource, visible, visible_persons
from willkommen.core import forms
from willkommen.messaging.services import reachable_channels, render_text

from . import invitations
from .errors import BookingError
from .forms import DateInput
from .models import Renewal, RenewalState
from .views import portal_url

CAPABILITY = "messaging.send"
LIST_LIMIT = 500
CHANNEL_LABELS = {
    "email": gettext_lazy("E-mail"),
    "sms": gettext_lazy("SMS"),
    "messenger": gettext_lazy("Messenger"),
    "letter": gettext_lazy("Letter (print queue)"),
}


def _styled(form):
    for field in form.fields.values():
        css = "kern-form-input__select" if isinstance(field, django_forms.ChoiceField) else "kern-form-input__input"
        field.widget.attrs.setdefault("class", css)
    return form


class RenewalFilter(forms.Form):
    state = django_forms.ChoiceField(label=gettext_lazy("State"), required=False)
    anliegen = django_forms.ChoiceField(label=gettext_lazy("Anliegen"), required=False)

    def __init__(self, *args, authority, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", _("all still open")), *RenewalState.choices]
        language = translation.get_language()
        self.fields["anliegen"].choices = [("", _("all"))] + [
            (str(a.pk), catalogue_selectors.title(a, language) or a.slug)
            for a in Anliegen.objects.filter(authority=authority).prefetch_related("texts").order_by("order", "slug")
        ]
        _styled(self)


class DeadlineForm(forms.Form):
    deadline = django_forms.DateField(label=gettext_lazy("Book by"), widget=DateInput())
    key = django_forms.CharField(widget=django_forms.HiddenInput, max_length=64)

    def clean_deadline(self):
        value = self.cleaned_data["deadline"]
        if value < timezone.localdate():
            raise django_forms.ValidationError(_("The deadline lies in the past."))
        return value


class PersonInviteForm(DeadlineForm):
    anliegen = django_forms.ChoiceField(label=gettext_lazy("Anliegen"))
    channel = django_forms.ChoiceField(label=gettext_lazy("Send by"))

    def __init__(self, *args, authority, person, **kwargs):
        super().__init__(*args, **kwargs)
        language = translation.get_language()
        self.fields["anliegen"].choices = [
            (str(a.pk), catalogue_selectors.title(a, language) or a.slug)
            for a in Anliegen.objects.filter(authority=authority, active=True)
            .prefetch_related("texts")
            .order_by("order", "slug")
        ]
        self.fields["channel"].choices = [(c, CHANNEL_LABELS[c]) for c in reachable_channels(person)]
        _styled(self)


def _renewals(request, data):
    """The renewal list of the request's user, narrowed by the filter (in SQL)."""
    qs = visible(Renewal.objects.all(), request.user, request.authority, Resource.MESSAGES)
    state = data.get("state") or ""
    if state in RenewalState.values:
        qs = qs.filter(state=state)
    else:
        qs = qs.exclude(state=RenewalState.ANSWERED)
    anliegen = data.get("anliegen") or ""
    if anliegen.isdigit():
        qs = qs.filter(anliegen_id=int(anliegen))
    return qs.select_related("person", "anliegen").prefetch_related("anliegen__texts").order_by("expires_on", "pk")


def _filter_data(request):
    """The filter as given (GET on the list and preview, hidden fields on the POST); default: unanswered."""
    source = request.POST if request.method == "POST" else request.GET
    if "state" not in source:
        return {"state": RenewalState.UNANSWERED, "anliegen": source.get("anliegen", "")}
    return {"state": source.get("state", ""), "anliegen": source.get("anliegen", "")}


@desk_view(CAPABILITY)
def renewal_list(request):
    data = _filter_data(request)
    rows = list(_renewals(request, data)[:LIST_LIMIT])
    record_read(request, *[r.person for r in rows], purpose="renewal list")
    return render(
        request,
        "appointments/desk/renewals.html",
        {
            "rows": rows,
            "filter": RenewalFilter(data, authority=request.authority),
            "data": data,
            "limit": LIST_LIMIT,
        },
    )


def _preview(request, persons):
    """The invitation text as the first recipient would get it (in their language), with a sample link."""
    if not persons:
        return None
    first = persons[0]
    values = {
        "name": f"{first.person.given_names} {first.person.family_name}".strip(),
        "anliegen": lambda language: catalogue_selectors.title(first.anliegen, language) or first.anliegen.slug,
        "deadline": request.POST.get("deadline") or request.GET.get("deadline") or "…",
        "link": portal_url(request) + "/appointments/invitation/…/",
        "authority": request.authority.name,
    }
    return render_text(request.authority, "invitation", first.person.preferred_language or "de", values)


@desk_view(CAPABILITY)
def renewal_invite(request):
    """Bulk invitation of the filtered renewal list: preview and count (GET), send (POST, idempotent)."""
    data = _filter_data(request)
    rows = list(_renewals(request, data)[:LIST_LIMIT])
    if request.method == "POST":
        form = DeadlineForm(request.POST)
        if not form.is_valid():
            return _preview_page(request, data, rows, form, status=400)
        sent, skipped, refused = 0, 0, []
        for row in rows:
            try:
                invitation = invitations.invite_person(
                    request.authority,
                    person=row.person,
                    anliegen=row.anliegen,
                    deadline=form.cleaned_data["deadline"],
                    staff=request.user,
                    batch=form.cleaned_data["key"],
                    portal_url=portal_url(request),
                )
            except (invitations.InvitationRefused, BookingError) as exc:
                refused.append((row.person, getattr(exc, "message", str(exc))))
                continue
            if invitation is None:
                skipped += 1
            else:
                sent += 1
        return render(
            request,
            "appointments/desk/renewals_sent.html",
            {"sent": sent, "skipped": skipped, "refused": refused, "data": data},
        )
    form = DeadlineForm(initial={"key": uuid.uuid4().hex})
    return _preview_page(request, data, rows, form)


def _preview_page(request, data, rows, form, status=200):
    record_read(request, *[r.person for r in rows], purpose="renewal invitations preview")
    return render(
        request,
        "appointments/desk/renewals_invite.html",
        {"rows": rows, "count": len(rows), "form": _styled(form), "data": data, "preview": _preview(request, rows)},
        status=status,
    )


@desk_view(CAPABILITY)
def invite_person(request, pk):
    """Invite one person (and, with ``?case=``, for that case) to an appointment, by the channel chosen."""
    person = visible_persons(request.user, request.authority, Resource.MESSAGES).filter(pk=pk).first()
    if person is None:
        raise Http404
    case = None
    case_id = request.GET.get("case") or request.POST.get("case") or ""
    if case_id:
        from willkommen.cases.selectors import case_by_id

        case = case_by_id(request.authority, int(case_id)) if case_id.isdigit() else None
        if case is None or case.person_id != person.pk:
            raise Http404
    initial = {"key": uuid.uuid4().hex, "anliegen": str(case.anliegen_id) if case else ""}
    form = PersonInviteForm(request.POST or None, authority=request.authority, person=person, initial=initial)
    record_read(request, person, purpose="invite to an appointment")
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            anliegen = Anliegen.objects.get(authority=request.authority, pk=int(form.cleaned_data["anliegen"]))
            try:
                invitation = invitations.invite_person(
                    request.authority,
                    person=person,
                    anliegen=anliegen,
                    deadline=form.cleaned_data["deadline"],
                    staff=request.user,
                    channel=form.cleaned_data["channel"],
                    case=case,
                    batch=form.cleaned_data["key"],
                    portal_url=portal_url(request),
                )
            except (invitations.InvitationRefused, BookingError) as exc:
                form.add_error(None, getattr(exc, "message", str(exc)))
            else:
                return render(
                    request,
                    "appointments/desk/invited_person.html",
                    {
                        "person": person,
                        "case": case,
                        "again": invitation is None,
                        "channel": CHANNEL_LABELS.get(form.cleaned_data["channel"], ""),
                    },
                )
    return render(
        request,
        "appointments/desk/invite_person.html",
        {"form": form, "person": person, "case": case, "channels": form.fields["channel"].choices},
        status=status,
    )
