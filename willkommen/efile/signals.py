"""Keep the documents' search vectors in step with the names of their person (see search_vector.py)."""

from .search_vector import refresh_person


def person_changed(sender, instance, created=False, raw=False, **kwargs):
    if not created and not raw:
        refresh_person(instance.pk)


def alias_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh_person(instance.person_id)
