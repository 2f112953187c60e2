"""Three-way merge of gettext catalogs for git (a merge driver), entry by entry.

Configure once per clone:
    git config merge.po.name "gettext catalog merge"
    git config merge.po.driver ".venv/bin/python scripts/po_merge.py %O %A %B"
(.gitattributes names *.po). Each entry (msgctxt, msgid) is taken from the side that changed it; where
both changed it, ours wins. Entries one side removed and the other left alone are removed. The result
is written to the file of "ours"; run scripts/update-messages.sh afterwards to refresh references.
"""

import sys

import polib


def key(entry):
    return (entry.msgctxt, entry.msgid)


def same(a, b):
    return (
        a.msgstr == b.msgstr
        and a.msgstr_plural == b.msgstr_plural
        and sorted(a.flags) == sorted(b.flags)
        and a.msgid_plural == b.msgid_plural
        and a.obsolete == b.obsolete
    )


def merge(base_path, ours_path, theirs_path):
    base, ours, theirs = (polib.pofile(p, wrapwidth=79) for p in (base_path, ours_path, theirs_path))
    base_by = {key(e): e for e in base}
    ours_by = {key(e): e for e in ours}
    theirs_by = {key(e): e for e in theirs}
    result = polib.POFile(wrapwidth=79)
    result.header = ours.header
    result.metadata = ours.metadata
    for k, mine in ours_by.items():
        old, other = base_by.get(k), theirs_by.get(k)
        if other is None and old is not None and same(mine, old):
            continue  # they removed it, we left it alone
        if old is not None and other is not None and same(mine, old):
            result.append(other)
        else:
            result.append(mine)
    for k, other in theirs_by.items():
        if k in ours_by:
            continue
        old = base_by.get(k)
        if old is not None and same(other, old):
            continue  # we removed it, they left it alone
        result.append(other)
    result.save(ours_path)


if __name__ == "__main__":
    merge(*sys.argv[1:4])
