"""Commands of the knowledge room: forms (PDF only, checked by the e-file's upload check), news and country
notes. Each runs in one transaction; texts are rows per language (German required)."""

import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from willkommen.audit.services import record
from willkommen.efile.services import UploadRejected, check_upload

from .models import FALLBACK_LANGUAGE, CountryNote, NewsItem, NewsText, PublicForm, PublicFormText

PDF = "application/pdf"


class KnowledgeError(ValueError):
    def __init__(self, message, field=None):
        super().__init__(str(message))
        self.message = str(message)
        self.field = field


def check_pdf(uploaded_file):
    """The checked upload (size limit, type by content, PDF structure, virus scan) – PDF only."""
    if uploaded_file is not None and not uploaded_file.read(5).startswith(b"%PDF-"):
        raise KnowledgeError(_("Only PDF files are accepted for forms."), "file")
    try:
        checked = check_upload(uploaded_file)
    except UploadRejected as error:
        raise KnowledgeError(error.message, "file") from error
    if checked.content_type != PDF:
        raise KnowledgeError(_("Only PDF files are accepted for forms."), "file")
    return checked


def _save_texts(model, owner_field, owner, texts):
    """``texts``: {language: {field: value}}; a language whose values are all empty is removed."""
    if not (texts.get(FALLBACK_LANGUAGE) or {}).get("title"):
        raise KnowledgeError(_("The German title is required; it is shown where a translation is missing."))
    for language, values in texts.items():
        filled = {key: (value or "").strip() for key, value in values.items()}
        lookup = {"authority": owner.authority, owner_field: owner, "language": language}
        if not filled.get("title"):
            model.objects.filter(**lookup).delete()
            continue
        model.objects.update_or_create(**lookup, defaults=filled)


def save_form(
    authority, actor, *, form=None, uploaded_file=None, texts, anliegen=None, position=0, active=True, submission=None
):
    """Create (``form`` None, file required) or change a form; a new file replaces the old one. A create
    with a ``submission`` key already used returns the form created then (a double click creates once)."""
    if form is None and submission is not None:
        existing = PublicForm.objects.filter(authority=authority, submission=submission).first()
        if existing is not None:
            return existing
    if form is None and uploaded_file is None:
        raise KnowledgeError(_("Please choose a file."), "file")
    checked = check_pdf(uploaded_file) if uploaded_file is not None else None
    if anliegen is not None and anliegen.authority_id != authority.pk:
        raise KnowledgeError(_("Unknown Anliegen."), "anliegen")
    old_file = None
    stored = None
    try:
        with transaction.atomic():
            if form is None:
                form = PublicForm(authority=authority, submission=submission)
            elif form.authority_id != authority.pk:
                raise KnowledgeError(_("Unknown form."))
            if checked is not None:
                stored = default_storage.save(
                    f"knowledge/{authority.pk}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.pdf",
                    ContentFile(checked.content),
                )
                old_file = form.file.name if form.pk else None
                form.file.name = stored
                form.file_name = checked.safe_name
                form.size = checked.size
                form.sha256 = checked.sha256
            form.anliegen = anliegen
            form.position = position
            form.active = active
            created = form.pk is None
            form.save()
            _save_texts(PublicFormText, "form", form, texts)
            record(authority=authority, action="create" if created else "update", obj=form, actor=actor)
    except IntegrityError:
        # Two submits of one page at the same moment: the unique key lets one in, the other finds it.
        if stored:
            default_storage.delete(stored)
        existing = PublicForm.objects.filter(authority=authority, submission=submission).first()
        if submission is None or existing is None:
            raise
        return existing
    except Exception:
        if stored:
            default_storage.delete(stored)
        raise
    if old_file and old_file != stored:
        default_storage.delete(old_file)
    return form


def delete_form(authority, actor, form):
    if form.authority_id != authority.pk:
        raise KnowledgeError(_("Unknown form."))
    name = form.file.name
    with transaction.atomic():
        record(authority=authority, action="delete", obj=form, actor=actor)
        form.delete()
    if name:
        default_storage.delete(name)


def save_news(authority, actor, *, item=None, kind, visible_from, visible_until=None, texts, submission=None):
    """Create or change a news item; a create with a used ``submission`` key returns the first item."""
    if item is None and submission is not None:
        existing = NewsItem.objects.filter(authority=authority, submission=submission).first()
        if existing is not None:
            return existing
    if visible_until is not None and visible_until < visible_from:
        raise KnowledgeError(_("The end must not be before the start."), "visible_until")
    try:
        with transaction.atomic():
            if item is None:
                item = NewsItem(authority=authority, submission=submission)
            elif item.authority_id != authority.pk:
                raise KnowledgeError(_("Unknown news item."))
            created = item.pk is None
            item.kind, item.visible_from, item.visible_until = kind, visible_from, visible_until
            item.save()
            _save_texts(NewsText, "item", item, texts)
            record(authority=authority, action="create" if created else "update", obj=item, actor=actor)
    except IntegrityError:
        existing = NewsItem.objects.filter(authority=authority, submission=submission).first()
        if submission is None or existing is None:
            raise
        return existing
    return item


def delete_news(authority, actor, item):
    if item.authority_id != authority.pk:
        raise KnowledgeError(_("Unknown news item."))
    with transaction.atomic():
        record(authority=authority, action="delete", obj=item, actor=actor)
        item.delete()


def save_country_note(authority, actor, note):
    """Save a country note (a new one or a changed one); one note per country."""
    note.country = (note.country or "").strip().upper()
    if len(note.country) != 3 or not note.country.isalpha() or not note.country.isascii():
        raise KnowledgeError(_("Enter the country as an ISO 3166 alpha-3 code, e.g. SYR."), "country")
    taken = KnowledgeError(_("There is already a note for this country."), "country")
    created = note.pk is None
    try:
        with transaction.atomic():
            if CountryNote.objects.filter(authority=authority, country=note.country).exclude(pk=note.pk).exists():
                raise taken
            note.authority = authority
            note.updated_by = actor
            note.save()
            record(authority=authority, action="create" if created else "update", obj=note, actor=actor)
    except IntegrityError as error:  # the same country saved at the same moment: the unique key decides
        if created:
            note.pk = None
        raise taken from error
    return note
