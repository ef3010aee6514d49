"""The ledger page of the API (``GET /api/v1/hazards/``): one statement per request.

The page and its count are read together: the count is a scalar subquery of the page's
statement (from :class:`HazardTally` when the filters are ones it keeps, else a live count).
The statement is built through ``visible_to`` and the ledger's filters (``apply_filters``) like
the ledger page, then memoized under everything it was built from (the user's scope, the
filters, the page, today's date) as a :class:`~anlan.core.compiled.CompiledQuery`. A repeated page skips
the form, the ORM and a second round trip; its rows are still read live, so a hazard reported
or closed a moment ago is on the next request (bench/RESULTS.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from django.db.models import BigIntegerField, F, Func, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from anlan.core.compiled import CompiledQuery
from anlan.core.scoping import Scope, scope_of
from anlan.hazards import stats
from anlan.hazards.filters import HazardFilterForm, apply_filters
from anlan.hazards.models import Hazard, SiteKind, deadline_status_of, hazard_number

# The columns HazardOut shows, read as dicts: building 50 hazard and 50 enterprise instances
# and validating them through HazardOut took about half of a list request. ``ledger_item``
# shapes a row as HazardOut would; a test compares the two for every kind of row.
LEDGER_COLUMNS = (
    "id", "enterprise_id", "enterprise__name", "site_name", "site_kind", "region_id",
    "supervision_category_id", "location", "longitude", "latitude", "source", "found_at",
    "description", "category_id", "level", "state", "deadline", "responsible_person",
    "measures", "funds", "notice_number", "listing__id", "listing__delisted_at", "closed_at",
)  # fmt: skip
SITE_KINDS = dict(SiteKind.choices)


class InvalidFilters(Exception):
    def __init__(self, form: HazardFilterForm):
        super().__init__("invalid hazard filters")
        self.form = form


@dataclass(frozen=True)
class LedgerPlan:
    page: CompiledQuery | None  # the page's columns and ``total``; None: matches nothing
    count: CompiledQuery | None  # ``total`` alone, for a page past the last


def cleaned_filters(scope: Scope, raw: dict) -> dict:
    form = HazardFilterForm(raw, user=scope)
    if not form.is_valid():
        raise InvalidFilters(form)
    return form.cleaned_data


@lru_cache(maxsize=256)
def _plan(scope: Scope, filters: tuple, start: int, end: int, today: date) -> LedgerPlan:
    data = cleaned_filters(scope, dict(filters))
    hazards = apply_filters(Hazard.objects.visible_to(scope), data, today)
    if stats.can_use_tally(scope, data):
        counted = stats.tally_of(scope, data).annotate(total=Func(F("n"), function="SUM"))
    else:
        counted = hazards.order_by().annotate(total=Func(F("pk"), function="COUNT"))
    # SUM and COUNT as plain functions, not Django aggregates: one row over the whole filtered
    # set, with no GROUP BY.
    counted = counted.values("total")
    total = Coalesce(Subquery(counted), 0, output_field=BigIntegerField())
    page = hazards.values(*LEDGER_COLUMNS, total=total)[start:end]
    return LedgerPlan(page=CompiledQuery.of(page), count=CompiledQuery.of(counted))


def ledger_page(user, raw: dict, start: int, end: int) -> dict:
    """``{"items": [...], "count": n}`` for the filters ``raw`` (as the client sent them)."""
    scope = scope_of(user)
    if raw.get("category"):
        # Category choices are read from the database: check them on every request.
        cleaned_filters(scope, raw)
    today = timezone.localdate()
    plan = _plan(scope, tuple(sorted(raw.items())), start, end, today)
    rows = plan.page.rows() if plan.page else []
    if rows:
        count = rows[0]["total"]
    elif plan.count:
        count = plan.count.rows()[0]["total"] or 0
    else:
        count = 0
    return {"items": [ledger_item(row, today) for row in rows], "count": count}


def ledger_item(row: dict, today: date) -> dict:
    """One row of LEDGER_COLUMNS in the shape of HazardOut."""
    state, kind, found_at = row["state"], row["site_kind"], row["found_at"]
    status = deadline_status_of(state, row["deadline"], today)
    if row["enterprise_id"]:
        subject = row["enterprise__name"]
    else:
        subject = row["site_name"] or str(SITE_KINDS.get(kind, kind))
    return {
        "id": row["id"],
        "number": hazard_number(row["id"], found_at),
        "enterprise": row["enterprise_id"],
        "subject_name": subject,
        "site_kind": kind,
        "region": row["region_id"],
        "supervision_category": row["supervision_category_id"],
        "location": row["location"],
        "longitude": row["longitude"],
        "latitude": row["latitude"],
        "source": row["source"],
        "found_at": found_at,
        "description": row["description"],
        "category": row["category_id"],
        "level": row["level"],
        "state": state,
        "deadline": row["deadline"],
        "deadline_status": str(status) if status else None,
        "responsible_person": row["responsible_person"],
        "measures": row["measures"],
        "funds": row["funds"],
        "notice_number": row["notice_number"],
        "listed": row["listing__id"] is not None and row["listing__delisted_at"] is None,
        "closed_at": row["closed_at"],
    }
