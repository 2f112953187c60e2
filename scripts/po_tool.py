"""Translation catalog helper for translators and reviewers (uses polib).

python scripts/po_tool.py missing <room> <lang>          list untranslated or fuzzy entries as JSON
python scripts/po_tool.py fill <room> <lang> <file.json>  set translations from {key: msgstr}, clear fuzzy
python scripts/po_tool.py stats                           untranslated/total per room and language

An entry's key is its msgid, or, when it has a context (pgettext, {% translate "..." context "..." %}), the
context, U+0004 (gettext's own separator, written "\\u0004" in JSON) and the msgid; `missing` prints each key.
The same msgid with and without a context are different entries and usually need different words, so a key
fills only the entry it names.
"""

import json
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[1] / "willkommen"
LANGUAGES = ["de", "en", "ar", "fa", "tr", "uk", "ru", "fr"]


def catalog(room, lang):
    return polib.pofile(str(ROOT / room / "locale" / lang / "LC_MESSAGES" / "django.po"), wrapwidth=79)


def key(entry):
    return f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt is not None else entry.msgid


def todo(po):
    return [e for e in po if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]


def main(argv):
    command = argv[1] if len(argv) > 1 else "stats"
    if command == "missing":
        po = catalog(argv[2], argv[3])
        out = [
            {
                "key": key(e),
                "msgctxt": e.msgctxt,
                "msgid": e.msgid,
                "msgid_plural": e.msgid_plural or None,
                "comment": e.comment,
                "where": e.occurrences[:2],
            }
            for e in todo(po)
        ]
        print(json.dumps(out, ensure_ascii=False, indent=1))
    elif command == "fill":
        po = catalog(argv[2], argv[3])
        values = json.loads(Path(argv[4]).read_text(encoding="utf-8"))
        done = 0
        for entry in po:
            if key(entry) in values:
                value = values[key(entry)]
                if entry.msgid_plural:
                    forms = value if isinstance(value, list) else [value]
                    count = max(len(entry.msgstr_plural), len(forms))
                    entry.msgstr_plural = {i: forms[min(i, len(forms) - 1)] for i in range(count)}
                else:
                    entry.msgstr = value
                if "fuzzy" in entry.flags:
                    entry.flags.remove("fuzzy")
                entry.previous_msgid = None
                done += 1
        po.save()
        print(f"{done} entries set, {len(todo(po))} still open")
    else:
        rooms = sorted(p.parent.name for p in ROOT.glob("*/locale"))
        print("room".ljust(14), *[lang.rjust(9) for lang in LANGUAGES])
        for room in rooms:
            cells = []
            for lang in LANGUAGES:
                po = catalog(room, lang)
                cells.append(f"{len(todo(po))}/{len([e for e in po if not e.obsolete])}")
            print(room.ljust(14), *[c.rjust(9) for c in cells])


if __name__ == "__main__":
    main(sys.argv)
