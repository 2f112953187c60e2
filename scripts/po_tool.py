"""Translation catalog helper for translators and reviewers (uses polib).

python scripts/po_tool.py missing <room> <lang>          list untranslated or fuzzy msgids as JSON
python scripts/po_tool.py fill <room> <lang> <file.json>  set translations from {msgid: msgstr}, clear fuzzy
python scripts/po_tool.py stats                           untranslated/total per room and language
"""

import json
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[1] / "willkommen"
LANGUAGES = ["de", "en", "ar", "fa", "tr", "uk", "ru", "fr"]


def catalog(room, lang):
    return polib.pofile(str(ROOT / room / "locale" / lang / "LC_MESSAGES" / "django.po"), wrapwidth=79)


def todo(po):
    return [e for e in po if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]


def main(argv):
    command = argv[1] if len(argv) > 1 else "stats"
    if command == "missing":
        po = catalog(argv[2], argv[3])
        out = [
            {"msgid": e.msgid, "msgid_plural": e.msgid_plural or None, "comment": e.comment, "where": e.occurrences[:2]}
            for e in todo(po)
        ]
        print(json.dumps(out, ensure_ascii=False, indent=1))
    elif command == "fill":
        po = catalog(argv[2], argv[3])
        values = json.loads(Path(argv[4]).read_text(encoding="utf-8"))
        done = 0
        for entry in po:
            if entry.msgid in values:
                value = values[entry.msgid]
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
