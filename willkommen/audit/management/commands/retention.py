"""Run the retention jobs by hand: every room (persons last) or one, optionally as of another moment."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from willkommen.audit import retention


class Command(BaseCommand):
    help = "Delete what is past its retention period (every room, or --room ROOM); each run is recorded."

    def add_arguments(self, parser):
        parser.add_argument("--room", help="one room's job: " + ", ".join(job.room for job in retention.jobs()))
        parser.add_argument(
            "--list", dest="list_jobs", action="store_true", help="show the jobs and their periods, delete nothing"
        )

    def handle(self, *args, room=None, list_jobs=False, **options):
        if list_jobs:
            for job in retention.jobs():
                periods = ", ".join(f"{p.setting}={p.value} {p.unit}" for p in job.periods)
                self.stdout.write(f"{job.room}: {job.label} ({periods})")
            return
        now = timezone.now()
        if room:
            try:
                runs = retention.run_job(room, now=now)
            except KeyError:
                raise CommandError(f"Unknown room {room!r}.")
        else:
            runs = retention.run_all(now=now)
        report = [
            {"room": r.room, "authority": r.authority.slug, "status": r.status, "deleted": r.deleted} for r in runs
        ]
        self.stdout.write(json.dumps({"as_of": now.isoformat(), "runs": report}, indent=1, default=str))
