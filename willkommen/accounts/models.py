from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device

from willkommen.tenancy.models import Authority, Team, TenantModel

from .roles import HUMAN_ONLY, INTEGRATION_ROLES, Role, capabilities


class User(AbstractUser):
    """A staff member of one authority. Clients have no user account (see client_identity.py)."""

    authority = models.ForeignKey(
        Authority, on_delete=models.PROTECT, null=True, blank=True, related_name="staff", verbose_name=_("authority")
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices, default=Role.CASEWORKER)
    teams = models.ManyToManyField(Team, through="Membership", blank=True, related_name="members")
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    contact_hours = models.CharField(_("contact hours"), max_length=200, blank=True)
    languages = models.JSONField(_("languages spoken"), default=list, blank=True)

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")
        indexes = [models.Index(fields=["authority", "role"])]

    def can(self, capability):
        if not self.is_active:
            return False
        if self.role == Role.INTEGRATION:
            account = getattr(self, "integration_account", None)
            return account is not None and capability in account.capabilities()
        return capability in capabilities(self.role)

    @property
    def is_integration(self):
        return self.role == Role.INTEGRATION

    @property
    def display_name(self):
        return self.get_full_name() or self.username


class Membership(models.Model):
    authority = models.ForeignKey(Authority, on_delete=models.CASCADE)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    is_lead = models.BooleanField(_("leads the team"), default=False)

    class Meta:
        verbose_name = _("team membership")
        verbose_name_plural = _("team memberships")
        constraints = [models.UniqueConstraint(fields=["user", "team"], name="membership_unique")]
        indexes = [models.Index(fields=["authority", "team"])]

    def __str__(self):
        return f"{self.user} @ {self.team}"


class IntegrationAccount(TenantModel):
    """Another system that uses the REST API (a case management system, a kiosk, a statistics export).

    It acts as its own user (``user``, role ``integration``, no password, never in staff lists) with the
    capabilities of the role it acts as (``acts_as``) less the human-only ones, and sees through the
    user's team memberships what a staff member of that role and those teams would see. Its tokens
    narrow that further to rooms and to reading or writing (``ApiToken.scopes``)."""

    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("purpose and contact"), max_length=2000, blank=True)
    acts_as = models.CharField(
        _("acts as"), max_length=30, choices=[(r.value, r.label) for r in INTEGRATION_ROLES], default=Role.CASEWORKER
    )
    user = models.OneToOneField(User, on_delete=models.PROTECT, related_name="integration_account")
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("integration account")
        verbose_name_plural = _("integration accounts")
        constraints = [models.UniqueConstraint(fields=["authority", "name"], name="integration_name_per_authority")]

    def __str__(self):
        return self.name

    @property
    def is_active(self):
        return self.user.is_active

    def capabilities(self):
        return capabilities(self.acts_as) - HUMAN_ONLY


class ApiToken(TenantModel):
    """A secret of an integration account for ``Authorization: Bearer <token>``. Only its SHA-256 is
    stored (the secret is shown once); it expires, can be rotated (the old one keeps working for a short
    overlap) and revoked. ``scopes``: room -> "read" or "write" (write includes read)."""

    account = models.ForeignKey(IntegrationAccount, on_delete=models.CASCADE, related_name="tokens")
    label = models.CharField(_("label"), max_length=100, blank=True)
    prefix = models.CharField(_("beginning"), max_length=12)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    scopes = models.JSONField(_("scopes"), default=dict)
    expires_at = models.DateTimeField(_("expires"))
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    replaced_by = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="replaces", editable=False
    )
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        indexes = [models.Index(fields=["authority", "account", "expires_at"])]

    def __str__(self):
        return f"{self.account} {self.prefix}…"

    def is_valid(self, now):
        return self.revoked_at is None and self.expires_at > now and self.account.is_active

    def allows(self, room, write):
        level = self.scopes.get(room)
        return level == "write" if write else level in ("read", "write")


class SignInLink(TenantModel):
    """A client's sign-in link sent by e-mail (see ``sign_in_links.py``). The link carries only a random
    token; the row keeps its keyed hash, never the token, and is used at most once before it expires."""

    token_hash = models.CharField(max_length=64, unique=True)
    email = models.EmailField(_("e-mail"))
    next_url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("sign-in link")
        verbose_name_plural = _("sign-in links")
        indexes = [models.Index(fields=["expires_at"])]

    def __str__(self):
        return f"{self.email} ({self.created_at:%Y-%m-%d %H:%M})"


# --- staff single sign-on (OpenID Connect, see sso.py and docs/security.md "Single sign-on") ------


class SealedClientSecret(models.Model):
    """The client secret of an OpenID Connect client, sealed in the database (``sealed.py``)."""

    client_secret_sealed = models.TextField(_("client secret"), blank=True, editable=False)

    class Meta:
        abstract = True

    @property
    def client_secret(self):
        from .sealed import unseal

        return unseal(self.client_secret_sealed)

    @client_secret.setter
    def client_secret(self, plain):
        from .sealed import seal

        self.client_secret_sealed = seal(plain)


