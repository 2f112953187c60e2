"""Rendering PDFs with WeasyPrint from Django templates.

Letters render in the client's language with the German text where legal weight needs
it; right-to-left scripts use Noto Naskh Arabic (Debian's fonts-noto-core) and dates and
numbers are isolated with the ``bdi`` filter.
"""

import hashlib
import threading

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils import translation


def _stylesheet():
    path = finders.find("letters/letter.css")
    return path


_shared = threading.local()


def _fonts_and_stylesheets():
    """The font configuration and the parsed letter stylesheet, built once per thread (WeasyPrint's objects
    are not shared between threads): fonts are looked up and the CSS parsed once, not for every letter."""
    if not hasattr(_shared, "fonts"):
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        fonts = FontConfiguration()
        path = _stylesheet()
        _shared.fonts = fonts
        _shared.stylesheets = [CSS(filename=path, font_config=fonts)] if path else []
    return _shared.fonts, _shared.stylesheets


def render_html(template_name, context, language="de"):
    """The HTML of ``template_name`` in ``language``, as the PDF renderer gets it."""
    with translation.override(language):
        return render_to_string(
            template_name,
            {
                **context,
                "language": language,
                "text_direction": "rtl" if language in settings.LANGUAGES_BIDI else "ltr",
            },
        )


def html_to_pdf(html):
    from weasyprint import HTML

    fonts, stylesheets = _fonts_and_stylesheets()
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(stylesheets=stylesheets, font_config=fonts)


def render_pdf(template_name, context, language="de"):
    """Render ``template_name`` (HTML) to PDF bytes in ``language``."""
    return html_to_pdf(render_html(template_name, context, language))


RENDERED_DIR = "rendered"
RENDERED_SECONDS = 30 * 24 * 3600


def render_pdf_once(template_name, context, language="de", *, kind):
    """:func:`render_pdf` for documents that many people download alike (a checklist per Anliegen, answers
    and language): rendered once and kept in the storage under ``rendered/<kind>/``, found again by the
    SHA-256 of their HTML – everything the page shows, so any change of a text, fee or address renders
    anew – and served only while the stored file still has the checksum recorded when it was stored
    (otherwise rendered and stored again). The HTML costs milliseconds; WeasyPrint costs a hundred or more."""
    html = render_html(template_name, context, language)
    key = hashlib.sha256(html.encode("utf-8")).hexdigest()
    entry_key = f"pdf-once:{kind}:{key}"
    entry = cache.get(entry_key)
    if entry:
        name, checksum = entry
        try:
            with default_storage.open(name, "rb") as stored:
                content = stored.read()
        except Exception:  # noqa: BLE001 (gone, unreadable, or the object store's own error: render anew)
            content = None
        if content is not None and hashlib.sha256(content).hexdigest() == checksum:
            return content
    content = html_to_pdf(html)
    name = default_storage.save(f"{RENDERED_DIR}/{kind}/{key[:2]}/{key}.pdf", ContentFile(content))
    cache.set(entry_key, (name, hashlib.sha256(content).hexdigest()), RENDERED_SECONDS)
    return content
