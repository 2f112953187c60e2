"""The partner portal per scope (issue 18 item 3, the rest): missing documents answered into the open request,
letters and copies of notices, messages with the office, appointments booked for the client, the consent
ended by the organisation, group notices. The IDOR matrix of ``test_consents.py`` extended to every new
scope: exactly the consenting clients within scope, nothing after revocation or expiry, nothing of another
authority, every read audited."""

import datetime as dt
import hashlib

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from willkommen.audit.models import AuditEntry
from willkommen.cases import services as case_services
from willkommen.core.testing import make_staff, verified_login
from willkommen.efile.models import Document
from willkommen.partners import consents
from willkommen.partners.models import Consent, PartnerDelivery, PartnerMessage, PartnerNotice

from .conftest import make_person, pdf_upload
from .test_consents import consent, organisation, partner

ALL = ("case_status", "letters", "upload", "notice_copies", "appointments")
TODAY = timezone.localdate


def make_letter(person, kind, title, case=None, content=b"%PDF-1.4 letter"):
    from willkommen.letters.models import Letter

    letter = Letter(
        authority=person.authority,
        person=person,
        case=case,
        kind=kind,
        languages="de",
        title=title,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )
    letter.file.save(f"{kind}.pdf", ContentFile(content), save=False)
    letter.save()
    return letter


@pytest.fixture
def portal(authority, other_authority, open_a_case, caseworker):
    org = organisation(authority)
    people = {name: make_person(authority, name) for name in ("Ahmadi", "Bauer", "Celik", "Demir", "Noor", "Lutz")}
    case = open_a_case(who=people["Ahmadi"])
    case.assignee = caseworker
    case.save(update_fields=["assignee"])
    document_request = case_services.request_documents(case, caseworker, items=["enrolment"], note="Bitte")
    consent(people["Ahmadi"], org, scopes=ALL)
    consent(people["Bauer"], org, scopes=("case_status",))
    consents.revoke_consent(consent(people["Celik"], org, scopes=ALL), by_label="client")
    consent(people["Demir"], org, scopes=ALL, valid_from=TODAY() - dt.timedelta(days=40), days=-1)
    consent(people["Noor"], org, scopes=("notice_copies",))
    consent(people["Lutz"], org, scopes=("letters",))
    foreign_org = organisation(other_authority, "Beratung Beta")
    stranger = make_person(other_authority, "Fremd")
    consent(stranger, foreign_org, scopes=ALL)
    letters = {
        "decision": make_letter(people["Ahmadi"], "decision", "Bescheid Ahmadi", case),
        "noor_decision": make_letter(people["Noor"], "decision", "Bescheid Noor"),
        "noor_letter": make_letter(people["Noor"], "interim_answer", "Zwischennachricht Noor"),
        "lutz_decision": make_letter(people["Lutz"], "decision", "Bescheid Lutz"),
        "lutz_letter": make_letter(people["Lutz"], "interim_answer", "Zwischennachricht Lutz"),
        "celik": make_letter(people["Celik"], "decision", "Bescheid Celik"),
        "demir": make_letter(people["Demir"], "decision", "Bescheid Demir"),
        "stranger": make_letter(stranger, "decision", "Bescheid Fremd"),
    }
    user = partner(authority, org)
    return {
        "org": org,
        "user": user,
        "case": case,
        "request": document_request,
        "letters": letters,
        "stranger": stranger,
        "foreign_org": foreign_org,
        **people,
    }


def page_of(client, person):
    response = client.get(f"/desk/partners/portal/clients/{person.pk}/")
    return response.status_code, response.content.decode()


# --- missing documents ------------------------------------------------------------------------------------


