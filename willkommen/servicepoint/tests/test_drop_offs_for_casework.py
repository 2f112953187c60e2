"""Caseworkers read the drop-offs of the persons their team handles (issue 12, what was missing, item 1): the
visibility policy's second scope for ``DROP_OFFS`` (``CASES``: a person with a case of the user's team or
assigned to the user), filtered in SQL; the receipt page, the person page and the case page show them with
the "open a case" link, every read audited; another team, a person without any case and another authority
see nothing."""

import re

import pytest
from django.urls import reverse

from willkommen.audit.models import AuditEntry
from willkommen.catalogue.testing import make_anliegen
from willkommen.clients.visibility import Resource, visible
from willkommen.core.testing import make_staff, make_team, verified_login
from willkommen.servicepoint.models import DropOff

pytestmark = pytest.mark.django_db


@pytest.fixture
def anliegen(authority):
    return make_anliegen(authority, "duldung")


@pytest.fixture
def handled(authority, team, person, anliegen, sp_staff):
    """The person has a case of ``team`` and two drop-offs: one filed under the case, one under none."""
    from willkommen.cases.services import open_case

    case, _code = open_case(authority, person=person, anliegen=anliegen, team=team)
    filed = DropOff.objects.create(authority=authority, person=person, case=case, items=[{"title": "Pass"}])
    loose = DropOff.objects.create(authority=authority, person=person, items=[{"title": "Foto"}, {"title": "Lohn"}])
    return case, filed, loose


def _worker(authority, name, teams):
    return make_staff(authority, name, role="caseworker", teams=teams)


def test_a_caseworker_of_the_team_reads_the_receipt_and_opens_a_case_from_it(client, authority, team, handled):
    case, filed, loose = handled
    verified_login(client, _worker(authority, "cw", [team]))
    page = client.get(reverse("servicepoint:drop_off_detail", args=[loose.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="open-case"' in html and f"dropoff%3A{loose.pk}" in html
    assert f"servicepoint/drop-off/{loose.pk}/email/" not in html  # e-mailing the receipt stays the counter's
    assert client.get(reverse("servicepoint:drop_off_receipt", args=[filed.pk])).status_code == 200
    assert AuditEntry.objects.filter(person_id=case.person_id, action="read").count() >= 2


def test_the_person_page_and_the_case_page_list_them_with_the_link(client, authority, team, handled):
    case, filed, loose = handled
    verified_login(client, _worker(authority, "cw", [team]))
    person_page = client.get(reverse("clients:detail", args=[case.person_id])).content.decode()
    assert f'data-drop-off="{filed.pk}"' in person_page and f'data-drop-off="{loose.pk}"' in person_page
    [link] = re.findall(r'href="([^"]+)" data-testid="open-case-from-drop-off"', person_page)
    assert f"origin=dropoff%3A{loose.pk}" in link
    case_page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert f'data-drop-off="{filed.pk}"' in case_page and f'data-drop-off="{loose.pk}"' in case_page
    assert len(re.findall(r'data-testid="open-case-from-drop-off"', case_page)) == 1
    shown = AuditEntry.objects.filter(
        person_id=case.person_id, action="read", purpose="Case page: documents handed in at the ServicePoint"
    )
    assert sorted(shown.values_list("object_id", flat=True)) == sorted([str(filed.pk), str(loose.pk)])


def test_another_team_a_person_without_a_case_and_another_authority_see_nothing(
    client, authority, other_authority, team, person, handled
):
    from willkommen.clients.services import create_person

    case, filed, loose = handled
    stranger = create_person(authority, family_name="Neu", given_names="N", date_of_birth="1991-01-01")
    no_case = DropOff.objects.create(authority=authority, person=stranger, items=[{"title": "Pass"}])
    other_team = _worker(authority, "cw2", [make_team(authority, "Team L–Z")])
    foreign = _worker(other_authority, "cw3", [make_team(other_authority, "Team B")])
    mine = _worker(authority, "cw", [team])
    assert set(visible(DropOff.objects.all(), mine, authority, Resource.DROP_OFFS).values_list("pk", flat=True)) == {
        filed.pk,
        loose.pk,
    }
    assert not visible(DropOff.objects.all(), other_team, authority, Resource.DROP_OFFS).exists()
    assert not visible(DropOff.objects.all(), foreign, authority, Resource.DROP_OFFS).exists()
    verified_login(client, other_team)
    for pk in (filed.pk, loose.pk, no_case.pk):
        assert client.get(reverse("servicepoint:drop_off_detail", args=[pk])).status_code == 404
        assert client.get(reverse("servicepoint:drop_off_receipt", args=[pk])).status_code == 404
    verified_login(client, mine)
    assert client.get(reverse("servicepoint:drop_off_detail", args=[no_case.pk])).status_code == 404


def test_an_assigned_caseworker_of_no_team_reads_them(authority, team, handled):
    case, filed, loose = handled
    assigned = _worker(authority, "solo", [])
    case.assignee = assigned
    case.save(update_fields=["assignee"])
    seen = set(visible(DropOff.objects.all(), assigned, authority, Resource.DROP_OFFS).values_list("pk", flat=True))
    assert seen == {filed.pk, loose.pk}


def test_a_role_reading_no_drop_offs_is_refused(client, authority, handled):
    case, filed, loose = handled
    verified_login(client, make_staff(authority, "acc", role="accommodation"))
    assert client.get(reverse("servicepoint:drop_off_detail", args=[loose.pk])).status_code == 403
