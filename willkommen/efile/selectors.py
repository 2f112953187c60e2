"""Queries on the electronic file. Every query is filtered by authority in SQL."""

from django.db import connection
from django.db.models import Q
from django.utils import translation

from .models import DOCUMENT_TYPES, Document, FileState, PersonFile
from .models import document_type_label as _type_label

MAX_SEARCH_TERMS = 8
# PostgreSQL ranks at most this many matches of a search, the newest: a common word (in one document of
# thirteen) matches 78,000 of 1,000,000 documents, and ranking them all took seconds (docs/performance-efile.md).
RANKED_MATCHES = 1000


def document_type_label(slug):
    """The name of a document type in the active language (an authority's own slug, humanised)."""
    return _type_label(slug)


def documents_for_person(authority, person):
    """The current version of every document of a person (newest first)."""
    return Document.objects.filter(authority=authority, person=person, is_current=True).select_related(
        "verified_by", "case"
    )


def all_documents_for_person(authority, person):
    """Every document of a person, earlier versions included."""
    return Document.objects.filter(authority=authority, person=person).order_by("document_type", "-version")


def documents_for_case(authority, case):
    return Document.objects.filter(authority=authority, case=case, is_current=True)


def get_document(authority, pk):
    """One document of this authority or Document.DoesNotExist (404, never 403)."""
    return Document.objects.select_related("person", "verified_by", "case").get(authority=authority, pk=pk)


def verified_document_types(authority, person, on_date=None):
    """Document types of which this person has a verified, still valid original on file: the next case
    reuses that check instead of asking again."""
    qs = Document.objects.filter(authority=authority, person=person, is_current=True, verified_at__isnull=False)
    if on_date is not None:
        qs = qs.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on_date))
    return set(qs.values_list("document_type", flat=True))


def person_file(authority, person):
    return PersonFile.objects.filter(authority=authority, person=person).first()


def document_types_named(term):
    """Document type slugs whose slug or label (German, English or the interface language) contains
    ``term``: "Reisepass", "passport" and "pass" all find ``passport``. Terms under three letters match
    no type (they would match most)."""
    term = (term or "").strip().lower()
    if len(term) < 3:
        return []
    languages = {"de", "en", translation.get_language() or "de"}
    found = []
    for slug, label in DOCUMENT_TYPES.items():
        names = {slug, slug.replace("_", " ")}
        for language in languages:
            with translation.override(language):
                names.add(str(label).lower())
        if any(term in name for name in names):
            found.append(slug)
    return found


def _case_ids_numbered(authority, term):
    """Cases whose number contains ``term`` (numbers have digits; names and words mostly not). The
    cases room is reached through the document's foreign key only, never imported."""
    if not any(char.isdigit() for char in term):
        return []
    case_model = Document._meta.get_field("case").related_model
    return list(
        case_model.objects.filter(authority=authority, number__icontains=term).values_list("pk", flat=True)[:1000]
    )


def _about(authority, term):
    """What a term can name besides the documents' words (SQLite; PostgreSQL has it in the vector): the
    person (any name, both scripts, aliases), the case number, the document type. ``None`` when it names
    none of them."""
    from willkommen.clients.selectors import person_ids_named

    condition = Q()
    if person_ids := person_ids_named(authority, term):
        condition |= Q(person_id__in=person_ids)
    if case_ids := _case_ids_numbered(authority, term):
        condition |= Q(case_id__in=case_ids)
    if types := document_types_named(term):
        condition |= Q(document_type__in=types)
    return condition or None


def search(authority, query, *, person=None, persons=None, limit=50):
    """Search the documents by their words, the person's names, the case number and the document type.

    Every term of the query must match: a word of the document (title, file name, text), a name of the
    person (Latin or original script, name at birth, aliases), the number of the document's case or its
    type ("Haddad Reisepass" finds Ms Haddad's passport).

    PostgreSQL: one ``websearch`` query with German stemming over the stored vector, which holds the
    names, case number and type labels beside the words (``search_vector.py``), GIN index. Of the
    matches the newest ``RANKED_MATCHES`` (after the visibility filter) are ranked and the best ``limit``
    returned, so a query with fewer matches gets exactly the best-ranked ones and a very common word the
    best of its newest matches. SQLite: each term must occur (case-insensitive) in title, file name or
    text, or name a person, case or type; newest first."""
    query = (query or "").strip()[:200]
    qs = Document.objects.filter(authority=authority, is_current=True)
    if person is not None:
        qs = qs.filter(person=person)
    if persons is not None:
        qs = qs.filter(person__in=persons)
    terms = query.split()[:MAX_SEARCH_TERMS]
    if not terms:
        return qs.none()
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank
        from django.db.models import F

        search_query = SearchQuery(query, config="german", search_type="websearch")
        newest = qs.filter(search_vector=search_query).order_by("-uploaded_at", "-id").values("pk")[:RANKED_MATCHES]
        return (
            Document.objects.filter(authority=authority, pk__in=newest)
            .annotate(rank=SearchRank(F("search_vector"), search_query))
            .order_by("-rank", "-uploaded_at", "-id")
            .select_related("person")[:limit]
        )
    for term in terms:
        words = Q(text__icontains=term) | Q(title__icontains=term) | Q(original_name__icontains=term)
        named = _about(authority, term)
        qs = qs.filter(words | named if named else words)
    return qs.select_related("person").order_by("-uploaded_at", "-id")[:limit]


def files_due_for_deletion(authority, today):
    return PersonFile.objects.filter(
        authority=authority, state=FileState.ARCHIVED, delete_after__isnull=False, delete_after__lte=today
    ).select_related("person")


def persons_with_deleted_file(authority):
    """Ids (a subquery) of persons whose archived file was deleted after its retention period."""
    return PersonFile.objects.filter(authority=authority, state=FileState.DELETED).values("person_id")
