"""The rooms (Django apps) of Willkommen, in dependency order. URLs, menus and demo data are gathered from them.

A room may import only rooms listed before it (``core/tests/test_import_graph.py`` checks every import,
also those inside functions). Three layers:

- the ground knows no domain: core, tenancy, audit, accounts, letters (the audit log is below accounts:
  every room writes into it, accounts too);
- the base rooms know the person but no case, booking or accommodation: clients, catalogue, efile, messaging;
- the domain rooms: accommodation, cases, contact, applications, appointments, servicepoint, knowledge, rights,
  partners, reports.

Where a lower room needs something only a higher one knows, the lower room offers a hook and the higher
room registers into it in its ``AppConfig.ready()`` (docs/architecture.md, "Hooks").
"""

GROUND = ["core", "tenancy", "audit", "accounts", "letters"]
BASE = ["clients", "catalogue", "efile", "messaging"]
DOMAIN = [
    "accommodation",
    "cases",
    "contact",
    "applications",
    "appointments",
    "servicepoint",
    "knowledge",
    "rights",
    "partners",
    "reports",
]
LAYERS = {"ground": GROUND, "base": BASE, "domain": DOMAIN}

ROOMS = [*GROUND, *BASE, *DOMAIN]
