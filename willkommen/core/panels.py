"""Hook: panels that higher rooms add to pages of lower rooms (the portal home, the person page).

A page names a slot in its template (``{% load panels %}{% panels "portal.home" %}``, or with an object:
``{% panels "clients.person" person %}``); a room registers a provider for that slot in its
``AppConfig.ready()``: ``provider(request, obj)`` returns HTML (already escaped, e.g. from
``render_to_string``) or ``""``. Without a registration the slot renders nothing, so the lower room
still works. Providers run in the order of registration.

Slots in use: ``portal.home`` (core's portal home), ``clients.person`` (the desk's person page),
``cases.detail`` (the case page, beside the facts), ``cases.case`` (the case page's actions) and
``cases.decision`` (inside the decision form).
"""

from django.utils.safestring import mark_safe

_providers = {}


def register(slot, provider):
    providers = _providers.setdefault(slot, [])
    if provider not in providers:
        providers.append(provider)


def render(slot, request, obj=None):
    if request is None:
        return ""
    parts = [provider(request, obj) for provider in _providers.get(slot, [])]
    return mark_safe("".join(part for part in parts if part))  # noqa: S308 (providers return escaped HTML)
