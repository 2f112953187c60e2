"""Loads the demo data: two authorities, then each room's ``demo.load(authority)``. Safe to run again.

The authorities come from the first room (in ``ROOMS`` order) whose ``demo.py`` offers
``create_authorities()`` (the tenancy room); core names no room.

Each room's load for one authority runs in its own transaction. By default a room whose demo fails is
rolled back and reported on stderr, and the others still load (so ``make run`` still serves); with
``--strict`` the first failure stops the command with the error.
"""

import importlib
import importlib.util

from django.core.management.base import BaseCommand
from django.db import transaction

from willkommen.rooms import ROOMS

# Rooms whose demo data others depend on, in this order; tenancy.load adds routing rules once the
# catalogue exists. Every other room with a demo.py follows in ROOMS order.
FIRST = ["accounts", "catalogue", "tenancy", "clients"]


def _demo_module(room):
    dotted = f"willkommen.{room}.demo"
    if importlib.util.find_spec(f"willkommen.{room}") is None or importlib.util.find_spec(dotted) is None:
        return None
    return importlib.import_module(dotted)


def create_authorities():
    for room in ROOMS:
        module = _demo_module(room)
        if module is not None and callable(getattr(module, "create_authorities", None)):
            return module.create_authorities()
    return []


def demo_modules():
    """The demo modules to run per authority, in order."""
    names = FIRST + [room for room in ROOMS if room not in FIRST and room != "core"]
    modules = []
    for room in names:
        module = _demo_module(room)
        if module is not None and callable(getattr(module, "load", None)):
            modules.append((room, module))
    return modules


def load_demo(*, strict=True):
    """Load everything; returns (authorities, rooms, failures) with failures as [(slug, room, error)]."""
    with transaction.atomic():
        authorities = create_authorities()
    modules = demo_modules()
    failures = []
    for authority in authorities:
        for room, module in modules:
            try:
                with transaction.atomic():
                    module.load(authority)
            except Exception as error:
                if strict:
                    raise
                failures.append((authority.slug, room, error))
    return authorities, [room for room, _module in modules], failures


class Command(BaseCommand):
    help = "Load the demo authorities, staff, catalogue and clients (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--strict", action="store_true", help="Stop at the first room whose demo fails.")

    def handle(self, *args, **options):
        authorities, rooms, failures = load_demo(strict=options["strict"])
        for slug, room, error in failures:
            self.stderr.write(f"Demo data of room '{room}' failed for '{slug}' and was rolled back: {error!r}")
        if options["verbosity"] >= 1:
            names = ", ".join(a.slug for a in authorities)
            self.stdout.write(f"Demo data loaded for {names} ({', '.join(rooms)}).")
