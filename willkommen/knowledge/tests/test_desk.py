"""Desk pages of the knowledge room: per role and per authority, uploads (PDF only), news and country notes,
and the country notes on the person page."""

import datetime as dt

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from willkommen.core.testing import make_staff, verified_login
from willkommen.knowledge.models import CountryNote, NewsItem, PublicForm

from .conftest import make_form, make_news, make_note, pdf_upload

pytestmark = pytest.mark.django_db
BASE = "/desk/knowledge/"


def as_role(client, authority, role):
    client.cookies["willkommen_language"] = "en"
    return verified_login(client, make_staff(authority, f"u-{role}", role=role))


def texts(title="Antrag"):
    data = {"title_de": title, "description_de": "Zweck"}
    data.update({f"title_{c}": "" for c in ("en", "ar", "fa", "tr", "uk", "ru", "fr")})
    return data


@pytest.mark.parametrize(
    "role,read,edit",
    [
        ("administrator", 200, 200),
        ("head_of_office", 200, 200),
        ("caseworker", 200, 403),
        ("team_lead", 200, 403),
        ("servicepoint", 403, 403),
        ("accommodation", 403, 403),
        ("partner", 403, 403),
    ],
)
def test_pages_by_role(client, authority, role, read, edit):
    form = make_form(authority)
    item = make_news(authority, {"de": {"title": "Neu", "body": ""}})
    note = make_note(authority)
    as_role(client, authority, role)
    assert client.get(f"{BASE}countries/").status_code == read
    assert client.get(f"{BASE}countries/{note.pk}/").status_code == read
    for path in (
        "countries/new/",
        f"countries/{note.pk}/edit/",
        "forms/",
        "forms/new/",
        f"forms/{form.pk}/",
        "news/",
        "news/new/",
        f"news/{item.pk}/",
    ):
        assert client.get(BASE + path).status_code == edit, path
    delete_status = client.post(f"{BASE}news/{item.pk}/delete/").status_code
    assert delete_status == (302 if edit == 200 else 403)
    assert NewsItem.objects.filter(pk=item.pk).exists() == (edit != 200)
    assert client.post(f"{BASE}forms/{form.pk}/delete/").status_code == (302 if edit == 200 else 403)


def test_other_authorities_objects_answer_404(client, authority, other_authority):
    form, note = make_form(other_authority), make_note(other_authority)
    item = make_news(other_authority, {"de": {"title": "Beta", "body": ""}})
    as_role(client, authority, "administrator")
    for path in (f"forms/{form.pk}/", f"news/{item.pk}/", f"countries/{note.pk}/", f"countries/{note.pk}/edit/"):
        assert client.get(BASE + path).status_code == 404, path
    assert client.post(f"{BASE}news/{item.pk}/delete/").status_code == 302  # nothing of ours to remove
    assert NewsItem.objects.filter(pk=item.pk).exists() and PublicForm.objects.filter(pk=form.pk).exists()
    body = client.get(f"{BASE}countries/").content.decode()
    assert f"/countries/{note.pk}/" not in body


def test_staff_of_another_authority_are_anonymous_here(client, authority, other_authority):
    note = make_note(authority)
    verified_login(client, make_staff(other_authority, "bert", role="administrator"))
    assert client.get(f"{BASE}countries/{note.pk}/").status_code == 302


def test_upload_a_pdf_form(client, authority):
    as_role(client, authority, "head_of_office")
    response = client.post(
        f"{BASE}forms/new/", {**texts("Vollmacht"), "position": 1, "active": "on", "file": pdf_upload("v.pdf")}
    )
    assert response.status_code == 302
    form = PublicForm.objects.get(authority=authority)
    assert form.file_name == "v.pdf" and default_storage.exists(form.file.name)
    assert form.texts.get(language="de").title == "Vollmacht"


