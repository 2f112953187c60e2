"""``manage.py rights_screen FILE --on``: one JSON line per record in the documented format."""

import json

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db

RECORD = {
    "id": "A-1",
    "born": "2004-05-10",
    "status": "duldung",
    "status_since": "2018-01-01",
    "stay_since": "2016-06-01",
    "gaps": [["2019-01-01", "2019-03-01"]],
    "school_years_de": 5,
    "recognised_qualification": False,
    "german_level": "b1",
    "livelihood": "work_mainly",
    "exemptions": [],
    "minor_child_in_household": False,
    "children_attend_school": None,
    "sentence_months": 0,
    "fine_daily_rates": 0,
    "identity_deception": False,
}


def run(tmp_path, records, on="2026-03-01"):
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(records), encoding="utf-8")
    out = []

    class Out:
        def write(self, text):
            out.append(text)

        def flush(self):
            pass

    try:
        call_command("rights_screen", str(path), "--on", on, stdout=Out())
    finally:
        run.lines = [json.loads(line) for line in "".join(out).splitlines() if line.strip()]
    return run.lines


def test_one_line_per_record_with_every_rule(tmp_path):
    lines = run(tmp_path, [RECORD, {"id": "B-2"}])
    assert [line["id"] for line in lines] == ["A-1", "B-2"]
    first = lines[0]
    assert set(first) == {"id", "25a", "25b", "104c", "60d", "19d"}
    assert set(first["25a"]) == {"result", "met", "unmet", "missing", "version"}
    assert first["25a"]["result"] == "likely" and first["25a"]["version"] == "2022-12-31"
    assert first["104c"] == {
        "result": "unlikely",
        "met": ["status_duldung", "stay_5_years_on_cutoff", "no_offence_beyond_small_fines"],
        "unmet": ["applications_open"],
        "missing": [],
        "version": "2022-12-31",
    }
    assert lines[1]["25b"]["result"] == "needs_data"
    assert "german_a2" in lines[1]["25b"]["missing"]


def test_104c_still_matches_on_its_last_day(tmp_path):
    assert run(tmp_path, [RECORD], on="2025-12-31")[0]["104c"]["result"] == "likely"


def test_a_malformed_record_gets_an_error_line_and_the_rest_still_runs(tmp_path):
    with pytest.raises(CommandError, match="1 of 2"):
        run(tmp_path, [{"id": "bad", "born": "10.05.2004"}, RECORD])
    assert run.lines[0] == {"id": "bad", "error": "born: not a date (YYYY-MM-DD): '10.05.2004'"}
    assert run.lines[1]["id"] == "A-1"


@pytest.mark.parametrize("content", ["{not json", '{"id": 1}'])
def test_a_file_that_is_not_a_json_list_is_refused(tmp_path, content):
    path = tmp_path / "facts.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("rights_screen", str(path), "--on", "2026-03-01")


def test_a_bad_date_is_refused(tmp_path):
    with pytest.raises(CommandError, match="--on"):
        run(tmp_path, [RECORD], on="01.03.2026")
