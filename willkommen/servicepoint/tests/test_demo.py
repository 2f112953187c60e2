from willkommen.servicepoint import demo
from willkommen.servicepoint.models import Station, Ticket


def test_demo_is_idempotent_and_feeds_the_figures(authority, location):
    demo.load(authority)
    stations, tickets = Station.objects.count(), Ticket.objects.count()
    assert stations == 1 and tickets > 50
    demo.load(authority)
    assert (Station.objects.count(), Ticket.objects.count()) == (stations, tickets)
    assert not Ticket.objects.filter(status="waiting").exists()