def test_missing_documents_only_under_upload_and_answered_into_the_request(client, authority, portal, caseworker):
    verified_login(client, portal["user"])
    status, body = page_of(client, portal["Ahmadi"])
    assert status == 200 and 'id="missing-heading"' in body
    assert f'id="missing-{portal["case"].pk}-enrolment"' in body  # asked for by the office
    assert f'id="missing-{portal["case"].pk}-passport"' in body  # required by the checklist, not received
    status, body = page_of(client, portal["Bauer"])
    assert status == 200 and 'id="missing-heading"' not in body  # "see the state of cases" only
    url = f"/desk/partners/portal/clients/{portal['Ahmadi'].pk}/missing/"
    fields = {"case": portal["case"].pk, "item": "enrolment"}
    assert client.post(url, {**fields, "item": "nonsense", "document": pdf_upload()}).status_code == 400
    assert client.post(url, fields).status_code == 400  # no file
    assert not Document.objects.filter(person=portal["Ahmadi"], uploaded_by=portal["user"]).exists()
    response = client.post(url, {**fields, "document": pdf_upload()})
    assert response.status_code == 302
    delivery = PartnerDelivery.objects.get()
    assert delivery.document_request == portal["request"] and delivery.organisation == portal["org"]
    document = delivery.document
    assert document.case == portal["case"] and document.uploaded_by == portal["user"]
    assert document.document_type == "enrolment" and document.title.startswith("Migrationsberatung Mitte")
    portal["case"].refresh_from_db()
    assert portal["case"].status == "in_review"  # everything asked for has arrived: the case resumes
    reads = AuditEntry.objects.filter(actor=portal["user"], person_id=portal["Ahmadi"].pk)
    assert reads.filter(purpose="partner upload: Beratung zum Aufenthalt").exists()

    verified_login(client, caseworker)
    case_page = client.get(f"/desk/cases/{portal['case'].pk}/").content.decode()
    assert f'id="delivery-{delivery.pk}"' in case_page and "Migrationsberatung Mitte" in case_page


def test_every_partner_upload_is_filed_under_the_case_and_marked(client, authority, portal, caseworker, open_a_case):
    """Outside the request for documents too: a missing checklist item the office did not ask for, and a
    document of the partner's own choosing, are filed under the client's open case and shown to the
    caseworker as received from the organisation (on the case and on the person page)."""
    case, person = portal["case"], portal["Ahmadi"]
    verified_login(client, portal["user"])
    status, body = page_of(client, person)
    assert f'<option value="{case.pk}" selected>{case.number}</option>' in body  # the only open case, chosen
    missing = f"/desk/partners/portal/clients/{person.pk}/missing/"
    assert client.post(missing, {"case": case.pk, "item": "passport", "document": pdf_upload()}).status_code == 302
    passport = PartnerDelivery.objects.get(item="passport")
    assert passport.document_request is None and passport.case == case and passport.document.case == case
    assert passport.document.title == "Migrationsberatung Mitte: Reisepass"  # words, not the key

    upload = f"/desk/partners/portal/clients/{person.pk}/upload/"
    other_case = open_a_case(who=portal["Bauer"])
    refused = client.post(upload, {"title": "Vertrag", "case": other_case.pk, "document": pdf_upload()})
    assert refused.status_code == 400  # not a case of this client: nothing stored
    assert not Document.objects.filter(document_type="partner_upload").exists()
    response = client.post(upload, {"title": "Arbeitsvertrag", "case": case.pk, "document": pdf_upload()})
    assert response.status_code == 302
    contract = PartnerDelivery.objects.get(document__document_type="partner_upload")
    assert contract.case == case and contract.document.case == case and contract.document_request is None
    assert contract.organisation == portal["org"] and contract.delivered_by == portal["user"]
    loose = client.post(upload, {"title": "Mietvertrag", "case": "", "document": pdf_upload()})
    assert loose.status_code == 302
    lease = PartnerDelivery.objects.get(document__title__endswith="Mietvertrag")
    assert lease.case is None and lease.document.case is None and lease.document.person == person

    verified_login(client, caseworker)
    case_page = client.get(f"/desk/cases/{case.pk}/").content.decode()
    for delivery in (passport, contract):
        assert f'id="delivery-{delivery.pk}"' in case_page
    assert f'id="delivery-{lease.pk}"' not in case_page  # not filed under the case
    person_page = client.get(f"/desk/clients/{person.pk}/").content.decode()
    for delivery in (passport, contract, lease):
        item = person_page.split(f'id="person-delivery-{delivery.pk}"', 1)[1].split("</li>", 1)[0]
        assert "eingegangen von Migrationsberatung Mitte" in item


