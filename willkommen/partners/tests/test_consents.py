"""Partner organisations and the client's consent: the IDOR matrix. A partner sees exactly the clients who
consented, within the scope, nothing after revocation or expiry, nothing of another authority, nothing of
staff pages; every read is audited with the consent's purpose."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from willkommen.audit.models import AuditEntry
from willkommen.core.testing import make_staff, verified_login
from willkommen.efile.models import Document
from willkommen.partners import consents
from willkommen.partners.models import Consent, PartnerAccount, PartnerOrganisation

from .conftest import exe_upload, make_person, pdf_upload

TODAY = timezone.localdate


def organisation(authority, name="Migrationsberatung Mitte"):
    return PartnerOrganisation.objects.create(authority=authority, name=name, kind="counselling", languages=["fa"])


def partner(authority, org, username="mina"):
    user = make_staff(authority, username, role="partner")
    PartnerAccount.objects.create(authority=authority, user=user, organisation=org)
    return user


def consent(person, org, scopes=("case_status",), days=30, purpose="Beratung zum Aufenthalt", **extra):
    return consents.record_consent(
        person,
        org,
        scopes=scopes,
        purpose=purpose,
        valid_until=TODAY() + dt.timedelta(days=days),
        source="portal",
        **extra,
    )


@pytest.fixture
def world(authority, other_authority, open_a_case):
    org, rival = organisation(authority), organisation(authority, "Flüchtlingsrat")
    yes, no, late, gone, letters_only = (
        make_person(authority, name) for name in ("Ahmadi", "Bauer", "Celik", "Demir", "Esfahani")
    )
    case = open_a_case(who=yes)
    consent(yes, org)
    consent(late, org, valid_from=TODAY() - dt.timedelta(days=40), days=-1)  # expired yesterday
    consents.revoke_consent(consent(gone, org), by_label="client")
    consent(letters_only, org, scopes=("letters",))
    consent(no, rival)  # another organisation
    foreign_org = organisation(other_authority, "Beratung Beta")
    stranger = make_person(other_authority, "Fremd")
    consent(stranger, foreign_org)
    return {
        "org": org,
        "yes": yes,
        "no": no,
        "late": late,
        "gone": gone,
        "letters_only": letters_only,
        "case": case,
        "stranger": stranger,
        "foreign_org": foreign_org,
    }


def test_a_partner_sees_exactly_the_consenting_clients_within_scope(client, authority, world):
    user = partner(authority, world["org"])
    ids = set(consents.consenting_persons(user, "case_status").values_list("person_id", flat=True))
    assert ids == {world["yes"].pk}
    letters = set(consents.consenting_persons(user, "letters").values_list("person_id", flat=True))
    assert letters == {world["letters_only"].pk}

    verified_login(client, user)
    home = client.get("/desk/partners/portal/")
    body = home.content.decode()
    assert home.status_code == 200 and "Ahmadi" in body and "Esfahani" in body
    for absent in ("Bauer", "Celik", "Demir", "Fremd"):
        assert absent not in body
    page = client.get(f"/desk/partners/portal/clients/{world['yes'].pk}/")
    assert page.status_code == 200 and world["case"].number in page.content.decode()
    only_letters = client.get(f"/desk/partners/portal/clients/{world['letters_only'].pk}/")
    assert only_letters.status_code == 200 and "case-" not in only_letters.content.decode()  # no case states
    for key in ("no", "late", "gone"):
        assert client.get(f"/desk/partners/portal/clients/{world[key].pk}/").status_code == 404, key
    assert client.get(f"/desk/partners/portal/clients/{world['stranger'].pk}/").status_code == 404
    reads = AuditEntry.objects.filter(authority=authority, actor=user, person_id=world["yes"].pk)
    assert reads.exists() and all(e.purpose == "partner: Beratung zum Aufenthalt" for e in reads)


def test_revocation_and_expiry_cut_access_at_once(client, authority, world):
    user = partner(authority, world["org"])
    verified_login(client, user)
    url = f"/desk/partners/portal/clients/{world['yes'].pk}/"
    assert client.get(url).status_code == 200
    given = Consent.objects.get(person=world["yes"], organisation=world["org"])
    consents.revoke_consent(given, by_label="client")
    assert client.get(url).status_code == 404
    assert "Ahmadi" not in client.get("/desk/partners/portal/").content.decode()
    fresh = consent(world["yes"], world["org"], days=0)  # valid today only
    assert client.get(url).status_code == 200
    assert (
        not consents.valid_consents(world["org"], "case_status", on=TODAY() + dt.timedelta(days=1))
        .filter(pk=fresh.pk)
        .exists()
    )


@pytest.mark.parametrize(
    "path",
    [
        "/desk/cases/",
        "/desk/clients/",
        "/desk/efile/",
        "/desk/partners/requests/",
        "/desk/partners/incoming/",
    ],
)
def test_a_partner_gets_no_staff_page(client, authority, world, path):
    verified_login(client, partner(authority, world["org"]))
    assert client.get(path).status_code == 403


def test_a_partner_needs_the_second_factor(client, authority, world):
    """A partner account is a staff account: password alone opens nothing of a client, the second factor does."""
    user = partner(authority, world["org"])
    client.force_login(user)  # password checked, second factor not yet
    for url in ("/desk/partners/portal/", f"/desk/partners/portal/clients/{world['yes'].pk}/"):
        response = client.get(url)
        assert response.status_code == 302 and "/desk/login/verify/" in response["Location"], url
    assert not AuditEntry.objects.filter(actor=user).exists()
    verified_login(client, user)
    assert client.get(f"/desk/partners/portal/clients/{world['yes'].pk}/").status_code == 200


def test_a_partners_desk_is_the_portal(client, authority, world):
    verified_login(client, partner(authority, world["org"]))
    response = client.get("/desk/")
    assert response.status_code == 302 and response["Location"] == "/desk/partners/portal/"
    assert client.get(response["Location"]).status_code == 200


def test_staff_pages_of_the_portal_refuse_staff_and_other_authorities(
    client, authority, other_authority, world, caseworker
):
    verified_login(client, caseworker)
    assert client.get("/desk/partners/portal/").status_code == 403
    foreign = partner(other_authority, world["foreign_org"], "beta-p")
    verified_login(client, foreign)
    assert client.get(f"/a/beta/desk/partners/portal/clients/{world['yes'].pk}/").status_code == 404
    beta_home = client.get("/a/beta/desk/partners/portal/").content.decode()
    assert "Fremd" in beta_home and "Ahmadi" not in beta_home


def test_staff_record_and_revoke_on_the_person_page(client, authority, world, team):
    editor = make_staff(authority, "edith", role="caseworker", teams=[team])
    verified_login(client, editor)
    person = world["no"]
    page = client.get(f"/desk/clients/{person.pk}/")
    assert "Flüchtlingsrat" in page.content.decode()  # the panel lists the person's consents
    bad = client.post(f"/desk/partners/persons/{person.pk}/consents/", {"organisation": world["org"].pk})
    assert bad.status_code == 400
    valid_until = (TODAY() + dt.timedelta(days=90)).isoformat()
    fields = {
        "organisation": world["org"].pk,
        "scopes": ["case_status", "upload"],
        "purpose": "Kurs",
        "valid_until": valid_until,
    }
    no_scan = client.post(f"/desk/partners/persons/{person.pk}/consents/", fields)
    assert no_scan.status_code == 400 and not Consent.objects.filter(person=person, organisation=world["org"]).exists()
    refused = client.post(f"/desk/partners/persons/{person.pk}/consents/", {**fields, "form_scan": exe_upload()})
    assert refused.status_code == 400  # the safe upload refuses it: neither consent nor document
    assert not Consent.objects.filter(person=person, organisation=world["org"]).exists()
    assert not Document.objects.filter(person=person, document_type="consent_form").exists()
    ok = client.post(f"/desk/partners/persons/{person.pk}/consents/", {**fields, "form_scan": pdf_upload()})
    assert ok.status_code == 302
    recorded = Consent.objects.get(person=person, organisation=world["org"])
    assert recorded.scope_list == ["case_status", "upload"] and recorded.recorded_by == editor
    scan = recorded.document  # the signed form, filed on the person through the safe upload
    assert scan.person == person and scan.document_type == "consent_form" and scan.uploaded_by == editor
    assert recorded.source == "signed_form" and scan.sha256
    assert client.post(f"/desk/partners/consents/{recorded.pk}/revoke/").status_code == 302
    recorded.refresh_from_db()
    assert recorded.revoked_at is not None
    foreign = Consent.objects.get(person=world["stranger"])
    assert client.post(f"/desk/partners/consents/{foreign.pk}/revoke/").status_code == 404


def test_refusals(authority, other_authority, world, team):
    person = world["no"]
    with pytest.raises(consents.ConsentError):
        consent(person, world["foreign_org"])  # an organisation of another authority
    with pytest.raises(consents.ConsentError):
        consents.record_consent(person, world["org"], scopes=[], purpose="x", valid_until=TODAY(), source="portal")
    with pytest.raises(consents.ConsentError):
        consent(person, world["org"], days=-1)
    with pytest.raises(PermissionDenied):
        consent(person, world["org"], actor=make_staff(authority, "sp", role="servicepoint", teams=[team]))


def test_a_partner_uploads_within_the_scope_and_not_after_revocation(client, authority, world):
    user = partner(authority, world["org"])
    person = world["no"]
    given = consent(person, world["org"], scopes=("case_status", "upload"))
    verified_login(client, user)
    url = f"/desk/partners/portal/clients/{person.pk}/upload/"
    response = client.post(url, {"title": "Arbeitsvertrag", "document": pdf_upload()})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    title = page.split("<title>", 1)[1].split("</title>", 1)[0]
    assert "<" not in title and person.family_name in title  # the title is the name, not the upload form
    assert page.count('role="status"') == 1  # the confirmation shows once, in the page
    document = Document.objects.get(person=person, document_type="partner_upload")
    assert document.uploaded_by == user and document.title == "Migrationsberatung Mitte: Arbeitsvertrag"
    assert client.post(url, {"title": "x"}).status_code == 400  # no file: nothing stored
    assert client.post(f"/desk/partners/portal/clients/{world['yes'].pk}/upload/", {"title": "x"}).status_code == 404
    consents.revoke_consent(given, by_label="client")
    assert client.post(url, {"title": "Nachtrag", "document": pdf_upload()}).status_code == 404
    assert Document.objects.filter(person=person, document_type="partner_upload").count() == 1
