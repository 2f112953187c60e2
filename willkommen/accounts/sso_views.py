"""Staff sign-in through the authority's identity provider (OpenID Connect); the flow is in ``sso.py``."""

import logging

from django.contrib.auth import login as auth_login
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django_otp import login as otp_login

from willkommen.audit.models import Action
from willkommen.audit.services import SIGNED_IN_VIA_SESSION_KEY, record
from willkommen.core.ratelimit import ratelimit

from . import client_identity, client_sso, sso
from .views import _has_totp, _safe_next

log = logging.getLogger(__name__)
NEXT_KEY = "staff_sso_next"


def _refused(request, message, status):
    return render(
        request,
        "accounts/sso_refused.html",
        {"title": _("Sign-in not possible"), "message": message},
        status=status,
    )


def _provider_or_404(request, pk):
    provider = sso.get_provider(getattr(request, "authority", None), pk)
    if provider is None:
        return None, _refused(request, _("This sign-in service is not offered here."), 404)
    return provider, None


@ratelimit("staff-sso", limit=30, methods=("GET", "POST"))
def sso_start(request, pk):
    provider, refusal = _provider_or_404(request, pk)
    if refusal:
        return refusal
    request.session[NEXT_KEY] = _safe_next(request)
    callback = request.build_absolute_uri(reverse("accounts:sso_callback", args=[provider.pk]))
    try:
        return sso.start(request, provider, callback)
    except sso.SignInRefused as refused:
        log.warning("staff sign-in through provider %s refused: %s", provider.pk, refused.reason)
        return _refused(request, refused.message, refused.status)


@ratelimit("staff-sso", limit=30, methods=("GET", "POST"))
def sso_callback(request, pk):
    provider, refusal = _provider_or_404(request, pk)
    if refusal:
        return refusal
    try:
        verified = sso.finish(request, provider)
        with transaction.atomic():
            user = sso.resolve_user(verified)
            sso.apply_groups(user, verified)
    except sso.SignInRefused as refused:
        log.warning("staff sign-in through provider %s refused: %s", provider.pk, refused.reason)
        return _refused(request, refused.message, refused.status)
    next_url = request.session.pop(NEXT_KEY, None) or "/desk/"
    auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session[sso.SESSION_LOGOUT_KEY] = {"provider": provider.pk, "id_token": verified.id_token}
    request.session[SIGNED_IN_VIA_SESSION_KEY] = provider.name  # the audit log names it: "tom (team_lead) via …"
    log.info("staff %s signed in through identity provider %s", user.pk, provider.pk)
    if sso.second_factor_vouched(verified):
        otp_login(request, sso.vouched_device(user, provider))
        return redirect(next_url)
    step = "accounts:verify" if _has_totp(user) else "accounts:setup"
    return redirect(f"{reverse(step)}?{urlencode({'next': next_url})}")


# --- clients: a trusted identity (BundID-style) ----------------------------------------------------

CLIENT_NEXT_KEY = "client_sso_next"


def _client_provider_or_404(request, pk):
    provider = client_sso.get_provider(getattr(request, "authority", None), pk)
    if provider is None:
        return None, _client_refused(request, _("This sign-in service is not offered here."), 404)
    return provider, None


def _client_refused(request, message, status):
    return render(request, "core/error.html", {"title": _("Sign-in not possible"), "message": message}, status=status)


@ratelimit("client-sso", limit=30, methods=("GET", "POST"))
def client_start(request, pk):
    provider, refusal = _client_provider_or_404(request, pk)
    if refusal:
        return refusal
    request.session[CLIENT_NEXT_KEY] = _safe_next(request, default="/messages/")
    callback = request.build_absolute_uri(reverse("accounts:client_sso_callback", args=[provider.pk]))
    try:
        return sso.start(request, provider, callback)
    except sso.SignInRefused as refused:
        log.warning("client sign-in through provider %s refused: %s", provider.pk, refused.reason)
        return _client_refused(request, refused.message, refused.status)


@ratelimit("client-sso", limit=30, methods=("GET", "POST"))
def client_callback(request, pk):
    provider, refusal = _client_provider_or_404(request, pk)
    if refusal:
        return refusal
    try:
        verified = sso.finish(request, provider)
    except sso.SignInRefused as refused:
        log.warning("client sign-in through provider %s refused: %s", provider.pk, refused.reason)
        return _client_refused(request, refused.message, refused.status)
    next_url = request.session.pop(CLIENT_NEXT_KEY, None) or "/messages/"
    identity = client_sso.identity_for(verified)
    client_identity.sign_in(request, identity)
    if identity.person_id:
        # The session may now read the person's things: the audit log says so, naming the provider.
        record(
            authority=request.authority,
            action=Action.READ,
            person_id=identity.person_id,
            request=request,
            purpose="trusted sign-in",
            detail=f"identity of trust level {identity.assurance} bound to the person record",
        )
    log.info("client signed in through provider %s, trust %s", provider.pk, identity.assurance)
    return redirect(next_url)
