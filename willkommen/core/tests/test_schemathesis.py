"""A bounded, deterministic schemathesis run over the whole REST API (issue 10, item 12).

Every operation of the OpenAPI schema (``/api/schema/``) gets requests generated from the schema – as
an anonymous client and with an integration account's token that may read and write every room – and
each response must be no server error, have a documented content type and, where the status is
documented, match its schema. Then each read is called once more with the ids of real objects (random
ids find nothing), which found the case detail's ``urgency: null`` where the schema promises an
integer. ``derandomize`` and a fixed number of examples keep it deterministic and under a minute.
Status codes the schema does not list (401/403 are not documented per operation) are not checked."""

import pytest
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from rest_framework.throttling import AnonRateThrottle  # the public APIs' throttles derive from it

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

EXAMPLES = 8  # per operation and identity: ~37 operations × 2 identities × 8 ≈ 600 requests
CHECKS_NAMES = ("not_a_server_error", "content_type_conformance", "response_schema_conformance")


@pytest.fixture
def world(authority, team, settings, monkeypatch, tmp_path):
    """A little of everything the API shows, and a token for all of it."""
    import datetime as dt

    from django.core.files.uploadedfile import SimpleUploadedFile

    from willkommen.accounts.integrations import api_rooms
    from willkommen.appointments.testing import make_offer
    from willkommen.cases.services import open_case
    from willkommen.clients.services import create_person
    from willkommen.core.testing import make_integration
    from willkommen.efile import services as efile
    from willkommen.servicepoint import services as servicepoint

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    settings.CLAMD_SOCKET, settings.EFILE_OCR = "", False
    settings.PUBLIC_RATE_LIMIT = settings.APPOINTMENTS_BOOKING_RATE_LIMIT = 100_000
    settings.APPOINTMENTS_BOOKING_RATE_LIMIT_NO_POW = 100_000
    monkeypatch.setattr(AnonRateThrottle, "allow_request", lambda self, request, view: True)
    monkeypatch.setattr("willkommen.servicepoint.opening.public_holidays", lambda authority, start, end: {})

    offer = make_offer(authority)
    person = create_person(authority, family_name="Haddad", given_names="Amira", date_of_birth=dt.date(1995, 4, 2))
    case, _code = open_case(authority, person=person, anliegen=offer.anliegen, team=team)
    document = efile.add_document(
        authority,
        person,
        SimpleUploadedFile("pass.png", _png(), content_type="image/png"),
        document_type="passport",
        source="upload",
        case=case,
    )
    from willkommen.servicepoint.tests.conftest import open_always
    from willkommen.tenancy.models import Location

    location = open_always(Location.objects.filter(authority=authority).first())
    ticket = servicepoint.issue_ticket(authority, location, "forms")
    _account, _token, key = make_integration(
        authority, dict.fromkeys(api_rooms(), "write"), acts_as="team_lead", teams=[team], name="Alles"
    )
    _account, _token, sp_key = make_integration(
        authority, {"servicepoint": "write"}, acts_as="servicepoint", name="Kiosk"
    )
    _account, _token, acc_key = make_integration(
        authority, {"accommodation": "read"}, acts_as="accommodation", name="Krisenstab"
    )
    from willkommen.accommodation.models import Accommodation

    house = Accommodation.objects.create(authority=authority, name="GU Krisenstab", capacity=4, street="Weg 1")
    return {
        "key": key,
        "servicepoint_key": sp_key,
        "accommodation_key": acc_key,
        "ids": {
            "/api/v1/cases/{id}/": {"id": case.pk},
            "/api/v1/cases/{id}/timeline/": {"id": case.pk},
            "/api/v1/cases/{id}/decisions/": {"id": case.pk},
            "/api/v1/cases/{id}/letters/": {"id": case.pk},
            "/api/v1/clients/persons/{id}/": {"id": person.pk},
            "/api/v1/efile/persons/{person_id}/documents/": {"person_id": person.pk},
            "/api/v1/efile/documents/{id}/content/": {"id": document.pk},
            "/api/v1/servicepoint/locations/{location_id}/tickets/": {"location_id": location.pk},
            "/api/v1/catalogue/anliegen/{slug}/": {"slug": offer.anliegen.slug},
            "/api/v1/accommodation/occupancy/{id}/": {"id": house.pk},
        },
        "ticket": ticket,
    }


def _png():
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), (0, 0, 255)).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Call the WSGI application as Django's test client does: without closing the connection per request.

    Django closes a connection at a request's start and end when its autocommit differs from the
    settings – always true inside the test's transaction. SQLite's in-memory database ignores that
    close; PostgreSQL's connection would really close and the next request fail."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def _schema():
    import schemathesis

    from willkommen.wsgi import application

    return schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)


def _checks():
    import schemathesis.checks as checks

    return [getattr(checks, name) for name in CHECKS_NAMES]


def _describe(case, response, error):
    body = response.content[:300].decode("utf-8", "replace") if response is not None else ""
    return f"{case.method} {case.formatted_path} -> {getattr(response, 'status_code', '?')}: {error!s:.400} {body}"


# Schemathesis's WSGI transport asks for gzip like requests does but does not decode it; the answers'
# compression (core.middleware.CompressPagesMiddleware) is tested in test_compression.py.
PLAIN = {"Accept-Encoding": "identity"}


def _staff_headers(world, path):
    """The token of the account that may use the path: the ServicePoint's and the crisis staff's (acting as
    accommodation management) for their rooms, else the team lead's."""
    key = world["servicepoint_key"] if "/servicepoint/" in path else world["key"]
    key = world["accommodation_key"] if "/accommodation/" in path else key
    return {"Authorization": f"Bearer {key}"}


def _fuzz(operation, headers, problems):
    checks = _checks()

    @hypothesis_settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def probe(case):
        response = None
        try:
            response = case.call(headers={**headers, **PLAIN})
            case.validate_response(response, checks=checks)
        except (Exception, BaseExceptionGroup) as error:  # collected: one run reports every operation
            problems.setdefault(operation.label, _describe(case, response, error))

    probe()


def test_every_operation_anonymous_and_with_a_staff_token(world):
    schema = _schema()
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 30
    problems = {}
    for operation in operations:
        _fuzz(operation, {}, problems)
        _fuzz(operation, _staff_headers(world, operation.path), problems)
    assert problems == {}, "\n".join(problems.values())


def test_reads_of_real_objects_match_the_schema(world):
    schema = _schema()
    problems = []
    for path, parameters in world["ids"].items():
        operation = schema[path]["GET"]
        case = operation.Case(path_parameters=parameters)
        response = case.call(headers={**_staff_headers(world, path), **PLAIN})
        assert response.status_code == 200, _describe(case, response, "not 200")
        try:
            case.validate_response(response, checks=_checks())
        except (Exception, BaseExceptionGroup) as error:
            problems.append(_describe(case, response, error))
    assert problems == [], "\n".join(problems)


def test_a_404_body_has_the_code_the_schema_promises(client, world):
    response = client.get("/api/v1/cases/987654/", HTTP_AUTHORIZATION=f"Bearer {world['key']}")
    assert response.status_code == 404
    assert response.json() == {"detail": response.json()["detail"], "code": "not_found"}
