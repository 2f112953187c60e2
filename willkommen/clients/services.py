"""Commands on persons: create, find duplicates, merge."""

from django.db import IntegrityError, transaction
from django.db.models import ForeignKey, OneToOneField

from willkommen.audit.services import record

from .duplicates import is_probable_duplicate
from .models import AliasKind, Person, PersonAlias

FILLABLE = [
    "family_name_native",
    "given_names_native",
    "birth_name",
    "place_of_birth",
    "country_of_birth",
    "street",
    "postal_code",
    "city",
    "email",
    "phone",
    "interpreter_language",
    "entry_date",
]


def create_person(authority, **fields):
    person = Person(authority=authority, **fields)
    person.full_clean(exclude=["authority"])
    person.save()
    return person


def find_duplicates(person):
    """Other active persons of the same authority who are probably the same human."""
    candidates = Person.objects.filter(
        authority_id=person.authority_id, date_of_birth=person.date_of_birth, merged_into__isnull=True
    ).exclude(pk=person.pk)
    return [c for c in candidates if is_probable_duplicate(person, c)]


@transaction.atomic
def merge(survivor, other, *, actor=None, request=None):
    """Merge ``other`` into ``survivor``: every row pointing at ``other`` (in every room) moves over,
    ``other``'s names become aliases, blank fields are filled, and ``other`` is kept as a pointer."""
    if survivor.pk == other.pk or survivor.authority_id != other.authority_id:
        raise ValueError("Only two different persons of the same authority can be merged.")
    # Lock both rows in id order so two merges never deadlock.
    locked = {p.pk: p for p in Person.objects.select_for_update().filter(pk__in=[survivor.pk, other.pk]).order_by("pk")}
    survivor, other = locked[survivor.pk], locked[other.pk]
    if other.merged_into_id or survivor.merged_into_id:
        raise ValueError("One of the persons was already merged.")

    try:
        with transaction.atomic():
            for relation in Person._meta.related_objects:
                field = relation.field
                if field.model is Person or not isinstance(field, ForeignKey | OneToOneField):
                    continue
                field.model._base_manager.filter(**{field.name: other}).update(**{field.name: survivor})
    except IntegrityError as error:
        # A room's constraint allows only one such row per person (e.g. one open accommodation placement).
        raise ValueError(f"The records hold entries that cannot be combined: {error}") from error

    PersonAlias.objects.create(
        authority_id=survivor.authority_id,
        person=survivor,
        kind=AliasKind.MERGED,
        family_name=other.family_name,
        given_names=other.given_names,
    )
    for name in FILLABLE:
        if not getattr(survivor, name) and getattr(other, name):
            setattr(survivor, name, getattr(other, name))
    survivor.nationalities = sorted(set(survivor.nationalities or []) | set(other.nationalities or []))
    survivor.save()
    other.merged_into = survivor
    other.save(update_fields=["merged_into"])
    record(
        authority=survivor.authority,
        action="merge",
        person_id=survivor.pk,
        actor=actor,
        request=request,
        purpose="duplicate merge",
        detail=f"person {other.pk} merged into {survivor.pk}",
    )
    return survivor
