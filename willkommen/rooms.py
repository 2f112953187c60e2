"""The rooms (Django apps) of Willkommen, in dependency order. URLs, menus and demo data are gathered from them."""

ROOMS = [
    "core",
    "tenancy",
    "accounts",
    "audit",
    "clients",
    "catalogue",
    "letters",
    "accommodation",
    "messaging",
    "efile",
    "cases",
    "applications",
    "appointments",
    "servicepoint",
    "reports",
]