@pytest.mark.parametrize(
    "name,content",
    [("bild.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 100), ("text.pdf", b"hello world"), ("x.exe", b"MZ\x90\x00")],
)
def test_upload_refuses_a_non_pdf_with_a_clear_message(client, authority, tmp_path, name, content):
    as_role(client, authority, "administrator")
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    response = client.post(f"{BASE}forms/new/", {**texts(), "position": 0, "file": upload})
    assert response.status_code == 400
    assert "Only PDF files are accepted for forms." in response.content.decode()
    assert not PublicForm.objects.exists()
    media = tmp_path / "media"
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_upload_needs_a_german_title_and_a_file(client, authority):
    as_role(client, authority, "administrator")
    assert client.post(f"{BASE}forms/new/", {**texts(""), "position": 0, "file": pdf_upload()}).status_code == 400
    assert client.post(f"{BASE}forms/new/", {**texts(), "position": 0}).status_code == 400
    assert not PublicForm.objects.exists()


def test_news_form_saves_texts_and_refuses_an_end_before_the_start(client, authority):
    as_role(client, authority, "administrator")
    data = {"kind": "closure", "visible_from": "2026-05-02", "title_de": "Zu", "body_de": "", "title_en": "Closed"}
    bad = client.post(f"{BASE}news/new/", {**data, "visible_until": "2026-05-01"})
    assert bad.status_code == 400 and not NewsItem.objects.exists()
    assert client.post(f"{BASE}news/new/", {**data, "visible_until": "2026-05-03"}).status_code == 302
    item = NewsItem.objects.get()
    assert {t.language: t.title for t in item.texts.all()} == {"de": "Zu", "en": "Closed"}


def test_country_note_create_and_refuse_a_second_for_the_country(client, authority):
    as_role(client, authority, "head_of_office")
    data = {"country": "afg", "as_of": "2026-02-01", "sources": "Weisung", "passports": "Tazkira"}
    assert client.post(f"{BASE}countries/new/", data).status_code == 302
    note = CountryNote.objects.get()
    assert note.country == "AFG" and note.updated_by.username == "u-head_of_office"
    again = client.post(f"{BASE}countries/new/", data)
    assert again.status_code == 400 and "already a note" in again.content.decode()
    assert client.post(f"{BASE}countries/new/", {**data, "country": "Syria"}).status_code == 400
    assert CountryNote.objects.count() == 1


def test_country_note_on_the_person_page_for_that_nationality_only(client, authority, team):
    from willkommen.clients.models import Person

    make_note(authority, "SYR", deportation_bans="Zurzeit keine Abschiebungen")
    make_note(authority, "UKR", deportation_bans="Schutz nach § 24")
    syrian = Person.objects.create(
        authority=authority,
        family_name="Haddad",
        given_names="Nour",
        date_of_birth=dt.date(1990, 1, 1),
        nationalities=["SYR"],
    )
    other = Person.objects.create(
        authority=authority,
        family_name="Kaya",
        given_names="Ali",
        date_of_birth=dt.date(1990, 1, 1),
        nationalities=["TUR"],
    )
    verified_login(client, make_staff(authority, "chef", role="head_of_office"))  # sees every person
    body = client.get(f"/desk/clients/{syrian.pk}/").content.decode()
    assert 'data-testid="country-note-SYR"' in body and "Zurzeit keine Abschiebungen" in body
    assert "country-note-UKR" not in body
    body = client.get(f"/desk/clients/{other.pk}/").content.decode()
    assert 'data-testid="country-notes"' not in body


def test_country_notes_are_not_shown_to_roles_without_knowledge(client, authority):
    from willkommen.clients.models import Person

    make_note(authority, "SYR")
    person = Person.objects.create(
        authority=authority,
        family_name="Haddad",
        given_names="Nour",
        date_of_birth=dt.date(1990, 1, 1),
        nationalities=["SYR"],
    )
    verified_login(client, make_staff(authority, "sp", role="servicepoint"))
    response = client.get(f"/desk/clients/{person.pk}/")
    assert response.status_code == 200
    assert 'data-testid="country-notes"' not in response.content.decode()


def test_submitting_the_create_page_twice_creates_once(client, authority):
    as_role(client, authority, "administrator")
    page = client.get(f"{BASE}news/new/")
    key = page.context["form"]["submission"].value()
    key = key() if callable(key) else key
    data = {"kind": "notice", "visible_from": "2026-05-02", "title_de": "Einmal", "submission": str(key)}
    assert client.post(f"{BASE}news/new/", data).status_code == 302
    assert client.post(f"{BASE}news/new/", data).status_code == 302
    assert NewsItem.objects.count() == 1
    form_data = {**texts("Einmal"), "position": 0, "submission": str(key)}
    assert client.post(f"{BASE}forms/new/", {**form_data, "file": pdf_upload()}).status_code == 302
    assert client.post(f"{BASE}forms/new/", {**form_data, "file": pdf_upload()}).status_code == 302
    assert PublicForm.objects.count() == 1


def test_admin_is_scoped_to_the_authority_and_adds_no_unchecked_files(client, authority, other_authority):
    own, foreign = make_note(authority, "SYR"), make_note(other_authority, "AFG")
    verified_login(client, make_staff(authority, "adm", role="administrator", is_staff=True))
    listing = client.get("/admin/knowledge/countrynote/")
    assert listing.status_code == 200
    body = listing.content.decode()
    assert f"/admin/knowledge/countrynote/{own.pk}/change/" in body
    assert f"/admin/knowledge/countrynote/{foreign.pk}/change/" not in body
    assert client.get("/admin/knowledge/newsitem/").status_code == 200
    assert client.get("/admin/knowledge/publicform/").status_code == 200
    assert client.get("/admin/knowledge/publicform/add/").status_code == 403


def test_admin_refused_to_caseworkers(client, authority):
    verified_login(client, make_staff(authority, "cw", role="caseworker", is_staff=True))
    assert client.get("/admin/knowledge/countrynote/").status_code == 403
