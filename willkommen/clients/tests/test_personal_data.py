"""The registry of personal data: every model pointing at a person has a contributor, the copy has every
room's section, and erasure runs in an order that deletes referring rows first."""

import datetime as dt

import pytest
from django.db import models
from django.test.utils import isolate_apps
from django.utils import translation

from willkommen.audit.models import AuditEntry
from willkommen.clients import personal_data
from willkommen.clients.models import Person, PersonAlias, ResidenceEntry
from willkommen.clients.testing import export_of, make_client, section


def test_every_model_pointing_at_a_person_has_a_contributor():
    """A new room whose model has a foreign key to the person must register a contributor (Art. 15 copy
    and erasure); this test names the models that have none."""
    assert personal_data.models_pointing_at_person()  # the metadata search finds the known ones
    assert personal_data.uncovered_models() == []


@isolate_apps("willkommen.clients")
def test_the_coverage_check_finds_a_model_without_contributor():
    class Consent(models.Model):
        person = models.ForeignKey(Person, on_delete=models.CASCADE)

        class Meta:
            app_label = "clients"

    class Unrelated(models.Model):
        name = models.CharField(max_length=10)

        class Meta:
            app_label = "clients"

    assert personal_data.uncovered_models([Consent, Unrelated]) == ["clients.Consent"]


def test_rooms_register_their_contributors():
    keys = {c.key for c in personal_data.contributors()}
    assert {
        "person",
        "audit",
        "letters",
        "efile",
        "cases",
        "messaging",
        "accommodation",
        "applications",
        "appointments",
        "servicepoint",
    } <= keys


def test_erase_order_deletes_referring_rows_first():
    order = [c.key for c in personal_data.erase_order()]
    assert order[-1] == "person"
    assert order.index("letters") < order.index("cases")  # a certificate protects its case
    assert order.index("applications") < order.index("efile")  # an upload points at its document
    assert order.index("messaging") < order.index("cases")
    assert "audit" not in order  # audit entries outlive the person (their own period)


@pytest.mark.django_db
def test_person_section_has_names_residence_history_and_merged_records(authority):
    from willkommen.clients.services import merge

    person = make_client(authority)
    twin = make_client(authority, family_name="Hadad", email="")
    PersonAlias.objects.create(authority=authority, person=person, family_name="Al-Haddad")
    ResidenceEntry.objects.create(
        authority=authority, person=person, kind="title", legal_basis="§ 16b AufenthG", valid_from=dt.date(2024, 1, 1)
    )
    merge(person, twin)
    part, _members = section(authority, person, "person")
    assert part["tables"]["person"][0]["family_name"] == "Haddad"
    assert "name_key" not in part["tables"]["person"][0]
    assert {row["family_name"] for row in part["tables"]["other_names"]} == {"Al-Haddad", "Hadad"}
    assert part["tables"]["residence_history"][0]["legal_basis"] == "§ 16b AufenthG"
    assert part["tables"]["residence_history"][0]["kind_display"]
    assert [row["id"] for row in part["tables"]["merged_records"]] == [twin.pk]


@pytest.mark.django_db
def test_audit_section_says_when_and_why_not_who_by_name(authority, caseworker):
    from willkommen.audit.services import record

    person = make_client(authority)
    other = make_client(authority, family_name="Other", email="o@example.org")
    record(authority=authority, action="read", person_id=person.pk, actor=caseworker, purpose="file opened")
    record(authority=authority, action="read", person_id=other.pk, actor=caseworker, purpose="not yours")
    with translation.override("en"):
        part, _members = section(authority, person, "audit")
    [entry] = part["tables"]["audit_entries"]
    assert entry["purpose"] == "file opened" and entry["action"] == "read" and entry["at"]
    assert entry["who"] == "Caseworker"
    assert caseworker.username not in str(part)


@pytest.mark.django_db
def test_copy_has_a_section_for_every_contributor_and_only_this_authority(authority, other_authority):
    person = make_client(authority)
    stranger = make_client(other_authority)
    AuditEntry.objects.create(authority=other_authority, actor_label="x", action="read", person_id=person.pk)
    data, members = export_of(authority, person)
    assert set(data["sections"]) == {c.key for c in personal_data.contributors()}
    assert data["person_id"] == person.pk and data["authority"]["slug"] == "alpha"
    assert data["sections"]["audit"]["tables"]["audit_entries"] == []
    assert str(stranger.pk) not in [str(r["id"]) for r in data["sections"]["person"]["tables"]["person"]]
    assert "summary.txt" in members


@pytest.mark.django_db
def test_desk_copy_is_audited_and_not_cached(staff_client, authority):
    import io
    import json
    import zipfile

    person = make_client(authority)
    response = staff_client.get(f"/a/alpha/desk/efile/person/{person.pk}/export.zip")
    assert response.status_code == 200 and "no-store" in {d.strip() for d in response["Cache-Control"].split(",")}
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert json.loads(archive.read("data.json"))["sections"]["person"]["tables"]["person"][0]["id"] == person.pk
    assert AuditEntry.objects.filter(action="export", person_id=person.pk, purpose="GDPR Art. 15 copy").exists()
