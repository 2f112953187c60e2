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


def test_needs_for_protection_only_in_copies_made_by_the_accommodation_team_or_for_the_client(authority, person):
    """Issue 19: the risk flag is seen only by the accommodation role – also through the Art. 15 copy staff
    make in the e-file. The client's own copy holds it (it is their data)."""
    from willkommen.accommodation.models import RiskFlag
    from willkommen.clients.testing import export_of
    from willkommen.core.testing import make_staff

    RiskFlag.objects.create(
        authority=authority, person=person, category="disability", basis="consent", note="Rollstuhl"
    )
    caseworker = make_staff(authority, "cw")
    lead = make_staff(authority, "lead", role="head_of_office")
    housing = make_staff(authority, "housing", role="accommodation")
    for user in (caseworker, lead, None):
        data, members = export_of(authority, person, user=user)
        part = data["sections"]["accommodation"]
        assert "needs_for_protection" not in part["tables"]
        assert part["withheld_tables"] == {"needs_for_protection": 1}
        assert b"Rollstuhl" not in members["data.json"]
        assert "needs_for_protection: 1" in members["summary.txt"].decode()  # named, with its number of rows
    data, _members = export_of(authority, person, user=housing)
    assert [row["note"] for row in data["sections"]["accommodation"]["tables"]["needs_for_protection"]] == ["Rollstuhl"]
    assert "withheld_tables" not in data["sections"]["accommodation"]
    data, _members = export_of(authority, person, for_client=True)
    assert [row["note"] for row in data["sections"]["accommodation"]["tables"]["needs_for_protection"]] == ["Rollstuhl"]


def test_the_e_file_copy_of_a_caseworker_withholds_needs_for_protection(client, authority, person):
    import io
    import json
    import zipfile

    from willkommen.accommodation.models import RiskFlag
    from willkommen.core.testing import make_staff, verified_login

    RiskFlag.objects.create(
        authority=authority, person=person, category="disability", basis="consent", note="Rollstuhl"
    )
    verified_login(client, make_staff(authority, "cw2", role="head_of_office"))
    response = client.get(f"/a/{authority.slug}/desk/efile/person/{person.pk}/export.zip")
    assert response.status_code == 200
    data = json.loads(zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))).read("data.json"))
    assert data["sections"]["accommodation"]["withheld_tables"] == {"needs_for_protection": 1}
