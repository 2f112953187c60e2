import pytest

from willkommen.audit.models import AuditEntry
from willkommen.clients.models import Person


@pytest.fixture
def amal(authority):
    return Person.objects.create(
        authority=authority, family_name="Haddad", given_names="Amal", date_of_birth="1988-02-03"
    )


def test_search_and_read_are_logged(staff_client, amal):
    listing = staff_client.get("/desk/clients/?q=hadd")
    assert "Haddad" in listing.content.decode()
    detail = staff_client.get(f"/desk/clients/{amal.pk}/?purpose=extension")
    assert detail.status_code == 200
    entry = AuditEntry.objects.get(action="read", person_id=amal.pk)
    assert entry.purpose == "extension" and entry.actor.username == "clara"


def test_create_person_with_bad_input_stores_nothing(staff_client):
    response = staff_client.post(
        "/desk/clients/new/",
        {
            "family_name": "x" * 400,
            "date_of_birth": "not a date",
            "sex": "x",
            "preferred_language": "xx",
            "preferred_channel": "email",
            "nationalities_text": "SYRIA",
        },
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert {"family_name", "date_of_birth", "preferred_language", "nationalities_text"} <= set(form.errors)
    assert Person.objects.count() == 0


def test_create_person_then_residence_entry(staff_client):
    response = staff_client.post(
        "/desk/clients/new/",
        {
            "family_name": "Petrenko",
            "given_names": "Olena",
            "date_of_birth": "1992-07-01",
            "sex": "f",
            "preferred_language": "uk",
            "preferred_channel": "email",
            "nationalities_text": "ukr",
        },
    )
    person = Person.objects.get()
    assert response.status_code == 302 and person.nationalities == ["UKR"]
    bad = staff_client.post(
        f"/desk/clients/{person.pk}/residence/", {"kind": "title", "valid_from": "2024-05-01", "valid_to": "2023-01-01"}
    )
    assert bad.status_code == 400 and person.residence_entries.count() == 0
    ok = staff_client.post(
        f"/desk/clients/{person.pk}/residence/",
        {"kind": "title", "legal_basis": "§ 24 AufenthG", "valid_from": "2024-05-01", "valid_to": "2026-03-04"},
    )
    assert ok.status_code == 302 and person.residence_entries.count() == 1


def test_person_page_shows_the_timeline_and_a_declared_entry_is_confirmed(staff_client, amal, caseworker):
    import datetime as dt

    from django.utils import timezone

    from willkommen.clients.models import ResidenceEntry
    from willkommen.clients.services import record_residence

    staff_client.cookies["willkommen_language"] = "en"
    today = timezone.localdate()
    record_residence(amal, kind="visa", legal_basis="§ 6 Abs. 3 AufenthG", valid_from=dt.date(2023, 1, 5))
    declared = record_residence(amal, kind="title", valid_to=today + dt.timedelta(days=20), source="declared")
    page = staff_client.get(f"/desk/clients/{amal.pk}/").content.decode()
    assert page.index('data-kind="title"') < page.index('data-kind="visa"')  # newest first
    assert "declared by the client" in page and "not yet confirmed" in page
    assert f"/desk/clients/{amal.pk}/residence/{declared.pk}/confirm/" in page

    url = f"/desk/clients/{amal.pk}/residence/{declared.pk}/confirm/"
    prefix = f"confirm-{declared.pk}"
    bad = staff_client.post(url, {f"{prefix}-valid_from": "2026-05-01", f"{prefix}-valid_to": "2025-01-01"})
    assert bad.status_code == 400
    declared.refresh_from_db()
    assert not declared.verified and declared.valid_from is None
    ok = staff_client.post(
        url,
        {
            f"{prefix}-valid_from": "2024-05-01",
            f"{prefix}-valid_to": (today + dt.timedelta(days=25)).isoformat(),
            f"{prefix}-document_number": "Y0123456",
        },
    )
    assert ok.status_code == 302
    declared.refresh_from_db()
    assert declared.verified and declared.verified_by == caseworker and declared.document_number == "Y0123456"
    assert declared.valid_to == today + dt.timedelta(days=25)
    assert AuditEntry.objects.filter(action="update", person_id=amal.pk, purpose="residence entry confirmed").exists()
    page = staff_client.get(f"/desk/clients/{amal.pk}/").content.decode()
    assert "not yet confirmed" not in page and 'aria-current="true"' in page

    other = Person.objects.create(authority=amal.authority, family_name="Other", date_of_birth="1990-01-01")
    foreign = ResidenceEntry.objects.create(authority=amal.authority, person=other, kind="title", verified=False)
    assert staff_client.post(f"/desk/clients/{amal.pk}/residence/{foreign.pk}/confirm/").status_code == 404
