"""The role matrix holds for staff provisioned through single sign-on (issue 22): for each staff role a
directory group is mapped to it, a user signs in through the real local OpenID Connect provider and is
created with that role; a set of desk pages answers that user exactly as it answers a local user of the same
role (``core/tests/test_desk_roles.py`` walks every page for local users)."""

import pytest
from django.test import Client

from willkommen.accounts.models import GroupMapping, User
from willkommen.accounts.roles import Role
from willkommen.core.testing import make_staff, verified_login
from willkommen.core.tests.test_desk_roles import PAGES

from .test_sso import make_provider, sign_in, user_claims

STAFF_ROLES = [r.value for r in Role if r not in (Role.PARTNER, Role.INTEGRATION)]  # never provisioned by SSO
SAMPLE = {
    "desk/",
    "desk/accommodation/",
    "desk/appointments/",
    "desk/audit/",
    "desk/cases/",
    "desk/cases/approvals/",
    "desk/cases/team/",
    "desk/clients/",
    "desk/clients/new/",
    "desk/contact/callbacks/",
    "desk/efile/",
    "desk/integrations/",
    "desk/knowledge/news/new/",
    "desk/messaging/",
    "desk/messaging/templates/",
    "desk/partners/requests/",
    "desk/partners/types/",
    "desk/reports/cases/",
    "desk/rights/",
    "desk/servicepoint/",
}
SAMPLE_PAGES = sorted(route for route, _capability in PAGES if route in SAMPLE)


@pytest.fixture
def idp():
    from .oidc_provider import Provider

    with Provider() as provider:
        yield provider


def test_the_sample_is_found_among_the_desk_pages():
    assert len(SAMPLE_PAGES) == len(SAMPLE)


def _statuses(client):
    return {route: client.get("/" + route).status_code for route in SAMPLE_PAGES}


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_provisioned_staff_get_the_pages_of_their_role(authority, team, idp, role):
    provider = make_provider(authority, idp)
    GroupMapping.objects.create(authority=authority, provider=provider, group=f"g-{role}", role=role, team=team)
    sso_client = Client()
    claims = user_claims(sub=f"sub-{role}", username=f"sso-{role}", groups=[f"g-{role}"])
    assert sign_in(sso_client, idp, provider, claims).status_code == 302
    provisioned = User.objects.get(username=f"sso-{role}")
    assert provisioned.role == role and list(provisioned.teams.all()) == [team]

    local_client = Client()
    verified_login(local_client, make_staff(authority, f"local-{role}", role=role, teams=[team]))
    provisioned_statuses, local_statuses = _statuses(sso_client), _statuses(local_client)
    assert provisioned_statuses == local_statuses
    assert 200 in local_statuses.values()  # the walk saw pages of the role, not only refusals
