"""The data migration that made beds rows: every existing accommodation gets as many normal beds as its
capacity (or its residents), each open placement one of them; closed stays keep no bed; a second run
changes nothing. The function runs here on the current models (the migration's fields are the same)."""

import datetime as dt
import importlib

import pytest
from django.apps import apps

from willkommen.accommodation import selectors
from willkommen.accommodation.models import Accommodation, Bed, Placement

from .conftest import make_person

pytestmark = pytest.mark.django_db
migration = importlib.import_module("willkommen.accommodation.migrations.0003_beds_from_capacity")


def test_beds_from_capacity(authority):
    house = Accommodation.objects.create(authority=authority, name="Alt", capacity=3)
    crowded = Accommodation.objects.create(authority=authority, name="Voll", capacity=1)
    stays = [
        Placement.objects.create(
            authority=authority,
            person=make_person(authority, f"P{i}", "X"),
            accommodation=house,
            moved_in=dt.date(2025, 1, i + 1),
        )
        for i in range(2)
    ]
    gone = Placement.objects.create(
        authority=authority,
        person=make_person(authority, "Weg", "X"),
        accommodation=house,
        moved_in=dt.date(2024, 1, 1),
        moved_out=dt.date(2024, 6, 1),
    )
    for i in range(2):  # more residents than capacity (possible only in old data): every one gets a bed
        Placement.objects.create(
            authority=authority,
            person=make_person(authority, f"V{i}", "X"),
            accommodation=crowded,
            moved_in=dt.date(2025, 1, 1),
        )
    migration.beds_from_capacity(apps, None)
    migration.beds_from_capacity(apps, None)  # idempotent
    assert Bed.objects.filter(accommodation=house, kind="normal").count() == 3
    beds = {p.bed_id for p in Placement.objects.filter(accommodation=house, moved_out__isnull=True)}
    assert None not in beds and len(beds) == 2
    gone.refresh_from_db()
    assert gone.bed_id is None
    crowded.refresh_from_db()
    assert crowded.capacity == 2 and Bed.objects.filter(accommodation=crowded).count() == 2
    row = selectors.occupancy_row(selectors.with_occupancy(authority, pk=house.pk).get())
    assert (row["beds"], row["occupied"], row["normal_free"]) == (3, 2, 1)
    assert stays[0].pk in Placement.objects.filter(bed__isnull=False).values_list("pk", flat=True)
