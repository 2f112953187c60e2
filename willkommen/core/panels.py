"""Hook: panels that higher rooms add to pages of lower rooms (the portal home, the person page).

A page names a slot in its template (``{% load panels %}{% panels "portal.home" %}``, or with an object:
``{% panels "clients.person" person %}``); a room registers a provider for that slot in its
``AppConfig.ready()``: ``provider(request, obj)`` returns HTML (already escaped, e.g. from
``render_to_string``) or ``""``. Without a registration the slot renders nothing, so the lower room
still works. Providers run by ``order`` (default 100), then in the order of registration.

Slots in use: ``portal.home`` (core's portal home), ``clients.person`` (the desk's person page: the
sections of the other rooms, "one view of a person"), ``clients.person.actions`` (its action links),
``cases.detail`` (the case page, beside the facts), ``portal.my`` (the client's overview "my matters",
applications/my_matters.py: bookings, consents), ``cases.case`` (the case page's actions),
``cases.decision`` (inside the decision form) and ``office.setup`` (the office's set-up hub at
``/desk/office/``: each room's links to its set-up pages, as ``<li>`` items; ``audit.office_views.register_link``).
"""

from django.utils.safestring import mark_safe

_providers = {}


def register(slot, provider, *, order=100):
    """Add ``provider`` to ``slot``; a lower ``order`` renders earlier. Registering it again is harmless."""
    providers = _providers.setdefault(slot, [])
    if all(existing is not provider for _order, existing in providers):
        providers.append((order, provider))
        providers.sort(key=lambda entry: entry[0])  # stable: equal orders keep the order of registration


def render(slot, request, obj=None):
    if request is None:
        return ""
    parts = [provider(request, obj) for _order, provider in _providers.get(slot, [])]
    return mark_safe("".join(part for part in parts if part))  # noqa: S308 (providers return escaped HTML)
