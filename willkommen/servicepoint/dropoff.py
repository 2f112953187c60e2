"""Documents handed in at the ServicePoint: into the e-file (all or nothing), the receipt as PDF (its
text from messaging's template store) and by e-mail."""

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
