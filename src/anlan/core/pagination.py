"""Pagination that can take a count it already knows (from a read model such as
HazardTally) instead of running COUNT(*) over a large filtered table."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property
from ninja.pagination import PageNumberPagination


class KnownCountPaginator(Paginator):
    def __init__(self, object_list, per_page, *, known_count: int | None = None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.known_count = known_count

    @cached_property
    def count(self) -> int:
        return self.known_count if self.known_count is not None else super().count


class KnownCountPagination(PageNumberPagination):
    """Reads ``queryset.known_count`` when the route set it; counts otherwise."""

    def _items_count(self, queryset) -> int:
        known = getattr(queryset, "known_count", None)
        return known if known is not None else super()._items_count(queryset)
