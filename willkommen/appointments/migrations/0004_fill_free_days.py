"""Fill the new columns for existing data: the e-mail key of every booking, and the free-places summary of
every day from today on (afterwards the booking transactions and slot generation keep it up to date)."""

import datetime as dt
import unicodedata
import zoneinfo

from django.conf import settings
from django.db import migrations


def _normal(text):
    return " ".join(unicodedata.normalize("NFKC", str(text or "")).casefold().split())


def fill(apps, schema_editor):
    Booking = apps.get_model("appointments", "Booking")
    Slot = apps.get_model("appointments", "Slot")
    FreeDay = apps.get_model("appointments", "FreeDay")
    for pk, email in Booking.objects.filter(email_key="").values_list("pk", "email").iterator():
        Booking.objects.filter(pk=pk).update(email_key=_normal(email))
    tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    today = dt.datetime.now(tz).date()
    start = dt.datetime.combine(today, dt.time.min, tzinfo=tz)
    days = {}
    rows = (
        Slot.objects.filter(starts_at__gte=start, withdrawn=False)
        .order_by("authority_id", "anliegen_id", "location_id", "starts_at", "id")
        .values_list("authority_id", "anliegen_id", "location_id", "id", "starts_at", "public_places", "public_taken")
    )
    for authority_id, anliegen_id, location_id, slot_id, starts_at, places, taken in rows.iterator():
        local = starts_at.astimezone(tz)
        key = (authority_id, anliegen_id, location_id, local.date())
        times, free, entries = days.get(key, (0, 0, ""))
        if places > taken:
            times, free = times + 1, free + places - taken
            entries += f'[{slot_id},"{local:%H:%M}",{places - taken}],'
        days[key] = (times, free, entries)
    FreeDay.objects.bulk_create(
        [
            FreeDay(authority_id=a, anliegen_id=n, location_id=loc, day=day, times=t, places=p, slots=e)
            for (a, n, loc, day), (t, p, e) in days.items()
        ],
        batch_size=1000,
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [("appointments", "0003_free_days_and_lean_booking")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
