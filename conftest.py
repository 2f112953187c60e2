"""Fixtures for the whole suite. Room-specific fixtures live in each room's tests/conftest.py."""

import os

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM guard must allow it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    from django.conf import settings

    on_postgres = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    skip_pg = pytest.mark.skip(reason="needs PostgreSQL (DATABASE_URL=postgres://...)")
    # The sweeps over every page and language (axe, wrong language) check templates and catalogs, not the
    # database; CI runs the suite on SQLite and on PostgreSQL, and they run in the SQLite run only.
    skip_once = pytest.mark.skip(reason="a sweep over pages and languages: runs in the SQLite run of the suite")
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(skip_pg)
        if "sweep" in item.keywords and on_postgres:
            item.add_marker(skip_once)


@pytest.fixture
def authority(db):
    from willkommen.core.testing import make_authority

    return make_authority("alpha", "Stadt Alpha", "BY")


@pytest.fixture
def other_authority(db):
    from willkommen.core.testing import make_authority

    return make_authority("beta", "Landkreis Beta", "NW")


@pytest.fixture
def team(authority):
    from willkommen.core.testing import make_team

    return make_team(authority)


@pytest.fixture
def caseworker(authority, team):
    from willkommen.core.testing import make_staff

    return make_staff(authority, "clara", role="caseworker", teams=[team])


@pytest.fixture
def staff_client(client, caseworker):
    from willkommen.core.testing import verified_login

    return verified_login(client, caseworker)


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    from willkommen.tenancy.selectors import forget_authorities

    cache.clear()
    forget_authorities()  # a rolled-back test leaves no signal behind
    yield


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    from willkommen.core.testing import CHROMIUM

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    # bypass_csp only lets the test inject axe-core; the pages themselves still send their CSP.
    context = browser.new_context(locale="de-DE", viewport={"width": 412, "height": 915}, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()
