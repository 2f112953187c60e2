"""The stored full-text vector of a document (PostgreSQL only; SQLite searches with LIKE).

One vector per document, German stemming, GIN index ``efile_document_search_gin``:

- weight A: the title; weight B: the file name; weight C: the text found in the document;
- weight B as well, what the document is *about*: every name of its person (family and given names in
  Latin and in the original script, name at birth, all aliases), the number of its case and the label
  of its type in German and English. So one query finds "Haddad Reisepass" or a case number, with the
  same index and ranking as words of the text.

The *about* part is copied from the person, the case and the type list, so it is refreshed when a person
or an alias is saved or deleted (``efile.apps`` connects the signals; a merge creates an alias after
moving the documents, so the survivor's documents are refreshed too). Case numbers never change.

The SQL is built here once and used for single documents, for all documents of a person, by the migration
that filled existing vectors and by the benchmark's seeding (which must compute exactly the same)."""

from django.db import connection
from django.utils import translation

from .models import DOCUMENT_TYPES, Document


def _table(model):
    return connection.ops.quote_name(model._meta.db_table)


def type_labels_sql():
    """``CASE`` over the document type: its labels in German and English, else the slug in words."""
    cases = []
    for slug, label in DOCUMENT_TYPES.items():
        words = []
        for language in ("de", "en"):
            with translation.override(language):
                words.append(str(label))
        text = " ".join(dict.fromkeys(words)).replace("'", "''")
        cases.append(f"WHEN '{slug}' THEN '{text}'")
    return "CASE {type} " + " ".join(cases) + " ELSE replace({type}, '_', ' ') END"


def about_sql(person, case, document_type):
    """SQL of the weight-B vector of what a document is about, for SQL expressions naming its person id,
    case id and document type."""
    person_model = Document._meta.get_field("person").related_model
    alias_model = person_model._meta.get_field("aliases").related_model
    case_model = Document._meta.get_field("case").related_model
    # table names from the models, the type labels from our own list with quotes doubled: no user input
    return (
        "setweight(to_tsvector('german'::regconfig, concat_ws(' ', "  # noqa: S608
        "(SELECT concat_ws(' ', p.family_name, p.given_names, p.family_name_native, p.given_names_native, "
        f"p.birth_name) FROM {_table(person_model)} p WHERE p.id = {person}), "
        "(SELECT string_agg(concat_ws(' ', a.family_name, a.given_names), ' ' ORDER BY a.id) "
        f"FROM {_table(alias_model)} a WHERE a.person_id = {person}), "
        # the number as written (a phrase: ABH-2026-000123) and in parts (000123 alone finds it too)
        f"(SELECT c.number || ' ' || replace(c.number, '-', ' ') FROM {_table(case_model)} c WHERE c.id = {case}), "
        f"{type_labels_sql().format(type=document_type)})), 'B')"
    )


def vector_sql(alias="d"):
    """SQL of a document's whole vector, for the row ``alias`` of the document table."""
    return (
        f"setweight(to_tsvector('german'::regconfig, COALESCE({alias}.title, '')), 'A') "
        f"|| setweight(to_tsvector('german'::regconfig, COALESCE({alias}.original_name, '')), 'B') "
        f"|| setweight(to_tsvector('german'::regconfig, COALESCE({alias}.text, '')), 'C') "
        f"|| {about_sql(f'{alias}.person_id', f'{alias}.case_id', f'{alias}.document_type')}"
    )


def refresh(where, params=()):
    """Recompute the vectors of the documents matching ``where`` (SQL on the row ``d``)."""
    if connection.vendor != "postgresql":
        return 0
    with connection.cursor() as cursor:
        sql = f"UPDATE {_table(Document)} d SET search_vector = {vector_sql()} WHERE {where}"  # noqa: S608 (ours)
        cursor.execute(sql, params)
        return cursor.rowcount


def refresh_document(document):
    return refresh("d.id = %s", [document.pk])


def refresh_person(person_id):
    return refresh("d.person_id = %s", [person_id])
