"""Staff roles and what each may do. One table, read by views, APIs and tests alike."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CASEWORKER = "caseworker", _("Caseworker")
    TEAM_LEAD = "team_lead", _("Team lead")
    SERVICEPOINT = "servicepoint", _("ServicePoint")
    ACCOMMODATION = "accommodation", _("Accommodation management")
    HEAD_OF_OFFICE = "head_of_office", _("Head of office")
    ADMINISTRATOR = "administrator", _("Administrator")
    PARTNER = "partner", _("Partner organisation")


# Capabilities by role. Rooms check capabilities, never role names, so a new role is one line here.
CAPABILITIES = {
    Role.CASEWORKER: {"desk", "clients.view", "clients.edit", "cases.work", "appointments.manage", "messaging.send"},
    Role.TEAM_LEAD: {
        "desk",
        "clients.view",
        "clients.edit",
        "clients.merge",
        "cases.work",
        "cases.assign",
        "cases.approve",
        "appointments.manage",
        "messaging.send",
        "reports.view",
    },
    Role.SERVICEPOINT: {"desk", "clients.view", "servicepoint.work", "appointments.manage", "efile.dropoff"},
    Role.ACCOMMODATION: {"desk", "accommodation.view", "accommodation.manage"},
    Role.HEAD_OF_OFFICE: {
        "desk",
        "clients.view",
        "reports.view",
        "audit.view",
        "cases.approve",
        "cases.view_all",
        "accommodation.view",
    },
    Role.ADMINISTRATOR: {"desk", "admin", "audit.view", "catalogue.edit", "reports.view", "clients.merge"},
    Role.PARTNER: {"partner.portal"},
}


def capabilities(role):
    return CAPABILITIES.get(role, set())


def roles_with(capability):
    return [role for role, caps in CAPABILITIES.items() if capability in caps]
