from django.db.models import F, Q
from django.db.models.functions import Coalesce

from .models import STATUS_KINDS, Person, PersonAlias, ResidenceEntry


def persons(authority):
    """Active (not merged) persons of one authority."""
    return Person.objects.filter(authority=authority, merged_into__isnull=True)


def search(authority, query):
    qs = persons(authority)
    for term in (query or "").split()[:5]:
        qs = qs.filter(
            Q(family_name__icontains=term)
            | Q(given_names__icontains=term)
            | Q(family_name_native__icontains=term)
            | Q(email__iexact=term)
        )
    return qs


def person_ids_named(authority, term, limit=5000):
    """Ids of the persons any of whose names contains ``term`` (case-insensitive): family and given
    names in Latin and in the original script, the name at birth and every alias (earlier names,
    other spellings, names of merged records). One SQL query; at most ``limit`` ids."""
    term = (term or "").strip()
    if not term:
        return []
    name = (
        Q(family_name__icontains=term)
        | Q(given_names__icontains=term)
        | Q(family_name_native__icontains=term)
        | Q(given_names_native__icontains=term)
        | Q(birth_name__icontains=term)
    )
    aliases = PersonAlias.objects.filter(authority=authority).filter(
        Q(family_name__icontains=term) | Q(given_names__icontains=term)
    )
    matches = persons(authority).filter(name | Q(pk__in=aliases.values("person_id")))
    return list(matches.values_list("pk", flat=True)[:limit])


def get_person(authority, pk, *, within=None):
    """One person of this authority (and of ``within``, a narrower queryset such as the visibility
    policy's) or Person.DoesNotExist (shown as 404, never as 403)."""
    qs = persons(authority) if within is None else within
    return qs.prefetch_related("aliases", "residence_entries").get(pk=pk)


def persons_with_email(authority, email):
    return persons(authority).filter(email__iexact=(email or "").strip())


# --- the residence history ------------------------------------------------------------------------


def residence_history(person):
    """The person's residence timeline, newest first (an entry without a start sorts by its end)."""
    return (
        ResidenceEntry.objects.filter(authority_id=person.authority_id, person=person)
        .select_related("verified_by")
        .order_by(Coalesce("valid_from", "valid_to").desc(nulls_last=True), "-id")
    )


def latest_title(person, on):
    """The status document (title, visa, Duldung, Gestattung, entry, freedom of movement; not a
    certificate, refusal or end) the person held most recently on ``on``: the newest entry that began on
    or before that day (or whose start is unknown), expired or not – whether it still ran on that day
    is the caller's question (§ 81 asks exactly that). Unverified declared entries count. None: nothing
    on record."""
    return (
        ResidenceEntry.objects.filter(authority_id=person.authority_id, person=person, kind__in=STATUS_KINDS)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=on))
        .order_by(Coalesce("valid_from", "valid_to").desc(nulls_last=True), F("valid_to").desc(nulls_first=True), "-id")
        .first()
    )


def current_title(person, on):
    """The status document in force on ``on`` (see :func:`latest_title`), or None when it has run out."""
    entry = latest_title(person, on)
    if entry is None or (entry.valid_to is not None and entry.valid_to < on):
        return None
    return entry


def unverified_entries(person):
    return residence_history(person).filter(verified=False)


def person_matching_verified(authority_id, *, family_name, given_names, date_of_birth, place_of_birth=""):
    """For a trusted sign-in (eID): the id of the one active person whose date of birth is this one, whose
    names give the same name key (transliteration-proof, see duplicates.py) and whose place of birth, when
    both are known, is the same; None when there is none or more than one (never a guess, never a merge)."""
    from .duplicates import fold, name_key

    key = name_key(family_name, given_names)
    candidates = Person.objects.filter(
        authority_id=authority_id, date_of_birth=date_of_birth, name_key=key, merged_into__isnull=True
    )
    found = [
        p.pk
        for p in candidates[:10]
        if not (place_of_birth and p.place_of_birth) or fold(p.place_of_birth).strip() == fold(place_of_birth).strip()
    ]
    return found[0] if len(found) == 1 else None


def persons_holding(authority, on, *, kinds, legal_basis_contains=""):
    """Active persons with an entry of one of ``kinds`` in force on ``on`` (its legal basis containing
    ``legal_basis_contains`` when given): one SQL query, e.g. everyone with a Duldung today."""
    entries = ResidenceEntry.objects.filter(authority=authority, kind__in=kinds).filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=on), Q(valid_to__isnull=True) | Q(valid_to__gte=on)
    )
    if legal_basis_contains:
        entries = entries.filter(legal_basis__icontains=legal_basis_contains)
    return persons(authority).filter(pk__in=entries.values("person_id"))


def residence_entries_of(authority, person_ids):
    """The residence entries of many persons in one query, by person and start."""
    return ResidenceEntry.objects.filter(authority=authority, person_id__in=person_ids).order_by(
        "person_id", Coalesce("valid_from", "valid_to").asc(nulls_first=True), "id"
    )
