"""How the audit log names a document: its type and file name (``audit/objects.py``)."""

from willkommen.audit import objects

from .models import Document, document_type_label


def documents(authority, ids):
    rows = Document.objects.filter(authority=authority, pk__in=objects.int_ids(ids)).values_list(
        "pk", "document_type", "original_name"
    )
    return {str(pk): f"{document_type_label(kind)} ({name})" for pk, kind, name in rows}


def register():
    objects.register("efile.document", documents)
