import pytest

from willkommen.cases.tests.conftest import (  # noqa: F401, F811 (fixtures)
    anliegen,
    make_anliegen,
    make_person,
    open_a_case,
    outbox,
    person,
    team_lead,
)
from willkommen.core.testing import make_staff, make_team


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    settings.CLAMD_SOCKET = ""
    return tmp_path


@pytest.fixture(autouse=True)
def _german():
    from django.utils import translation

    with translation.override("de"):
        yield


@pytest.fixture
def case(open_a_case, caseworker):  # noqa: F811
    case = open_a_case()
    case.assignee = caseworker
    case.save(update_fields=["assignee"])
    return case


@pytest.fixture
def beta_worker(other_authority):
    return make_staff(other_authority, "bert", role="caseworker", teams=[make_team(other_authority, "Team Beta")])


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run what waits for the commit (the connector's job) at the end of the block."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def pdf_upload(name="antwort.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from willkommen.efile.tests.conftest import pdf_bytes

    return SimpleUploadedFile(name, pdf_bytes("Zustimmung erteilt"), content_type="application/pdf")


def exe_upload(name="formular.pdf"):
    """A file that claims to be a PDF but is not: the safe upload refuses it."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, b"MZ\x90\x00 not a pdf", content_type="application/pdf")
