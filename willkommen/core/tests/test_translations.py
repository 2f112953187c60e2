"""Every room's interface catalogs: complete in all eight languages, and actually used by the pages.

The .po files are checked as text (no extra dependency). The rendering tests need the compiled .mo
files, which `make messages` (part of `make test`) builds; they are not committed.
"""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
ROOMS = sorted(p.parent.name for p in (ROOT / "willkommen").glob("*/locale"))
LANGUAGES = ["de", "en", "ar", "fa", "tr", "uk", "ru", "fr"]
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")
ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


def _unquote(token):
    body = token.strip()
    assert body.startswith('"') and body.endswith('"'), f"not a quoted PO string: {token!r}"
    return re.sub(r"\\(.)", lambda m: ESCAPES.get(m.group(1), m.group(1)), body[1:-1])


def parse_po(text):
    """Return the entries of a PO file as dicts: flags (set), msgid, msgid_plural, msgstr (list)."""
    entries, entry, field = [], None, None

    def start():
        return {"flags": set(), "msgid": None, "msgid_plural": None, "msgstr": []}

    for line in text.splitlines():
        if not line.strip():
            continue
        if line.startswith("#,"):
            if entry is None or entry["msgstr"]:
                entry = start()
                entries.append(entry)
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            if entry is None or entry["msgstr"]:
                entry = start()
                entries.append(entry)
        elif line.startswith("msgctxt ") or line.startswith("msgid "):
            if entry is None or entry["msgstr"] or entry["msgid"] is not None:
                entry = start()
                entries.append(entry)
            keyword, _, rest = line.partition(" ")
            if keyword == "msgid":
                entry["msgid"] = _unquote(rest)
            field = keyword
        elif line.startswith("msgid_plural "):
            entry["msgid_plural"] = _unquote(line.partition(" ")[2])
            field = "msgid_plural"
        elif line.startswith("msgstr"):
            entry["msgstr"].append(_unquote(line.partition(" ")[2]))
            field = "msgstr"
        elif line.startswith('"'):
            if field == "msgstr":
                entry["msgstr"][-1] += _unquote(line)
            elif field in ("msgid", "msgid_plural"):
                entry[field] += _unquote(line)
        else:
            raise AssertionError(f"unexpected PO line: {line!r}")
    return [e for e in entries if e["msgid"] is not None]


def test_parser_sees_empty_and_fuzzy_entries():
    sample = (
        'msgid ""\nmsgstr ""\n"Language: de\\n"\n'
        '#: a.py:1\nmsgid "One"\nmsgstr ""\n\n'
        '#, fuzzy, python-format\nmsgid "Hi %(name)s"\nmsgstr ""\n"Hallo %(name)s"\n\n'
        'msgid "Line\\n"\n"two"\nmsgstr "Zeile\\nzwei"\n'
    )
    header, one, hi, lines = parse_po(sample)
    assert header["msgid"] == "" and "Language: de" in header["msgstr"][0]
    assert one["msgstr"] == [""]
    assert hi["flags"] == {"fuzzy", "python-format"} and hi["msgstr"] == ["Hallo %(name)s"]
    assert lines["msgid"] == "Line\ntwo" and lines["msgstr"] == ["Zeile\nzwei"]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("room", ROOMS)
