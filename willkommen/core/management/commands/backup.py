"""`make backup`: database and stored files in one archive with a manifest (see willkommen/core/backup.py)."""

from django.core.management.base import BaseCommand, CommandError

from willkommen.core import backup


class Command(BaseCommand):
    requires_system_checks = []  # an operational command: it must work even when a check fails
    help = (
        "Write the database and all stored files into one archive (default: BACKUP_DIR/willkommen-<engine>-<time>.tar)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", help="path of the archive to write")
        parser.add_argument("--no-prune", action="store_true", help="keep archives older than BACKUP_KEEP_DAYS")

    def handle(self, *args, output=None, no_prune=False, **options):
        try:
            path, manifest = backup.create(output, log=self.stdout.write)
        except backup.BackupError as error:
            raise CommandError(str(error))
        totals = manifest["totals"]
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written: {path} ({totals['tables']} tables, {totals['rows']} rows, {totals['files']} files)."
            )
        )
        self.stdout.write(
            "Keep SECRET_KEY apart from the archive (it is not in it): a restore elsewhere needs the same key."
        )
        if not no_prune:
            for old in backup.prune():
                self.stdout.write(f"deleted old archive {old}")
