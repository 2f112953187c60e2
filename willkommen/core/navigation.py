"""Menus assembled from the rooms: each room may have ``nav.py`` with ``DESK`` and ``PORTAL`` lists.

``DESK``: (label, url name, capability). ``PORTAL``: (label, url name, description).
A room adds its entries there; no shared template needs to change.
"""

from functools import lru_cache
from importlib import import_module
from importlib.util import find_spec

from django.urls import NoReverseMatch, reverse

from willkommen.rooms import ROOMS


@lru_cache(maxsize=1)
def _modules():
    found = []
    for room in ROOMS:
        name = f"willkommen.{room}.nav"
        if find_spec(name) is not None:
            found.append(import_module(name))
    return found


def _url(name):
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


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