def test_catalog_is_complete(room, language):
    path = ROOT / "willkommen" / room / "locale" / language / "LC_MESSAGES" / "django.po"
    assert path.is_file(), f"missing catalog {path}"
    entries = parse_po(path.read_text(encoding="utf-8"))
    header, messages = entries[0], entries[1:]
    assert header["msgid"] == "", "the first entry must be the header"
    assert "fuzzy" not in header["flags"]
    assert f"Language: {language}\n" in header["msgstr"][0]
    assert "charset=UTF-8" in header["msgstr"][0]
    assert messages, f"{path} has no messages"
    nplurals = int(re.search(r"nplurals=(\d+)", header["msgstr"][0]).group(1))
    problems = []
    for entry in messages:
        msgid = entry["msgid"]
        if "fuzzy" in entry["flags"]:
            problems.append(f"fuzzy: {msgid!r}")
        if entry["msgid_plural"] is not None and len(entry["msgstr"]) != nplurals:
            problems.append(f"needs {nplurals} plural forms: {msgid!r}")
        for msgstr in entry["msgstr"]:
            if not msgstr.strip():
                problems.append(f"empty: {msgid!r}")
            elif sorted(PLACEHOLDER.findall(msgstr)) != sorted(PLACEHOLDER.findall(msgid)):
                problems.append(f"placeholders differ: {msgid!r} -> {msgstr!r}")
    assert not problems, f"{path}:\n" + "\n".join(problems)


def test_german_uses_the_administrations_terms():
    """Spot checks that the German catalog speaks the office's language, formally."""
    po = (ROOT / "willkommen/core/locale/de/LC_MESSAGES/django.po").read_text(encoding="utf-8")
    catalog = {e["msgid"]: e["msgstr"][0] for e in parse_po(po)}
    assert catalog["What do you want to do?"] == "Was möchten Sie tun?"
    assert catalog["Foreigners' authority – service office"].startswith("Ausländerbehörde")
    clients = (ROOT / "willkommen/clients/locale/de/LC_MESSAGES/django.po").read_text(encoding="utf-8")
    clients_catalog = {e["msgid"]: e["msgstr"][0] for e in parse_po(clients)}
    assert clients_catalog["Certificate of continued residence"] == "Fiktionsbescheinigung"
    assert clients_catalog["Residence title"] == "Aufenthaltstitel"


@pytest.mark.parametrize(
    "language,heading,question",
    [
        ("de", "Willkommen", "Was möchten Sie tun?"),
        ("ar", "أهلًا وسهلًا", "ماذا تريد أن تفعل؟"),
        ("uk", "Ласкаво просимо", "Що ви хочете зробити?"),
    ],
)
def test_portal_home_is_translated(client, authority, language, heading, question):
    mo = ROOT / "willkommen" / "core" / "locale" / language / "LC_MESSAGES" / "django.mo"
    assert mo.is_file(), "catalogs are not compiled: run `make messages` (part of `make test`)"
    client.cookies["willkommen_language"] = language
    response = client.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert f'<html lang="{language}"' in body
    assert re.search(rf"<h1[^>]*>{re.escape(heading)}</h1>", body), f"heading {heading!r} missing"
    assert question in body
    assert "What do you want to do?" not in body


def test_every_string_in_the_code_is_in_the_catalogs(tmp_path):
    """A msgid marked in code or templates but missing from a room's catalog shows here.

    The room's sources are extracted into a scratch copy (as scripts/update-messages.sh does) and the
    msgids compared with the committed German catalog; the other languages carry the same msgids,
    which test_catalog_is_complete checks entry by entry.
    """
    import shutil
    import subprocess
    import sys

    missing = {}
    for room in ROOMS:
        scratch = tmp_path / room
        shutil.copytree(
            ROOT / "willkommen" / room,
            scratch,
            ignore=shutil.ignore_patterns("locale", "tests", "migrations", "__pycache__", "*.mo", "static"),
        )
        (scratch / "locale").mkdir()
        subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), "makemessages", "-l", "de", "--verbosity", "0"],
            cwd=scratch,
            check=True,
        )
        extracted = {e["msgid"] for e in parse_po((scratch / "locale/de/LC_MESSAGES/django.po").read_text("utf-8"))}
        committed_path = ROOT / "willkommen" / room / "locale/de/LC_MESSAGES/django.po"
        committed = {e["msgid"] for e in parse_po(committed_path.read_text("utf-8"))}
        if extracted - committed:
            missing[room] = sorted(extracted - committed)[:10]
    assert not missing, f"run scripts/update-messages.sh and translate: {missing}"
