"""Shared accommodation for refugees and asylum seekers (Gemeinschaftsunterkünfte) and who lives where.

An ``Accommodation`` is a building; it has ``Room`` rows (on a floor) with ``Bed`` rows. A bed has a kind
(normal, isolation, quarantine, emergency reserve) and may be blocked with a reason. A ``Placement`` is
one stay of one person on one bed: open while ``moved_out`` is empty. A person has at most one open
placement and a bed at most one open placement (partial unique indexes); ``services`` choose the bed
under a row lock on the accommodation. ``capacity`` is the number of beds, kept by ``services``.
An ``IsolationEpisode`` moves a resident to an isolation or quarantine bed until its planned end;
``SupplyCheck`` is the daily checklist of supplies brought to them.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from willkommen.tenancy.models import TenantModel


class Accommodation(TenantModel):
    name = models.CharField(_("name"), max_length=200)
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity (beds)"),
        validators=[MinValueValidator(1)],
        help_text=_("The number of beds; a new accommodation gets this many normal beds in one room."),
    )
    phone = models.CharField(_("contact phone"), max_length=50, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    active = models.BooleanField(
        _("active"), default=True, help_text=_("Inactive accommodations take no new residents.")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("accommodation")
        verbose_name_plural = _("accommodations")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["authority", "name"], name="accommodation_name_unique")]
        indexes = [models.Index(fields=["authority", "active", "name"])]

    def __str__(self):
        return self.name

    @property
    def address(self):
        place = " ".join(part for part in (self.postal_code, self.city) if part)
        return ", ".join(part for part in (self.street, place) if part)


class RoomRule(models.TextChoices):
    """The house's rule for who may sleep in a room (issue 19 item 1: gender and family rules as data)."""

    ANY = "any", _("anyone")
    WOMEN = "women", _("women (with their children)")
    MEN = "men", _("men")
    FAMILIES = "families", _("families (households of two or more)")


class Room(TenantModel):
    """A room of an accommodation, on a floor (a short label such as "EG" or "2"), with the house's rule
    for who may sleep in it (``rule``); the bed proposals and placements keep to it."""

    accommodation = models.ForeignKey(
        Accommodation, on_delete=models.CASCADE, related_name="rooms", verbose_name=_("accommodation")
    )
    floor = models.CharField(_("floor"), max_length=20, blank=True)
    name = models.CharField(_("room"), max_length=50)
    rule = models.CharField(_("who may sleep here"), max_length=20, choices=RoomRule.choices, default=RoomRule.ANY)

    class Meta:
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        ordering = ["floor", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["accommodation", "floor", "name"], name="accommodation_room_unique")
        ]

    def __str__(self):
        return f"{self.floor} {self.name}".strip()


class BedKind(models.TextChoices):
    NORMAL = "normal", _("normal")
    ISOLATION = "isolation", _("isolation")
    QUARANTINE = "quarantine", _("quarantine")
    RESERVE = "reserve", _("emergency reserve")


