import segno
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from willkommen.audit.services import SIGNED_IN_VIA_SESSION_KEY
from willkommen.core.forms import form_status
from willkommen.core.ratelimit import ratelimit

from . import client_identity, client_sso, sso
from .client_identity import ClientIdentity, MagicLinkProvider
from .forms import MagicLinkForm, StaffLoginForm, TokenForm
from .services import send_sign_in_link

RECOVERY_CODES = 10


def _safe_next(request, default="/desk/"):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


def _has_totp(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def login(request):
    form = StaffLoginForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        auth_login(request, form.get_user())
        request.session.pop(SIGNED_IN_VIA_SESSION_KEY, None)  # a password sign-in names no identity provider
        next_url = _safe_next(request)
        step = "accounts:verify" if _has_totp(form.get_user()) else "accounts:setup"
        return redirect(f"{reverse(step)}?next={next_url}")
    return render(
        request,
        "accounts/login.html",
        {
            "form": form,
            "next": _safe_next(request),
            "providers": sso.providers_for(getattr(request, "authority", None)),
        },
    )


def _require_password_step(request):
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    return None


def verify(request):
    if (response := _require_password_step(request)) is not None:
        return response
    if not _has_totp(request.user):
        return redirect("accounts:setup")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            if isinstance(device, StaticDevice):
                left = StaticToken.objects.filter(device=device).count()
                messages.warning(request, _("You used a recovery code. %(left)d codes are left.") % {"left": left})
            return redirect(_safe_next(request))
        form.add_error("token", _("This code is not valid. Check the time on your phone and try again."))
    return render(
        request, "accounts/verify.html", {"form": form, "next": _safe_next(request)}, status=form_status(form)
    )


def _issue_recovery_codes(user):
    device, _created = StaticDevice.objects.get_or_create(user=user, name="recovery")
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return device, codes


def setup(request):
    """First sign-in: bind an authenticator app, then show recovery codes once."""
    if (response := _require_password_step(request)) is not None:
        return response
    if _has_totp(request.user):
        return redirect("accounts:verify")
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name="authenticator", confirmed=False)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            with transaction.atomic():
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                _static, codes = _issue_recovery_codes(request.user)
            otp_login(request, device)
            return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": _safe_next(request)})
        form.add_error("token", _("This code is not valid. Check the time on your phone and try again."))
    qr = segno.make(device.config_url, error="m")
    return render(
        request,
        "accounts/setup.html",
        {
            "form": form,
            "qr": qr.svg_data_uri(scale=5),
            "secret": _b32(device),
            "next": _safe_next(request),
        },
        status=form_status(form),
    )


def _b32(device):
    import base64

    return base64.b32encode(device.bin_key).decode()


@require_POST
def logout(request):
    """Sign out here; after a sign-in through the identity provider, also there (its end-session
    endpoint, RP-initiated logout), which sends the browser back to the sign-in page."""
    end_session = sso.logout_url(request, request.build_absolute_uri(reverse("accounts:login")))
    auth_logout(request)
    messages.info(request, _("You are signed out."))
    return redirect(end_session or reverse("accounts:login"))


# --- clients -------------------------------------------------------------------------------------


@ratelimit("magic-link", limit=10)
def magic_link(request):
    """A client asks for a sign-in link. The answer is the same whether the address is known or not."""
    form = MagicLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if request.authority is None:
            return render(request, "core/error.html", {"title": _("Not available")}, status=404)
        email = form.cleaned_data["email"]
        send_sign_in_link(request, email, _safe_next(request, default=reverse("core:home")))
        return render(request, "accounts/magic_link_sent.html", {"email": email})
    return render(
        request,
        "accounts/magic_link.html",
        {
            "form": form,
            "next": _safe_next(request, default=""),
            "trusted_providers": client_sso.providers_for(getattr(request, "authority", None)),
        },
        status=form_status(form),
    )


def _link_invalid(request):
    return render(
        request,
        "core/error.html",
        {
            "title": _("This link is not valid"),
            "message": _("The link is expired, was already used or is incomplete. Please ask for a new one."),
        },
        status=400,
    )


@ratelimit("magic-link-enter", limit=30)
def magic_link_enter(request, token):
    """GET shows a button (mail scanners that open links do not use it up); the POST uses the link once."""
    if request.method != "POST":
        if MagicLinkProvider.peek(request.authority, token) is None:
            return _link_invalid(request)
        return render(request, "accounts/magic_link_enter.html", {})
    link = MagicLinkProvider.redeem(request.authority, token)
    if link is None:
        return _link_invalid(request)
    client_identity.sign_in(
        request, ClientIdentity(method=MagicLinkProvider.key, authority_id=request.authority.id, email=link.email)
    )
    next_url = link.next_url or "/"
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/"
    return redirect(next_url)


@require_POST
def client_sign_out(request):
    client_identity.sign_out(request)
    messages.info(request, _("You are signed out."))
    return redirect("core:home")
