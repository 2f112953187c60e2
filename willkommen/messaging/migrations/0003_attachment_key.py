"""Attachments get an opaque key for their URLs; existing rows get a fresh one each."""

import uuid

from django.db import migrations, models


def fill_keys(apps, schema_editor):
    Attachment = apps.get_model("messaging", "Attachment")
    for pk in Attachment.objects.values_list("pk", flat=True).iterator():
        Attachment.objects.filter(pk=pk).update(key=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [("messaging", "0002_groupnotice_accommodation")]

    operations = [
        migrations.AddField(
            model_name="attachment", name="key", field=models.UUIDField(null=True, editable=False)
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="attachment",
            name="key",
            field=models.UUIDField(default=uuid.uuid4, unique=True, editable=False),
        ),
    ]
