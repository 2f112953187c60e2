"""Producing letters and certificates: a PDF in German with the client's language alongside, stored,
put into the e-file (through the filer the e-file room registers) and handed to the client's channel."""

import hashlib
from datetime import date

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import FiktionParagraph, Fiktionsbescheinigung, Letter, LetterKind, SerialCounter
from .pdf import render_pdf

TEMPLATES = {
    LetterKind.REQUEST_DOCUMENTS: "letters/request_documents.html",
    LetterKind.INTERIM_ANSWER: "letters/interim_answer.html",
    LetterKind.STATUS_MESSAGE: "letters/status_message.html",
    LetterKind.DECISION: "letters/decision.html",
    LetterKind.FIKTION: "letters/fiktion.html",
    LetterKind.NOTICE: "letters/notice.html",  # any text of the template store (``notice_key``) as a letter
}


class LetterError(Exception):
    def __init__(self, message, errors=None):
        super().__init__(str(message))
        self.message = str(message)
        self.errors = errors or []


def letter_languages(person):
    """German always; the client's language alongside when it is one we ship and not German."""
    language = (getattr(person, "preferred_language", "") or "de").split("-")[0]
    known = dict(settings.LANGUAGES)
    if language in known and language != "de":
        return ["de", language]
    return ["de"]


def render_letter(kind, context, languages):
    """The PDF bytes: the German text first, then the translation (each section in its own direction)."""
    return render_pdf(
        "letters/bilingual.html",
        {**context, "body_template": TEMPLATES[kind], "sections": _sections(languages)},
        language=languages[-1],
    )


def _sections(languages):
    return [{"code": code, "dir": "rtl" if code in settings.LANGUAGES_BIDI else "ltr"} for code in languages]


_filers = []


def register_filer(filer):
    """Hook: ``filer(authority, person, content, *, file_name, case, title, text)`` keeps a produced letter
    (the e-file room registers one in ``EfileConfig.ready()``) and returns the id it was kept under."""
    if filer not in _filers:
        _filers.append(filer)


def _to_efile(authority, person, content, *, file_name, case, title, text):
    """Hand the PDF to the registered filer (the e-file); returns its document id, or None without one."""
    document_id = None
    for filer in _filers:
        document_id = filer(authority, person, content, file_name=file_name, case=case, title=title, text=text)
    return document_id


