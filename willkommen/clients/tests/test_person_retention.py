"""Persons without open matters are deleted with every room's rows; with time advanced: what is past its
period goes, what is not stays, and open matters protect a person."""

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from willkommen.audit import retention
from willkommen.audit.models import AuditEntry, RetentionRun
from willkommen.clients.models import Person, PersonAlias, ResidenceEntry
from willkommen.clients.testing import make_client

DAY = dt.timedelta(days=1)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    settings.CLAMD_SOCKET = ""
    return tmp_path


def years_later(years, days=0):
    return timezone.now() + dt.timedelta(days=365 * years + days)


def run_persons(authority, now):
    [run] = retention.run_job("clients", now=now, authorities=[authority])
    return run


@pytest.mark.django_db
def test_a_contact_only_person_goes_after_the_period_and_not_before(authority, settings):
    settings.PERSON_RETENTION_DAYS = 730
    person = make_client(authority)
    PersonAlias.objects.create(authority=authority, person=person, family_name="Al-Haddad")
    assert run_persons(authority, timezone.now() + 729 * DAY).deleted == {}
    assert Person.objects.filter(pk=person.pk).exists()
    run = run_persons(authority, timezone.now() + 731 * DAY)
    assert not Person.objects.filter(pk=person.pk).exists()
    assert run.deleted == {"clients.person": 1, "clients.personalias": 1}
    assert run.status == "done" and run.finished_at is not None
    assert AuditEntry.objects.filter(action="delete", person_id=person.pk, purpose__contains="erased").exists()


@pytest.mark.django_db
def test_rerun_is_safe_and_recorded(authority):
    make_client(authority)
    later = years_later(3)
    first = run_persons(authority, later)
    again = run_persons(authority, later)
    assert first.deleted == {"clients.person": 1} and again.deleted == {}
    assert RetentionRun.objects.filter(authority=authority, room="clients").count() == 2


@pytest.mark.django_db
def test_a_person_with_a_case_is_kept_while_the_file_is_kept(authority, team):
    from willkommen.cases.models import Case
    from willkommen.cases.services import open_case
    from willkommen.catalogue.testing import make_anliegen

    person = make_client(authority)
    case, _code = open_case(authority, person=person, anliegen=make_anliegen(authority), team=team)
    assert run_persons(authority, years_later(30)).deleted == {}  # an open case
    Case.objects.filter(pk=case.pk).update(status="closed")
    assert run_persons(authority, years_later(30)).deleted == {}  # closed, but the file is not archived
    assert Person.objects.filter(pk=person.pk).exists()


@pytest.mark.django_db
def test_open_matters_protect_a_person(authority, settings):
    """Each kind of open matter keeps a person whose record is long untouched; without it the person goes."""
    from willkommen.accommodation.models import Accommodation, Placement
    from willkommen.messaging.models import Message

    settings.PERSON_RETENTION_DAYS = 30
    now = years_later(1)
    placed = make_client(authority, family_name="Placed", email="p@example.org")
    house = Accommodation.objects.create(authority=authority, name="GU Nord", capacity=5)
    Placement.objects.create(authority=authority, person=placed, accommodation=house, moved_in=dt.date(2024, 1, 1))
    waiting = make_client(authority, family_name="Waiting", email="w@example.org")
    Message.objects.create(
        authority=authority, person=waiting, direction="out", channel="email", status="retrying", subject="x"
    )
    free = make_client(authority, family_name="Free", email="f@example.org")
    run = run_persons(authority, now)
    assert set(Person.objects.values_list("family_name", flat=True)) == {"Placed", "Waiting"}
    assert run.deleted == {"clients.person": 1}
    assert not Person.objects.filter(pk=free.pk).exists()


@pytest.mark.django_db
def test_an_archived_file_frees_the_person_after_its_period_with_every_room(
    authority, team, django_capture_on_commit_callbacks
):
    """A whole life: case, documents, letter, messages, placement, residence history; the person moves away;
    10 years later the e-file deletes the documents and the person goes with every room's rows."""
    from willkommen.accommodation.models import Accommodation, Placement
    from willkommen.cases.models import Case, TimelineEntry
    from willkommen.cases.services import open_case
    from willkommen.catalogue.testing import make_anliegen
    from willkommen.efile import services as efile
    from willkommen.efile.models import Document, PersonFile, RetentionRecord
    from willkommen.efile.tests.conftest import pdf_bytes, upload
    from willkommen.letters.models import Letter
    from willkommen.messaging.models import Message

    person = make_client(authority)
    case, _code = open_case(authority, person=person, anliegen=make_anliegen(authority), team=team)
    Case.objects.filter(pk=case.pk).update(status="closed")
    document = efile.add_document(
        authority, person, upload("pass.pdf", pdf_bytes()), document_type="passport", source="upload"
    )
    letter = Letter(authority=authority, person=person, case=case, kind="decision", languages="de", title="Bescheid")
    letter.file.save("decision.pdf", ContentFile(b"%PDF-1.4 letter"), save=False)
    letter.save()
    Message.objects.create(
        authority=authority, person=person, case=case, direction="out", channel="email", status="sent"
    )
    house = Accommodation.objects.create(authority=authority, name="GU Nord", capacity=5)
    Placement.objects.create(
        authority=authority,
        person=person,
        accommodation=house,
        moved_in=dt.date(2020, 1, 1),
        moved_out=dt.date(2021, 1, 1),
    )
    ResidenceEntry.objects.create(authority=authority, person=person, kind="title", valid_from=dt.date(2020, 1, 1))
    moved = timezone.localdate()
    efile.archive_file(authority, person, reason="moved_away", event_date=moved, receiving_authority="Stadt Beta")
    stored = [document.file.name, letter.file.name]
    assert all(default_storage.exists(name) for name in stored)

    nine_years = years_later(9)
    retention.run_all(now=nine_years, authorities=[authority])
    assert Person.objects.filter(pk=person.pk).exists() and Document.objects.filter(pk=document.pk).exists()

    with django_capture_on_commit_callbacks(execute=True):  # the stored files go after commit
        runs = retention.run_all(now=years_later(11), authorities=[authority])
    by_room = {run.room: run for run in runs}
    assert by_room["efile"].deleted == {"efile.document": 1}
    erased = by_room["clients"].deleted
    assert erased["clients.person"] == 1 and erased["cases.case"] == 1 and erased["letters.letter"] == 1
    assert erased["messaging.message"] == 1 and erased["accommodation.placement"] == 1
    assert erased["clients.residenceentry"] == 1 and erased["efile.personfile"] == 1
    assert erased["cases.timelineentry"] >= 1
    assert not Person.objects.filter(pk=person.pk).exists()
    for model in (Case, TimelineEntry, Document, PersonFile, Letter, Message, Placement, ResidenceEntry):
        assert not model.objects.filter(authority=authority).exists(), model
    assert not any(default_storage.exists(name) for name in stored)
    # The proof of deletion stays: ids and checksums, no content.
    assert RetentionRecord.objects.get(person_id_deleted=person.pk).documents_deleted == 1
