"""Template helpers shared by every room."""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.filter
def bdi(value):
    """Isolate dates, numbers and references so right-to-left text does not reorder them."""
    if value is None or value == "":
        return ""
    return format_html('<bdi dir="ltr">{}</bdi>', value)


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
