"""Test helpers for the personal-data registry: the copy as the ZIP gives it, and a person to fill."""

import datetime as dt
import io
import json
import zipfile


def export_of(authority, person, *, for_client=False, user=None):
    """(data.json as a dict, {member name: bytes}) of the person's Art. 15 copy."""
    from .subject_access import write_zip

    buffer = io.BytesIO()
    write_zip(authority, person, buffer, for_client=for_client, user=user)
    archive = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    members = {name: archive.read(name) for name in archive.namelist()}
    return json.loads(members["data.json"]), members


def section(authority, person, key, **kwargs):
    data, members = export_of(authority, person, **kwargs)
    return data["sections"][key], members


def make_client(authority, family_name="Haddad", given_names="Rana", email="rana@example.org", **extra):
    from .services import create_person

    return create_person(
        authority,
        family_name=family_name,
        given_names=given_names,
        date_of_birth=extra.pop("date_of_birth", dt.date(1998, 4, 2)),
        email=email,
        **extra,
    )
