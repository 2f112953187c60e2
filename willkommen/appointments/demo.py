"""Demo data: appointment offers for every Anliegen that can be booked, slots for 90 days, one
allocation round, and a few bookings. Idempotent."""

import datetime as dt

from django.utils import timezone

from willkommen.catalogue.models import Anliegen, WayIn
from willkommen.tenancy.models import Location

from .generation import generate
from .models import AllocationRound, Booking, Mode, Offer, Slot

# Anliegen given in a fair allocation round instead of first come, first served (a popular one).
ALLOCATED = {"familiennachzug"}


def load(authority):
    anliegen = Anliegen.objects.filter(authority=authority, active=True).exclude(way_in=WayIn.ONLINE)
    locations = list(Location.objects.filter(authority=authority, active=True).order_by("pk"))
    for location_index, location in enumerate(locations):
        for item in anliegen:
            Offer.objects.get_or_create(
                authority=authority,
                anliegen=item,
                location=location,
                defaults={
                    "workstations": 3 if location_index == 0 else 1,
                    "invitation_places": 1 if location_index == 0 else 0,
                    "urgent_places": 1 if location_index == 0 else 0,
                    "reserve_release_hours": 24,
                    "mode": Mode.ALLOCATION if item.slug in ALLOCATED else Mode.FIRST_COME,
                },
            )
    generate(authority)
    allocated = anliegen.filter(slug__in=ALLOCATED).first()
    if allocated and locations and not AllocationRound.objects.filter(authority=authority).exists():
        now = timezone.now()
        AllocationRound.objects.create(
            authority=authority,
            anliegen=allocated,
            location=locations[0],
            opens_at=now,
            closes_at=now + dt.timedelta(hours=24),
        )
    _bookings(authority, anliegen.exclude(slug__in=ALLOCATED).first())


def _bookings(authority, anliegen):
    from . import services

    if anliegen is None or Booking.objects.filter(authority=authority).exists():
        return
    slots = Slot.objects.filter(authority=authority, anliegen=anliegen, starts_at__gt=timezone.now(), withdrawn=False)
    people = [
        ("Yilmaz", "Ayşe", dt.date(1988, 5, 17), "ayse.yilmaz@example.org", "tr"),
        ("Haddad", "Amira", dt.date(1995, 4, 2), "amira.haddad@example.org", "ar"),
        ("Kovalenko", "Olena", dt.date(1979, 11, 30), "olena.kovalenko@example.org", "uk"),
    ]
    for slot, (family, given, born, email, language) in zip(slots.order_by("starts_at")[:3], people, strict=False):
        services.hold(
            authority,
            slot_id=slot.pk,
            anliegen=anliegen,
            family_name=family,
            given_names=given,
            date_of_birth=born,
            email=email,
            language=language,
            confirmed=True,
            notify=False,
        )
