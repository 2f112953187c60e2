import pytest


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Rendered checklists are kept in the storage: a temporary one per test."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    return tmp_path
