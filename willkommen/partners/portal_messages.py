"""Messages between a partner organisation and the office about one client: one thread per organisation and
client. The partner writes from the portal (any valid consent); the caseworker reads and answers on the case
page, where each message is marked as coming from the organisation. The client's own messages with the
office (messaging room) are never shown to a partner, and this thread is not shown to the client.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from willkommen.audit.services import Action, record, record_read
from willkommen.core.desk import desk_view

from . import consents, portal_access
from .models import PartnerMessage, PartnerOrganisation
from .portal_forms import MessageForm


def thread(authority, person_id, organisation):
    return PartnerMessage.objects.filter(authority=authority, person_id=person_id, organisation=organisation)


def threads_of_person(authority, person_id):
    """{organisation: [messages]} of all organisations that wrote with the office about the person."""
    result = {}
    rows = PartnerMessage.objects.filter(authority=authority, person_id=person_id).select_related("organisation")
    for message in rows:
        result.setdefault(message.organisation, []).append(message)
    return result


def _write(authority, person_id, organisation, *, body, user, from_partner, case=None):
    message = PartnerMessage.objects.create(
        authority=authority,
        person_id=person_id,
        organisation=organisation,
        case=case,
        from_partner=from_partner,
        body=body,
        author=user,
        author_label=(f"{user.display_name} ({organisation.name})" if from_partner else user.display_name)[:300],
        sent_at=timezone.now(),
    )
    record(
        authority=authority,
        action=Action.CREATE,
        person_id=person_id,
        obj=message,
        actor=user,
        purpose="partner message",
        detail=organisation.name,
    )
    return message


@desk_view("partner.portal")
@require_POST
def partner_write(request, person_id):
    from willkommen.cases import selectors as cases

    organisation = portal_access.organisation(request)
    consent = consents.any_valid_consent(organisation, person_id)
    if consent is None:
        raise Http404
    form = MessageForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "core/error.html",
            {"title": _("This did not work"), "message": _("Write a message.")},
            status=400,
        )
    case = cases.latest_case_of_person(request.authority, consent.person)
    _write(
        request.authority,
        person_id,
        organisation,
        body=form.cleaned_data["body"],
        user=request.user,
        from_partner=True,
        case=case,
    )
    messages.success(request, _("Your message was sent to the office."))
    return redirect("partners:portal_client", person_id=person_id)


@desk_view("cases.work")
@require_POST
def staff_reply(request, case_id, organisation_id):
    """The caseworker answers an organisation's thread about the case's client (only a case they see; only
    while the organisation holds a valid consent of the client)."""
    from .views import _case

    case = _case(request, case_id)
    organisation = get_object_or_404(PartnerOrganisation, pk=organisation_id, authority=request.authority)
    if consents.any_valid_consent(organisation, case.person_id) is None:
        return render(
            request,
            "core/error.html",
            {"title": _("This did not work"), "message": _("The organisation no longer holds a valid consent.")},
            status=409,
        )
    form = MessageForm(request.POST, prefix=f"o{organisation.pk}")
    if not form.is_valid():
        return render(
            request, "core/error.html", {"title": _("This did not work"), "message": _("Write a message.")}, status=400
        )
    _write(
        request.authority,
        case.person_id,
        organisation,
        body=form.cleaned_data["body"],
        user=request.user,
        from_partner=False,
        case=case,
    )
    messages.success(request, _("The message was sent to the organisation."))
    return redirect("cases:detail", pk=case.pk)


def case_panel(request, case):
    """The case page's panel: documents partner organisations delivered for the case's requests for documents,
    and the threads with organisations about the client (each message marked as from the organisation)."""
    from django.template.loader import render_to_string

    from .models import PartnerDelivery

    user = getattr(request, "user", None)
    if case is None or user is None or not user.is_authenticated or not user.can("cases.work"):
        return ""
    deliveries = list(
        PartnerDelivery.objects.filter(authority=request.authority, case=case).select_related(
            "organisation", "document", "document_request"
        )
    )
    threads = threads_of_person(request.authority, case.person_id)
    if not deliveries and not threads:
        return ""
    if threads:
        record_read(request, case.person, purpose="partner messages on the case")
    return render_to_string(
        "partners/_case_partners.html",
        {
            "case": case,
            "deliveries": deliveries,
            "threads": [(org, rows, MessageForm(prefix=f"o{org.pk}")) for org, rows in threads.items()],
        },
        request=request,
    )
