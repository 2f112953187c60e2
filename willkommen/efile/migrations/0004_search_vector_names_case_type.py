"""The search vector holds what a document is about: its person's names, its case number and its type's
labels (efile/search_vector.py). Fills it for the documents stored before (PostgreSQL only; one UPDATE,
a few minutes at a million documents)."""

from django.db import migrations


def refresh_all(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from willkommen.efile.search_vector import refresh

    refresh("TRUE")


class Migration(migrations.Migration):
    dependencies = [
        ("efile", "0003_transfer_source"),
        ("clients", "0001_initial"),
        ("cases", "0001_initial"),
    ]

    operations = [migrations.RunPython(refresh_all, migrations.RunPython.noop)]
