import datetime as dt

import pytest
from django.core.files.storage import default_storage


@pytest.fixture(autouse=True)
def _media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
    default_storage._wrapped = None  # re-read the storage settings
    if hasattr(default_storage, "_setup"):
        default_storage._setup()
    yield


def make_person(authority, **extra):
    from willkommen.clients.models import Person

    values = {
        "family_name": "Kovalenko",
        "given_names": "Olena",
        "date_of_birth": dt.date(1990, 4, 1),
        "email": "olena@example.org",
        "preferred_language": "uk",
        "preferred_channel": "email",
        **extra,
    }
    return Person.objects.create(authority=authority, **values)


def make_case(authority, person, team=None):
    from willkommen.cases.services import open_case
    from willkommen.catalogue.models import Anliegen

    anliegen, _ = Anliegen.objects.get_or_create(
        authority=authority,
        slug="aufenthalt",
        defaults={"legal_basis": "§ 7 AufenthG", "fee_eur": 100, "complexity": "simple"},
    )
    case, _ = open_case(authority, person=person, anliegen=anliegen, team=team)
    return case


@pytest.fixture
def person(authority):
    return make_person(authority)


@pytest.fixture
def gateway(settings):
    from willkommen.messaging.gateway_doubles import serving

    with serving(settings) as double:
        yield double


def png_bytes():
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()