@pytest.mark.parametrize("who", ["Bauer", "Celik", "Demir", "Noor"])
def test_no_answer_without_a_valid_upload_consent(client, portal, who):
    verified_login(client, portal["user"])
    url = f"/desk/partners/portal/clients/{portal[who].pk}/missing/"
    response = client.post(url, {"case": portal["case"].pk, "item": "enrolment", "document": pdf_upload()})
    assert response.status_code == 404
    assert not PartnerDelivery.objects.exists() and not Document.objects.filter(uploaded_by=portal["user"]).exists()


def test_an_answer_for_another_persons_case_is_refused(client, authority, portal, open_a_case):
    other_case = open_a_case(who=portal["Bauer"])
    verified_login(client, portal["user"])
    url = f"/desk/partners/portal/clients/{portal['Ahmadi'].pk}/missing/"
    response = client.post(url, {"case": other_case.pk, "item": "enrolment", "document": pdf_upload()})
    assert response.status_code == 404 and not Document.objects.filter(uploaded_by=portal["user"]).exists()


# --- letters and copies of notices -------------------------------------------------------------------------


def _letter_url(person, letter):
    return f"/desk/partners/portal/clients/{person.pk}/letters/{letter.pk}/"


def test_letters_and_notices_per_scope(client, portal):
    verified_login(client, portal["user"])
    letters = portal["letters"]
    _status, noor = page_of(client, portal["Noor"])
    assert "Bescheid Noor" in noor and "Zwischennachricht Noor" not in noor
    _status, lutz = page_of(client, portal["Lutz"])
    assert "Zwischennachricht Lutz" in lutz and "Bescheid Lutz" not in lutz
    _status, bauer = page_of(client, portal["Bauer"])
    assert "partner-letters" not in bauer
    allowed = [(portal["Noor"], letters["noor_decision"]), (portal["Lutz"], letters["lutz_letter"])]
    allowed.append((portal["Ahmadi"], letters["decision"]))
    for person, letter in allowed:
        response = client.get(_letter_url(person, letter))
        assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 letter"
        entry = AuditEntry.objects.filter(actor=portal["user"], action="download", person_id=person.pk).get()
        assert entry.purpose == "partner: Beratung zum Aufenthalt"
    refused = [
        (portal["Noor"], letters["noor_letter"]),  # a letter, but only "copies of notices"
        (portal["Lutz"], letters["lutz_decision"]),  # a notice, but only "see letters"
        (portal["Noor"], letters["lutz_decision"]),  # another client's letter under a valid consent
        (portal["Celik"], letters["celik"]),  # revoked
        (portal["Demir"], letters["demir"]),  # expired
        (portal["stranger"], letters["stranger"]),  # another authority
        (portal["Bauer"], letters["decision"]),
    ]
    for person, letter in refused:
        assert client.get(_letter_url(person, letter)).status_code == 404, letter.title
    assert AuditEntry.objects.filter(actor=portal["user"], action="download").count() == 3


def test_a_damaged_letter_is_not_handed_out(client, portal):
    letter = portal["letters"]["noor_decision"]
    with letter.file.storage.open(letter.file.name, "wb") as handle:
        handle.write(b"changed on disk")
    verified_login(client, portal["user"])
    assert client.get(_letter_url(portal["Noor"], letter)).status_code == 409
    assert not AuditEntry.objects.filter(actor=portal["user"], action="download").exists()


def test_revoking_cuts_the_letters_at_once(client, portal):
    verified_login(client, portal["user"])
    url = _letter_url(portal["Noor"], portal["letters"]["noor_decision"])
    assert client.get(url).status_code == 200
    consents.revoke_consent(Consent.objects.get(person=portal["Noor"]), by_label="client")
    assert client.get(url).status_code == 404


# --- messages with the office ------------------------------------------------------------------------------


