"""Hazard counts and statistics by town and by department, for a user's scope (read-only).

Found, closed and major counts come from :class:`HazardTally` whenever the filters are ones
the tally keeps (region, category, level, state); overdue always comes from the live table
through a partial index on running rectifications. Other filters (text, enterprise, source,
...) fall back to counting the hazard ledger's rows (``HAZARD_LEDGER.queryset``: ``visible_to``
and the ledger's filters); the tally is the ledger's count source, scoped the same way.
"""

from __future__ import annotations

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Substr
from django.utils import timezone

from anlan.accounts.models import Organisation, OrganisationKind
from anlan.core.periods import Period
from anlan.core.scoping import scope_of
from anlan.hazards.ledger import HAZARD_LEDGER, can_use_tally, tally_of
from anlan.hazards.models import DEADLINE_STATES, HazardLevel, HazardState
from anlan.regions.models import Region

KEYS = ("found", "closed", "overdue", "major")


def _group(queryset, aggregates: dict) -> dict:
    """Rows keyed by (town code, supervision category)."""
    rows = (
        queryset.annotate(t=Substr("region_id", 1, 9), c=F("supervision_category_id"))
        .values("t", "c")
        .annotate(**aggregates)
    )
    return {(row.pop("t"), row.pop("c")): row for row in rows}


def _cells(user, data: dict, today) -> dict:
    """Counts per (town, category): one tally query and one overdue query answer the
    totals, the town table and the department table together."""
    live = HAZARD_LEDGER.queryset(user, data, today).order_by()
    overdue_q = Q(state__in=DEADLINE_STATES, deadline__lt=today)
    if can_use_tally(user, data):
        cells = _group(
            tally_of(user, data),
            {
                "found": Sum("n"),
                "closed": Sum("n", filter=Q(state=HazardState.CLOSED)),
                "major": Sum("n", filter=Q(level=HazardLevel.MAJOR)),
            },
        )
        # count(region_id), not count(id): the partial index holds region_id and the
        # category, so PostgreSQL answers from the index alone once autovacuum has run.
        for key, row in _group(live.filter(overdue_q), {"overdue": Count("region")}).items():
            cells.setdefault(key, {}).update(row)
    else:
        cells = _group(
            live,
            {
                "found": Count("pk"),
                "closed": Count("pk", filter=Q(state=HazardState.CLOSED)),
                "overdue": Count("pk", filter=overdue_q),
                "major": Count("pk", filter=Q(level=HazardLevel.MAJOR)),
            },
        )
    return {key: {name: row.get(name) or 0 for name in KEYS} for key, row in cells.items()}


def _rate(row: dict) -> dict:
    row["closure_rate"] = round(100 * row["closed"] / row["found"], 1) if row["found"] else 0.0
    return row


def _add(total: dict, row: dict) -> None:
    for name in KEYS:
        total[name] += row[name]


def summary(user, data: dict, today=None) -> dict:
    """Totals, the table by town and the table by department for the user's scope."""
    today = today or timezone.localdate()
    cells = _cells(user, data, today)
    scope = scope_of(user)
    totals = dict.fromkeys(KEYS, 0)
    towns: dict[str, dict] = {}
    categories: dict[str, dict] = {}
    for (town, category), row in cells.items():
        _add(totals, row)
        _add(towns.setdefault(town, dict.fromkeys(KEYS, 0)), row)
        _add(categories.setdefault(category, dict.fromkeys(KEYS, 0)), row)
    result = {"totals": _rate(totals), "by_town": [], "by_department": []}
    if scope.is_enterprise:
        return result
    names = dict(Region.objects.filter(code__in=list(towns)).values_list("code", "name"))
    result["by_town"] = [
        _rate({**towns[code], "town": code, "name": names.get(code, code)})
        for code in sorted(towns)
    ]
    # Per industry department: the hazards in the categories it supervises (管行业管安全),
    # for the departments at the user's own level and above.
    departments = Organisation.objects.filter(kind=OrganisationKind.DEPARTMENT)
    if scope.region_code:
        code = scope.region_code
        departments = departments.filter(region_id__in=[code[:n] for n in (4, 6, 9)])
    for dept in departments.prefetch_related("supervised_categories").order_by("name"):
        row = {"name": dept.name, **dict.fromkeys(KEYS, 0)}
        for category in dept.supervised_categories.all():
            _add(row, categories.get(category.code, dict.fromkeys(KEYS, 0)))
        result["by_department"].append(_rate(row))
    return result


def within(data: dict, period: Period) -> dict:
    """The ledger's filters for the hazards found in ``period`` (the ledger's found dates)."""
    return {**data, "found_from": period.start, "found_to": period.end}


def compare(user, data: dict, period: Period | None, today=None) -> dict:
    """:func:`summary` of the hazards found in ``period``, each row with ``before``: the same
    figures for the same period last year. Without a period, every hazard and no comparison."""
    if period is None:
        return {**summary(user, data, today), "period": "all", "start": None, "end": None,
                "before_start": None, "before_end": None}  # fmt: skip
    last_year = period.same_period_last_year()
    now = summary(user, within(data, period), today)
    then = summary(user, within(data, last_year), today)
    zero = _rate(dict.fromkeys(KEYS, 0))
    now["totals"]["before"] = then["totals"]
    for table, key in (("by_town", "town"), ("by_department", "name")):
        old = {row[key]: row for row in then[table]}
        rows = now[table]
        shown = {row[key] for row in rows}
        # A town with hazards only last year still shows, with none this year.
        rows += [{**zero, key: k, "name": row["name"]} for k, row in old.items() if k not in shown]
        rows.sort(key=lambda row: row[key] if table == "by_town" else "")
        for row in rows:
            row["before"] = old.get(row[key], zero)
    return {
        **now,
        "period": period.kind,
        "start": period.start,
        "end": period.end,
        "before_start": last_year.start,
        "before_end": last_year.end,
    }
