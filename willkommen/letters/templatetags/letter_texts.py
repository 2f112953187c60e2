"""``{% text_block "key" values=... name=value as block %}``: a text block of the template store in the
active language (inside ``{% language %}`` of a letter section); ``block.subject`` is its heading,
``block.html`` its text. The authority comes from the template's ``authority``."""

from django import template
from django.utils import translation

from willkommen.letters import texts

register = template.Library()


@register.simple_tag(takes_context=True)
def text_block(context, key, values=None, **more):
    return texts.block(context.get("authority"), key, translation.get_language(), {**(values or {}), **more})
