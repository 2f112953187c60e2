"""Template helpers shared by every room."""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.filter
def bdi(value):
    """Isolate dates, numbers and references so right-to-left text does not reorder them."""
    if value is None or value == "":
        return ""
    if "\u200f" in str(value):
        # Django's Arabic and Persian date formats carry right-to-left marks ("d\u200f/m\u200f/Y") so that the
        # date reads day, month, year from the right; forcing left-to-right would scramble it.
        return format_html("<bdi>{}</bdi>", value)
    return format_html('<bdi dir="ltr">{}</bdi>', value)


def _dial(value):
    """The number a ``tel:`` link dials: digits and a leading plus, nothing else ("+49 89 1234-0" -> "+498912340")."""
    text = str(value).strip()
    digits = "".join(ch for ch in text if ch.isdigit())
    return ("+" if text.startswith("+") else "") + digits


@register.filter
def tel(value):
    """A phone number as a ``tel:`` link, isolated left-to-right so "+49 89 1234-0" keeps its order in
    right-to-left text (pages and PDFs)."""
    if value is None or str(value).strip() == "":
        return ""
    return format_html('<a class="kern-link" href="tel:{}"><bdi dir="ltr">{}</bdi></a>', _dial(value), value)


@register.filter
def mailto(value):
    """An e-mail address as a ``mailto:`` link, isolated left-to-right."""
    if value is None or str(value).strip() == "":
        return ""
    return format_html('<a class="kern-link" href="mailto:{}"><bdi dir="ltr">{}</bdi></a>', str(value).strip(), value)


@register.filter
def user_text(value):
    """Text a person typed (a name, a subject) in ``<bdi>``: its own writing direction, or a stray
    direction control, cannot reorder the page around it. For use inside blocktranslate; elsewhere
    templates write ``<bdi>...</bdi>`` themselves."""
    if value is None or value == "":
        return ""
    return format_html("<bdi>{}</bdi>", value)


@register.filter
def one_line(value):
    """User text as one line without control or bidi control characters: for plain-text mail."""
    from willkommen.core.text import one_line as clean

    return clean(value)


@register.filter
def isolate(value):
    """User text as one line between FSI and PDI, for plain text without ``<bdi>`` (a page title)."""
    from willkommen.core.text import isolate as wrap

    return wrap(value)


@register.simple_tag(takes_context=True)
def language_url(context, code):
    from django.urls import reverse
    from django.utils.http import urlencode

    request = context["request"]
    return f"{reverse('core:language', args=[code])}?{urlencode({'next': request.get_full_path()})}"


# KERN's class for each kind of widget, added where a form did not set it.
KERN_WIDGET_CLASS = {
    "select": "kern-form-input__select",
    "text": "kern-form-input__input",
    "email": "kern-form-input__input",
    "number": "kern-form-input__input",
    "date": "kern-form-input__input",
    "datetime": "kern-form-input__input",
    "time": "kern-form-input__input",
    "password": "kern-form-input__input",
    "url": "kern-form-input__input",
    "textarea": "kern-form-input__input",
    "file": "kern-form-input__input",
    "clearablefile": "kern-form-input__input",
}


@register.filter
def kern(field):
    """Render a bound field with KERN's class for its widget (kept when the form set it already),
    the error modifier when it has errors, and aria-describedby for its hint and error."""
    css = KERN_WIDGET_CLASS.get(field.widget_type)
    attrs = {}
    existing = field.field.widget.attrs.get("class", "")
    if css:
        classes = existing.split()
        if css not in classes:
            classes.append(css)
        if field.errors:
            classes.append(f"{css}--error")
        attrs["class"] = " ".join(classes)
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}_hint")
    if field.errors:
        described.append(f"{field.auto_id}_error")
        attrs["aria-invalid"] = "true"
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return field.as_widget(attrs=attrs)


@register.filter
def country_names(codes):
    """``{{ person.nationalities|country_names }}``: ["SYR"] -> "Syrien" in the reader's language."""
    from willkommen.core.labels import country_names as names

    if isinstance(codes, str):
        codes = [part for part in codes.replace(";", ",").split(",")]
    return names(codes)


@register.filter
def language_names(codes):
    """``{{ "de+ar"|language_names }}``: "Deutsch, Arabisch" – codes joined by "+" or "," by name."""
    from willkommen.core.labels import language_name as name

    parts = str(codes or "").replace("+", ",").split(",")
    return ", ".join(str(name(code.strip())) for code in parts if code.strip())


@register.filter
def negate(value):
    """``{{ -3|negate }}`` -> 3."""
    try:
        return -int(value)
    except (TypeError, ValueError):
        return value


@register.filter
def language_name(code):
    """``{{ code|language_name }}``: "ar" -> "Arabisch" in the reader's language."""
    from willkommen.core.labels import language_name as name

    return name(code)


@register.filter
def local_lines(value):
    """``{{ authority_text|local_lines }}``: a text an authority entered, line breaks kept, marked with its
    language and "(in German)" when it is not in the page's language (core/localized.py)."""
    from willkommen.core.localized import local_lines as render

    return render(value)


@register.filter
def local(obj, field):
    """``{{ authority|local:"phone_hours" }}``: the field of a row with texts per language, in the active
    language (else German, marked). The row offers ``local_text(field, language)``."""
    from django.utils import translation

    if obj is None:
        return ""
    return obj.local_text(field, translation.get_language())


def _isolated_date(text):
    """A written-out date in ``<bdi>``: left-to-right in left-to-right languages; in Arabic and Persian the
    month's name sets the direction, so the day stays on the right of the month as it is read."""
    if not text:
        return ""
    from django.utils.translation import get_language_bidi

    if get_language_bidi():
        return format_html("<bdi>{}</bdi>", text)
    return format_html('<bdi dir="ltr">{}</bdi>', text)


@register.filter
def local_date(value):
    """``{{ value|local_date }}``: a date (or datetime, or ISO string) as clients read it in the page's
    language ("12. April 1999", "12 April 1999"), isolated (``core/dates.py``)."""
    from willkommen.core import dates

    return _isolated_date(dates.local_date(value))


@register.filter
def local_datetime(value):
    """``{{ value|local_datetime }}``: date and local time ("12. April 1999, 14:30"), isolated."""
    from willkommen.core import dates

    return _isolated_date(dates.local_datetime(value))


@register.filter
def local_date_text(value):
    """The same date as plain text, where markup cannot go (an ``<option>``, an attribute)."""
    from willkommen.core import dates

    return dates.local_date(value)
