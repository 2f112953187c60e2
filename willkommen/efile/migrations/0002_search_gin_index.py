"""GIN index over the documents' search vector, on PostgreSQL only (SQLite searches with LIKE)."""

from django.db import migrations


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS efile_document_search_gin ON efile_document USING GIN (search_vector)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS efile_document_search_gin")


class Migration(migrations.Migration):
    dependencies = [("efile", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index)]
