"""The tenant (Authority) and what belongs to it: locations, opening hours, closures, teams, routing rules.

Every tenant-owned row in Willkommen carries ``authority`` and every composite index
leads with it, so the data can be sharded by authority.
"""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from willkommen.core.localized import pick_local

FEDERAL_STATES = [
    ("BW", "Baden-Württemberg"),
    ("BY", "Bayern"),
    ("BE", "Berlin"),
    ("BB", "Brandenburg"),
    ("HB", "Bremen"),
    ("HH", "Hamburg"),
    ("HE", "Hessen"),
    ("MV", "Mecklenburg-Vorpommern"),
    ("NI", "Niedersachsen"),
    ("NW", "Nordrhein-Westfalen"),
    ("RP", "Rheinland-Pfalz"),
    ("SL", "Saarland"),
    ("SN", "Sachsen"),
    ("ST", "Sachsen-Anhalt"),
    ("SH", "Schleswig-Holstein"),
    ("TH", "Thüringen"),
]

slug_validator = RegexValidator(r"^[a-z0-9][a-z0-9-]{1,48}$", _("Lower-case letters, digits and hyphens only."))


def language_choices():
    return list(settings.LANGUAGES)


class LocalTextsMixin:
    """Rows whose client-facing texts (``LOCAL_FIELDS``) are German on the row and in other languages in
    the rows of ``texts`` (one per language; core/localized.py)."""

    LOCAL_FIELDS = ()

    def local_text(self, field, language):
        """``field`` in ``language`` (a ``Localized``), else German. Prefetch ``texts`` for lists."""
        if field not in self.LOCAL_FIELDS:
            raise ValueError(field)
        rows = self.texts.all() if self.pk else ()
        return pick_local(getattr(self, field), rows, field, language)


class Authority(LocalTextsMixin, models.Model):
    """A foreigners' authority: the tenant."""

    LOCAL_FIELDS = ("phone_hours", "consultation_hours")

    slug = models.CharField(_("short name"), max_length=50, unique=True, validators=[slug_validator])
    name = models.CharField(_("name"), max_length=200)
    federal_state = models.CharField(_("federal state"), max_length=2, choices=FEDERAL_STATES)
    hostnames = models.CharField(
        _("host names"),
        max_length=500,
        blank=True,
        help_text=_("Comma-separated host names that serve this authority."),
    )
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone_hours = models.TextField(_("phone hours"), blank=True)
    consultation_hours = models.TextField(_("open consultation hours"), blank=True)
    languages = models.JSONField(
        _("languages offered"), default=list, blank=True, help_text=_('Language codes, e.g. ["de", "en", "ar"].')
    )
    logo = models.FileField(_("logo"), upload_to="logos/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("authority")
        verbose_name_plural = _("authorities")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def offered_languages(self):
        known = dict(settings.LANGUAGES)
        codes = [c for c in (self.languages or []) if c in known] or list(known)
        return [(code, known[code]) for code in codes]

    def host_list(self):
        return [h.strip().lower() for h in self.hostnames.split(",") if h.strip()]

    def holidays(self, years):
        """Public holidays of the authority's federal state for the given years."""
        import holidays as holidays_lib

        return holidays_lib.Germany(subdiv=self.federal_state, years=years)


class TenantModel(models.Model):
    """Base for every tenant-owned row."""

    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, verbose_name=_("authority"))

    class Meta:
        abstract = True


class Location(TenantModel):
    name = models.CharField(_("name"), max_length=200)
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    directions = models.TextField(_("directions and accessibility"), blank=True)
    waiting_room_cap = models.PositiveIntegerField(
        _("waiting room cap"), default=40, help_text=_("How many clients may be present at the same time.")
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        ordering = ["authority", "name"]
        indexes = [models.Index(fields=["authority", "name"])]

    def __str__(self):
        return self.name


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class OpeningHours(TenantModel):
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    class Meta:
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        ordering = ["location", "weekday", "opens"]
        indexes = [models.Index(fields=["authority", "location", "weekday"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(opens__lt=models.F("closes")), name="opening_hours_order")
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"


class Closure(TenantModel):
    """A day or period on which a location (or all locations) is closed beyond public holidays."""

    location = models.ForeignKey(Location, on_delete=models.CASCADE, null=True, blank=True, related_name="closures")
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("closure")
        verbose_name_plural = _("closures")
        indexes = [models.Index(fields=["authority", "starts_on"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(starts_on__lte=models.F("ends_on")), name="closure_order")
        ]

    def __str__(self):
        return f"{self.starts_on}–{self.ends_on} {self.reason}"


class Team(LocalTextsMixin, TenantModel):
    """A specialised cluster of caseworkers (e.g. students, skilled workers, asylum, special tasks)."""

    LOCAL_FIELDS = ("name", "phone_hours")

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    email = models.EmailField(_("team e-mail"), blank=True)
    phone = models.CharField(_("team phone"), max_length=50, blank=True)
    phone_hours = models.TextField(_("phone hours"), blank=True)
    is_special_task_area = models.BooleanField(_("special task area"), default=False)

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["authority", "name"]
        indexes = [models.Index(fields=["authority", "name"])]

    def __str__(self):
        return self.name


class RoutingRule(TenantModel):
    """Sends a case to a team. Rules are tried by priority (lowest first); every given condition must match."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="routing_rules")
    priority = models.PositiveIntegerField(_("priority"), default=100)
    anliegen = models.ForeignKey(
        "catalogue.Anliegen", on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("Anliegen")
    )
    nationalities = models.JSONField(
        _("nationalities"), default=list, blank=True, help_text=_("ISO 3166 alpha-3 codes; empty matches all.")
    )
    surname_from = models.CharField(_("surname from letter"), max_length=1, blank=True)
    surname_to = models.CharField(_("surname to letter"), max_length=1, blank=True)
    special_task = models.CharField(_("special task area"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        ordering = ["authority", "priority", "id"]
        indexes = [models.Index(fields=["authority", "priority"])]

    def __str__(self):
        return f"{self.priority}: {self.team}"


class LocalText(models.Model):
    """Base of the rows per language of a tenancy row's client-facing texts (German is on the row)."""

    language = models.CharField(_("language"), max_length=8, choices=language_choices)

    class Meta:
        abstract = True

    def __str__(self):
        return self.language


class AuthorityText(LocalText):
    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="texts")
    phone_hours = models.TextField(_("phone hours"), blank=True)
    consultation_hours = models.TextField(_("open consultation hours"), blank=True)

    class Meta:
        verbose_name = _("text of the authority in a language")
        verbose_name_plural = _("texts of the authority in other languages")
        constraints = [models.UniqueConstraint(fields=["authority", "language"], name="tenancy_authority_text_lang")]


class TeamText(LocalText, TenantModel):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="texts")
    name = models.CharField(_("name"), max_length=200, blank=True)
    phone_hours = models.TextField(_("phone hours"), blank=True)

    class Meta:
        verbose_name = _("text of the team in a language")
        verbose_name_plural = _("texts of the team in other languages")
        constraints = [models.UniqueConstraint(fields=["team", "language"], name="tenancy_team_text_lang")]
        indexes = [models.Index(fields=["authority", "team"])]
