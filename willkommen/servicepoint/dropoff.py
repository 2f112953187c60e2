"""Documents handed in at the ServicePoint: into the e-file (all or nothing), the receipt as PDF (its
text from messaging's template store) and by e-mail."""

import re
import unicodedata
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import DropOff
from .opening import ServicePointError


def record_drop_off(authority, person, files, *, staff, case=None, ticket=None):
    """Add the handed-in documents to the person's e-file (and the case, if named).

    ``files``: list of (uploaded_file, document_type, title). All or nothing: if one file is
    refused, none is kept and the e-file's ``UploadRejected`` is raised."""
    from willkommen.efile import services as efile

    if person.authority_id != authority.pk or (case is not None and case.authority_id != authority.pk):
        raise ServicePointError(_("The person or case was not found."))
    if not files:
        raise ServicePointError(_("Please add at least one document."))
    with transaction.atomic():
        items = []
        for uploaded, document_type, title in files:
            document = efile.add_document(
                authority,
                person,
                uploaded,
                document_type=document_type,
                source="servicepoint",
                case=case,
                uploaded_by=staff,
                title=title,
            )
            items.append(
                {
                    "document_id": document.pk,
                    "title": title,
                    "document_type": document_type,
                    "file_name": document.original_name,
                    "sha256": document.sha256,
                }
            )
        return DropOff.objects.create(
            authority=authority, person=person, case=case, ticket=ticket, items=items, received_by=staff
        )


def receipt_items(drop_off):
    """The received documents with their type in the active language."""
    from willkommen.efile.models import document_type_label

    return [
        {**item, "label": item.get("title") or document_type_label(item.get("document_type", "other"))}
        for item in drop_off.items
    ]


def _documents(drop_off, language):
    """ "Type – file name" of each document handed in, the type in ``language``."""
    with translation.override(language):
        return [
            " – ".join(str(part) for part in (item["label"], item.get("file_name")) if part)
            for item in receipt_items(drop_off)
        ]


def receipt_pdf(drop_off, language="de"):
    from willkommen.letters.pdf import render_pdf

    return render_pdf(
        "servicepoint/receipt_pdf.html",
        {
            "drop_off": drop_off,
            "authority": drop_off.authority,
            "person": drop_off.person,
            "items": receipt_items(drop_off),
            "text_values": {
                "date": timezone.localtime(drop_off.received_at),
                "documents": lambda lang: _documents(drop_off, lang),
            },
        },
        language=language,
    )


def email_receipt(drop_off, email, language="de"):
    """E-mail the receipt (template store: ``dropoff_receipt``) with the PDF attached."""
    from willkommen.messaging import services as messaging

    person = drop_off.person
    values = {
        "name": f"{person.given_names} {person.family_name}".strip(),
        "date": timezone.localtime(drop_off.received_at).date(),
        "documents": lambda lang: _documents(drop_off, lang),
        "case_number": drop_off.case.number if drop_off.case else "",
        "authority": drop_off.authority.name,
    }
    with transaction.atomic():
        messaging.send_template(
            drop_off.authority,
            "dropoff_receipt",
            context=values,
            email=email,
            person=person,
            case=drop_off.case,
            language=language,
            attachments=[(f"receipt-{drop_off.pk}.pdf", receipt_pdf(drop_off, language), "application/pdf")],
        )
        DropOff.objects.filter(pk=drop_off.pk).update(receipt_emailed_to=email)


# --- whose documents: the client found by case number, name and date of birth, or client number ---------

MAX_CANDIDATES = 20  # more people of one name and birthday than this: ask for the case number instead
MAX_BORN_ON_ONE_DAY = 2000  # persons of one authority born on the same day that are compared by name


@dataclass
class ClientMatch:
    """The outcome of :func:`find_client`: exactly one person (``person``, and ``case`` when found by case
    number), several (``candidates``, each with its case numbers) or none (``error``)."""

    person: object = None
    case: object = None
    candidates: list = field(default_factory=list)
    error: str = ""
    too_many: bool = False

    @property
    def found(self):
        return self.person is not None


