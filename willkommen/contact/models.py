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


class FeedbackKind(models.TextChoices):
    COMPLAINT = "complaint", _("complaint")
    PRAISE = "praise", _("praise")
    SUGGESTION = "suggestion", _("suggestion")


class FeedbackCategory(models.TextChoices):
    WAITING = "waiting", _("waiting times")
    TREATMENT = "treatment", _("how I was treated")
    LANGUAGE = "language", _("language and understanding")
    DECISION = "decision", _("a decision")
    ACCESSIBILITY = "accessibility", _("accessibility")
    OTHER = "other", _("something else")


class FeedbackState(models.TextChoices):
    OPEN = "open", _("open")
    ANSWERED = "answered", _("answered")


class Feedback(TenantModel):
    """Feedback or a complaint from the portal, anonymous or with a case number; the head of office
    answers within ten working days."""

    kind = models.CharField(_("kind"), max_length=12, choices=FeedbackKind.choices)
    category = models.CharField(_("category"), max_length=16, choices=FeedbackCategory.choices)
    text = models.TextField(_("text"), max_length=5000)
    case = models.ForeignKey("cases.Case", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    email = models.EmailField(_("e-mail"), blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    received_at = models.DateTimeField(_("received"))
    reply_due = models.DateField(_("reply by"))
    state = models.CharField(_("state"), max_length=8, choices=FeedbackState.choices, default=FeedbackState.OPEN)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reply = models.TextField(_("reply"), blank=True)
    # the reply as a letter (German and the client's language), kept in the person's e-file: only for
    # feedback with a case, whose person has an address; the office posts it or hands it over
    reply_letter = models.ForeignKey(
        "letters.Letter",
        verbose_name=_("reply letter"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        ordering = ["reply_due", "received_at", "id"]
        indexes = [
            models.Index(fields=["authority", "state", "reply_due"]),
            models.Index(fields=["authority", "received_at"]),
        ]


class SurveyReason(models.TextChoices):
    DECIDED_CASE = "decided_case", _("case decided")
    ATTENDED_APPOINTMENT = "attended_appointment", _("appointment attended")


class SurveyInvitation(TenantModel):
    """A short satisfaction survey (three questions, 1–5), at most one per person and calendar quarter,
    answered once through the link without an account."""

    person = models.ForeignKey("clients.Person", on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    reason = models.CharField(_("reason"), max_length=24, choices=SurveyReason.choices)
    quarter = models.CharField(max_length=7, editable=False)  # "2026Q4"
    language = models.CharField(_("language"), max_length=8, default="de")
    sent_at = models.DateTimeField(_("sent"))
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    overall = models.PositiveSmallIntegerField(null=True, blank=True)
    understood = models.PositiveSmallIntegerField(null=True, blank=True)
    reachable = models.PositiveSmallIntegerField(null=True, blank=True)
    comment = models.TextField(blank=True, max_length=1000)

    class Meta:
        verbose_name = _("survey invitation")
        verbose_name_plural = _("survey invitations")
        indexes = [models.Index(fields=["authority", "answered_at"])]
        constraints = [
            models.UniqueConstraint(fields=["person", "quarter"], name="survey_once_per_quarter"),
            *[
                models.CheckConstraint(
                    condition=models.Q(**{f"{name}__isnull": True}) | models.Q(**{f"{name}__range": (1, 5)}),
                    name=f"survey_{name}_1_to_5",
                )
                for name in ("overall", "understood", "reachable")
            ],
        ]
