"""Pages of large ordered lists (the work queue at a million cases) in two cheap steps.

1. The ids of the page: ``values_list("pk")`` of the ordered queryset, so the database sorts index entries
   (an index that includes the ordering columns lets PostgreSQL answer from the index alone) and reads no
   row it does not show.
2. The rows of those ids, with their joins and prefetches, in the same order.

The count stops at ``cap`` (``PAGING_COUNT_CAP``): beyond it the page says "more than". Both the number of
statements and the rows read per page are independent of how many cases there are.
"""

from django.conf import settings
from django.core.paginator import Paginator
from django.utils.functional import cached_property


class LeanPaginator(Paginator):
    def __init__(self, object_list, per_page, cap=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap or getattr(settings, "PAGING_COUNT_CAP", 10_000)

    @cached_property
    def count(self):
        return self.object_list.order_by().values("pk")[: self.cap + 1].count()

    @property
    def capped(self):
        """True when there are more rows than were counted."""
        return self.count > self.cap

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        ids = list(self.object_list.values_list("pk", flat=True)[bottom : bottom + self.per_page])
        position = {pk: i for i, pk in enumerate(ids)}
        rows = sorted(self.object_list.filter(pk__in=ids), key=lambda row: position[row.pk]) if ids else []
        return self._get_page(rows, number, self)
