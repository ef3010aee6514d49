"""Pagination that can take a count it already knows (from a read model such as
HazardTally) instead of running COUNT(*) over a large filtered table, and the bounds of a
page for API routes that build their page themselves."""

from typing import Any

from django.core.paginator import Paginator
from django.utils.functional import cached_property
from ninja import Field, Schema
from ninja.conf import settings as ninja_settings
from ninja.pagination import PageNumberPagination

# A page number beyond this is a 422: page x size must stay an OFFSET that SQLite and
# PostgreSQL take (a page of 10**20 was a 500), and a million pages of the largest size is
# more rows than any ledger holds.
MAX_PAGE = 1_000_000


class Pages(PageNumberPagination):
    """ninja's page-number pagination with a bounded page number: every list of the API."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1)


class KnownCountPaginator(Paginator):  # type: ignore[type-arg]  # generic only in the stubs
    def __init__(
        self, object_list: Any, per_page: int, *, known_count: int | None = None, **kwargs: Any
    ) -> None:
        super().__init__(object_list, per_page, **kwargs)
        self.known_count = known_count

    @cached_property
    def count(self) -> int:
        return self.known_count if self.known_count is not None else super().count


def page_bounds(pagination: Pages.Input, *, page_size: int) -> tuple[int, int]:
    """Where one page starts and ends, by the rules of ninja's PageNumberPagination (the
    client may ask for ``page_size`` up to NINJA_MAX_PER_PAGE_SIZE), for routes that build
    their page themselves."""
    size = min(pagination.page_size or page_size, ninja_settings.PAGINATION_MAX_PER_PAGE_SIZE)
    start = (pagination.page - 1) * size
    return start, start + size
