"""The letters room's share of a person's data: its letters (with the PDFs) and certificates of
continued residence, for the Art. 15 copy and for erasing a person. Registered by the clients room
(the letters room knows no domain room); a letter goes with its person (no period of its own)."""

from django.core.files.storage import default_storage
from django.db import transaction

from .models import Fiktionsbescheinigung, Letter


def export(authority, person):
    """(querysets by table, [(name, storage_name, internal, sha256)]) of the person's letters and certificates;
    letters not meant for the client are a table of their own ("internal_letters")."""
    letters = Letter.objects.filter(authority=authority, person=person).order_by("created_at", "id")
    certificates = Fiktionsbescheinigung.objects.filter(authority=authority, person=person).order_by("issued_on", "id")
    files = [
        (
            f"{letter.pk}-{letter.file.name.rsplit('/', 1)[-1]}",
            letter.file.name,
            not letter.visible_to_client,
            letter.sha256,
        )
        for letter in letters
        if letter.file
    ]
    tables = {
        "letters": letters.filter(visible_to_client=True),
        "internal_letters": letters.filter(visible_to_client=False),
        "certificates": certificates,
    }
    return tables, files


def erase(authority, person_ids):
    letters = Letter.objects.filter(authority=authority, person_id__in=person_ids)
    names = [name for name in letters.values_list("file", flat=True) if name]
    counts = {}
    _n, per_model = Fiktionsbescheinigung.objects.filter(authority=authority, person_id__in=person_ids).delete()
    counts.update(per_model)
    _n, per_model = letters.delete()
    counts.update(per_model)
    transaction.on_commit(lambda: [default_storage.delete(name) for name in names])
    return counts
