"""Two submits at the same moment (a double click on a slow line, two tabs): one news item per create
page, one country note per country. Real threads with their own connections: PostgreSQL only."""

import threading
import uuid

import pytest
from django.db import connection, connections
from django.utils import timezone

from willkommen.knowledge import services
from willkommen.knowledge.models import CountryNote, NewsItem

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _race(jobs):
    barrier = threading.Barrier(len(jobs))
    outcomes, errors = [], []

    def run(job):
        try:
            barrier.wait(timeout=20)
            try:
                outcomes.append(("ok", job()))
            except services.KnowledgeError as refused:
                outcomes.append(("refused", refused.message))
        except Exception as error:  # noqa: BLE001 - reported by the test
            errors.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes, errors


def test_one_create_page_submitted_many_times_at_once_creates_one_news_item(authority):
    assert connection.vendor == "postgresql"
    key = uuid.uuid4()

    def create():
        return services.save_news(
            authority,
            None,
            kind="notice",
            visible_from=timezone.localdate(),
            texts={"de": {"title": "Einmal", "body": ""}},
            submission=key,
        ).pk

    outcomes, errors = _race([create] * 6)
    assert not errors, errors
    assert [code for code, _ in outcomes] == ["ok"] * 6
    assert len({pk for _, pk in outcomes}) == 1
    assert NewsItem.objects.filter(authority=authority).count() == 1


def test_one_country_saved_many_times_at_once_gets_one_note(authority):
    def create():
        note = CountryNote(country="SYR", sources="Lagebericht", as_of=timezone.localdate())
        return services.save_country_note(authority, None, note).pk

    outcomes, errors = _race([create] * 6)
    assert not errors, errors
    assert sorted(code for code, _ in outcomes) == ["ok"] + ["refused"] * 5
    assert CountryNote.objects.filter(authority=authority).count() == 1
