"""`make restore BACKUP=<archive>`: check the archive, then put database and stored files back
(see willkommen/core/restore.py). Stop the web server and the job consumer first."""

from django.core.management.base import BaseCommand, CommandError

from willkommen.core import backup, restore


class Command(BaseCommand):
    requires_system_checks = []  # an operational command: it must work even when a check fails
    help = "Restore the database and the stored files from an archive of `manage.py backup` (refuses a damaged one)."

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--noinput", "--no-input", dest="interactive", action="store_false")
        parser.add_argument("--check", action="store_true", help="only verify the archive, change nothing")

    def handle(self, *args, archive, interactive=True, check=False, **options):
        try:
            manifest = restore.verify(archive)
        except backup.BackupError as error:
            raise CommandError(f"Refused: {error}")
        totals = manifest["totals"]
        self.stdout.write(
            f"Archive of {manifest['created_at']} ({manifest['engine']}): {totals['tables']} tables, "
            f"{totals['rows']} rows, {totals['files']} files – all checksums match."
        )
        if check:
            return
        if interactive:
            answer = input("This replaces the whole database and the stored files. Type 'yes' to continue: ")
            if answer.strip().lower() != "yes":
                raise CommandError("Restore cancelled.")
        try:
            report = restore.restore(archive, log=self.stdout.write)
        except backup.BackupError as error:
            raise CommandError(str(error))
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {report['tables']} tables with {report['rows']} rows and {report['files']} files; "
                "0 rows and 0 files lost."
            )
        )
        if report["files_not_in_archive"]:
            self.stdout.write(f"{report['files_not_in_archive']} stored files were not in the archive and were left.")
        if not report["secret_key_matches"]:
            self.stdout.write(
                self.style.WARNING(
                    "SECRET_KEY differs from the one the backup was made with: booking QR codes, passport checks "
                    "and pending receipts need the old key (set it, or add it to SECRET_KEY_FALLBACKS)."
                )
            )
        self.stdout.write(
            "Next: `manage.py migrate` (newer code), then `manage.py retention` – data deleted since the backup "
            "and past its period must go again; repeat erasures made on request since then (see docs/privacy.md)."
        )
