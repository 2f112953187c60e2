"""Beds as rows for the accommodations that existed before: each gets one room ("1") with as many normal
beds as its capacity (or its residents, should there be more), and every open placement is put on one of
them. Closed placements keep no bed (their history is the accommodation and the unit)."""

from django.db import migrations


def beds_from_capacity(apps, schema_editor):
    Accommodation = apps.get_model("accommodation", "Accommodation")
    Room = apps.get_model("accommodation", "Room")
    Bed = apps.get_model("accommodation", "Bed")
    Placement = apps.get_model("accommodation", "Placement")
    for accommodation in Accommodation.objects.all().iterator():
        if Bed.objects.filter(accommodation=accommodation).exists():
            continue
        residents = list(
            Placement.objects.filter(accommodation=accommodation, moved_out__isnull=True, bed__isnull=True).order_by(
                "moved_in", "id"
            )
        )
        count = max(accommodation.capacity, len(residents), 1)
        room = Room.objects.create(authority_id=accommodation.authority_id, accommodation=accommodation, name="1")
        beds = Bed.objects.bulk_create(
            Bed(authority_id=accommodation.authority_id, accommodation=accommodation, room=room, label=str(n))
            for n in range(1, count + 1)
        )
        for placement, bed in zip(residents, beds, strict=False):
            placement.bed = bed
            placement.save(update_fields=["bed"])
        if count != accommodation.capacity:
            accommodation.capacity = count
            accommodation.save(update_fields=["capacity"])


class Migration(migrations.Migration):
    dependencies = [("accommodation", "0002_rooms_beds_episodes")]

    operations = [migrations.RunPython(beds_from_capacity, migrations.RunPython.noop)]
