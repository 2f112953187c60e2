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
