from willkommen.servicepoint import demo
from willkommen.servicepoint.models import Station, Ticket


def test_demo_is_idempotent_and_feeds_the_figures(authority, location):
    demo.load(authority)
    stations, tickets = Station.objects.count(), Ticket.objects.count()
    assert stations == 1 and tickets > 50
    demo.load(authority)
    assert (Station.objects.count(), Ticket.objects.count()) == (stations, tickets)
    assert not Ticket.objects.filter(status="waiting").exists()


def test_demo_adds_one_drop_off_without_a_case(authority, location):
    from willkommen.clients.services import create_person
    from willkommen.servicepoint.models import DropOff

    create_person(authority, family_name="Demo", given_names="D", date_of_birth="1990-01-01")
    demo.load(authority)
    demo.load(authority)
    [found] = DropOff.objects.filter(authority=authority)
    assert found.case_id is None and found.person.family_name == "Demo"
