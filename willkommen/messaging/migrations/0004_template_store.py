"""The template store: keys come from the catalogue (``template_texts``), "German below" from the
catalogue too, and the untouched copies of the old shipped texts go (the shipped texts are read from
``default_texts/`` directly; only versions an administrator saved are rows)."""

from django.db import migrations, models


def drop_seeded_copies(apps, schema_editor):
    # Rows written by the old ``seed_templates`` carry no author; every saved change names one.
    apps.get_model("messaging", "MessageTemplate").objects.filter(changed_by="").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("messaging", "0003_attachment_key"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="messagetemplate",
            name="german_below",
        ),
        migrations.AlterField(
            model_name="messagetemplate",
            name="key",
            field=models.CharField(max_length=40, verbose_name="template"),
        ),
        migrations.RunPython(drop_seeded_copies, migrations.RunPython.noop),
    ]
