from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from willkommen.tenancy.models import Authority, Team

from .roles import Role, capabilities


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
        return capability in capabilities(self.role)

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
