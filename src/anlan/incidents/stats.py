"""Incident statistics for a period against the same period of the previous year (scoped)."""

from __future__ import annotations

from datetime import date, datetime, time

from django.db.models import Count, Sum
from django.db.models.functions import Substr
from django.utils import timezone

from anlan.incidents.models import Incident
from anlan.incidents.rules import Grade, IncidentKind
from anlan.regions.models import Region


def _bounds(start: date, end: date):
    tz = timezone.get_current_timezone()
    return datetime.combine(start, time(), tzinfo=tz), datetime.combine(end, time(), tzinfo=tz)


def year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def _period(user, start: date, end: date) -> dict:
    lower, upper = _bounds(start, end)
    rows = Incident.objects.visible_to(user).filter(occurred_at__gte=lower, occurred_at__lt=upper)
    totals = rows.aggregate(n=Count("pk"), deaths=Sum("deaths"), missing=Sum("missing"),
                            serious=Sum("serious_injuries"), loss=Sum("direct_loss_yuan"))  # fmt: skip
    return {
        "totals": {k: v or 0 for k, v in totals.items()},
        "grade": dict(rows.order_by().values_list("grade").annotate(n=Count("pk"))),
        "kind": dict(rows.order_by().values_list("kind").annotate(n=Count("pk"))),
        "town": dict(
            rows.order_by()
            .annotate(t=Substr("region_id", 1, 9))
            .values_list("t")
            .annotate(n=Count("pk"))
        ),
    }


def compare(user, start: date, end: date) -> dict:
    """Counts by grade, type and town for [start, end) and the same days a year before."""
    now = _period(user, start, end)
    before = _period(user, year_before(start), year_before(end))

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
        "start": start,
        "end": end,
        "totals": now["totals"],
        "totals_before": before["totals"],
        "by_grade": rows("grade", dict(Grade.choices)),
        "by_kind": rows("kind", dict(IncidentKind.choices)),
        "by_town": rows("town", {code: town_names.get(code, code) for code in sorted(towns)}),
    }
