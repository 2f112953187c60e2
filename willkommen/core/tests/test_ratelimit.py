"""The rate-limit counters: typed text never reaches the cache key; each key counts on its own."""

import warnings

import pytest
from django.core.cache import CacheKeyWarning

from willkommen.core import ratelimit


def test_a_plain_key_stays_readable_and_typed_text_is_hashed():
    assert ratelimit.cache_key("login", "2001:db8::1", 7) == "rl:login:2001:db8::1:7"
    typed = ratelimit.cache_key("case-code-number", "1:Ô³HPÀ\x02~ Amina Haddad", 7)
    assert "Amina" not in typed and "Ô" not in typed and " " not in typed
    assert typed == ratelimit.cache_key("case-code-number", "1:Ô³HPÀ\x02~ Amina Haddad", 7)
    assert typed != ratelimit.cache_key("case-code-number", "1:Ô³HPÀ\x02~ Amina Hadad", 7)


@pytest.mark.parametrize("key", ["\udcff broken", "x" * 500, "Zeilen\numbruch", "عربي"])
def test_any_key_counts_up_to_its_limit_without_a_cache_key_warning(key):
    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheKeyWarning)
        assert [ratelimit.hit("probe", key, 2) for _ in range(3)] == [True, True, False]
        assert ratelimit.count("probe", key) == 3
        assert ratelimit.hit("probe", key + "!", 2) is True
