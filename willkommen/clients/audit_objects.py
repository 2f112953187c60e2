"""How the audit log names a person: by name, not "clients.person 17" (``audit/objects.py``)."""

from willkommen.audit import objects

from .models import Person


def persons(authority, ids):
    rows = Person.objects.filter(authority=authority, pk__in=objects.int_ids(ids)).only("family_name", "given_names")
    return {str(person.pk): str(person) for person in rows}


def register():
    objects.register("clients.person", persons)
