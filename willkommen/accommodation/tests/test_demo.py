import pytest

from willkommen.accommodation import demo, selectors
from willkommen.accommodation.models import Accommodation, Placement


@pytest.mark.django_db
def test_demo_is_idempotent_and_places_demo_persons(authority, other_authority):
    from willkommen.clients import demo as clients_demo

    for tenant in (authority, other_authority):
        clients_demo.load(tenant)
        demo.load(tenant)
    counts = (Accommodation.objects.count(), Placement.objects.count())
    for tenant in (authority, other_authority):
        demo.load(tenant)
    assert (Accommodation.objects.count(), Placement.objects.count()) == counts
    for tenant in (authority, other_authority):
        accommodations = list(selectors.with_occupancy(tenant))
        assert len(accommodations) == 2
        assert sum(a.occupied for a in accommodations) == 5
        assert all(0 <= a.occupied <= a.capacity for a in accommodations)
        placements = Placement.objects.filter(authority=tenant)
        assert placements.filter(moved_out__isnull=False).count() == 1
        assert all(p.person.authority_id == tenant.id for p in placements)
