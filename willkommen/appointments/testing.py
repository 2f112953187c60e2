"""Helpers for tests (and the benchmark): an offer with generated slots."""

import datetime as dt

from django.utils import timezone

from willkommen.catalogue.testing import make_anliegen
from willkommen.core.testing import make_location

from .generation import generate_for_offer
from .models import Offer


def make_offer(
    authority,
    *,
    anliegen=None,
    location=None,
    workstations=2,
    invitation=0,
    urgent=0,
    release=24,
    cap=40,
    minutes=20,
    horizon=14,
    today=None,
    generate=True,
    mode="first_come",
):
    anliegen = anliegen or make_anliegen(authority)
    if anliegen.appointment_minutes != minutes:
        anliegen.appointment_minutes = minutes
        anliegen.save(update_fields=["appointment_minutes"])
    location = location or make_location(authority, cap=cap)
    offer = Offer.objects.create(
        authority=authority,
        anliegen=anliegen,
        location=location,
        workstations=workstations,
        invitation_places=invitation,
        urgent_places=urgent,
        reserve_release_hours=release,
        mode=mode,
    )
    if generate:
        generate_for_offer(offer, today=today or timezone.localdate(), horizon=horizon)
    return offer


def person(n=0, **extra):
    return {
        "family_name": f"Nachname{n}",
        "given_names": "Amina",
        "date_of_birth": dt.date(1990, 1, 1),
        "email": f"client{n}@example.org",
        **extra,
    }


def applicant(n=0, **extra):
    """The person of :func:`person` as the booking commands take it (``extra``: any Applicant field)."""
    from .identity import Applicant

    return Applicant(**person(n, **extra))
