"""``POST /api/v1/cases/`` (issue 12 item 2, the API way in): an integration account with write scope on
cases opens one case per Idempotency-Key, for a known person or a new one (with the duplicate check); the
response names the case number and never the access code; bad input is a 400 and changes nothing."""

import datetime as dt

import pytest
from django.utils import timezone

from willkommen.cases.models import Case
from willkommen.clients.models import Person
from willkommen.core.testing import make_integration, token_client

from .conftest import make_person

URL = "/api/v1/cases/"


@pytest.fixture(autouse=True)
def routed(authority, team):
    from willkommen.tenancy.models import RoutingRule

    return RoutingRule.objects.create(authority=authority, team=team, priority=1)


@pytest.fixture
def api(authority, team):
    return token_client(make_integration(authority, {"cases": "write"}, acts_as="caseworker", teams=[team])[2])


def _body(anliegen, **extra):
    return {
        "anliegen": anliegen.slug,
        "source": "letter",
        "received_on": (timezone.localdate() - dt.timedelta(days=2)).isoformat(),
        **extra,
    }


def _post(api, body, key="fachverfahren-4711"):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return api.post(URL, body, format="json", **headers)


def _receipts(case):
    from willkommen.messaging.models import Message

    return Message.objects.filter(case=case, template_key="receipt")


@pytest.mark.django_db
def test_a_retried_post_opens_one_case_and_sends_one_receipt(api, person, anliegen):
    body = _body(anliegen, person=person.pk, title_kind="title", title_valid_to="2099-01-31")
    first = _post(api, body)
    second = _post(api, body)
    assert (first.status_code, second.status_code) == (201, 200)
    case = Case.objects.get(person=person)
    assert first.json() == second.json()
    assert first.json()["number"] == case.number and first.json()["id"] == case.pk
    assert first.json()["source"] == "letter" and first.json()["anliegen"] == anliegen.slug
    assert timezone.localtime(case.received_at).date() == timezone.localdate() - dt.timedelta(days=2)  # postmark
    assert "access" not in first.content.decode().lower()  # the code goes to the client only
    assert _receipts(case).count() == 1
    assert case.permit_expires_on == dt.date(2099, 1, 31)  # the declared title
    assert _post(api, body, key="another-key-1").status_code == 201  # a new key is a new case
    assert Case.objects.filter(person=person).count() == 2


@pytest.mark.django_db
def test_a_new_person_is_created_with_the_duplicate_check(api, authority, person, anliegen):
    twin = {"family_name": person.family_name, "given_names": "Rana", "date_of_birth": "1998-04-02"}
    refused = _post(api, _body(anliegen, new_person=twin), key="twin-00001")
    assert refused.status_code == 409
    assert refused.json()["duplicates"] == [person.pk]
    assert Person.objects.count() == 1 and not Case.objects.exists()  # nothing created

    stranger = {"family_name": "Nguyen", "given_names": "Lan", "date_of_birth": "2001-07-08", "email": "l@example.org"}
    key = "stranger-001"
    first = _post(api, _body(anliegen, new_person=stranger), key=key)
    second = _post(api, _body(anliegen, new_person=stranger), key=key)
    assert (first.status_code, second.status_code) == (201, 200)
    created = Person.objects.get(family_name="Nguyen")
    assert Person.objects.filter(family_name="Nguyen").count() == 1  # the retry made no second person
    assert Case.objects.get(person=created).number == first.json()["number"]

    allowed = _post(api, _body(anliegen, new_person=twin, allow_duplicate=True), key="twin-00002")
    assert allowed.status_code == 201 and Person.objects.filter(family_name=person.family_name).count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change,key,field",
    [
        ({"anliegen": "no-such-matter"}, "bad-input-1", "detail"),
        ({"source": "pigeon"}, "bad-input-2", "source"),
        ({"received_on": "2999-01-01"}, "bad-input-3", "received_on"),
        ({"received_on": "31.31.2020"}, "bad-input-4", "received_on"),
        ({"person": None}, "bad-input-5", "person"),
        ({"title_valid_to": "2030-01-01"}, "bad-input-6", "title_kind"),
        ({"title_kind": "crown"}, "bad-input-7", "title_kind"),
        ({"answers": {"unknown": "yes"}}, "bad-input-8", "detail"),
        ({"new_person": {"family_name": "X"}}, "bad-input-9", "new_person"),
        ({}, "", "detail"),  # no Idempotency-Key
        ({}, "short", "detail"),
        ({}, "bad key with spaces", "detail"),
    ],
)
def test_bad_input_is_a_clear_400_and_changes_nothing(api, person, anliegen, change, key, field):
    body = {**_body(anliegen, person=person.pk), **change}
    if change.get("person", 0) is None:
        body.pop("person")
    response = _post(api, body, key=key)
    assert response.status_code == 400, response.content
    answer = response.json()
    assert answer["detail"]  # a clear message; field errors under "errors"
    assert field == "detail" or field in answer["errors"]
    assert not Case.objects.exists() and Person.objects.count() == 1


@pytest.mark.django_db
def test_another_authoritys_person_is_refused(api, other_authority, anliegen):
    stranger = make_person(other_authority, family_name="Fremd")
    response = _post(api, _body(anliegen, person=stranger.pk))
    assert response.status_code == 400 and not Case.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "scopes,acts_as",
    [({"cases": "read"}, "caseworker"), ({"clients": "write"}, "caseworker"), ({"cases": "write"}, "head_of_office")],
)
def test_without_write_scope_or_the_capability_it_is_403(authority, team, person, anliegen, scopes, acts_as):
    api = token_client(make_integration(authority, scopes, acts_as=acts_as, teams=[team])[2])
    assert _post(api, _body(anliegen, person=person.pk)).status_code == 403
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_the_schema_documents_the_post_and_its_header(api):
    from rest_framework.test import APIClient

    schema = APIClient().get("/api/schema/?format=json").json()
    post = schema["paths"]["/api/v1/cases/"]["post"]
    assert {"201", "200", "400", "409"} <= set(post["responses"])
    assert any(p["name"] == "Idempotency-Key" and p["in"] == "header" for p in post["parameters"])


@pytest.mark.django_db
def test_the_same_key_with_a_different_body_is_refused_and_opens_nothing(api, authority, person, anliegen):
    body = _body(anliegen, person=person.pk)
    first = _post(api, body, key="retry-key-0001")
    assert first.status_code == 201
    case = Case.objects.get(person=person)
    assert len(case.idempotency_body_hash) == 64
    # a retry of the same request, fields in another order: the same case
    assert _post(api, dict(reversed(list(body.items()))), key="retry-key-0001").json()["id"] == case.pk
    changed = _post(api, {**body, "source": "counter"}, key="retry-key-0001")
    assert changed.status_code == 422
    assert changed.json()["code"] == "idempotency_key_reused"
    assert "Idempotency-Key" in changed.json()["detail"]  # a clear message, in the API's language
    stranger = {"family_name": "Nguyen", "given_names": "Lan", "date_of_birth": "2001-07-08"}
    other_person = _post(api, _body(anliegen, new_person=stranger), key="retry-key-0001")
    assert other_person.status_code == 422
    assert Case.objects.count() == 1 and Person.objects.count() == 1  # nothing opened, nobody created
    assert _receipts(case).count() == 1
