"""Applications and drafts in the Art. 15 copy and in erasure; a draft in progress keeps its person; the
draft retention job (time advanced) is recorded."""

import datetime as dt

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from willkommen.applications import privacy, services
from willkommen.applications.models import Application
from willkommen.audit import retention
from willkommen.clients.privacy import kept
from willkommen.clients.testing import make_client, section

from .conftest import PERSONAL


def person_like_the_draft(authority, **extra):
    return make_client(
        authority,
        family_name=PERSONAL["family_name"],
        given_names=PERSONAL["given_names"],
        email=extra.pop("email", "Amira@Example.org"),
        date_of_birth=dt.date(1995, 4, 2),
        **extra,
    )


def second_draft(draft, **personal):
    other = services.start_draft(draft.authority, draft.anliegen, "en")
    data = dict(PERSONAL, date_of_birth=dt.date(1995, 4, 2), nationalities=["SYR"], **personal)
    services.save_personal(other, data)
    return other


@pytest.mark.django_db
def test_copy_holds_the_persons_drafts_not_a_family_members(authority, draft):
    person = person_like_the_draft(authority)
    sister = second_draft(draft, given_names="Lina", family_name="Haddad-Said")  # same e-mail address
    part, members = section(authority, person, "applications")
    assert [row["id"] for row in part["tables"]["applications"]] == [draft.pk]
    assert "sealed_code" not in part["tables"]["applications"][0]
    assert part["tables"]["applications"][0]["personal"]["family_name"] == "Haddad"
    [upload] = part["tables"]["uploads"]
    assert upload["original_name"] == "pass.pdf"
    assert members[part["files"][0]["file"]].startswith(b"%PDF")
    assert sister.pk not in [row["id"] for row in part["tables"]["applications"]]


@pytest.mark.django_db
def test_submitted_application_is_linked_and_its_uploads_are_in_the_efile(authority, draft):
    result = services.submit(draft, idempotency_key="k")
    part, _members = section(authority, result.case.person, "applications")
    assert [row["id"] for row in part["tables"]["applications"]] == [draft.pk]
    assert part["files"] == []  # the upload is a document of the e-file now (exported there)


@pytest.mark.django_db
def test_a_draft_in_progress_keeps_its_person_until_abandoned(authority, draft, settings):
    settings.APPLICATION_DRAFT_RETENTION_DAYS = 30
    person = person_like_the_draft(authority)
    assert kept(authority, [person.pk], timezone.now() + dt.timedelta(days=10)) == {person.pk}
    assert privacy.keeps(authority, [person.pk], timezone.now() + dt.timedelta(days=31)) == set()


@pytest.mark.django_db
def test_erase_deletes_drafts_and_their_files(authority, draft, django_capture_on_commit_callbacks):
    person = person_like_the_draft(authority)
    name = draft.uploads.get().storage_name
    with django_capture_on_commit_callbacks(execute=True):
        counts = privacy.erase(authority, [person.pk])
    assert counts["applications.Application"] == 1 and counts["applications.ApplicationUpload"] == 1
    assert not Application.objects.exists() and not default_storage.exists(name)


@pytest.mark.django_db
def test_draft_retention_job_is_recorded(authority, draft, settings, django_capture_on_commit_callbacks):
    settings.APPLICATION_DRAFT_RETENTION_DAYS = 30
    name = draft.uploads.get().storage_name
    [early] = retention.run_job("applications", now=timezone.now() + dt.timedelta(days=29), authorities=[authority])
    assert early.deleted == {} and Application.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        [run] = retention.run_job("applications", now=timezone.now() + dt.timedelta(days=31), authorities=[authority])
    assert run.deleted == {"applications.application": 1, "applications.applicationupload": 1}
    assert not Application.objects.exists() and not default_storage.exists(name)
