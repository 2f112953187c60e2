from willkommen.appointments import demo
from willkommen.appointments.models import AllocationRound, Booking, Offer, Slot


def test_demo_is_idempotent(db, settings):
    settings.APPOINTMENTS_HORIZON_DAYS = 7
    from willkommen.tenancy.demo import create_authorities

    authority = create_authorities()[0]
    for module in ("tenancy", "accounts", "catalogue"):
        __import__(f"willkommen.{module}.demo", fromlist=["load"]).load(authority)
    demo.load(authority)
    counts = [Offer.objects.count(), Slot.objects.count(), Booking.objects.count(), AllocationRound.objects.count()]
    assert all(counts)
    demo.load(authority)
    assert [Offer.objects.count(), Slot.objects.count(), Booking.objects.count(), AllocationRound.objects.count()] == (
        counts
    )
