"""``{% panels "slot" obj %}``: the panels higher rooms registered for a slot (core/panels.py)."""

from django import template

from willkommen.core import panels as registry

register = template.Library()


@register.simple_tag(takes_context=True)
def panels(context, slot, obj=None):
    return registry.render(slot, context.get("request"), obj)
