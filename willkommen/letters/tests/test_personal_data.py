"""Letters in the Art. 15 copy (with their PDFs; letters not meant for the client only in the office's copy)
and erased with the person."""

import hashlib

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from willkommen.clients.testing import make_client, section
from willkommen.letters import privacy
from willkommen.letters.models import Letter


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }


def make_letter(authority, person, title, content, visible=True):
    letter = Letter(
        authority=authority,
        person=person,
        kind="status_message",
        languages="de",
        title=title,
        visible_to_client=visible,
    )
    letter.file.save(f"{title}.pdf", ContentFile(content), save=False)
    letter.sha256 = hashlib.sha256(content).hexdigest()
    letter.save()
    return letter


@pytest.mark.django_db
def test_copy_holds_letters_with_their_pdfs(authority):
    person = make_client(authority)
    sent = make_letter(authority, person, "Sachstand", b"%PDF-1.4 sent")
    make_letter(authority, person, "Vermerk", b"%PDF-1.4 internal", visible=False)
    office, members = section(authority, person, "letters")
    assert [row["title"] for row in office["tables"]["letters"]] == ["Sachstand"]
    assert [row["title"] for row in office["tables"]["internal_letters"]] == ["Vermerk"]
    files = {entry["sha256"] for entry in office["files"]}
    assert sent.sha256 in files and len(files) == 2
    client_copy, members = section(authority, person, "letters", for_client=True)
    assert "internal_letters" not in client_copy["tables"]
    assert [entry["sha256"] for entry in client_copy["files"]] == [sent.sha256]
    assert members[client_copy["files"][0]["file"]] == b"%PDF-1.4 sent"


@pytest.mark.django_db
def test_erase_deletes_letters_and_files(authority, django_capture_on_commit_callbacks):
    person = make_client(authority)
    letter = make_letter(authority, person, "Sachstand", b"%PDF-1.4 sent")
    with django_capture_on_commit_callbacks(execute=True):
        counts = privacy.erase(authority, [person.pk])
    assert counts == {"letters.Letter": 1}
    assert not default_storage.exists(letter.file.name)
