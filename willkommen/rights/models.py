"""The rights room: rules as dated data, the facts recorded on a person, and the monthly checks.

- ``RuleVersion``: one version of one rule (the law, federal, shared by every authority). A change in the
  law is a new row with its own ``valid_from``; the old row gets its ``valid_to``. Never edited in place
  once a check used it (docs/rights.md, "When the law changes").
- ``Fact``: one fact the caseworker recorded on a person (schooling, language certificate, livelihood, ...)
  with its source, the date it was established and optionally the e-file document that proves it. The
  newest entry of each kind counts; older ones stay as the history.
- ``ScreeningRun`` / ``Check`` / ``CheckOutcome``: one run per authority and screening date, one check per
  person per run (kept: a change is visible), one outcome per rule (filtered and sorted in SQL).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from willkommen.tenancy.models import TenantModel


class RuleKey(models.TextChoices):
    R25A = "25a", _("§ 25a AufenthG – well-integrated young people")
    R25B = "25b", _("§ 25b AufenthG – sustained integration")
    R104C = "104c", _("§ 104c AufenthG – opportunity residence")
    R60D = "60d", _("§ 60d AufenthG – employment toleration")
    R19D = "19d", _("§ 19d AufenthG – qualified tolerated persons")


class Result(models.TextChoices):
    LIKELY = "likely", _("likely")
    NEEDS_DATA = "needs_data", _("needs data")
    UNLIKELY = "unlikely", _("unlikely")


class RuleVersion(models.Model):
    key = models.CharField(_("rule"), max_length=8, choices=RuleKey.choices)
    version = models.CharField(_("version"), max_length=40, help_text=_("e.g. 2024-02-27"))
    legal_basis = models.CharField(_("legal basis"), max_length=100)
    source = models.CharField(
        _("source"), max_length=300, blank=True, help_text=_("The law and where it is published.")
    )
    valid_from = models.DateField(_("applies from"), null=True, blank=True)
    valid_to = models.DateField(_("applications until"), null=True, blank=True)
    params = models.JSONField(_("criteria parameters"), default=dict, blank=True)
    explanation = models.JSONField(
        _("explanation for clients"), default=dict, blank=True, help_text=_("One text per language code.")
    )
    anliegen_slug = models.SlugField(
        _("Anliegen of the catalogue"), blank=True, help_text=_("Its checklist is sent with an invitation.")
    )

    class Meta:
        verbose_name = _("rule version")
        verbose_name_plural = _("rule versions")
        ordering = ["key", "valid_from"]
        constraints = [models.UniqueConstraint(fields=["key", "version"], name="rights_rule_version_unique")]

    def __str__(self):
        return f"{self.legal_basis} ({self.version})"


class FactKind(models.TextChoices):
    SCHOOL_YEARS = "school_years_de", _("years of successful schooling in Germany")
    QUALIFICATION = "recognised_qualification", _("recognised school or vocational qualification")
    GERMAN = "german_level", _("oral German (CEFR level)")
    LIVELIHOOD = "livelihood", _("livelihood")
    EXEMPTIONS = "exemptions", _("exemptions from securing the livelihood")
    CHILD = "minor_child_in_household", _("lives with a minor unmarried child")
    CHILDREN_SCHOOL = "children_attend_school", _("school-age children attend school")
    SENTENCE = "sentence_months", _("prison sentence in months (register)")
    FINE = "fine_daily_rates", _("fines in daily rates (register)")
    DECEPTION = "identity_deception", _("identity deception or obstruction of removal")


class FactSource(models.TextChoices):
    DOCUMENT = "document", _("document in the e-file")
    REGISTER = "register", _("register extract (Bundeszentralregister)")
    AUTHORITY = "authority", _("another authority")
    DECLARED = "declared", _("declared by the client")
    STAFF = "staff", _("established by staff")


class Fact(TenantModel):
    person = models.ForeignKey("clients.Person", on_delete=models.CASCADE, related_name="rights_facts")
    kind = models.CharField(_("fact"), max_length=30, choices=FactKind.choices)
    value = models.JSONField(_("value"))
    source = models.CharField(_("source"), max_length=12, choices=FactSource.choices)
    established_on = models.DateField(_("established on"))
    document = models.ForeignKey(
        "efile.Document", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("document")
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("recorded fact")
        verbose_name_plural = _("recorded facts")
        ordering = ["person", "kind", "-established_on", "-id"]
        indexes = [models.Index(fields=["authority", "person", "kind", "established_on"])]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.value}"


class ScreeningRun(TenantModel):
    on = models.DateField(_("screening date"))
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    persons = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("screening run")
        verbose_name_plural = _("screening runs")
        ordering = ["-on"]
        constraints = [models.UniqueConstraint(fields=["authority", "on"], name="rights_run_once_per_day")]

    def __str__(self):
        return f"{self.on}"


class Check(TenantModel):
    run = models.ForeignKey(ScreeningRun, on_delete=models.CASCADE, related_name="checks")
    person = models.ForeignKey("clients.Person", on_delete=models.CASCADE, related_name="rights_checks")
    team = models.ForeignKey("tenancy.Team", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    on = models.DateField(_("screening date"))
    best = models.CharField(_("result"), max_length=12, choices=Result.choices)
    facts = models.JSONField(_("facts used"), default=dict)
    changed = models.BooleanField(_("changed since the last check"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("rights check")
        verbose_name_plural = _("rights checks")
        ordering = ["-on", "person"]
        constraints = [models.UniqueConstraint(fields=["run", "person"], name="rights_check_once_per_run")]
        indexes = [models.Index(fields=["authority", "person", "on"])]


class CheckOutcome(TenantModel):
    check_run = models.ForeignKey(Check, on_delete=models.CASCADE, related_name="outcomes")
    rule = models.ForeignKey(RuleVersion, on_delete=models.PROTECT, related_name="+")
    rule_key = models.CharField(max_length=8, choices=RuleKey.choices)
    result = models.CharField(max_length=12, choices=Result.choices)
    rank = models.PositiveSmallIntegerField(default=2)  # 0 likely, 1 needs data, 2 unlikely: sorts in SQL
    met = models.JSONField(default=list)
    unmet = models.JSONField(default=list)
    missing = models.JSONField(default=list)

    class Meta:
        ordering = ["rank", "rule_key"]
        indexes = [models.Index(fields=["authority", "rule_key", "rank"])]


class InvitationMode(models.TextChoices):
    ONLINE = "online", _("online application")
    APPOINTMENT = "appointment", _("appointment at the office")


class RightsInvitation(TenantModel):
    """An invitation to apply sent from the candidate list: once per outcome (a second click sends nothing),
    with the link to the online application or a personal link to book an appointment (``appointment``)."""

    outcome = models.OneToOneField(CheckOutcome, on_delete=models.CASCADE, related_name="invitation")
    person = models.ForeignKey("clients.Person", on_delete=models.CASCADE, related_name="rights_invitations")
    rule = models.ForeignKey(RuleVersion, on_delete=models.PROTECT, related_name="+")
    message = models.ForeignKey("messaging.Message", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # The case the client's application opened (for the rule's Anliegen, after the invitation).
    case = models.ForeignKey("cases.Case", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    language = models.CharField(max_length=8)
    mode = models.CharField(max_length=12, choices=InvitationMode.choices, default=InvitationMode.ONLINE)
    appointment = models.ForeignKey(
        "appointments.Invitation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    invited_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("invitation to apply")
        verbose_name_plural = _("invitations to apply")
        indexes = [models.Index(fields=["authority", "person"])]
