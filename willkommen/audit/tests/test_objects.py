"""The audit log names its objects through the rooms' describers, in bulk, with a readable fallback."""

from types import SimpleNamespace

import pytest

from willkommen.audit import objects


@pytest.fixture
def describer(monkeypatch):
    monkeypatch.setattr(objects, "_describers", dict(objects._describers))
    calls = []

    def describe(authority, ids):
        calls.append(list(ids))
        return {i: f"Thing {i}" for i in ids if i != "404"}

    objects.register("tests.thing", describe)
    return calls


def entry(object_type="", object_id="", person_id=None):
    return SimpleNamespace(object_type=object_type, object_id=object_id, person_id=person_id)


def test_one_call_per_type_for_a_whole_page(describer, authority):
    entries = [entry("tests.thing", str(i)) for i in range(30)] + [entry("tests.thing", "3")]
    objects.describe_entries(authority, entries)
    assert len(describer) == 1 and sorted(describer[0], key=int) == [str(i) for i in range(30)]
    assert entries[5].object_label == "Thing 5" and entries[-1].object_label == "Thing 3"


def test_fallback_is_the_model_name_in_the_readers_language(describer, authority):
    from django.utils import translation

    with translation.override("de"):
        entries = objects.describe_entries(
            authority, [entry("tests.thing", "404"), entry("audit.auditentry", "9"), entry("nix.nada", "1"), entry()]
        )
    assert [e.object_label for e in entries] == ["tests.thing 404", "Protokolleintrag 9", "nix.nada 1", ""]


def test_the_rooms_register_their_objects():
    assert {"clients.person", "cases.case", "cases.decision", "efile.document", "appointments.booking"} <= (
        objects.registered()
    )
    assert {"rights.fact", "rights.rightsinvitation"} <= objects.registered()
