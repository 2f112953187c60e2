"""A person's cases, for the rooms below the cases room (messaging, the e-file).

A case is a matter of a person. The rooms that sit below the cases room still need to find one: an
incoming e-mail names its case number, a message belongs to the client's latest case, a client signed in
with case number and access code is the person of that case, the data-subject copy lists the cases. They
ask here; the cases room registers the answers in ``CasesConfig.ready()`` with :func:`register`. Without
a registration there are no cases (every lookup answers None or nothing).
"""

_registered = {}


def register(*, by_number, by_id, of_person, latest_of_person):
    """Hook for the cases room. Each function takes ``(authority, value)``:

    - ``by_number(authority, number)``: the case with this number, or None;
    - ``by_id(authority, pk)``: the case with this id, or None;
    - ``of_person(authority, person)``: the person's cases (a queryset or a list);
    - ``latest_of_person(authority, person)``: the person's most recent case, or None."""
    _registered.update(by_number=by_number, by_id=by_id, of_person=of_person, latest_of_person=latest_of_person)


def by_number(authority, number):
    return _registered["by_number"](authority, number) if _registered else None


def by_id(authority, pk):
    return _registered["by_id"](authority, pk) if _registered else None


def of_person(authority, person):
    return _registered["of_person"](authority, person) if _registered else []


def latest_of_person(authority, person):
    return _registered["latest_of_person"](authority, person) if _registered else None