class StaffIdentityProvider(SealedClientSecret, TenantModel):
    """The directory of an authority (Keycloak, ADFS, …) that staff sign in with over OpenID Connect.

    The endpoints come from the issuer's discovery document; only the issuer, the client and what to
    read from the ID token are kept here. The client secret is written in the admin and never shown
    again."""

    class MatchField(models.TextChoices):
        USERNAME = "username", _("user name")
        EMAIL = "email", _("e-mail address")

    name = models.CharField(_("name"), max_length=100, help_text=_("Shown on the sign-in button."))
    issuer = models.URLField(
        _("issuer"), max_length=300, help_text=_("The issuer URL; its discovery document is read from there.")
    )
    client_id = models.CharField(_("client ID"), max_length=200)
    scopes = models.CharField(_("scopes"), max_length=200, default="openid profile email")
    match_claim = models.CharField(
        _("claim that names the user"),
        max_length=100,
        default="preferred_username",
        help_text=_("The ID token claim whose value identifies the staff member, e.g. preferred_username or email."),
    )
    match_field = models.CharField(
        _("matched against"), max_length=20, choices=MatchField.choices, default=MatchField.USERNAME
    )
    provision = models.BooleanField(
        _("create unknown staff"),
        default=False,
        help_text=_("Create a staff account at the first sign-in when the groups give a role."),
    )
    groups_claim = models.CharField(_("claim with the groups"), max_length=100, default="groups")
    accepted_acr = models.CharField(
        _("accepted acr values"),
        max_length=300,
        blank=True,
        help_text=_("Comma-separated. A token with one of these acr values counts as signed in with a second factor."),
    )
    accepted_amr = models.CharField(
        _("accepted amr values"),
        max_length=300,
        blank=True,
        default="mfa,otp,hwk",
        help_text=_(
            "Comma-separated. A token naming one of these methods in amr counts as signed in with a second "
            "factor; otherwise the code from the authenticator app is asked here."
        ),
    )
    enabled = models.BooleanField(_("enabled"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("identity provider (staff)")
        verbose_name_plural = _("identity providers (staff)")
        constraints = [models.UniqueConstraint(fields=["authority", "name"], name="staff_idp_name_per_authority")]

    def __str__(self):
        return self.name

    @staticmethod
    def _values(text):
        return {v.strip() for v in text.split(",") if v.strip()}

    def acr_values(self):
        return self._values(self.accepted_acr)

    def amr_values(self):
        return self._values(self.accepted_amr)


class GroupMapping(TenantModel):
    """A group in the directory's token and what it gives here: a role, a team, or both. Read at every
    sign-in through the provider, so a change takes effect at the next sign-in."""

    provider = models.ForeignKey(
        StaffIdentityProvider, on_delete=models.CASCADE, related_name="mappings", verbose_name=_("identity provider")
    )
    group = models.CharField(_("group in the directory"), max_length=200)
    role = models.CharField(
        _("role"),
        max_length=30,
        blank=True,
        choices=[(r.value, r.label) for r in Role if r not in (Role.INTEGRATION, Role.PARTNER)],
        help_text=_("When several groups give a role, the one listed first (lowest position) wins."),
    )
    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("team")
    )
    is_lead = models.BooleanField(_("leads the team"), default=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("group mapping")
        verbose_name_plural = _("group mappings")
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["authority", "provider"])]

    def __str__(self):
        return self.group


class StaffIdentityLink(TenantModel):
    """Which staff member a provider's subject (``sub``) is; made at the first sign-in."""

    provider = models.ForeignKey(StaffIdentityProvider, on_delete=models.CASCADE, related_name="links")
    subject = models.CharField(max_length=255)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="identity_links")
    created_at = models.DateTimeField(auto_now_add=True)
    last_login_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("single sign-on link")
        verbose_name_plural = _("single sign-on links")
        constraints = [models.UniqueConstraint(fields=["provider", "subject"], name="staff_idp_subject_unique")]

    def __str__(self):
        return f"{self.provider}: {self.subject}"


class ProviderVouchedDevice(Device):
    """The second factor as the identity provider vouched for it (acr/amr of the ID token). It verifies
    no codes here; signing in through the provider marks the session verified with it (django-otp)."""

    provider = models.ForeignKey(StaffIdentityProvider, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("second factor at the identity provider")
        verbose_name_plural = _("second factors at the identity provider")

    def verify_token(self, token):
        return False


def _comma_values(text):
    return {v.strip() for v in (text or "").split(",") if v.strip()}


class ClientIdentityProvider(SealedClientSecret, TenantModel):
    """A trusted identity for clients over OpenID Connect (BundID or a state's service account with the eID
    card). The token's ``acr`` gives the trust level; the verified names, date and place of birth find
    the person's record when exactly one fits (never a merge). See docs/security.md, "Single sign-on"."""

    name = models.CharField(_("name"), max_length=100, help_text=_("Shown on the sign-in button."))
    issuer = models.URLField(
        _("issuer"), max_length=300, help_text=_("The issuer URL; its discovery document is read from there.")
    )
    client_id = models.CharField(_("client ID"), max_length=200)
    scopes = models.CharField(_("scopes"), max_length=200, default="openid profile")
    acr_high = models.CharField(
        _("acr values for trust level high"),
        max_length=300,
        blank=True,
        help_text=_("Comma-separated, e.g. the value for the eID card."),
    )
    acr_substantial = models.CharField(
        _("acr values for trust level substantial"), max_length=300, blank=True, help_text=_("Comma-separated.")
    )
    place_of_birth_claim = models.CharField(
        _("claim with the place of birth"), max_length=100, default="place_of_birth"
    )
    enabled = models.BooleanField(_("enabled"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("identity provider (clients)")
        verbose_name_plural = _("identity providers (clients)")
        constraints = [models.UniqueConstraint(fields=["authority", "name"], name="client_idp_name_per_authority")]

    def __str__(self):
        return self.name

    def trust_level(self, acr):
        if isinstance(acr, str) and acr in _comma_values(self.acr_high):
            return "high"
        if isinstance(acr, str) and acr in _comma_values(self.acr_substantial):
            return "substantial"
        return "low"
