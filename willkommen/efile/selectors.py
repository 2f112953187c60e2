"""Queries on the electronic file. Every query is filtered by authority in SQL."""

from django.db import connection
from django.db.models import Q

from .models import Document, FileState, PersonFile

MAX_SEARCH_TERMS = 8
# PostgreSQL ranks at most this many matches of a search, the newest: a common word (in one document of
# thirteen) matches 78,000 of 1,000,000 documents, and ranking them all took seconds (docs/performance-efile.md).
RANKED_MATCHES = 1000


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


def search(authority, query, *, person=None, persons=None, limit=50):
    """Full-text search over the documents' text and metadata.

    PostgreSQL: German stemming (``config="german"``) over the stored search vector with a GIN
    index; of the matches the newest ``RANKED_MATCHES`` (after the visibility filter) are ranked and the
    best ``limit`` returned, so a query with fewer matches gets exactly the best-ranked ones and a very
    common word the best of its newest matches. SQLite: every word must occur (case-insensitive) in
    title, name, type or text, newest first."""
    query = (query or "").strip()[:200]
    qs = Document.objects.filter(authority=authority, is_current=True)
    if person is not None:
        qs = qs.filter(person=person)
    if persons is not None:
        qs = qs.filter(person__in=persons)
    if not query:
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
    for term in query.split()[:MAX_SEARCH_TERMS]:
        qs = qs.filter(
            Q(text__icontains=term)
            | Q(title__icontains=term)
            | Q(original_name__icontains=term)
            | Q(document_type__icontains=term)
        )
    return qs.select_related("person").order_by("-uploaded_at")[:limit]


def files_due_for_deletion(authority, today):
    return PersonFile.objects.filter(
        authority=authority, state=FileState.ARCHIVED, delete_after__isnull=False, delete_after__lte=today
    ).select_related("person")
