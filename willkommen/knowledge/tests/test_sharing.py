"""Sharing across authorities: only what is published can be seen and adopted by the others; the copy
belongs to the adopter, remembers its source and shows when the original changed since."""

import pytest

from willkommen.core.testing import make_staff, verified_login
from willkommen.knowledge import sharing, versions
from willkommen.knowledge.models import CountryNote, TextBlock, WorkInstruction

from .conftest import make_note
from .test_instructions_blocks import BASIS, make_block, make_instruction

pytestmark = pytest.mark.django_db


def head(client, authority, prefix=""):
    client.cookies["willkommen_language"] = "en"
    verified_login(client, make_staff(authority, f"head-{authority.pk}", role="head_of_office"))
    return prefix


def test_an_adopted_instruction_shows_when_its_source_changed(client, authority, other_authority):
    source = make_instruction(other_authority, title="Studium (Beta)", published=True)
    prefix = head(client, authority)
    page = client.get(prefix + "/desk/knowledge/shared/").content.decode()
    assert "Studium (Beta)" in page and "Landkreis Beta" in page
    response = client.post(f"/desk/knowledge/shared/instruction/{source.pk}/adopt/")
    copy = WorkInstruction.objects.get(authority=authority)
    assert response.status_code == 302 and response["Location"].endswith(f"/instructions/{copy.pk}/")
    assert (copy.source_id, copy.source_version) == (source.pk, 1)
    # adopting twice (a double click) keeps one copy
    client.post(f"/desk/knowledge/shared/instruction/{source.pk}/adopt/")
    assert WorkInstruction.objects.filter(authority=authority).count() == 1
    page = client.get(f"/desk/knowledge/instructions/{copy.pk}/").content.decode()
    assert "Adopted from Landkreis Beta" in page and 'data-testid="source-changed"' not in page
    # the owner changes the original: the copy says so, and can take the new text over
    versions.save_instruction(
        other_authority, None, instruction=source, title=source.title, legal_basis=BASIS, checks="Neu", published=True
    )
    assert sharing.source_change(copy) == {"authority": other_authority, "adopted": 1, "current": 2}
    page = client.get(f"/desk/knowledge/instructions/{copy.pk}/").content.decode()
    assert 'data-testid="source-changed"' in page and "version 1 then, version 2 now" in page
    client.post(f"/desk/knowledge/instruction/{copy.pk}/take-over/")
    copy.refresh_from_db()
    assert copy.version == 2 and copy.source_version == 2 and sharing.source_change(copy) is None
    assert copy.versions.get(number=2).checks == "Neu"


def test_unpublished_and_own_entries_cannot_be_adopted(client, authority, other_authority):
    hidden = make_instruction(other_authority, title="Intern")
    own = make_block(authority, published=True)
    head(client, authority)
    assert "Intern" not in client.get("/desk/knowledge/shared/").content.decode()
    assert client.post(f"/desk/knowledge/shared/instruction/{hidden.pk}/adopt/").status_code == 404
    assert client.post(f"/desk/knowledge/shared/block/{own.pk}/adopt/").status_code == 404
    assert client.post(f"/desk/knowledge/shared/nonsense/{own.pk}/adopt/").status_code == 404
    assert not WorkInstruction.objects.filter(authority=authority).exists()


def test_a_block_and_a_country_note_are_adopted(client, authority, other_authority):
    block = make_block(other_authority, published=True)
    note = make_note(other_authority, "AFG", passports="Tazkira")
    head(client, authority)
    assert "AFG" not in client.get("/desk/knowledge/shared/").content.decode()  # not published yet
    sharing.set_note_published(other_authority, None, note, True)
    assert client.post(f"/desk/knowledge/shared/block/{block.pk}/adopt/").status_code == 302
    assert client.post(f"/desk/knowledge/shared/note/{note.pk}/adopt/").status_code == 302
    copy = CountryNote.objects.get(authority=authority)
    assert copy.passports == "Tazkira" and TextBlock.objects.get(authority=authority).source_id == block.pk
    assert sharing.source_change(copy) is None
    note.passports = "Tazkira, neu"
    note.save()
    page = client.get(f"/desk/knowledge/countries/{copy.pk}/").content.decode()
    assert 'data-testid="source-changed"' in page


def test_a_note_for_a_country_the_authority_has_is_refused(client, authority, other_authority):
    make_note(authority, "SYR")
    theirs = make_note(other_authority, "SYR")
    sharing.set_note_published(other_authority, None, theirs, True)
    head(client, authority)
    response = client.post(f"/desk/knowledge/shared/note/{theirs.pk}/adopt/")
    assert response.status_code == 400 and "already a note for this country" in response.content.decode()
    assert CountryNote.objects.filter(authority=authority).count() == 1


@pytest.mark.parametrize("role,status", [("caseworker", 403), ("team_lead", 403), ("servicepoint", 403)])
def test_only_editors_adopt_and_publish(client, authority, other_authority, role, status):
    source = make_instruction(other_authority, published=True)
    note = make_note(authority)
    client.cookies["willkommen_language"] = "en"
    verified_login(client, make_staff(authority, f"u-{role}", role=role))
    assert client.post(f"/desk/knowledge/shared/instruction/{source.pk}/adopt/").status_code == status
    assert client.post(f"/desk/knowledge/countries/{note.pk}/publish/", {"published": "1"}).status_code == status
    assert not WorkInstruction.objects.filter(authority=authority).exists()
