"""The client's optional account, "my matters" (``/my/``, issue 22 item 3): after a trusted sign-in with
the eID card (trust level "high", ``accounts/client_sso.py``) bound to exactly one person record, one page
with all the person's cases (their state in words), letters, messages and residence history; the rooms above
this one add their sections through the panel slot ``portal.my`` (bookings: appointments; consents with
revoke: partners). Every query is filtered in SQL by the bound person and the authority; the page writes
one audit entry, which names the way in and the provider (``client via oidc (BundID)``).

Nothing needs this page: case number and access code, and the link by e-mail, keep working. A client
without a bound high-trust identity gets a 403 that explains why and offers those ways in instead."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode

from willkommen.accounts.client_identity import current_identity
from willkommen.audit.services import record_read
from willkommen.catalogue import selectors as catalogue_selectors
from willkommen.clients import selectors as clients_selectors

from .selectors import plain_status

SLOT = "portal.my"
TRUST = "high"
LAST_MESSAGES = 10


def bound_person(request):
    """The person of a trusted high-level sign-in at this authority, or None."""
    identity = current_identity(request)
    if identity is None or not identity.person_id or identity.assurance != TRUST:
        return None
    return clients_selectors.persons(request.authority).filter(pk=identity.person_id).first()


def _cases(authority, person, language):
    from willkommen.cases.models import Case

    rows = (
        Case.objects.filter(authority=authority, person=person)
        .select_related("anliegen")
        .order_by("-created_at", "-pk")
    )
    return [
        {
            "case": case,
            "title": catalogue_selectors.title(case.anliegen, language),
            "state": plain_status(case.status)[0],
        }
        for case in rows
    ]


def _letters(authority, person):
    from willkommen.letters.models import Letter

    return list(
        Letter.objects.filter(authority=authority, case__person=person, visible_to_client=True)
        .select_related("case")
        .order_by("-created_at", "-pk")
    )


def _messages(authority, person):
    from willkommen.messaging.models import Message

    rows = Message.objects.filter(authority=authority, person=person, fallback_of__isnull=True)
    return list(rows.order_by("-created_at", "-id")[:LAST_MESSAGES])


def my_matters(request):
    if request.authority is None:
        raise Http404
    identity = current_identity(request)
    if identity is None:
        return redirect(f"{reverse('accounts:magic_link')}?{urlencode({'next': request.get_full_path()})}")
    person = bound_person(request)
    if person is None:
        return render(request, "applications/my_locked.html", {"identity": identity}, status=403)
    authority, language = request.authority, translation.get_language()
    context = {
        "person": person,
        "cases": _cases(authority, person, language),
        "letters": _letters(authority, person),
        "messages_list": _messages(authority, person),
        "residence": list(clients_selectors.residence_history(person)),
    }
    record_read(request, person, purpose="client's overview (my matters)", detail=f"trust level {TRUST}")
    return render(request, "applications/my_matters.html", context)
