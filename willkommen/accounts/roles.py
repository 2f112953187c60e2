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
    INTEGRATION = "integration", _("Integration account (API)")


# Capabilities by role. Rooms check capabilities, never role names, so a new role is one line here.
CAPABILITIES = {
    Role.CASEWORKER: {
        "desk",
        "clients.view",
        "clients.edit",
        "cases.work",
        "cases.open",  # open a case at the desk (letter, counter, drop-off, appointment)
        "appointments.manage",
        "messaging.send",
        "knowledge.view",
        "rights.view",  # the candidates of the ex officio rights check (rights room)
        "rights.facts",  # record the facts the check needs on a person
        "rights.invite",  # invite a candidate to apply
    },
    Role.TEAM_LEAD: {
        "desk",
        "clients.view",
        "clients.edit",
        "clients.merge",
        "cases.work",
        "cases.open",
        "cases.assign",
        "cases.approve",
        "appointments.manage",
        "knowledge.view",
        "messaging.send",
        "reports.view",
        "rights.view",
        "rights.facts",
        "rights.invite",
        "contact.hours",  # consultation and phone hours of the teams they lead
        "partners.notify",  # group notices to partner organisations
    },
    Role.SERVICEPOINT: {
        "desk",
        "clients.view",
        "servicepoint.work",
        "appointments.manage",
        "efile.dropoff",
        "cases.open",
    },
    # accommodation.risk: residents at risk (special categories of data), for this role only
    Role.ACCOMMODATION: {"desk", "accommodation.view", "accommodation.manage", "accommodation.risk"},
    Role.HEAD_OF_OFFICE: {
        "desk",
        "knowledge.view",
        "knowledge.edit",  # forms and news for clients, country notes
        "clients.view",
        "reports.view",
        "audit.view",
        "cases.approve",
        "cases.view_all",
        "contact.hours",  # consultation and phone hours of every team
        "contact.feedback",  # feedback and complaints of clients: the queue and the replies
        "accommodation.view",
        "rights.view",
        "office.setup",  # the office sets itself up: offers, hours, closures, law changes, routing (desk pages)
        "partners.notify",  # group notices to partner organisations
    },
    Role.ADMINISTRATOR: {
        "desk",
        "knowledge.view",
        "knowledge.edit",  # forms and news for clients, country notes
        "admin",
        "audit.view",
        "catalogue.edit",
        "reports.view",
        "clients.merge",
        "messaging.templates",  # the texts clients receive automatically (template store)
        "integrations.manage",
        "office.setup",
        "office.staff",  # teams, staff and their roles
        "contact.feedback",  # feedback and complaints of clients: the queue and the replies
    },
    Role.PARTNER: {"partner.portal"},
    # Another system using the REST API: its capabilities come from the role its integration account
    # acts as (accounts/integrations.py), less the human-only ones, and its tokens' scopes narrow them.
    Role.INTEGRATION: set(),
}

# Roles an integration account may act as, and capabilities a machine never has: approving a decision
# is the second pair of eyes, administration and the audit log are for people.
INTEGRATION_ROLES = [Role.CASEWORKER, Role.TEAM_LEAD, Role.SERVICEPOINT, Role.ACCOMMODATION, Role.HEAD_OF_OFFICE]
HUMAN_ONLY = {
    "accommodation.risk",
    "admin",
    "audit.view",
    "cases.approve",
    "clients.merge",
    "catalogue.edit",
    "integrations.manage",
    "messaging.templates",
}


# Roles an administrator may give on the desk's staff page (``office.staff``): every staff role up to the
# head of office. Administrator stays with the platform's operators (Django admin / createsuperuser), partner
# accounts belong to the partner organisations, integration accounts to their own page. Staff holding one of
# the other roles are shown there but not changed.
GRANTABLE_ROLES = [Role.CASEWORKER, Role.TEAM_LEAD, Role.SERVICEPOINT, Role.ACCOMMODATION, Role.HEAD_OF_OFFICE]


def capabilities(role):
    return CAPABILITIES.get(role, set())


def roles_with(capability):
    return [role for role, caps in CAPABILITIES.items() if capability in caps]
