"""The client's optional account "my matters" (``/my/``, issue 22 item 3): after a sign-in with the eID card
bound to one person, all of that person's cases (state in words), letters, messages, bookings, consents and
residence history on one page, nothing of anybody else's, and one audit entry naming the provider. Any
other sign-in gets an explanation and the ways in without an account (403); nobody needs the page."""

import datetime as dt
from dataclasses import asdict

import pytest
from django.test import Client
from django.utils import timezone

from willkommen.accounts.client_identity import SESSION_KEY, ClientIdentity
from willkommen.audit.models import AuditEntry
from willkommen.cases.services import open_case
from willkommen.cases.tests.conftest import make_anliegen, make_person
from willkommen.clients.models import ResidenceEntry
from willkommen.core.testing import make_location
from willkommen.messaging.models import Message
from willkommen.partners import consents
from willkommen.partners.models import PartnerOrganisation
from willkommen.servicepoint.tests.test_check_in import make_booking

from .test_trusted_sign_in import letter_of

URL = "/my/"


def portal(authority, person, *, assurance="high", method="oidc", case=None, language="en"):
    browser = Client(HTTP_ACCEPT_LANGUAGE=language)
    session = browser.session
    identity = ClientIdentity(
        method=method,
        authority_id=authority.pk,
        person_id=person.pk if person else None,
        case_id=case.pk if case else None,
        assurance=assurance,
        provider="BundID" if method == "oidc" else "",
    )
    session[SESSION_KEY] = asdict(identity)
    session.save()
    return browser


@pytest.fixture
def world(authority, team):
    anliegen = make_anliegen(authority)
    rana = make_person(authority, "Haddad")
    first, _code = open_case(authority, person=rana, anliegen=anliegen, team=team)
    second, _code = open_case(authority, person=rana, anliegen=anliegen, team=team)
    letter = letter_of(first)
    Message.objects.create(authority=authority, person=rana, direction="out", subject="Ihr Termin", body="x")
    booking = make_booking(make_location(authority, "Hauptstelle"), "BKMINE01", timezone.now() + dt.timedelta(days=3))
    booking.person = rana
    booking.save(update_fields=["person"])
    org = PartnerOrganisation.objects.create(authority=authority, name="Migrationsberatung Mitte", kind="counselling")
    consent = consents.record_consent(
        rana, org, scopes=["case_status"], purpose="Beratung", valid_until=timezone.localdate(), source="portal"
    )
    ResidenceEntry.objects.create(
        authority=authority, person=rana, kind="title", legal_basis="§ 16b AufenthG", valid_from=dt.date(2024, 1, 1)
    )
    other = make_person(authority, "Karimi", email="karimi@example.org")
    theirs, _code = open_case(authority, person=other, anliegen=anliegen, team=team)
    Message.objects.create(authority=authority, person=other, direction="out", subject="Fremde Nachricht", body="y")
    return {"rana": rana, "cases": [first, second], "letter": letter, "consent": consent, "theirs": theirs}


def test_high_trust_sees_all_their_matters_and_nothing_else(authority, world):
    rana = world["rana"]
    before = AuditEntry.objects.count()
    page = portal(authority, rana).get(URL)
    assert page.status_code == 200
    text = page.content.decode()
    for case in world["cases"]:
        assert case.number in text
    assert "We have received your application." in text  # the state in words
    assert f"/status/letter/{world['letter'].pk}.pdf" in text
    assert "Ihr Termin" in text and "BKMINE01" in text and "Migrationsberatung Mitte" in text
    assert f"/consents/{world['consent'].pk}/revoke/" in text and "§ 16b AufenthG" in text
    assert world["theirs"].number not in text and "Fremde Nachricht" not in text
    entries = list(AuditEntry.objects.order_by("pk")[before:])
    assert len(entries) == 1  # one entry for the page
    assert entries[0].person_id == rana.pk and entries[0].actor_label == "client via oidc (BundID)"


def test_the_letter_linked_there_opens_without_a_code(authority, world):
    response = portal(authority, world["rana"]).get(f"/status/letter/{world['letter'].pk}.pdf")
    assert response.status_code == 200


@pytest.mark.parametrize(
    "method,assurance", [("oidc", "substantial"), ("oidc", "low"), ("magic_link", "low"), ("case_code", "low")]
)
def test_other_sign_ins_are_told_the_ways_without_an_account(authority, world, method, assurance):
    rana = world["rana"]
    case = world["cases"][0] if method == "case_code" else None
    before = AuditEntry.objects.count()
    page = portal(authority, rana, assurance=assurance, method=method, case=case).get(URL)
    text = page.content.decode()
    assert page.status_code == 403 and "/status/" in text and "access code" in text
    assert world["cases"][1].number not in text and "Ihr Termin" not in text
    assert AuditEntry.objects.count() == before


def test_high_trust_without_a_bound_person_sees_nothing(authority, world):
    page = portal(authority, None).get(URL)
    assert page.status_code == 403 and world["cases"][0].number not in page.content.decode()


def test_a_person_of_another_authority_is_never_shown(authority, other_authority, world):
    stranger = make_person(other_authority, "Fremd")
    page = portal(authority, stranger).get(URL)
    assert page.status_code == 403


def test_anonymous_is_sent_to_sign_in(authority):
    response = Client().get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/signin/?next=")


def test_the_code_keeps_working_without_an_account(authority, world):
    case = world["cases"][0]
    browser = portal(authority, world["rana"], assurance="low", method="case_code", case=case)
    assert case.number in browser.get("/status/case/").content.decode()


@pytest.mark.parametrize("language", ["ar", "fa", "tr", "uk", "ru", "fr", "de"])
def test_the_page_speaks_the_clients_language(authority, world, language):
    text = portal(authority, world["rana"], language=language).get(URL).content.decode()
    assert f'lang="{language}"' in text and "My matters" not in text and "Residence history" not in text
