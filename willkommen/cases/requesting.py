"""What a request for documents offers: every checklist item of the case's Anliegen by its name (in the
language asked for, never its key), with the document on file for it and whether its original was verified.

The items that apply to the case's answers come first; the required ones among them that have no document,
only an unverified one or an expired verified one are proposed (preticked). Items that do not apply to the
answers are offered too, unticked: the caseworker may still ask for them.
"""

from dataclasses import dataclass

from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

MISSING = "missing"
UNVERIFIED = "unverified"
EXPIRED = "expired"
VERIFIED = "verified"
STATE_LABELS = {
    MISSING: _("no document on file"),
    UNVERIFIED: _("original not verified"),
    EXPIRED: _("verified document has expired"),
    VERIFIED: _("original verified"),
}


@dataclass
class RequestItem:
    key: str
    title: str
    explanation: str
    required: bool
    applies: bool  # the item applies to the case's answers
    document: object  # the e-file document for the item (current version), or None
    state: str  # MISSING, UNVERIFIED, EXPIRED or VERIFIED

    @property
    def proposed(self):
        """Preticked: a required item of this case whose original the office has not verified (or no longer)."""
        return self.applies and self.required and self.state != VERIFIED

    @property
    def state_label(self):
        return STATE_LABELS[self.state]


def _type_name(slug, language):
    from willkommen.efile.selectors import document_type_label

    with translation.override(language):
        return str(document_type_label(slug))


def item_title(item, entry, language):
    """The item's name in ``language``: its catalogue title (with the catalogue's language fallback), else
    the name of its document type – never the bare key."""
    if entry.title and entry.title != item.key:
        return entry.title
    return _type_name(item.document_type or item.key, language)


def _state(document, today):
    if document is None:
        return MISSING
    if document.verified_at is None:
        return UNVERIFIED
    if document.valid_until is not None and document.valid_until < today:
        return EXPIRED
    return VERIFIED


def _documents_by_type(case):
    """{document type: the document that stands for it}: a document filed for this case wins over an older
    one of the person; otherwise a verified one over an unverified one, then the newest."""
    from willkommen.efile.selectors import documents_for_person

    found = {}
    for document in documents_for_person(case.authority, case.person).order_by("-uploaded_at", "-id"):
        rank = (document.case_id == case.pk, document.verified_at is not None)
        current = found.get(document.document_type)
        if current is None or rank > current[0]:
            found[document.document_type] = (rank, document)
    return {kind: document for kind, (_rank, document) in found.items()}


def request_items(case, language, today=None):
    """Every checklist item of the case's Anliegen as a :class:`RequestItem`, titles in ``language``; the
    items that apply to the case's answers first (catalogue order within each group)."""
    from willkommen.catalogue.checklist import applies, entry

    today = today or timezone.localdate()
    documents = _documents_by_type(case)
    rows = []
    for item in case.anliegen.checklist_items.prefetch_related("texts").order_by("order", "id"):
        found = entry(item, language)
        document = documents.get(item.document_type or item.key)
        rows.append(
            RequestItem(
                key=item.key,
                title=item_title(item, found, language),
                explanation=found.explanation,
                required=item.required,
                applies=applies(item.condition, case.answers or {}),
                document=document,
                state=_state(document, today),
            )
        )
    return sorted(rows, key=lambda row: not row.applies)  # stable: catalogue order kept within each group


def titles(case, keys, language):
    """The names of the checklist items ``keys`` in ``language`` (for the client's message and letter)."""
    from willkommen.catalogue.checklist import entry

    names = {
        item.key: item_title(item, entry(item, language), language)
        for item in case.anliegen.checklist_items.prefetch_related("texts")
    }
    return [names.get(key) or _type_name(key, language) for key in keys]
