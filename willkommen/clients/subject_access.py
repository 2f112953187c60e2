"""The copy of a person's data (GDPR Art. 15 (3)): every registered room's section in one ZIP.

- ``data.json``: the person's data by room (``sections.<key>.tables``), plain values, with the index
  of the files and their SHA-256 checksums;
- ``files/<room>/...``: the stored files (documents, letters, attachments, uploads of drafts);
- ``summary.txt``: what the copy contains, room by room, in the reader's language.

The file is built in a temporary file (a file with many documents never sits in memory) and
streamed from there.
"""

import hashlib
import json
import tempfile
import zipfile

from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import personal_data

FORMAT = 1
CHUNK = 1024 * 1024


def _copy_file(archive, member, storage_name):
    """Stream one stored file into the ZIP; returns (sha256, size) or None when it is not on storage."""
    digest = hashlib.sha256()
    size = 0
    try:
        with default_storage.open(storage_name, "rb") as source, archive.open(member, "w", force_zip64=True) as target:
            while chunk := source.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
                target.write(chunk)
    except (OSError, FileNotFoundError):
        return None
    return digest.hexdigest(), size


def collect(authority, person):
    """Every contributor's section: {key: (contributor, Section)}."""
    return {c.key: (c, c.export(authority, person)) for c in personal_data.contributors()}


def _may_read(user, capability):
    return user is not None and user.can(capability)


def write_zip(authority, person, target, *, for_client=False, user=None):
    """Write the copy into the binary file object ``target``; returns the data written to data.json.
    ``for_client``: the client's self-service copy, without the office's internal tables. Otherwise
    ``user`` is the staff member making the copy: tables restricted to a capability they lack are left
    out, and only their number of rows is named (``withheld_tables``)."""
    sections = collect(authority, person)
    data = {
        "format": FORMAT,
        "generated_at": timezone.now().isoformat(),
        "authority": {"name": authority.name, "slug": authority.slug},
        "person_id": person.pk,
        "sections": {},
    }
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for key, (contributor, section) in sections.items():
            index = []
            used = set()
            for export_file in section.files:
                if for_client and export_file.internal:
                    continue
                name = export_file.name.replace("/", "_").replace("\\", "_")[:150] or "file"
                while name in used:
                    name = f"_{name}"
                used.add(name)
                member = f"files/{key}/{name}"
                copied = _copy_file(archive, member, export_file.storage_name)
                entry = {"file": member if copied else None, "name": export_file.name}
                if copied:
                    entry.update(sha256=copied[0], size=copied[1])
                    if export_file.sha256:
                        entry["checksum_matches"] = copied[0] == export_file.sha256
                else:
                    entry["missing"] = True
                index.append(entry)
            tables = {
                name: table for name, table in section.tables.items() if not (for_client and name in section.internal)
            }
            withheld = {}
            if not for_client:
                for name, capability in section.restricted.items():
                    if name in tables and not _may_read(user, capability):
                        withheld[name] = len(tables.pop(name))
            data["sections"][key] = {"label": str(contributor.label), "tables": tables, "files": index}
            if withheld:
                data["sections"][key]["withheld_tables"] = withheld
            if section.internal and not for_client:
                data["sections"][key]["internal_tables"] = sorted(section.internal)
        archive.writestr("data.json", json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1))
        archive.writestr("summary.txt", summary(authority, person, data))
    return data


def summary(authority, person, data):
    lines = [
        _("Copy of your personal data (GDPR Art. 15)"),
        f"{authority.name} – {timezone.localtime(timezone.now()):%Y-%m-%d %H:%M}",
        _("Person number: %(id)s") % {"id": person.pk},
        "",
        _("The file data.json holds the data, room by room; the folder files/ holds the stored documents."),
        "",
    ]
    for section in data["sections"].values():
        counts = ", ".join(f"{name}: {len(items)}" for name, items in section["tables"].items())
        files = len([f for f in section["files"] if f.get("file")])
        lines.append(f"- {section['label']}: {counts or '–'}; " + _("%(n)s files") % {"n": files})
        for name, count in section.get("withheld_tables", {}).items():
            withheld = ngettext(
                "%(table)s: %(n)s entry withheld (only staff with the right to read it may make this part)",
                "%(table)s: %(n)s entries withheld (only staff with the right to read them may make this part)",
                count,
            )
            lines.append("  " + withheld % {"table": name, "n": count})
    return "\n".join(str(line) for line in lines) + "\n"


def export_file(authority, person, *, for_client=False, user=None):
    """The copy as a temporary file, positioned at its start (for a FileResponse)."""
    handle = tempfile.TemporaryFile()
    write_zip(authority, person, handle, for_client=for_client, user=user)
    handle.seek(0)
    return handle
