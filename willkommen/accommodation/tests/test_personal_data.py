"""Placements in the Art. 15 copy and in erasure; an open placement keeps its person."""

import datetime as dt

import pytest
from django.utils import timezone

from willkommen.accommodation import privacy
from willkommen.accommodation.models import Placement
from willkommen.clients.privacy import kept
from willkommen.clients.testing import section

pytestmark = pytest.mark.django_db


def test_copy_erase_and_keep(authority, person, accommodation):
    stay = Placement.objects.create(
        authority=authority, person=person, accommodation=accommodation, unit="2.14", moved_in=dt.date(2025, 1, 1)
    )
    part, _members = section(authority, person, "accommodation")
    [row] = part["tables"]["placements"]
    assert row["accommodation_name"] == accommodation.name and row["unit"] == "2.14" and row["moved_out"] is None
    later = timezone.now() + dt.timedelta(days=5000)
    assert kept(authority, [person.pk], later) == {person.pk}  # still lives there
    Placement.objects.filter(pk=stay.pk).update(moved_out=dt.date(2025, 6, 1))
    assert privacy.keeps(authority, [person.pk], later) == set()
    assert privacy.erase(authority, [person.pk]) == {"accommodation.Placement": 1}


def test_episodes_and_supplies_are_copied_and_erased_with_the_person(authority, person):
    from willkommen.accommodation import services
    from willkommen.accommodation.models import Accommodation

    home = services.save_accommodation(authority, Accommodation(name="Iso-Haus", capacity=1))
    services.add_room(authority, home, name="Q", beds=1, kind="quarantine")
    stay = services.place(authority, person, home, moved_in=timezone.localdate() - dt.timedelta(days=2))
    episode = services.isolate(
        authority, stay, kind="quarantine", reason="Kontakt", planned_end=timezone.localdate() + dt.timedelta(days=3)
    )
    services.record_supplies(authority, episode, meals=True, medicine=False, contact=True)
    part, _members = section(authority, person, "accommodation")
    assert [row["reason"] for row in part["tables"]["isolation_episodes"]] == ["Kontakt"]
    assert [row["meals"] for row in part["tables"]["supply_checks"]] == [True]
    services.move_out(authority, episode.placement)
    assert privacy.erase(authority, [person.pk]) == {
        "accommodation.SupplyCheck": 1,
        "accommodation.IsolationEpisode": 1,
        "accommodation.Placement": 2,
    }
