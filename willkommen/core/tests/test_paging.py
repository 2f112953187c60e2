"""The two-step paginator: the page's ids first, then its rows in the same order; the count stops at a cap."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from willkommen.core.paging import LeanPaginator
from willkommen.tenancy.models import Team


@pytest.mark.django_db
def test_pages_keep_the_order_and_the_count_stops_at_the_cap(authority):
    Team.objects.bulk_create([Team(authority=authority, name=f"Team {i:02d}") for i in range(25)])
    ordered = Team.objects.filter(authority=authority).order_by("-name")
    paginator = LeanPaginator(ordered, 10, cap=20)
    assert paginator.count == 21 and paginator.capped and paginator.num_pages == 3
    with CaptureQueriesContext(connection) as ctx:
        page = paginator.page(2)
    assert len(ctx.captured_queries) == 2  # the ids, then the rows
    assert [t.name for t in page.object_list] == [f"Team {i:02d}" for i in range(14, 4, -1)]
    full = LeanPaginator(ordered, 10, cap=100)
    assert full.count == 25 and not full.capped