def test_messages_between_partner_and_caseworker(client, authority, portal, caseworker):
    from willkommen.messaging.models import Message

    Message.objects.create(
        authority=authority, person=portal["Ahmadi"], direction="in", channel="email", body="Geheim vom Klienten"
    )
    verified_login(client, portal["user"])
    url = f"/desk/partners/portal/clients/{portal['Ahmadi'].pk}/messages/"
    assert client.post(url, {"body": ""}).status_code == 400
    assert client.post(url, {"body": "Frau Ahmadi kommt am Montag."}).status_code == 302
    message = PartnerMessage.objects.get()
    assert message.from_partner and message.case == portal["case"] and message.organisation == portal["org"]
    _status, body = page_of(client, portal["Ahmadi"])
    assert "Frau Ahmadi kommt am Montag." in body and "Geheim vom Klienten" not in body

    verified_login(client, caseworker)
    case_page = client.get(f"/desk/cases/{portal['case'].pk}/").content.decode()
    assert f'id="partner-message-{message.pk}"' in case_page and "Frau Ahmadi kommt am Montag." in case_page
    reply_url = f"/desk/partners/cases/{portal['case'].pk}/messages/{portal['org'].pk}/"
    field = f"o{portal['org'].pk}-body"
    assert client.post(reply_url, {field: "Danke, Termin steht."}).status_code == 302
    reply = PartnerMessage.objects.get(from_partner=False)
    assert reply.author == caseworker and reply.person == portal["Ahmadi"]

    verified_login(client, portal["user"])
    assert "Danke, Termin steht." in page_of(client, portal["Ahmadi"])[1]
    consents.revoke_consent(Consent.objects.get(person=portal["Ahmadi"]), by_label="client")
    assert client.post(url, {"body": "Noch da?"}).status_code == 404
    verified_login(client, caseworker)
    assert client.post(reply_url, {field: "Hallo?"}).status_code == 409
    assert PartnerMessage.objects.count() == 2


@pytest.mark.parametrize("who", ["Celik", "Demir", "stranger"])
def test_no_message_without_a_valid_consent(client, portal, who):
    verified_login(client, portal["user"])
    response = client.post(f"/desk/partners/portal/clients/{portal[who].pk}/messages/", {"body": "Hallo"})
    assert response.status_code == 404 and not PartnerMessage.objects.exists()


def test_a_caseworker_answers_only_on_a_case_they_see(client, authority, portal):
    outsider = make_staff(authority, "otto", role="caseworker")
    verified_login(client, outsider)
    url = f"/desk/partners/cases/{portal['case'].pk}/messages/{portal['org'].pk}/"
    assert client.post(url, {f"o{portal['org'].pk}-body": "x"}).status_code == 404
    assert not PartnerMessage.objects.exists()


# --- appointments ------------------------------------------------------------------------------------------


@pytest.fixture
def offer(authority, portal):
    from willkommen.appointments.testing import make_offer

    return make_offer(authority, anliegen=portal["case"].anliegen, workstations=1, horizon=7)


def _first_free(authority, anliegen):
    from willkommen.appointments.selectors import free_slots

    return free_slots(authority, anliegen, date_from=TODAY(), date_to=TODAY() + dt.timedelta(days=28))[0]


def test_a_partner_books_sees_and_cancels_an_appointment(client, authority, portal, offer):
    from willkommen.appointments.models import Booking

    anliegen = offer.anliegen
    verified_login(client, portal["user"])
    url = f"/desk/partners/portal/clients/{portal['Ahmadi'].pk}/book/"
    page = client.get(url, {"anliegen": anliegen.slug})
    assert page.status_code == 200 and 'name="slot"' in page.content.decode()
    slot = _first_free(authority, anliegen)
    assert client.post(url, {"anliegen": anliegen.slug, "slot": "999999"}).status_code == 400
    response = client.post(url, {"anliegen": anliegen.slug, "slot": slot.pk})
    assert response.status_code == 302
    booking = Booking.objects.get(person=portal["Ahmadi"])
    assert booking.booked_by == portal["user"] and booking.status == "confirmed" and booking.channel == "public"
    slot.refresh_from_db()
    assert slot.public_taken == 1  # the same ledger as every booking
    assert f'id="booking-{booking.pk}"' in page_of(client, portal["Ahmadi"])[1]
    cancel = f"/desk/partners/portal/clients/{portal['Ahmadi'].pk}/appointments/{booking.pk}/cancel/"
    assert (
        client.post(f"/desk/partners/portal/clients/{portal['Bauer'].pk}/appointments/{booking.pk}/cancel/").status_code
        == 404
    )
    assert client.post(cancel).status_code == 302
    booking.refresh_from_db()
    slot.refresh_from_db()
    assert booking.status == "cancelled" and slot.public_taken == 0
    assert AuditEntry.objects.filter(actor=portal["user"], purpose__startswith="partner booking").count() == 2


