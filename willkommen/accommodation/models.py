"""Shared accommodation for refugees and asylum seekers (Gemeinschaftsunterkünfte) and who lives where.

A ``Placement`` is one stay of one person in one accommodation: open while ``moved_out`` is empty.
A person has at most one open placement (a database constraint), and the open placements of an
accommodation never exceed its capacity (checked by ``services`` under a row lock on the accommodation).
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from willkommen.tenancy.models import TenantModel


class Accommodation(TenantModel):
    name = models.CharField(_("name"), max_length=200)
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    capacity = models.PositiveIntegerField(_("capacity (beds)"), validators=[MinValueValidator(1)])
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


class Placement(TenantModel):
    """One person's stay in one accommodation; open (current) while ``moved_out`` is empty."""

    person = models.ForeignKey(
        "clients.Person", on_delete=models.PROTECT, related_name="placements", verbose_name=_("person")
    )
    accommodation = models.ForeignKey(
        Accommodation, on_delete=models.PROTECT, related_name="placements", verbose_name=_("accommodation")
    )
    unit = models.CharField(_("room or unit"), max_length=50, blank=True)
    moved_in = models.DateField(_("moved in"))
    moved_out = models.DateField(_("moved out"), null=True, blank=True)
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