class Bed(TenantModel):
    """One bed. Normal beds take ordinary placements; isolation and quarantine beds take residents in an
    episode of that kind; emergency reserve beds are free only for isolation and quarantine."""

    accommodation = models.ForeignKey(
        Accommodation, on_delete=models.CASCADE, related_name="beds", verbose_name=_("accommodation")
    )
    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="beds", verbose_name=_("room"))
    label = models.CharField(_("bed"), max_length=20)
    kind = models.CharField(_("kind"), max_length=20, choices=BedKind.choices, default=BedKind.NORMAL)
    blocked = models.BooleanField(_("blocked"), default=False)
    blocked_reason = models.CharField(_("reason for blocking"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("bed")
        verbose_name_plural = _("beds")
        ordering = ["room__floor", "room__name", "label", "id"]
        constraints = [
            models.UniqueConstraint(fields=["room", "label"], name="accommodation_bed_label_unique"),
            models.CheckConstraint(
                condition=models.Q(blocked=False) | ~models.Q(blocked_reason=""),
                name="accommodation_blocked_bed_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["authority", "accommodation", "kind"])]

    def __str__(self):
        return f"{self.room} / {self.label}"


class MoveOutReason(models.TextChoices):
    FOLLOW_UP = "follow_up", _("follow-up housing (own flat)")
    OTHER_ACCOMMODATION = "transfer", _("another authority's accommodation")
    DEPARTED = "departed", _("left Germany or unknown")
    OTHER = "other", _("other")


class Placement(TenantModel):
    """One person's stay in one accommodation; open (current) while ``moved_out`` is empty."""

    person = models.ForeignKey(
        "clients.Person", on_delete=models.PROTECT, related_name="placements", verbose_name=_("person")
    )
    accommodation = models.ForeignKey(
        Accommodation, on_delete=models.PROTECT, related_name="placements", verbose_name=_("accommodation")
    )
    bed = models.ForeignKey(
        "Bed", on_delete=models.PROTECT, null=True, blank=True, related_name="placements", verbose_name=_("bed")
    )
    unit = models.CharField(_("room or unit"), max_length=50, blank=True)
    moved_in = models.DateField(_("moved in"))
    moved_out = models.DateField(_("moved out"), null=True, blank=True)
    moved_out_to = models.CharField(_("moved to"), max_length=20, choices=MoveOutReason.choices, blank=True)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        ordering = ["-moved_in", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "person"],
                condition=models.Q(moved_out__isnull=True),
                name="accommodation_one_open_placement_per_person",
            ),
            models.UniqueConstraint(
                fields=["bed"],
                condition=models.Q(moved_out__isnull=True),
                name="accommodation_one_open_placement_per_bed",
            ),
            models.CheckConstraint(
                condition=models.Q(moved_out__isnull=True) | models.Q(moved_out__gte=models.F("moved_in")),
                name="accommodation_placement_moved_out_after_moved_in",
            ),
        ]
        indexes = [
            models.Index(fields=["authority", "accommodation", "moved_out"]),
            models.Index(fields=["authority", "person", "moved_in"]),
        ]

    def __str__(self):
        return f"{self.person} – {self.accommodation}"

    @property
    def is_open(self):
        return self.moved_out is None


class EpisodeKind(models.TextChoices):
    ISOLATION = "isolation", _("isolation")
    QUARANTINE = "quarantine", _("quarantine")


class IsolationEpisode(TenantModel):
    """A resident in isolation or quarantine: on ``bed`` (through ``placement``) from ``starts_on`` until
    ``planned_end``, the day they move back (to ``home_bed`` if it is free). Ended when ``ended_on`` is set,
    and treated as ended by the selectors once ``planned_end`` has come (the hourly job then moves them)."""

    person = models.ForeignKey(
        "clients.Person", on_delete=models.PROTECT, related_name="isolation_episodes", verbose_name=_("person")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EpisodeKind.choices)
    reason = models.CharField(_("reason"), max_length=200)
    starts_on = models.DateField(_("start"))
    planned_end = models.DateField(_("planned end"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    accommodation = models.ForeignKey(
        Accommodation, on_delete=models.PROTECT, related_name="episodes", verbose_name=_("accommodation")
    )
    bed = models.ForeignKey(Bed, on_delete=models.PROTECT, related_name="episodes", verbose_name=_("bed"))
    home_bed = models.ForeignKey(Bed, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    placement = models.ForeignKey(Placement, on_delete=models.PROTECT, related_name="episodes")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("isolation or quarantine")
        verbose_name_plural = _("isolations and quarantines")
        ordering = ["planned_end", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "person"],
                condition=models.Q(ended_on__isnull=True),
                name="accommodation_one_open_episode_per_person",
            ),
            models.CheckConstraint(
                condition=models.Q(planned_end__gt=models.F("starts_on")),
                name="accommodation_episode_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["authority", "ended_on", "planned_end"])]

    def __str__(self):
        return f"{self.person} – {self.get_kind_display()}"


class SupplyCheck(TenantModel):
    """One day's supplies for a resident in isolation or quarantine, and who saw to them when."""

    episode = models.ForeignKey(IsolationEpisode, on_delete=models.CASCADE, related_name="supply_checks")
    day = models.DateField(_("day"))
    meals = models.BooleanField(_("meals brought"), default=False)
    medicine = models.BooleanField(_("medicine brought"), default=False)
    contact = models.BooleanField(_("contact person reached"), default=False)
    note = models.CharField(_("note"), max_length=300, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    done_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("supplies check")
        verbose_name_plural = _("supplies checks")
        ordering = ["-day"]
        constraints = [models.UniqueConstraint(fields=["episode", "day"], name="accommodation_one_check_per_day")]


class SharedRoomKind(models.TextChoices):
    KITCHEN = "kitchen", _("kitchen")
    WASHROOM = "washroom", _("washroom")
    LAUNDRY = "laundry", _("laundry")


class SharedRoom(TenantModel):
    """A room the residents share by usage times (issue 19 item 5): a kitchen, a washroom, a laundry."""

    accommodation = models.ForeignKey(
        Accommodation, on_delete=models.CASCADE, related_name="shared_rooms", verbose_name=_("accommodation")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=SharedRoomKind.choices)
    name = models.CharField(_("name"), max_length=100)
    floor = models.CharField(_("floor"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("shared room")
        verbose_name_plural = _("shared rooms")
        ordering = ["floor", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["accommodation", "name"], name="accommodation_shared_room_unique")
        ]
        indexes = [models.Index(fields=["authority", "accommodation"])]

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


class UsageSlot(TenantModel):
    """A weekly time in a shared room for the residents of one floor or of one room (a household)."""

    shared_room = models.ForeignKey(
        SharedRoom, on_delete=models.CASCADE, related_name="slots", verbose_name=_("shared room")
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    starts_at = models.TimeField(_("from"))
    ends_at = models.TimeField(_("until"))
    floor = models.CharField(_("for the floor"), max_length=20, blank=True)
    room = models.ForeignKey(
        Room,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="usage_slots",
        verbose_name=_("for the room"),
    )

    class Meta:
        verbose_name = _("usage time")
        verbose_name_plural = _("usage times")
        ordering = ["weekday", "starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="accommodation_slot_ends_after_start"
            ),
            models.CheckConstraint(
                condition=(models.Q(room__isnull=True) & ~models.Q(floor=""))
                | (models.Q(room__isnull=False) & models.Q(floor="")),
                name="accommodation_slot_floor_or_room",
            ),
        ]
        indexes = [models.Index(fields=["authority", "shared_room", "weekday"])]

    @property
    def target(self):
        return str(self.room) if self.room_id else self.floor


class UsageChange(TenantModel):
    """Whom a change of the usage times concerns (a floor or a room), until it is published: "publish
    changes" sends one notice to the residents concerned by the unpublished changes and marks them."""

    accommodation = models.ForeignKey(Accommodation, on_delete=models.CASCADE, related_name="+")
    floor = models.CharField(max_length=20, blank=True)
    room = models.ForeignKey(Room, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["authority", "accommodation", "published_at"])]


class RiskCategory(models.TextChoices):
    """Why a resident needs protection in a shared accommodation (special categories of personal data)."""

    HEALTH = "health", _("serious illness or weakened immune system")
    DISABILITY = "disability", _("disability")
    PREGNANCY = "pregnancy", _("pregnancy")
    AGE = "age", _("old age")
    VIOLENCE = "violence", _("protection from violence")
    LGBTQI = "lgbtqi", _("LGBTQI person")
    OTHER = "other", _("other need for protection")


class RiskBasis(models.TextChoices):
    """The legal basis on which a risk flag (Art. 9 GDPR data) is recorded."""

    CONSENT = "consent", _("explicit consent of the person (Art. 9(2)(a) GDPR)")
    VITAL = "vital", _("vital interests (Art. 9(2)(c) GDPR)")
    PUBLIC_HEALTH = "public_health", _("public health, infection protection (Art. 9(2)(i) GDPR, § 36 IfSG)")
    RECEPTION = (
        "reception",
        _("reception of persons with special needs (Art. 21 Directive 2013/33/EU, § 44 (2a) AsylG)"),
    )


class RiskFlag(TenantModel):
    """A resident at risk (issue 19 item 4): special categories of data, seen only by the accommodation
    role (capability ``accommodation.risk``), every read audited. An open flag makes the bed proposals
    prefer a room nobody else lives in. Ended, not deleted, when the need ends (the history stays)."""

    person = models.ForeignKey(
        "clients.Person", on_delete=models.PROTECT, related_name="risk_flags", verbose_name=_("person")
    )
    category = models.CharField(_("need for protection"), max_length=20, choices=RiskCategory.choices)
    basis = models.CharField(_("legal basis"), max_length=20, choices=RiskBasis.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    class Meta:
        verbose_name = _("need for protection")
        verbose_name_plural = _("needs for protection")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "person", "category"],
                condition=models.Q(ended_on__isnull=True),
                name="accommodation_one_open_risk_flag_per_category",
            )
        ]
        indexes = [models.Index(fields=["authority", "person", "ended_on"])]


class ArrivalState(models.TextChoices):
    ANNOUNCED = "announced", _("announced")
    PLACED = "placed", _("placed")
    CANCELLED = "cancelled", _("cancelled")


class Arrival(TenantModel):
    """A household allocated to the authority by the state's central reception authority (issue 19 item 6),
    announced before it comes: its size, its needs, the expected day. The arrivals queue proposes fitting
    free beds; placing the household closes the announcement. ``reference`` is the allocation number of
    the central reception authority: one announcement per reference (a repeated announcement is the same)."""

    reference = models.CharField(_("allocation number"), max_length=50)
    household_size = models.PositiveSmallIntegerField(
        _("household size"), validators=[MinValueValidator(1), MaxValueValidator(30)]
    )
    women = models.PositiveSmallIntegerField(_("of whom women and girls"), default=0)
    children = models.PositiveSmallIntegerField(_("of whom minors"), default=0)
    needs = models.CharField(_("needs"), max_length=500, blank=True)
    expected_on = models.DateField(_("expected on"))
    origin = models.CharField(_("coming from"), max_length=200, blank=True)
    state = models.CharField(_("state"), max_length=20, choices=ArrivalState.choices, default=ArrivalState.ANNOUNCED)
    accommodation = models.ForeignKey(
        Accommodation, on_delete=models.PROTECT, null=True, blank=True, related_name="arrivals"
    )
    placements = models.ManyToManyField(Placement, blank=True, related_name="arrivals")
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("arrival")
        verbose_name_plural = _("arrivals")
        ordering = ["expected_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "reference"], name="accommodation_arrival_reference_unique"),
            models.CheckConstraint(
                condition=models.Q(women__lte=models.F("household_size"))
                & models.Q(children__lte=models.F("household_size")),
                name="accommodation_arrival_counts_within_household",
            ),
        ]
        indexes = [models.Index(fields=["authority", "state", "expected_on"])]

    def __str__(self):
        return self.reference
