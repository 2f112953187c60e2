"""PDFs many people download alike are rendered once and kept in the storage with their checksum."""

import pytest
from django.core.files.storage import default_storage

from willkommen.letters import pdf


@pytest.fixture(autouse=True)
def _storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    from django.core.cache import cache

    cache.clear()
    return tmp_path


@pytest.fixture
def renders(monkeypatch):
    calls = []
    real = pdf.html_to_pdf

    def counting(html):
        calls.append(html)
        return real(html)

    monkeypatch.setattr(pdf, "html_to_pdf", counting)
    return calls


def _checklist(client, query="married=yes", language="de"):
    client.cookies["willkommen_language"] = language
    response = client.get(f"/checklist/study/checklist.pdf?{query}")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    return response.content


@pytest.fixture
def study(authority):
    from willkommen.catalogue.testing import make_anliegen

    return make_anliegen(authority)


def test_the_same_checklist_is_rendered_once_and_a_change_renders_anew(client, study, renders, _storage):
    first = _checklist(client)
    assert _checklist(client) == first and len(renders) == 1
    _checklist(client, language="ar")
    _checklist(client, query="married=no")
    assert len(renders) == 3  # another language, other answers: other documents
    stored = sorted(_storage.rglob("*.pdf"))
    assert len(stored) == 3 and {p.relative_to(_storage).parts[:2] for p in stored} == {("rendered", "checklists")}

    study.texts.filter(language="de").update(title="Aufenthalt zum Studium (neu)")
    _checklist(client)
    assert len(renders) == 4  # the title shown changed: rendered again


def test_a_stored_file_that_lost_its_checksum_is_rendered_and_stored_again(client, study, renders, _storage):
    first = _checklist(client)
    [stored] = list(_storage.rglob("*.pdf"))
    stored.write_bytes(b"%PDF-1.7 tampered")
    assert _checklist(client) == first and len(renders) == 2
    names = [p.name for p in _storage.rglob("*.pdf")]
    assert len(names) == 2 and default_storage.exists(str(stored.relative_to(_storage)))
