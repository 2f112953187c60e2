import io

import pytest


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    settings.CLAMD_SOCKET = ""
    settings.EFILE_OCR = False
    return tmp_path


@pytest.fixture(autouse=True)
def _english(client):
    client.cookies["willkommen_language"] = "en"


@pytest.fixture
def anliegen(authority):
    from willkommen.catalogue.testing import make_anliegen

    return make_anliegen(authority)


@pytest.fixture
def routed_team(authority, team, anliegen):
    from willkommen.tenancy.models import RoutingRule

    team.phone_hours = "Mo–Do 9–12"
    team.save()
    RoutingRule.objects.create(authority=authority, team=team, anliegen=anliegen, priority=1)
    return team


PERSONAL = {
    "family_name": "Haddad",
    "given_names": "Amira",
    "family_name_native": "حداد",
    "given_names_native": "أميرة",
    "date_of_birth": "1995-04-02",
    "nationalities": "SYR",
    "street": "Hauptstraße 5",
    "postal_code": "80331",
    "city": "Alpha",
    "email": "amira@example.org",
    "phone": "",
    "preferred_language": "en",
    "preferred_channel": "email",
    "permit_valid_until": "2099-01-31",
}


def pdf_bytes(text="Reisepass"):
    from willkommen.efile.tests.conftest import pdf_bytes as make

    return make(text)


def file(name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


@pytest.fixture
def draft(authority, anliegen, routed_team):
    """A draft with personal data, answers (married: yes → marriage certificate) and a passport."""
    import datetime as dt

    from willkommen.applications import services

    application = services.start_draft(authority, anliegen, "en")
    data = dict(
        PERSONAL, date_of_birth=dt.date(1995, 4, 2), nationalities=["SYR"], permit_valid_until=dt.date(2099, 1, 31)
    )
    services.save_personal(application, data)
    services.save_answers(application, {"married": True, "blocked_account": True})
    services.add_upload(application, "passport", file("pass.pdf", pdf_bytes("Reisepass C01X00T47")))
    services.acknowledge_information(application)
    return application


def web_apply(client, anliegen, *, upload=True):
    """Walk the portal flow up to the review page; returns (application, review response)."""
    from willkommen.applications.models import Application

    client.cookies["willkommen_language"] = "en"
    response = client.post(f"/a/alpha/apply/start/{anliegen.slug}/")
    assert response.status_code == 302
    application = Application.objects.latest("id")
    base = f"/a/alpha/apply/{application.public_id}"
    response = client.post(f"{base}/personal/", PERSONAL)
    assert response.status_code == 302, response.content.decode()[:2000]
    response = client.post(f"{base}/questions/", {"q-married": "yes", "q-blocked_account": "yes", "q-minor": "no"})
    assert response.status_code == 302
    if upload:
        response = client.post(
            f"{base}/documents/",
            {"file-passport": file("pass.pdf", pdf_bytes()), "file-photo": file("photo.png", png()), "next": "1"},
        )
        assert response.status_code == 302, response.content.decode()[:3000]
    response = client.get(f"{base}/review/")
    assert response.status_code == 200
    return application, response


def png():
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (30, 40), (0, 0, 200)).save(out, format="PNG")
    return out.getvalue()
