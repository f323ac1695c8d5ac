"""Pages of long lists whose total is counted only up to a cap.

Counting every row a city-wide list could hold (a department head's queue at a million requests) costs more than
showing a page of it. The count stops at `cap`; beyond, the list says "more than …" and the pages end there.
"""

from django.conf import settings
from django.core.paginator import Paginator
from django.utils.functional import cached_property


class CappedPaginator(Paginator):
    def __init__(self, object_list, per_page, *, cap: int | None = None, **kwargs) -> None:
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap if cap is not None else settings.LIST_COUNT_CAP
        self.capped = False

    @cached_property
    def count(self) -> int:
        # A list that knows a cheaper way to count a slice of itself (services.selectors.DetailsForTheSlice) says so.
        count_up_to = getattr(self.object_list, "count_up_to", None)
        counted = count_up_to(self.cap + 1) if count_up_to else self.object_list[: self.cap + 1].count()
        self.capped = counted > self.cap
        return min(counted, self.cap)
