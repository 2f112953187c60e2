import datetime as dt

import pytest

from willkommen.audit.models import AuditEntry
from willkommen.core.testing import make_staff, make_team, verified_login
from willkommen.efile import services
from willkommen.efile.models import Document, FileState, RetentionRecord

from .conftest import jpeg_bytes, pdf_bytes, upload


@pytest.fixture
def document(authority, person):
    return services.add_document(
        authority,
        person,
        upload("pass.pdf", pdf_bytes("Reisepass Nummer C01X00T47")),
        document_type="passport",
        source="upload",
    )


@pytest.mark.django_db
def test_file_view_download_and_audit(staff_client, person, document, caseworker):
    page = staff_client.get(f"/a/alpha/desk/efile/person/{person.pk}/")
    assert page.status_code == 200 and "pass.pdf" in page.content.decode()
    viewer = staff_client.get(f"/a/alpha/desk/efile/document/{document.pk}/")
    assert viewer.status_code == 200 and "C01X00T47" in viewer.content.decode()
    download = staff_client.get(f"/a/alpha/desk/efile/document/{document.pk}/content/?download=1")
    assert download.status_code == 200 and download.content.startswith(b"%PDF")
    assert download["Content-Disposition"].startswith("attachment")
    assert "sandbox" in download["Content-Security-Policy"]
    entries = AuditEntry.objects.filter(person_id=person.pk, actor=caseworker)
    assert sorted(entries.values_list("action", flat=True)) == ["download", "read", "read"]
    assert all(e.purpose for e in entries)


@pytest.mark.django_db
def test_other_authority_caseworker_gets_404(client, person, document, other_authority):
    stranger = make_staff(other_authority, "bert", role="caseworker", teams=[make_team(other_authority)])
    verified_login(client, stranger)
    for url in [
        f"/a/beta/desk/efile/person/{person.pk}/",
        f"/a/beta/desk/efile/document/{document.pk}/",
        f"/a/beta/desk/efile/document/{document.pk}/content/",
        f"/a/beta/desk/efile/person/{person.pk}/export.zip",
    ]:
        assert client.get(url).status_code == 404, url
    assert not AuditEntry.objects.filter(person_id=person.pk).exists()


@pytest.mark.django_db
def test_caseworker_of_another_team_does_not_see_file_of_a_case_elsewhere(client, authority, person, document, team):
    from willkommen.cases.services import open_case
    from willkommen.catalogue.testing import make_anliegen

    other_team = make_team(authority, "Team L–Z")
    open_case(authority, person=person, anliegen=make_anliegen(authority), team=other_team)
    outsider = make_staff(authority, "dora", role="caseworker", teams=[team])
    verified_login(client, outsider)
    assert client.get(f"/a/alpha/desk/efile/person/{person.pk}/").status_code == 404
    assert client.get(f"/a/alpha/desk/efile/document/{document.pk}/content/").status_code == 404
    insider = make_staff(authority, "emil", role="caseworker", teams=[other_team])
    verified_login(client, insider)
    assert client.get(f"/a/alpha/desk/efile/person/{person.pk}/").status_code == 200
    head = make_staff(authority, "frida", role="head_of_office")
    verified_login(client, head)
    assert client.get(f"/a/alpha/desk/efile/person/{person.pk}/").status_code == 200


@pytest.mark.django_db
def test_servicepoint_staff_cannot_read_files(client, authority, person, document):
    sp = make_staff(authority, "gina", role="servicepoint")
    verified_login(client, sp)
    assert client.get(f"/a/alpha/desk/efile/person/{person.pk}/").status_code == 404


@pytest.mark.django_db
def test_verify_stamp_and_reuse(staff_client, authority, person, document, caseworker):
    from willkommen.efile.selectors import verified_document_types

    response = staff_client.post(f"/a/alpha/desk/efile/document/{document.pk}/verify/", {"valid_until": "2031-05-01"})
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.verified_by == caseworker and document.verified_at
    assert document.valid_until == dt.date(2031, 5, 1)
    assert verified_document_types(authority, person, dt.date(2030, 1, 1)) == {"passport"}
    assert verified_document_types(authority, person, dt.date(2032, 1, 1)) == set()
    bad = staff_client.post(f"/a/alpha/desk/efile/document/{document.pk}/verify/", {"valid_until": "01/05/2031"})
    assert bad.status_code == 400


@pytest.mark.django_db
def test_search_finds_text_and_is_audited(staff_client, authority, person, document):
    services.add_document(authority, person, upload("foto.jpg", jpeg_bytes()), document_type="photo", source="upload")
    page = staff_client.get("/a/alpha/desk/efile/?q=C01X00T47").content.decode()
    assert "pass.pdf" in page and "foto.jpg" not in page
    assert "pass.pdf" not in staff_client.get("/a/alpha/desk/efile/?q=Zebrastreifen").content.decode()
    assert AuditEntry.objects.filter(action="search").count() == 2


