import importlib

import pytest

_seed = importlib.import_module("willkommen.rights.migrations.0002_seed_rules")


@pytest.fixture(autouse=True)
def _seeded_rules(request):
    """The rules the data migration seeds. A transactional test (anywhere in the suite) flushes every table,
    the migration's rows too; put them back for the tests of this room that use the database."""
    if request.node.get_closest_marker("django_db"):
        from django.apps import apps

        request.getfixturevalue("db")
        _seed.seed(apps, None)
    yield
