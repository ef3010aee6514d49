"""Hazard statistics by town and by department for a user's scope (read-only)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.db.models.functions import Substr
from django.utils import timezone

from anlan.accounts.models import Organisation, OrganisationKind
from anlan.hazards.models import DEADLINE_STATES, HazardLevel, HazardState
from anlan.regions.models import Region


def _counts(today):
    return {
        "found": Count("pk"),
        "closed": Count("pk", filter=Q(state=HazardState.CLOSED)),
        "overdue": Count("pk", filter=Q(state__in=DEADLINE_STATES, deadline__lt=today)),
        "major": Count("pk", filter=Q(level=HazardLevel.MAJOR)),
    }


def _rate(row: dict) -> dict:
    found = row["found"] or 0
    row["closure_rate"] = round(100 * row["closed"] / found, 1) if found else 0.0
    return row


def by_town(queryset, today=None) -> list[dict]:
    today = today or timezone.localdate()
    rows = (
        queryset.order_by()
        .annotate(town=Substr("region_id", 1, 9))
        .values("town")
        .annotate(**_counts(today))
    )
    rows = list(rows)
    names = dict(
        Region.objects.filter(code__in=[r["town"] for r in rows]).values_list("code", "name")
    )
    return sorted(
        (_rate({**r, "name": names.get(r["town"], r["town"])}) for r in rows),
        key=lambda r: r["town"],
    )


def by_department(queryset, region_code: str | None, today=None) -> list[dict]:
    """Per industry department: the hazards in the categories it supervises (管行业管安全)."""
    today = today or timezone.localdate()
    per_category = {
        r["supervision_category"]: r
        for r in queryset.order_by().values("supervision_category").annotate(**_counts(today))
    }
    departments = Organisation.objects.filter(kind=OrganisationKind.DEPARTMENT)
    if region_code:
        # Departments of the user's own level and above that supervise this area.
        departments = departments.filter(region_id__in=[region_code[:n] for n in (4, 6, 9)])
    result = []
    for dept in departments.prefetch_related("supervised_categories").order_by("name"):
        codes = [c.code for c in dept.supervised_categories.all()]
        row = {"name": dept.name, "found": 0, "closed": 0, "overdue": 0, "major": 0}
        for code in codes:
            for key in ("found", "closed", "overdue", "major"):
                row[key] += per_category.get(code, {}).get(key, 0)
        result.append(_rate(row))
    return result


def totals(queryset, today=None) -> dict:
    today = today or timezone.localdate()
    return _rate(queryset.order_by().aggregate(**_counts(today)))
