import json

from django.core.management.base import BaseCommand

from willkommen.efile import services


class Command(BaseCommand):
    help = "Show (default) or apply (--apply) the deletion of archived files whose retention period is over."

    def add_arguments(self, parser):
        parser.add_argument("--apply", action="store_true", help="really delete (default: dry run)")

    def handle(self, *args, apply=False, **options):
        report = services.apply_retention(dry_run=not apply)
        self.stdout.write(json.dumps({"dry_run": not apply, "files": report}, indent=1))