@pytest.mark.django_db
def test_staff_export_zip(staff_client, person, document):
    import io
    import zipfile

    response = staff_client.get(f"/a/alpha/desk/efile/person/{person.pk}/export.zip")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = archive.namelist()
    assert "data.json" in names and any(n.startswith("files/efile/") and n.endswith("pass.pdf") for n in names)
    assert AuditEntry.objects.filter(action="export", person_id=person.pk).exists()


@pytest.mark.django_db
def test_retention_dry_run_then_delete(authority, person, document, _media, django_capture_on_commit_callbacks):
    services.archive_file(authority, person, reason="death", event_date=dt.date(2020, 3, 1))
    assert services.apply_retention(dt.date(2025, 3, 1)) == []  # 5 years after death: not yet
    report = services.apply_retention(dt.date(2025, 3, 2), dry_run=True)
    assert report == [
        {"authority": "alpha", "person_id": person.pk, "reason": "death", "delete_after": "2025-03-02", "documents": 1}
    ]
    assert Document.objects.count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.apply_retention(dt.date(2025, 3, 2), dry_run=False)
    assert Document.objects.count() == 0
    assert [p for p in _media.rglob("*") if p.is_file()] == []
    record = RetentionRecord.objects.get()
    assert record.documents_deleted == 1 and record.checksums == [document.sha256]
    assert AuditEntry.objects.filter(action="delete", person_id=person.pk).exists()
    assert person.efiles.get().state == FileState.DELETED


def test_retention_periods():
    from willkommen.efile.retention import delete_after

    assert delete_after("moved_away", dt.date(2020, 2, 29)) == dt.date(2030, 3, 1)
    assert delete_after("death", dt.date(2020, 1, 10)) == dt.date(2025, 1, 11)
    assert delete_after("unknown", dt.date(2020, 1, 10)) is None


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgres_full_text_search_with_german_stemming(authority, person):
    from django.db import connection

    from willkommen.efile.selectors import search

    doc = services.add_document(
        authority,
        person,
        upload("a.pdf", pdf_bytes("Die Arbeitgeber bestaetigen Arbeitsvertraege")),
        document_type="other",
        source="upload",
    )
    services.add_document(
        authority,
        person,
        upload("b.pdf", pdf_bytes("Mietvertrag Wohnung")),
        document_type="rent_contract",
        source="upload",
    )
    assert list(search(authority, "Arbeitgebers")) == [doc]  # stemmed: Arbeitgebers -> arbeitgeb
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'efile_document_search_gin'")
        assert "gin" in cursor.fetchone()[0].lower()


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgres_search_ranks_the_newest_visible_matches(authority, person, monkeypatch):
    from django.utils import timezone

    from willkommen.clients.models import Person
    from willkommen.clients.services import create_person
    from willkommen.efile import selectors

    def add(owner, name, text, days_ago):
        doc = services.add_document(
            authority, owner, upload(name, pdf_bytes(text)), document_type="other", source="upload"
        )
        Document.objects.filter(pk=doc.pk).update(uploaded_at=timezone.now() - dt.timedelta(days=days_ago))
        return doc

    best = add(person, "best.pdf", "Sperrkonto Sperrkonto Sperrkonto Sperrkonto", 30)
    older = add(person, "older.pdf", "Sperrkonto Wohnung", 20)
    newer = add(person, "newer.pdf", "Sperrkonto Miete", 10)
    add(person, "miss.pdf", "Mietvertrag", 1)
    other = create_person(authority, family_name="Other", given_names="O", date_of_birth=dt.date(1990, 1, 1))
    add(other, "hidden.pdf", "Sperrkonto Sperrkonto Sperrkonto Sperrkonto Sperrkonto", 0)
    mine = Person.objects.filter(pk=person.pk)
    # fewer matches than RANKED_MATCHES: all ranked, best first, equal ranks newest first
    assert list(selectors.search(authority, "Sperrkonto", persons=mine)) == [best, newer, older]
    assert list(selectors.search(authority, "Sperrkonto", persons=mine, limit=1)) == [best]
    # more matches: only the newest visible ones are ranked; the hidden document takes no place
    monkeypatch.setattr(selectors, "RANKED_MATCHES", 2)
    assert list(selectors.search(authority, "Sperrkonto", persons=mine)) == [newer, older]
    assert selectors.search(authority, "Sperrkonto")[0].original_name == "hidden.pdf"


@pytest.mark.django_db
def test_demo_is_idempotent(authority, person):
    from willkommen.efile import demo

    demo.load(authority)
    demo.load(authority)
    assert Document.objects.filter(authority=authority, title=demo.DEMO_TITLE).count() == 1
