"""Incident statistics for a period against the same period of the previous year (scoped).

The incidents counted are the incident ledger's (``INCIDENT_LEDGER.queryset``: ``visible_to``),
those that occurred within the period's local days (core/periods.py).
"""

from __future__ import annotations

from django.db.models import Count, Sum
from django.db.models.functions import Substr
from django.utils import timezone

from anlan.core.periods import Period
from anlan.incidents.ledger import INCIDENT_LEDGER
from anlan.incidents.rules import Grade, IncidentKind
from anlan.regions.models import Region


def _period(user, period: Period) -> dict:
    lower, upper = period.bounds(timezone.get_current_timezone())
    rows = INCIDENT_LEDGER.queryset(user, {}).order_by()
    rows = rows.filter(occurred_at__gte=lower, occurred_at__lt=upper)
    totals = rows.aggregate(n=Count("pk"), deaths=Sum("deaths"), missing=Sum("missing"),
                            serious=Sum("serious_injuries"), loss=Sum("direct_loss_yuan"))  # fmt: skip
    return {
        "totals": {k: v or 0 for k, v in totals.items()},
        "grade": dict(rows.values_list("grade").annotate(n=Count("pk"))),
        "kind": dict(rows.values_list("kind").annotate(n=Count("pk"))),
        "town": dict(
            rows.annotate(t=Substr("region_id", 1, 9)).values_list("t").annotate(n=Count("pk"))
        ),
    }


def compare(user, period: Period) -> dict:
    """Counts by grade, type and town in the period and in the same days a year before."""
    before_period = period.same_period_last_year()
    now = _period(user, period)
    before = _period(user, before_period)

    def rows(key: str, labels: dict) -> list[dict]:
        return [
            {"key": k, "name": str(labels.get(k, k)), "now": now[key].get(k, 0),
             "before": before[key].get(k, 0)}
            for k in labels
            if now[key].get(k, 0) or before[key].get(k, 0) or key != "town"
        ]  # fmt: skip

    towns = set(now["town"]) | set(before["town"])
    town_names = dict(Region.objects.filter(code__in=towns).values_list("code", "name"))
    return {
        "period": period.kind,
        "start": period.start,
        "end": period.end,
        "before_start": before_period.start,
        "before_end": before_period.end,
        "totals": now["totals"],
        "totals_before": before["totals"],
        "by_grade": rows("grade", dict(Grade.choices)),
        "by_kind": rows("kind", dict(IncidentKind.choices)),
        "by_town": rows("town", {code: town_names.get(code, code) for code in sorted(towns)}),
    }
