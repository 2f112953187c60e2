"""Menus assembled from the rooms: each room may have ``nav.py`` with ``DESK`` and ``PORTAL`` lists.

``DESK``: (label, url name, capability). ``PORTAL``: (label, url name, description).
A room adds its entries there; no shared template needs to change.
"""

from functools import lru_cache
from importlib import import_module
from importlib.util import find_spec

from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse

from willkommen.rooms import ROOMS


@lru_cache(maxsize=1)
def _modules():
    found = []
    for room in ROOMS:
        name = f"willkommen.{room}.nav"
        if find_spec(name) is not None:
            found.append(import_module(name))
    return found


@lru_cache(maxsize=4096)
def _reversed(name, prefix, urlconf):
    try:
        return reverse(name, urlconf=urlconf)
    except NoReverseMatch:
        return None


def _url(name):
    """The menu entry's address. The menus name pages without arguments, so an address depends only on the
    script prefix (the authority's ``/a/<slug>/``) and the URLconf: reversed once per prefix, not on every page."""
    return _reversed(name, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)


def desk_entries(user):
    entries = []
    for module in _modules():
        for label, url_name, capability in getattr(module, "DESK", []):
            url = _url(url_name)
            if url and user.can(capability):
                entries.append({"label": label, "url": url, "name": url_name})
    return entries


def portal_entries():
    entries = []
    for module in _modules():
        for label, url_name, description in getattr(module, "PORTAL", []):
            url = _url(url_name)
            if url:
                entries.append({"label": label, "url": url, "description": description, "name": url_name})
    return entries
