"""Sessions with the shared cache (SESSION_ENGINE cached_db, the default with REDIS_URL): a signed-in request
reads its session from the cache, the database stays the store of record, and signing out ends the session
everywhere."""

from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from willkommen.core.testing import verified_login

CACHED = "django.contrib.sessions.backends.cached_db"


def _session_reads(queries):
    return [q["sql"] for q in queries if "django_session" in q["sql"] and q["sql"].lstrip().startswith("SELECT")]


@override_settings(SESSION_ENGINE=CACHED)
def test_a_signed_in_page_reads_no_session_row(caseworker):
    from django.contrib.sessions.models import Session

    client = verified_login(Client(), caseworker)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/desk/cases/")
    assert response.status_code == 200
    assert _session_reads(queries.captured_queries) == []
    # and the session is in the database too
    assert Session.objects.filter(session_key=client.cookies["sessionid"].value).exists()


@override_settings(SESSION_ENGINE=CACHED)
def test_signing_out_ends_the_session_for_every_copy_of_its_cookie(caseworker):
    client = verified_login(Client(), caseworker)
    cookie = client.cookies["sessionid"].value
    other = Client()
    other.cookies["sessionid"] = cookie
    assert other.get("/desk/cases/").status_code == 200
    client.post("/desk/logout/")
    after = other.get("/desk/cases/")
    assert after.status_code == 302
    assert "/desk/login/" in after["Location"]


@override_settings(SESSION_ENGINE=CACHED)
def test_a_session_the_cache_lost_is_read_from_the_database(caseworker):
    from django.core.cache import cache

    client = verified_login(Client(), caseworker)
    cache.clear()
    assert client.get("/desk/cases/").status_code == 200
