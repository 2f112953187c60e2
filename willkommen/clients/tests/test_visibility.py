"""The visibility policy's own rules (the full role x resource x team matrix is core/tests/test_visibility_matrix.py)."""

import datetime as dt

import pytest
from django.db.models import Q

from willkommen.clients import visibility
from willkommen.clients.services import create_person
from willkommen.core.testing import make_staff


@pytest.fixture
def two(authority):
    return [create_person(authority, family_name=f"P{n}", date_of_birth=dt.date(1990, 1, n + 1)) for n in range(2)]


def test_every_resource_has_a_rule_and_every_capability_exists():
    from willkommen.accounts.roles import CAPABILITIES

    known = set().union(*CAPABILITIES.values())
    assert set(visibility.RULES) == set(visibility.Resource)
    for rule in visibility.RULES.values():
        assert set(rule.read) | set(rule.without_person) <= known
        assert rule.scope in (visibility.AUTHORITY, visibility.TEAM)


def test_team_scope_is_the_hook(monkeypatch, authority, two):
    user = make_staff(authority, "cw", role="caseworker")
    monkeypatch.setattr(visibility, "_team_scopes", [])
    assert set(visibility.visible_persons(user, authority, "file")) == set(two), "no hook: the whole authority"
    monkeypatch.setattr(visibility, "_team_scopes", [lambda u, a: Q(pk=two[0].pk)])
    assert list(visibility.visible_persons(user, authority, "file")) == [two[0]]
    assert set(visibility.visible_persons(user, authority, "person")) == set(two), "authority scope ignores it"


def test_nobody_of_another_authority_and_nobody_without_the_capability(authority, other_authority, two):
    foreign = make_staff(other_authority, "fremd", role="head_of_office")
    lodging = make_staff(authority, "haus", role="accommodation")
    assert not visibility.visible_persons(foreign, authority, "file").exists()
    assert not visibility.visible_persons(lodging, authority, "person").exists()
    assert visibility.visible_person(lodging, authority, "person", two[0].pk) is None
    assert visibility.visible_person(foreign, authority, "person", "x") is None


def test_the_cases_room_registers_its_team_scope():
    from willkommen.cases.permissions import persons_of_my_work

    assert persons_of_my_work in visibility._team_scopes
