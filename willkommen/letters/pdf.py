"""Rendering PDFs with WeasyPrint from Django templates.

Letters render in the client's language with the German text where legal weight needs
it; right-to-left scripts use Noto Naskh Arabic (Debian's fonts-noto-core) and dates and
numbers are isolated with the ``bdi`` filter.
"""

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation


def _stylesheet():
    path = finders.find("letters/letter.css")
    return path


def render_pdf(template_name, context, language="de"):
    """Render ``template_name`` (HTML) to PDF bytes in ``language``."""
    from weasyprint import CSS, HTML

    with translation.override(language):
        html = render_to_string(
            template_name,
            {
                **context,
                "language": language,
                "text_direction": "rtl" if language in settings.LANGUAGES_BIDI else "ltr",
            },
        )
    stylesheets = [CSS(filename=_stylesheet())] if _stylesheet() else []
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(stylesheets=stylesheets)
