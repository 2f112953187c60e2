"""How clients reach their team: consultation and phone hours as data, and callback requests."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from willkommen.tenancy.models import TenantModel, Weekday


class HourKind(models.TextChoices):
    CONSULTATION = "consultation", _("consultation hour (in person)")
    PHONE = "phone", _("phone hour")


class ContactHour(TenantModel):
    """A weekly consultation or phone hour of a team, or of one caseworker of the team."""

    team = models.ForeignKey("tenancy.Team", on_delete=models.CASCADE, related_name="contact_hours")
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="hours_held",
        verbose_name=_("caseworker"),
        help_text=_("Empty: the whole team."),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=HourKind.choices, default=HourKind.CONSULTATION)
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    starts = models.TimeField(_("from"))
    ends = models.TimeField(_("until"))
    location = models.ForeignKey(
        "tenancy.Location", on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("location")
    )
    place = models.CharField(_("room or phone number"), max_length=200, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)

    class Meta:
        verbose_name = _("consultation or phone hour")
        verbose_name_plural = _("consultation and phone hours")
        ordering = ["team", "weekday", "starts", "id"]
        indexes = [models.Index(fields=["authority", "team", "weekday"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends__gt=models.F("starts")), name="contact_hour_order")
        ]


class CallbackStatus(models.TextChoices):
    OPEN = "open", _("open")
    DONE = "done", _("called back")


class CallbackWindow(models.TextChoices):
    MORNING = "morning", _("mornings (8–12)")
    AFTERNOON = "afternoon", _("afternoons (12–16)")
    ANY = "any", _("any time")


class CallbackRequest(TenantModel):
    """A client asks to be called back about their case; the team has two working days."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="callback_requests")
    team = models.ForeignKey("tenancy.Team", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    topic = models.CharField(_("topic"), max_length=300)
    window = models.CharField(_("preferred time"), max_length=10, choices=CallbackWindow.choices)
    phone = models.CharField(_("phone number"), max_length=40)
    language = models.CharField(_("language"), max_length=8, blank=True)
    requested_at = models.DateTimeField(_("requested"))
    due_on = models.DateField(_("call back by"))
    status = models.CharField(_("status"), max_length=8, choices=CallbackStatus.choices, default=CallbackStatus.OPEN)
    done_at = models.DateTimeField(_("called back"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("callback request")
        verbose_name_plural = _("callback requests")
        ordering = ["due_on", "requested_at", "id"]
        indexes = [models.Index(fields=["authority", "team", "status", "due_on"])]
