"""The partner portal and the desk pages of requests cost the same number of queries however many clients
consented or requests were sent: the lists are read, and their reads audited, in a fixed number of queries."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from willkommen.audit.models import AuditEntry
from willkommen.core.testing import make_staff, verified_login
from willkommen.partners.models import AuthorityRequest

from .conftest import make_person
from .test_consents import consent, organisation, partner
from .test_requests import send

ALL = ("case_status", "letters", "upload", "notice_copies", "appointments")


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def test_the_portal_costs_the_same_for_two_or_seven_clients(client, authority, open_a_case):
    org = organisation(authority)
    user = partner(authority, org)
    people = []

    def consenting(n):
        while len(people) < n:
            person = make_person(authority, f"Klient{len(people)}")
            open_a_case(who=person)
            consent(person, org, scopes=ALL, purpose=f"Beratung {len(people)}")
            consent(person, org, scopes=("letters",), purpose=f"Briefe {len(people)}")
            people.append(person)

    verified_login(client, user)
    consenting(2)
    client.get("/desk/partners/portal/")  # caches warm (session, authority)
    few = queries(client, "/desk/partners/portal/"), queries(client, f"/desk/partners/portal/clients/{people[0].pk}/")
    consenting(7)
    AuditEntry.objects.filter(actor=user).delete()
    many = queries(client, "/desk/partners/portal/"), queries(client, f"/desk/partners/portal/clients/{people[0].pk}/")
    assert few == many
    # every client on the list audited, each with the purpose of their own consent
    listed = AuditEntry.objects.filter(actor=user, path="/desk/partners/portal/")
    assert sorted(listed.values_list("person_id", flat=True)) == sorted(p.pk for p in people)
    for index, person in enumerate(people):
        assert listed.get(person_id=person.pk).purpose in (f"partner: Beratung {index}", f"partner: Briefe {index}")


def test_request_pages_cost_the_same_for_four_or_twelve_requests(
    client, authority, case, caseworker, other_authority, beta_worker, open_a_case, team
):
    lead = make_staff(authority, "lena", role="team_lead", teams=[team])

    def sent(n):
        while AuthorityRequest.objects.count() < n:
            other = open_a_case()
            other.assignee = caseworker
            other.save(update_fields=["assignee"])
            send(other, caseworker, recipient_type="foreigners_authority", to_authority=other_authority, connector="")
            send(other, caseworker, recipient_type="police", recipient_name="Polizei")

    def measure():
        verified_login(client, caseworker)
        client.get("/desk/partners/requests/?status=all")
        counts = [queries(client, "/desk/partners/requests/?status=all")]
        verified_login(client, beta_worker)
        client.get("/a/beta/desk/partners/incoming/")
        counts.append(queries(client, "/a/beta/desk/partners/incoming/"))
        verified_login(client, lead)
        client.get("/desk/partners/figures/")
        counts.append(queries(client, "/desk/partners/figures/"))
        return counts

    sent(4)  # two of each: a list of more than one row is audited in one bulk query
    few = measure()
    sent(12)
    assert measure() == few


def test_tables_scroll_inside_the_page_on_a_phone(client, authority, case, caseworker, team):
    """Wide tables sit in a scrolling region (partners.css), so a 390-px phone does not scroll the page."""
    send(case, caseworker)
    verified_login(client, make_staff(authority, "lena", role="team_lead", teams=[team]))
    for url in ("/desk/partners/figures/", "/desk/partners/requests/?status=all", "/desk/partners/incoming/"):
        body = client.get(url).content.decode()
        assert "partners/partners.css" in body, url
        assert body.count('<table class="kern-table">') == body.count('<div class="table-scroll" tabindex="0"'), url