def _fold(text):
    """A name as compared: case-insensitive, without accents, German umlauts as their base letters
    (Öztürk = Ozturk, Müller = Mueller = Muller), any script (Arabic, Cyrillic, ... kept as written)."""
    text = unicodedata.normalize("NFKD", (text or "").casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    for src, dst in (("ı", "i"), ("ae", "a"), ("oe", "o"), ("ue", "u")):
        text = text.replace(src, dst)
    return text


def _tokens(*names):
    words = set()
    for name in names:
        words.update(w for w in re.split(r"[\s,;.\-‐'’]+", _fold(name)) if w)
    return words


def _name_tokens(person):
    """Every word of every name the person is known by: Latin and original script, name at birth, aliases."""
    names = [
        person.family_name,
        person.given_names,
        person.family_name_native,
        person.given_names_native,
        person.birth_name,
    ]
    for alias in person.aliases.all():
        names += [alias.family_name, alias.given_names]
    return _tokens(*names)


def name_matches(person, name):
    """Every word typed is (the beginning of) one of the person's name words: "Yilmaz", "ayse yilm",
    "Yılmaz, Ayşe" and the name in Arabic script find the same person."""
    typed = _tokens(name)
    if not typed:
        return False
    words = _name_tokens(person)
    return all(any(word.startswith(part) for word in words) for part in typed)


def persons_named(authority, name, date_of_birth):
    """The active persons of ``authority`` born on ``date_of_birth`` whose names match ``name`` (see
    :func:`name_matches`). SQL narrows by authority and birthday (indexed), the names are compared here so
    that case, accents and scripts are compared the same way on SQLite and PostgreSQL."""
    from willkommen.clients.selectors import persons

    born = persons(authority).filter(date_of_birth=date_of_birth).prefetch_related("aliases")
    return [p for p in born.order_by("family_name", "given_names", "pk")[:MAX_BORN_ON_ONE_DAY] if name_matches(p, name)]


def case_numbers(authority, persons):
    """{person id: [case numbers, newest first]} for the listed persons (one query)."""
    from willkommen.cases.selectors import all_cases

    numbers = {p.pk: [] for p in persons}
    rows = all_cases(authority).filter(person__in=[p.pk for p in persons]).order_by("-received_at", "-pk")
    for person_id, number in rows.values_list("person_id", "number"):
        numbers[person_id].append(number)
    return numbers


def find_client(authority, *, case_number="", name="", date_of_birth=None, person_id=None):
    """Whose documents these are, within ``authority`` only (another authority's persons and cases are
    "not found", never named). The first of these that is given decides:

    - ``person_id`` (the client number of the file, or the choice among several matches);
    - ``case_number``: the case and its person;
    - ``name`` and ``date_of_birth`` together: exactly one person, several to choose from, or none.
    """
    from willkommen.cases.selectors import case_by_number
    from willkommen.clients.selectors import persons

    if person_id:
        person = persons(authority).filter(pk=person_id).first()
        return ClientMatch(person=person) if person else ClientMatch(error=_("No client with this number."))
    if (case_number or "").strip():
        case = case_by_number(authority, case_number)
        if case is None:
            return ClientMatch(error=_("No case with this number."))
        return ClientMatch(person=case.person, case=case)
    if (name or "").strip() and date_of_birth:
        found = persons_named(authority, name, date_of_birth)
        if len(found) == 1:
            return ClientMatch(person=found[0])
        if not found:
            return ClientMatch(
                error=_(
                    "No client with this name and date of birth. Check the spelling and the date, try the name "
                    "in the other script or an earlier name, or search by case number."
                )
            )
        return ClientMatch(candidates=found[:MAX_CANDIDATES], too_many=len(found) > MAX_CANDIDATES)
    return ClientMatch(error=_("Enter the case number, or the client's name and date of birth."))
