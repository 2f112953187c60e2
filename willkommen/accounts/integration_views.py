"""Desk pages of the authority's administrator (capability ``integrations.manage``): the integration
accounts that use the REST API, and their tokens: create, rotate, revoke. A token's secret is shown
once, on the page that answers its creation or rotation (never cached), and never again."""

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST

from willkommen.core import forms
from willkommen.core.forms import form_status
from willkommen.tenancy.models import Team

from . import integrations
from .decorators import desk_view
from .models import ApiToken, IntegrationAccount
from .roles import INTEGRATION_ROLES

CAPABILITY = "integrations.manage"
NONE = ""
SCOPE_CHOICES = [
    (NONE, gettext_lazy("no access")),
    (integrations.READ, gettext_lazy("read")),
    (integrations.WRITE, gettext_lazy("read and write")),
]


def room_label(room):
    from django.apps import apps

    return {
        "cases": gettext_lazy("Cases"),
        "clients": gettext_lazy("Persons"),
        "efile": gettext_lazy("E-file"),
        "servicepoint": gettext_lazy("ServicePoint"),
        "appointments": gettext_lazy("Appointments"),
        "applications": gettext_lazy("Online applications"),
        "messaging": gettext_lazy("Messages"),
        "accommodation": pgettext_lazy("area of the software", "Accommodation"),
        "reports": gettext_lazy("Reports"),
    }.get(room) or apps.get_app_config(room).verbose_name


class AccountForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name of the system"), max_length=100)
    description = forms.CharField(
        label=gettext_lazy("Purpose and contact"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    acts_as = forms.ChoiceField(
        label=gettext_lazy("Acts as"),
        choices=[(r.value, r.label) for r in INTEGRATION_ROLES],
        help_text=gettext_lazy(
            "The account sees and may do what a staff member of this role and these teams may, "
            "never approve a decision, and only in the rooms its tokens name."
        ),
    )
    teams = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Teams"), queryset=Team.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, authority, account=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.authority, self.account = authority, account
        self.fields["teams"].queryset = Team.objects.filter(authority=authority).order_by("name")
        if account is not None:
            del self.fields["name"]

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if IntegrationAccount.objects.filter(authority=self.authority, name__iexact=name).exists():
            raise forms.ValidationError(_("An integration account of this name exists already."))
        return name


class TokenForm(forms.Form):
    label = forms.CharField(label=gettext_lazy("Label"), max_length=100, required=False)
    expires_on = forms.DateField(
        label=gettext_lazy("Valid until"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args, rooms, **kwargs):
        super().__init__(*args, **kwargs)
        self.rooms = rooms
        self.fields["expires_on"].initial = timezone.localdate() + dt.timedelta(days=settings.API_TOKEN_DEFAULT_DAYS)
        for room in rooms:
            self.fields[f"scope_{room}"] = forms.ChoiceField(
                label=room_label(room), choices=SCOPE_CHOICES, required=False, initial=NONE, widget=forms.RadioSelect
            )

    def scope_fields(self):
        return [self[f"scope_{room}"] for room in self.rooms]

    def clean_expires_on(self):
        value = self.cleaned_data["expires_on"]
        today = timezone.localdate()
        if value <= today:
            raise forms.ValidationError(_("The date must lie in the future."))
        if value > today + dt.timedelta(days=settings.API_TOKEN_MAX_DAYS):
            raise forms.ValidationError(
                _("A token may be valid for at most %(days)d days.") % {"days": settings.API_TOKEN_MAX_DAYS}
            )
        return value

    def clean(self):
        data = super().clean()
        if not any(data.get(f"scope_{room}") for room in self.rooms):
            raise forms.ValidationError(_("Choose at least one room the token may read or write."))
        return data

    def scopes(self):
        return {room: self.cleaned_data[f"scope_{room}"] for room in self.rooms if self.cleaned_data[f"scope_{room}"]}

    def expires_at(self):
        day_end = dt.datetime.combine(self.cleaned_data["expires_on"], dt.time(23, 59, 59))
        return timezone.make_aware(day_end)


def _account(request, pk):
    return get_object_or_404(integrations.accounts(request.authority), pk=pk)


def _token(account, token_id):
    return get_object_or_404(ApiToken.objects.filter(authority=account.authority, account=account), pk=token_id)


@desk_view(CAPABILITY)
def integration_list(request):
    now = timezone.now()
    rows = [
        {"account": account, "valid": [t for t in account.tokens.all() if t.is_valid(now)]}
        for account in integrations.accounts(request.authority).prefetch_related("tokens")
    ]
    return render(request, "accounts/integrations/list.html", {"rows": rows})


@desk_view(CAPABILITY)
def integration_new(request):
    form = AccountForm(request.POST or None, authority=request.authority)
    if request.method == "POST" and form.is_valid():
        account = integrations.create_account(request.authority, actor=request.user, **form.cleaned_data)
        messages.success(request, _("The integration account was created. Now give it a token."))
        return redirect("accounts:integration", account.pk)
    return render(request, "accounts/integrations/account_form.html", {"form": form}, status=form_status(form))


@desk_view(CAPABILITY)
def integration_edit(request, pk):
    account = _account(request, pk)
    initial = {"acts_as": account.acts_as, "description": account.description, "teams": list(account.user.teams.all())}
    form = AccountForm(request.POST or None, authority=request.authority, account=account, initial=initial)
    if request.method == "POST" and form.is_valid():
        integrations.update_account(account, actor=request.user, **form.cleaned_data)
        messages.success(request, _("The integration account was saved."))
        return redirect("accounts:integration", account.pk)
    context = {"form": form, "account": account}
    return render(request, "accounts/integrations/account_form.html", context, status=form_status(form))


def _detail(request, account, token_form=None, status=200):
    rooms = integrations.api_rooms()
    now = timezone.now()
    context = {
        "account": account,
        "teams": account.user.teams.order_by("name"),
        "tokens": [
            {"token": t, "valid": t.is_valid(now), "scopes": [(room_label(r), level) for r, level in t.scopes.items()]}
            for t in integrations.tokens(account)
        ],
        "token_form": token_form or TokenForm(rooms=rooms),
    }
    return render(request, "accounts/integrations/account.html", context, status=status)


@desk_view(CAPABILITY)
def integration_detail(request, pk):
    return _detail(request, _account(request, pk))


def _secret(request, account, token, key):
    response = render(request, "accounts/integrations/secret.html", {"account": account, "token": token, "key": key})
    response["Cache-Control"] = "private, no-store"
    return response


@desk_view(CAPABILITY)
@require_POST
def token_new(request, pk):
    account = _account(request, pk)
    form = TokenForm(request.POST, rooms=integrations.api_rooms())
    if not form.is_valid() or not account.is_active:
        if not account.is_active:
            form.add_error(None, _("The account is switched off. Switch it on first."))
        return _detail(request, account, token_form=form, status=400)
    token, key = integrations.issue_token(
        account,
        scopes=form.scopes(),
        expires_at=form.expires_at(),
        label=form.cleaned_data["label"],
        actor=request.user,
    )
    return _secret(request, account, token, key)


@desk_view(CAPABILITY)
@require_POST
def token_rotate(request, pk, token_id):
    account = _account(request, pk)
    token = _token(account, token_id)
    if not token.is_valid(timezone.now()):
        messages.error(request, _("Only a valid token can be rotated."))
        return redirect("accounts:integration", account.pk)
    new, key = integrations.rotate_token(token, actor=request.user)
    return _secret(request, account, new, key)


@desk_view(CAPABILITY)
@require_POST
def token_revoke(request, pk, token_id):
    account = _account(request, pk)
    integrations.revoke_token(_token(account, token_id), actor=request.user)
    messages.success(request, _("The token was revoked. It no longer works."))
    return redirect("accounts:integration", account.pk)


@desk_view(CAPABILITY)
@require_POST
def integration_active(request, pk):
    account = _account(request, pk)
    active = request.POST.get("active") == "1"
    integrations.set_active(account, active, actor=request.user)
    messages.success(request, _("The account is switched on.") if active else _("The account is switched off."))
    return redirect("accounts:integration", account.pk)
