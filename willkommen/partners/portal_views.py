"""The client's side of consent in the portal (``/consents/``): the signed-in client gives a partner
organisation consent (scope, purpose, validity), sees who has access and who looked, and revokes – at once.

Giving a consent needs a trusted sign-in (issue 22 item 2): trust level "substantial" or "high" from an
identity provider (``accounts/client_sso.py``) with the identity bound to this person by verified attributes.
A sign-in by e-mail link or by case number and access code (trust "low") may see and revoke, but giving is
refused with a 403 that explains the paper form; nothing is stored. Revoking never needs more trust."""

from datetime import timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from willkommen.accounts.client_identity import current_identity
from willkommen.audit.selectors import entries
from willkommen.core.ratelimit import ratelimit
from willkommen.messaging import selectors as messaging

from . import consents
from .forms import ClientConsentForm
from .models import Consent, ConsentSource, PartnerOrganisation

TRUSTED = ("substantial", "high")


def may_give(identity, person):
    """Whether this sign-in may give a consent: a trusted identity bound to the person."""
    return identity is not None and identity.assurance in TRUSTED and identity.person_id == person.pk


def _person(request):
    """(redirect, person): the signed-in client's person, or a redirect to sign in / an error page."""
    if request.authority is None:
        raise Http404
    identity = current_identity(request)
    if identity is None:
        return redirect(f"{reverse('accounts:magic_link')}?{urlencode({'next': request.get_full_path()})}"), None
    person = messaging.person_for_identity(request.authority, identity)
    if person is None:
        message = _(
            "We could not find your record for this sign-in. Please sign in with your case number and access code."
        )
        return render(request, "core/error.html", {"title": _("Consents"), "message": message}, status=403), None
    return None, person


def _page(request, person, form, status=200):
    trusted = may_give(current_identity(request), person)
    rows = list(Consent.objects.filter(authority=request.authority, person=person).select_related("organisation"))
    # Who of a partner organisation looked: the audit entries of partner accounts about this person.
    looked = list(entries(request.authority, person_id=person.pk).filter(actor__role="partner").order_by("-at")[:50])
    return render(
        request,
        "partners/client_consents.html",
        {"rows": rows, "form": form, "looked": looked, "trusted": trusted, "refused": status == 403},
        status=status,
    )


@ratelimit("partners-consent", limit=20)
def client_consents(request):
    response, person = _person(request)
    if response is not None:
        return response
    organisations = PartnerOrganisation.objects.filter(authority=request.authority, active=True)
    if request.method != "POST":
        form = ClientConsentForm(
            organisations=organisations, initial={"valid_until": timezone.localdate() + timedelta(days=365)}
        )
        return _page(request, person, form)
    form = ClientConsentForm(request.POST, organisations=organisations)
    if not may_give(current_identity(request), person):
        return _page(request, person, form, status=403)
    if form.is_valid():
        data = form.cleaned_data
        try:
            consents.record_consent(
                person,
                data["organisation"],
                scopes=data["scopes"],
                purpose=data["purpose"],
                valid_until=data["valid_until"],
                source=ConsentSource.PORTAL,
            )
        except consents.ConsentError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Your consent was recorded."))
            return redirect("partners:client_consents")
    return _page(request, person, form, status=400)


@ratelimit("partners-consent", limit=20)
@require_POST
def client_revoke(request, pk):
    response, person = _person(request)
    if response is not None:
        return response
    consent = get_object_or_404(Consent, pk=pk, authority=request.authority, person=person)
    consents.revoke_consent(consent, by_label=_("the client"))
    messages.success(request, _("Your consent was revoked. The organisation has no access any more."))
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect("partners:client_consents")


def my_consents(request, person):
    """Section "Consents" of the client's overview (slot ``portal.my``, applications/my_matters.py): the
    person's consents with "take back", filtered in SQL by the person and the authority."""
    from django.template.loader import render_to_string

    authority = getattr(request, "authority", None)
    if person is None or authority is None or person.authority_id != authority.pk:
        return ""
    rows = list(Consent.objects.filter(authority=authority, person=person).select_related("organisation"))
    return render_to_string("partners/_my_consents.html", {"rows": rows}, request=request)
