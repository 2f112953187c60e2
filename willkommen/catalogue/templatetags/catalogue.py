"""Catalogue texts in templates: ``{% load catalogue %}{{ case.anliegen|anliegen_title }}``."""

from django import template
from django.utils import translation

from willkommen.catalogue import selectors

register = template.Library()


@register.filter
def anliegen_title(anliegen):
    """The Anliegen's title in the page's language (with the catalogue's fallback), else its slug.
    Prefetch ``anliegen__texts`` for lists."""
    if anliegen is None:
        return ""
    return selectors.title(anliegen, translation.get_language() or "de")
