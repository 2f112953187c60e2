import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from willkommen.knowledge import services
from willkommen.knowledge.demo import tiny_pdf


def pdf_upload(name="form.pdf", title="Form"):
    return SimpleUploadedFile(name, tiny_pdf(title), content_type="application/pdf")


def make_form(authority, texts=None, **extra):
    texts = texts or {"de": {"title": "Antrag", "description": "Für alles."}}
    return services.save_form(authority, None, uploaded_file=pdf_upload(), texts=texts, **extra)


def make_news(authority, texts, start=0, end=None, kind="notice"):
    today = timezone.localdate()
    return services.save_news(
        authority,
        None,
        kind=kind,
        visible_from=today + dt.timedelta(days=start),
        visible_until=today + dt.timedelta(days=end) if end is not None else None,
        texts=texts,
    )


def make_note(authority, country="SYR", **extra):
    from willkommen.knowledge.models import CountryNote

    values = {"passports": "Botschaft Berlin", "sources": "Lagebericht", "as_of": dt.date(2026, 1, 15), **extra}
    return services.save_country_note(authority, None, CountryNote(country=country, **values))


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