def create_letter(authority, *, person, kind, context, case=None, actor=None, title="", for_post=False):
    """Render, store and file a letter. Returns the Letter."""
    languages = letter_languages(person)
    context = {"authority": authority, "person": person, "case": case, "today": timezone.localdate(), **context}
    content = render_letter(kind, context, languages)
    with translation.override("de"):
        title = title or str(LetterKind(kind).label)
    file_name = f"{kind}-{case.number if case else person.pk}-{'-'.join(languages)}.pdf"
    with transaction.atomic():
        letter = Letter(
            authority=authority,
            person=person,
            case=case,
            kind=kind,
            languages="+".join(languages),
            title=title[:200],
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            for_post=for_post,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        letter.file.save(file_name, ContentFile(content), save=False)
        letter.efile_document_id = _to_efile(
            authority, person, content, file_name=file_name, case=case, title=title, text=""
        )
        letter.save()
    return letter


def preview_letter(authority, *, person, kind, context, case=None):
    """The PDF bytes of the letter :func:`create_letter` would make, marked as a draft ("ENTWURF") – for the
    second pair of eyes before it goes out. Nothing is stored, filed or sent."""
    languages = letter_languages(person)
    context = {"authority": authority, "person": person, "case": case, "today": timezone.localdate(), **context}
    return render_letter(kind, {**context, "draft": True}, languages)


def letter_content(letter):
    """The PDF's bytes, verified against the checksum stored with the letter."""
    from willkommen.core.storage import read_verified

    return read_verified(letter.file.name, letter.sha256)


def letter_download(letter, filename, attachment=False):
    """The response for a letter whose reading the caller has allowed and logged (stream or signed URL)."""
    from willkommen.core.storage import download

    return download(
        letter.file.name, letter.sha256, content_type="application/pdf", filename=filename, attachment=attachment
    )


# --- Fiktionsbescheinigung ---------------------------------------------------------------------


def next_serial(authority):
    """F + 7 digits, gap-free per authority (row lock inside the caller's transaction)."""
    SerialCounter.objects.get_or_create(authority=authority)
    counter = SerialCounter.objects.select_for_update().get(authority=authority)
    counter.last += 1
    counter.save(update_fields=["last"])
    if counter.last > 9_999_999:
        raise LetterError(_("The serial numbers are used up."))
    return f"F{counter.last:07d}"


REQUIRED_ID_FIELDS = ("id_document_type", "id_document_number", "id_document_issuer", "id_document_issued_on")


def issue_fiktion(case, actor, *, paragraph, valid_until, conditions="", place="", **id_document):
    """Issue the certificate of continued residence for ``case`` and produce its PDF."""
    errors = []
    if paragraph not in FiktionParagraph.values:
        errors.append(_("Choose which rule of § 81 applies."))
    if not isinstance(valid_until, date) or valid_until <= timezone.localdate():
        errors.append(_("The certificate must be valid beyond today."))
    for name in REQUIRED_ID_FIELDS:
        if not id_document.get(name):
            errors.append(_("The identity document is incomplete."))
            break
    if errors:
        raise LetterError(_("The certificate could not be issued."), errors)
    authority = case.authority
    person = case.person
    with transaction.atomic():
        certificate = Fiktionsbescheinigung.objects.create(
            authority=authority,
            serial=next_serial(authority),
            person=person,
            case=case,
            family_name=person.family_name,
            given_names=person.given_names,
            date_of_birth=person.date_of_birth,
            nationality=", ".join(person.nationalities or []) or "–",
            paragraph=paragraph,
            valid_until=valid_until,
            conditions=conditions or "",
            office=authority.name,
            place=place or authority.city or authority.name,
            issued_on=timezone.localdate(),
            issued_by=actor,
            **{k: id_document[k] for k in REQUIRED_ID_FIELDS},
        )
        letter = certificate_letter(certificate, actor)
    return certificate, letter


def extend_fiktion(certificate, actor, *, valid_until):
    if len(certificate.extensions) >= Fiktionsbescheinigung.MAX_EXTENSIONS:
        raise LetterError(_("This certificate has been extended twice already; issue a new one."))
    if not isinstance(valid_until, date) or valid_until <= certificate.current_valid_until:
        raise LetterError(_("The extension must end after the current validity."))
    with transaction.atomic():
        certificate = Fiktionsbescheinigung.objects.select_for_update().get(pk=certificate.pk)
        if len(certificate.extensions) >= Fiktionsbescheinigung.MAX_EXTENSIONS:
            raise LetterError(_("This certificate has been extended twice already; issue a new one."))
        certificate.extensions = [
            *certificate.extensions,
            {
                "valid_until": valid_until.isoformat(),
                "on": timezone.localdate().isoformat(),
                "by": actor.display_name,
                "office": certificate.office,
            },
        ]
        certificate.save(update_fields=["extensions"])
        letter = certificate_letter(certificate, actor)
    return certificate, letter


def certificate_letter(certificate, actor=None):
    return create_letter(
        certificate.authority,
        person=certificate.person,
        case=certificate.case,
        kind=LetterKind.FIKTION,
        context={"certificate": certificate, "extensions": _extension_rows(certificate)},
        actor=actor,
        title=f"Fiktionsbescheinigung {certificate.serial}",
    )


def _extension_rows(certificate):
    return [
        {"number": i + 1, "valid_until": date.fromisoformat(e["valid_until"]), "on": date.fromisoformat(e["on"])}
        for i, e in enumerate(certificate.extensions)
    ]
