"""``manage.py rights_screen FILE --on YYYY-MM-DD``: the evaluator over a JSON list of facts records,
outside the client files, so that legal staff and auditors can check the rules (docs/rights.md).

Prints one JSON line per record: ``{"id": ..., "25a": {"result", "met", "unmet", "missing", "version"},
"25b": ..., "104c": ..., "60d": ..., "19d": ...}``. A malformed record prints ``{"id": ..., "error": ...}``
and the command ends with exit status 1 after the last record; a file that is not a JSON list stops at once.
"""

import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError

from willkommen.rights import evaluator, selectors


def _date(value):
    try:
        return dt.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--on: not a date (YYYY-MM-DD): {value!r}") from error


class Command(BaseCommand):
    help = "Evaluate the residence-rights rules over a JSON list of facts records, one JSON line per record."

    def add_arguments(self, parser):
        parser.add_argument("file", help="JSON file: a list of facts records ('-' reads standard input)")
        parser.add_argument("--on", required=True, type=_date, help="the screening date, YYYY-MM-DD")

    def handle(self, *args, file, on, **options):
        records = self._read(file)
        rules = selectors.rules()
        bad = 0
        for record in records:
            record_id = record.get("id") if isinstance(record, dict) else None
            try:
                facts = evaluator.facts_from_record(record)
            except evaluator.FactsError as error:
                bad += 1
                self.stdout.write(json.dumps({"id": record_id, "error": str(error)}, ensure_ascii=False))
                continue
            line = {"id": record_id}
            line.update({key: o.as_dict() for key, o in evaluator.evaluate(facts, on, rules).items()})
            self.stdout.write(json.dumps(line, ensure_ascii=False))
        if bad:
            raise CommandError(f"{bad} of {len(records)} records were malformed (see their error lines)")

    def _read(self, file):
        import sys

        try:
            if file == "-":
                data = json.load(sys.stdin)
            else:
                with open(file, encoding="utf-8") as handle:
                    data = json.load(handle)
        except OSError as error:
            raise CommandError(f"cannot read {file}: {error.strerror}") from error
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise CommandError(f"{file} is not JSON: {error}") from error
        if not isinstance(data, list):
            raise CommandError(f"{file} must hold a JSON list of facts records")
        return data
