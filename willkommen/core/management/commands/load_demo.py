"""Loads the demo data: two authorities, then each room's ``demo.load(authority)``. Safe to run again."""

import importlib
import importlib.util

from django.core.management.base import BaseCommand

from willkommen.rooms import ROOMS

# Rooms whose demo data others depend on, in this order; tenancy.load adds routing rules once the
# catalogue exists. Every other room with a demo.py follows in ROOMS order.
FIRST = ["accounts", "catalogue", "tenancy", "clients"]


def demo_modules():
    """The demo modules to run per authority, in order."""
    names = FIRST + [room for room in ROOMS if room not in FIRST and room != "core"]
    modules = []
    for room in names:
        dotted = f"willkommen.{room}.demo"
        if importlib.util.find_spec(f"willkommen.{room}") is None or importlib.util.find_spec(dotted) is None:
            continue
        module = importlib.import_module(dotted)
        if callable(getattr(module, "load", None)):
            modules.append((room, module))
    return modules


def load_demo():
    from willkommen.tenancy.demo import create_authorities

    authorities = create_authorities()
    modules = demo_modules()
    for authority in authorities:
        for _room, module in modules:
            module.load(authority)
    return authorities, [room for room, _module in modules]


class Command(BaseCommand):
    help = "Load the demo authorities, staff, catalogue and clients (idempotent)."

    def handle(self, *args, **options):
        authorities, rooms = load_demo()
        if options["verbosity"] >= 1:
            names = ", ".join(a.slug for a in authorities)
            self.stdout.write(f"Demo data loaded for {names} ({', '.join(rooms)}).")
