"""Commands on persons: create, find duplicates, merge."""

from django.db import IntegrityError, transaction
from django.db.models import ForeignKey, OneToOneField

from willkommen.audit.services import record

from .duplicates import is_probable_duplicate
from .models import AliasKind, Person, PersonAlias, ResidenceEntry, ResidenceSource
from .residence import changed

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


# --- the residence history ------------------------------------------------------------------------


def record_residence(
    person,
    *,
    kind,
    valid_from=None,
    valid_to=None,
    legal_basis="",
    conditions="",
    document_number="",
    issued_by="",
    note="",
    source=ResidenceSource.STAFF,
    verified=None,
    actor=None,
    case=None,
    source_ref="",
):
    """Write one dated entry of the person's residence history and tell the listeners (cases keeps the
    permit expiry of open cases in step), in the caller's transaction.

    ``source_ref`` names what wrote the entry ("decision:12"): an entry with the same reference is
    returned instead of a second one, so a repeated effect writes nothing twice. Declared entries are
    unverified until a caseworker confirms them; every other source is verified (``verified`` overrides).
    Raises ``ValidationError`` for an impossible entry (end before start, unknown kind)."""
    from django.utils import timezone

    if source_ref:
        existing = ResidenceEntry.objects.filter(authority_id=person.authority_id, source_ref=source_ref).first()
        if existing:
            return existing
    if verified is None:
        verified = source != ResidenceSource.DECLARED
    staff = actor if getattr(actor, "is_authenticated", False) else None
    entry = ResidenceEntry(
        authority_id=person.authority_id,
        person=person,
        kind=kind,
        valid_from=valid_from,
        valid_to=valid_to,
        legal_basis=(legal_basis or "")[:100],
        conditions=conditions or "",
        document_number=(document_number or "")[:50],
        issued_by=(issued_by or "")[:200],
        note=note or "",
        source=source,
        verified=verified,
        verified_by=staff if verified else None,
        verified_at=timezone.now() if verified else None,
        case=case,
        source_ref=source_ref,
    )
    entry.full_clean(exclude=["authority", "person", "case"])
    with transaction.atomic():
        entry.save()
        changed(person)
    return entry


CONFIRMABLE = ("kind", "legal_basis", "valid_from", "valid_to", "document_number", "issued_by", "conditions")


def confirm_residence_entry(entry, actor, *, request=None, **corrections):
    """A caseworker confirms an (unverified, declared) entry against the document, correcting what the
    client gave (e.g. the exact expiry, the document number). Idempotent: confirming twice keeps the
    first confirmation. Raises ``ValidationError`` for an impossible correction; nothing is changed."""
    from django.utils import timezone

    unknown = set(corrections) - set(CONFIRMABLE)
    if unknown:
        raise ValueError(f"Cannot correct {', '.join(sorted(unknown))}.")
    with transaction.atomic():
        entry = ResidenceEntry.objects.select_for_update().get(pk=entry.pk, authority_id=entry.authority_id)
        for name, value in corrections.items():
            if value is not None:
                setattr(entry, name, value)
        if not entry.verified:
            entry.verified = True
            entry.verified_by = actor if getattr(actor, "is_authenticated", False) else None
            entry.verified_at = timezone.now()
        entry.full_clean(exclude=["authority", "person", "case"])
        entry.save()
        record(
            authority=entry.authority,
            action="update",
            person_id=entry.person_id,
            obj=entry,
            actor=actor,
            request=request,
            purpose="residence entry confirmed",
        )
        changed(entry.person)
    return entry
