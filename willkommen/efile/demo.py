"""Demo data: a few documents in the files of the first demo persons (idempotent)."""

import io

DEMO_TITLE = "Demo: Reisepass"


def _pdf(text):
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})}
    )
    stream = DecodedStreamObject()
    stream.set_data(f"BT /F1 14 Tf 60 760 Td ({text}) Tj ET".encode("latin-1", "replace"))
    page[NameObject("/Contents")] = writer._add_object(stream)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def load(authority):
    from willkommen.clients.selectors import persons

    from .models import Document
    from .services import add_generated_document

    for person in persons(authority).order_by("id")[:3]:
        if Document.objects.filter(authority=authority, person=person, title=DEMO_TITLE).exists():
            continue
        text = f"Reisepass {person.family_name} {person.given_names} Nummer C0{person.pk:07d}"
        add_generated_document(
            authority,
            person,
            _pdf(text),
            file_name=f"reisepass-{person.pk}.pdf",
            document_type="passport",
            title=DEMO_TITLE,
            text=text,
        )
