"""Demo data: appointment offers for every Anliegen that can be booked, slots for 90 days, one
allocation round, a few bookings, and renewal invitations (rules for the study permit and the Duldung;
five holders whose titles run out soon, invited by the nightly job run for three past nights, so the
team's list "expires soon, not applied" has entries, one client got the letter with the QR code, and
one invitation to an appointment sent in bulk). Idempotent."""

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
    _renewals(authority)


# Renewal demo: (family, given, born, language, e-mail, kind, legal basis, title ends in days from today).
RENEWAL_HOLDERS = [
    ("Nguyen", "Minh", dt.date(2000, 3, 14), "en", "minh.nguyen@example.org", "title", "§ 16b AufenthG", 40),
    ("Rahimi", "Sahar", dt.date(1996, 8, 1), "fa", "", "title", "§ 16b AufenthG", 45),  # by post: letter with QR
    ("Petrenko", "Iryna", dt.date(1990, 1, 20), "uk", "iryna.petrenko@example.org", "title", "§ 16b AufenthG", 70),
    ("Osei", "Kwame", dt.date(1987, 6, 5), "fr", "kwame.osei@example.org", "duldung", "§ 60a Abs. 4 AufenthG", 25),
    ("Demir", "Emre", dt.date(1999, 12, 2), "tr", "emre.demir@example.org", "title", "§ 16b AufenthG", 38),
]


def _renewals(authority):
    """Rules, holders and three nights of the renewal job (42 and 21 days ago, today)."""
    from willkommen.clients.models import Person
    from willkommen.clients.services import create_person, record_residence

    from . import renewals
    from .models import RenewalRule

    rules = {"studium": ("title", "16b"), "duldung": ("duldung", "")}
    for slug, (kind, basis) in rules.items():
        item = Anliegen.objects.filter(authority=authority, slug=slug).first()
        if item is not None:
            RenewalRule.objects.get_or_create(
                authority=authority,
                anliegen=item,
                title_kind=kind,
                legal_basis_contains=basis,
                defaults={"lead_weeks": 12 if kind == "title" else 6, "follow_up_days": 21},
            )
    today = timezone.localdate()
    for family, given, born, language, email, kind, basis, days in RENEWAL_HOLDERS:
        if Person.objects.filter(authority=authority, family_name=family, date_of_birth=born).exists():
            continue
        person = create_person(
            authority,
            family_name=family,
            given_names=given,
            date_of_birth=born,
            email=email,
            street="Lindenweg 12",
            postal_code=authority.postal_code,
            city=authority.city,
            preferred_language=language,
        )
        record_residence(
            person,
            kind=kind,
            legal_basis=basis,
            valid_from=today - dt.timedelta(days=365),
            valid_to=today + dt.timedelta(days=days),
            document_number=f"Y{person.pk:08d}",
            issued_by=authority.name,
            source_ref=f"demo:renewal:{person.pk}",
        )
    for on in (today - dt.timedelta(days=42), today - dt.timedelta(days=21), today):
        renewals.run(on, authority=authority)
    _bulk_invitation(authority, today)


def _bulk_invitation(authority, today):
    """One invitation to an appointment sent from the renewal list (once: the demo's form key)."""
    from willkommen.messaging.services import portal_url

    from .invitations import InvitationRefused, invite_person
    from .models import Renewal, RenewalState

    studium = Anliegen.objects.filter(authority=authority, slug="studium").first()
    for renewal in Renewal.objects.filter(authority=authority, state=RenewalState.UNANSWERED).select_related("person")[
        :1
    ]:
        try:
            invite_person(
                authority,
                person=renewal.person,
                anliegen=studium or renewal.anliegen,
                deadline=renewal.expires_on,
                staff=None,
                batch="demo-renewal-list",
                portal_url=portal_url(authority, ""),
            )
        except InvitationRefused:
            pass


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
            applicant=services.Applicant(family, given, born, email, language=language),
            terms=services.Terms(confirmed=True, notify=False),
        )
