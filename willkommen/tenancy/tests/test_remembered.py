"""The per-process store of authorities by slug and host stays bounded under junk slugs (issue 23)."""

import pytest

from willkommen.tenancy import selectors

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_store(monkeypatch, settings):
    settings.TENANCY_CACHE_SECONDS = 60
    monkeypatch.setattr(selectors, "MAX_REMEMBERED", 8)
    selectors.forget_authorities()
    yield
    selectors.forget_authorities()


def test_junk_slugs_do_not_grow_the_store_without_bound(small_store, authority):
    for n in range(100):
        assert selectors.authority_for_slug(f"junk-{n}") is None
        assert len(selectors._authorities) <= 8
    assert selectors.authority_for_slug(authority.slug).pk == authority.pk


def test_a_known_slug_is_answered_from_the_store(small_store, authority, django_assert_num_queries):
    selectors.authority_for_slug(authority.slug)
    with django_assert_num_queries(0):
        assert selectors.authority_for_slug(authority.slug).pk == authority.pk
