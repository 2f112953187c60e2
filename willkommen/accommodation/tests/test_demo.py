import pytest

from willkommen.accommodation import demo, selectors
from willkommen.accommodation.models import Accommodation, Bed, IsolationEpisode, Placement, UsageSlot


@pytest.mark.django_db
def test_demo_is_idempotent_and_places_demo_persons(authority, other_authority):
    from willkommen.clients import demo as clients_demo

    for tenant in (authority, other_authority):
        clients_demo.load(tenant)
        demo.load(tenant)
    counts = (
        Accommodation.objects.count(),
        Placement.objects.count(),
        Bed.objects.count(),
        IsolationEpisode.objects.count(),
        UsageSlot.objects.count(),
    )
    for tenant in (authority, other_authority):
        demo.load(tenant)
    assert (
        Accommodation.objects.count(),
        Placement.objects.count(),
        Bed.objects.count(),
        IsolationEpisode.objects.count(),
        UsageSlot.objects.count(),
    ) == counts
    for tenant in (authority, other_authority):
        fuchsbau = Accommodation.objects.get(authority=tenant, name="Gemeinschaftsunterkunft Am Fuchsbau")
        assert {s.kind for s in selectors.shared_rooms(tenant, fuchsbau)} == {"kitchen", "laundry"}
        assert UsageSlot.objects.filter(authority=tenant).count() == 25
        assert selectors.pending_usage_changes(tenant, fuchsbau) == 0
    for tenant in (authority, other_authority):
        accommodations = list(selectors.with_occupancy(tenant))
        assert len(accommodations) == 2
        assert sum(a.occupied for a in accommodations) == 5
        assert all(0 <= a.occupied <= a.capacity for a in accommodations)
        assert {a.name: a.capacity for a in accommodations} == {
            "Gemeinschaftsunterkunft Am Fuchsbau": 62,
            "Gemeinschaftsunterkunft Lindenhof": 33,  # 24 + a women's room (4) and a family room (5)
        }
        [episode] = selectors.active_episodes(tenant)
        assert episode.person.family_name == "Melnyk" and episode.bed.kind == "isolation"
        assert episode.supply_checks.count() == 1
        placements = Placement.objects.filter(authority=tenant)
        assert placements.filter(moved_out__isnull=False).count() == 2  # Diallo moved out; Melnyk's own bed
        assert all(p.person.authority_id == tenant.id for p in placements)


@pytest.mark.django_db
def test_the_demo_announces_arrivals_with_proposals_and_one_resident_at_risk(authority):
    from willkommen.accommodation.models import RiskFlag
    from willkommen.clients import demo as clients_demo

    clients_demo.load(authority)
    demo.load(authority)
    demo.load(authority)
    announced = list(selectors.arrivals(authority))
    assert [a.reference for a in announced] == ["ZAB-2026-0412", "ZAB-2026-0413", "ZAB-2026-0420"]
    proposals = selectors.proposals(authority, announced)
    assert all(proposals[a.pk] is not None and proposals[a.pk].together for a in announced)

    assert RiskFlag.objects.filter(authority=authority, ended_on__isnull=True).count() == 1
