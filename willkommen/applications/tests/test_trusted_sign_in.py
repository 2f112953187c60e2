"""After a sign-in with the eID card (trust level high, through the local OpenID Connect provider) the
client sees their case and letters without case number and access code; with a lower level they do not."""

import pytest
from django.core.files.base import ContentFile

from willkommen.accounts.client_identity import SESSION_KEY
from willkommen.accounts.models import ClientIdentityProvider
from willkommen.accounts.tests.oidc_provider import Provider
from willkommen.accounts.tests.test_client_sso import EID, eid_claims, sign_in
from willkommen.applications import services
from willkommen.letters.models import Letter


@pytest.fixture
def submitted(draft):
    return services.submit(draft, idempotency_key="key-trusted").case


@pytest.fixture
def idp():
    with Provider() as provider:
        yield provider


@pytest.fixture
def bundid(authority, idp):
    return ClientIdentityProvider.objects.create(
        authority=authority,
        name="BundID",
        issuer=idp.issuer,
        client_id=idp.client_id,
        client_secret=idp.client_secret,
        acr_high=EID,
        acr_substantial="urn:bund:substantial",
        enabled=True,
    )


def letter_of(case):
    item = Letter(
        authority=case.authority, person=case.person, case=case, kind="decision", languages="de", title="bescheid"
    )
    item.visible_to_client = True
    item.file.save("bescheid.pdf", ContentFile(b"%PDF-1.4 bescheid"), save=False)
    item.save()
    return item


def claims(acr):
    return eid_claims(acr=acr, given_name="Amira", birthdate="1995-04-02", place_of_birth="")


@pytest.mark.django_db
def test_high_trust_sees_case_and_letters_without_access_code(client, idp, bundid, submitted):
    letter = letter_of(submitted)
    sign_in(client, idp, bundid, claims(EID), prefix="/a/alpha")
    assert client.session[SESSION_KEY]["person_id"] == submitted.person_id
    page = client.get("/a/alpha/status/case/")
    assert page.status_code == 200 and submitted.number in page.content.decode()
    assert f"/status/letter/{letter.pk}.pdf" in page.content.decode()
    assert client.get(f"/a/alpha/status/letter/{letter.pk}.pdf").status_code == 200


@pytest.mark.django_db
def test_substantial_trust_is_asked_for_the_access_code_for_letters(client, idp, bundid, submitted):
    letter = letter_of(submitted)
    sign_in(client, idp, bundid, claims("urn:bund:substantial"), prefix="/a/alpha")
    assert client.session[SESSION_KEY]["person_id"] == submitted.person_id  # messages: yes
    page = client.get("/a/alpha/status/case/").content.decode()
    assert submitted.number not in page
    assert client.get(f"/a/alpha/status/letter/{letter.pk}.pdf").status_code == 404