def test_booking_keeps_the_capacity_and_the_partners_rate_limit(client, authority, portal, offer, settings):
    from willkommen.appointments.models import Booking

    anliegen = offer.anliegen
    slot = _first_free(authority, anliegen)
    consent(portal["Bauer"], portal["org"], scopes=("appointments",))
    verified_login(client, portal["user"])
    for person in (portal["Ahmadi"], portal["Bauer"]):  # one workstation: one public place per slot
        client.post(f"/desk/partners/portal/clients/{person.pk}/book/", {"anliegen": anliegen.slug, "slot": slot.pk})
    assert Booking.objects.filter(slot=slot).count() == 1
    settings.PARTNER_BOOKINGS_PER_MINUTE = 0
    other = portal["Bauer"]
    response = client.post(
        f"/desk/partners/portal/clients/{other.pk}/book/",
        {"anliegen": anliegen.slug, "slot": _first_free(authority, anliegen).pk},
    )
    assert response.status_code == 429 and not Booking.objects.filter(person=other).exists()


@pytest.mark.parametrize("who", ["Bauer", "Celik", "Demir", "stranger"])
def test_no_booking_without_a_valid_appointments_consent(client, authority, portal, offer, who):
    from willkommen.appointments.models import Booking

    verified_login(client, portal["user"])
    url = f"/desk/partners/portal/clients/{portal[who].pk}/book/"
    assert client.get(url).status_code == 404
    slot = _first_free(authority, offer.anliegen)
    assert client.post(url, {"anliegen": offer.anliegen.slug, "slot": slot.pk}).status_code == 404
    assert not Booking.objects.exists()


# --- the organisation ends a consent; group notices --------------------------------------------------------


def test_the_organisation_ends_a_consent(client, authority, portal, team):
    given = Consent.objects.get(person=portal["Ahmadi"])
    rival = partner(authority, organisation(authority, "Flüchtlingsrat"), "rival")
    verified_login(client, rival)
    assert client.post(f"/desk/partners/portal/consents/{given.pk}/revoke/").status_code == 404
    verified_login(client, portal["user"])
    assert client.post(f"/desk/partners/portal/consents/{given.pk}/revoke/").status_code == 302
    given.refresh_from_db()
    assert given.revoked_at is not None and given.revoked_by_label.startswith("Migrationsberatung Mitte")
    assert page_of(client, portal["Ahmadi"])[0] == 404
    editor = make_staff(authority, "edith", role="caseworker", teams=[team])
    verified_login(client, editor)
    person_page = client.get(f"/desk/clients/{portal['Ahmadi'].pk}/").content.decode()
    assert 'class="revoked-by">Migrationsberatung Mitte' in person_page


def test_group_notices_reach_the_organisations_of_a_kind(
    client, authority, portal, team_lead, caseworker, mailoutbox, django_capture_on_commit_callbacks
):
    portal["org"].contact_email = "info@beratung.example"
    portal["org"].save(update_fields=["contact_email"])
    council = organisation(authority, "Flüchtlingsrat")
    council.kind = "refugee_council"
    council.save(update_fields=["kind"])
    verified_login(client, caseworker)
    assert client.get("/desk/partners/notices/").status_code == 403
    verified_login(client, team_lead)
    assert client.post("/desk/partners/notices/", {"kind": "counselling", "subject": ""}).status_code == 400
    assert not PartnerNotice.objects.exists()
    fields = {"kind": "counselling", "subject": "Neues Gesetz", "body": "Ab 1. März gilt ..."}
    with django_capture_on_commit_callbacks(execute=True):  # the e-mails go after the commit
        response = client.post("/desk/partners/notices/", fields)
    assert response.status_code == 302
    notice = PartnerNotice.objects.get()
    assert list(notice.recipients.all()) == [portal["org"]]
    assert [m.to for m in mailoutbox] == [["info@beratung.example"]]
    assert AuditEntry.objects.filter(actor=team_lead, purpose="partner group notice").exists()
    verified_login(client, portal["user"])
    assert "Neues Gesetz" in client.get("/desk/partners/portal/").content.decode()
    verified_login(client, partner(authority, council, "rat"))
    assert "Neues Gesetz" not in client.get("/desk/partners/portal/").content.decode()
