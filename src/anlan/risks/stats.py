"""Read-only figures of the dual-prevention mechanism for a user's scope: enterprises by risk
level (四色图, by town and industry), the major-risk list and how well each enterprise runs
the mechanism (运行成效). Every query starts from ``visible_to``."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Now, Substr
from django.utils import timezone

from anlan.hazards.models import Hazard, HazardState
from anlan.regions.models import Region
from anlan.registry.models import Enterprise, SupervisionCategory
from anlan.risks import rules
from anlan.risks.models import InvestigationTask, RiskEvent, TaskState

LEVELS = [level.value for level in rules.RiskLevel]  # major first
UNGRADED = "none"


def enterprises_with_level(user, *, town: str = "", category: str = "", level: str = ""):
    """Active enterprises in scope annotated with ``risk_rank`` (0: no graded risk)."""
    # A subquery, not an aggregate: the result is grouped by it for the tables by town.
    highest = (
        RiskEvent.objects.filter(enterprise=OuterRef("pk"), archived_at__isnull=True)
        .order_by("-level_rank")
        .values("level_rank")[:1]
    )
    queryset = (
        Enterprise.objects.visible_to(user)
        .active()
        .annotate(risk_rank=Coalesce(Subquery(highest), 0))
    )
    if town:
        queryset = queryset.filter(region__code__startswith=town)
    if category:
        queryset = queryset.filter(category_id=category)
    if level == UNGRADED:
        queryset = queryset.filter(risk_rank=0)
    elif level in rules.LEVEL_RANK:
        queryset = queryset.filter(risk_rank=rules.LEVEL_RANK[level])
    return queryset


def level_of_rank(rank: int | None) -> str:
    return rules.LEVEL_OF_RANK.get(rank or 0, UNGRADED)


def map_points(user, **filters) -> list[dict]:
    """Enterprises with coordinates, coloured by their highest risk (四色图)."""
    rows = (
        enterprises_with_level(user, **filters)
        .filter(longitude__isnull=False, latitude__isnull=False)
        .values("pk", "name", "region_id", "category_id", "longitude", "latitude", "risk_rank")
        .order_by("pk")
    )
    points = []
    for row in rows:
        level = level_of_rank(row["risk_rank"])
        points.append(
            {
                "id": row["pk"],
                "name": row["name"],
                "region": row["region_id"],
                "category": row["category_id"],
                "lng": float(row["longitude"]),
                "lat": float(row["latitude"]),
                "level": level,
                "colour": rules.COLOURS[level][2] if level != UNGRADED else "#9aa0ac",
            }
        )
    return points


def _count_by(queryset, key_expr) -> dict[str, dict[str, int]]:
    table: dict[str, dict[str, int]] = {}
    for row in queryset.annotate(k=key_expr).values("k", "risk_rank").annotate(n=Count("pk")):
        cell = table.setdefault(row["k"], dict.fromkeys([*LEVELS, UNGRADED], 0))
        cell[level_of_rank(row["risk_rank"])] += row["n"]
    return table


def levels_by_town_and_industry(user, **filters) -> dict:
    """Counts of enterprises per highest risk level, by town and by supervision category."""
    queryset = enterprises_with_level(user, **filters).order_by()
    towns = _count_by(queryset, Substr("region_id", 1, 9))
    categories = _count_by(queryset, F("category_id"))
    town_names = dict(Region.objects.filter(code__in=list(towns)).values_list("code", "name"))
    category_names = dict(SupervisionCategory.objects.values_list("code", "name"))
    totals = dict.fromkeys([*LEVELS, UNGRADED], 0)
    for cell in towns.values():
        for key, n in cell.items():
            totals[key] += n
    return {
        "totals": totals,
        "by_town": [
            {"code": code, "name": town_names.get(code, code), **towns[code]}
            for code in sorted(towns)
        ],
        "by_industry": [
            {"code": code, "name": category_names.get(code, code), **categories[code]}
            for code in sorted(categories, key=lambda c: category_names.get(c, c))
        ],
    }


def major_risks(user, *, town: str = "", category: str = ""):
    queryset = (
        RiskEvent.objects.visible_to(user)
        .active()
        .filter(level=rules.RiskLevel.MAJOR, enterprise__archived_at__isnull=True)
        .select_related("enterprise__region", "unit")
        .annotate(measure_count=Count("measures", filter=Q(measures__archived_at__isnull=True)))
        .order_by("enterprise__region_id", "enterprise__name", "pk")
    )
    if town:
        queryset = queryset.filter(enterprise__region__code__startswith=town)
    if category:
        queryset = queryset.filter(enterprise__category_id=category)
    return queryset


def effectiveness(user, *, days: int = 30, now=None, town: str = "", category: str = "",
                  enterprise_id: int | None = None) -> list[dict]:  # fmt: skip
    """运行成效 per enterprise with a register, over the last ``days``: tasks whose window
    ended (due), done, missed; hazards found (and from checks) and closed in the period.
    Worst first: officials read it to decide whom to inspect."""
    now = now or timezone.now()
    since = now - timedelta(days=days)
    tasks = InvestigationTask.objects.visible_to(user).filter(
        window_end__gt=since, window_end__lte=now
    )
    hazards = Hazard.objects.visible_to(user).filter(
        enterprise__isnull=False, found_at__gt=since, found_at__lte=now
    )
    if town:
        tasks = tasks.filter(enterprise__region__code__startswith=town)
        hazards = hazards.filter(region__code__startswith=town)
    if category:
        tasks = tasks.filter(enterprise__category_id=category)
        hazards = hazards.filter(supervision_category_id=category)
    if enterprise_id:
        tasks = tasks.filter(enterprise_id=enterprise_id)
        hazards = hazards.filter(enterprise_id=enterprise_id)
    rows: dict[int, dict] = {}

    def row(pk: int) -> dict:
        return rows.setdefault(
            pk, {"due": 0, "done": 0, "missed": 0, "found": 0, "from_checks": 0, "closed": 0}
        )

    for r in (
        tasks.order_by()
        .values("enterprise_id")
        .annotate(
            due=Count("pk"),
            done=Count("pk", filter=Q(state=TaskState.DONE)),
            missed=Count("pk", filter=Q(state=TaskState.MISSED)),
        )
    ):
        row(r.pop("enterprise_id")).update(r)
    for r in (
        hazards.order_by()
        .values("enterprise_id")
        .annotate(
            found=Count("pk"),
            from_checks=Count("pk", filter=Q(risk_checks__isnull=False), distinct=True),
            closed=Count("pk", filter=Q(state=HazardState.CLOSED)),
        )
    ):
        row(r.pop("enterprise_id")).update(r)
    # Enterprises with a register but nothing in the period still belong in the table (zeros).
    registers = RiskEvent.objects.visible_to(user).active().order_by()
    if town:
        registers = registers.filter(enterprise__region__code__startswith=town)
    if category:
        registers = registers.filter(enterprise__category_id=category)
    if enterprise_id:
        registers = registers.filter(enterprise_id=enterprise_id)
    for pk in registers.values_list("enterprise_id", flat=True).distinct():
        row(pk)
    names = {
        e["pk"]: e
        for e in Enterprise.objects.filter(pk__in=list(rows)).values("pk", "name", "region_id")
    }
    result = []
    for pk, r in rows.items():
        r["done_rate"] = round(100 * r["done"] / r["due"], 1) if r["due"] else None
        r["closure_rate"] = round(100 * r["closed"] / r["found"], 1) if r["found"] else None
        result.append({"enterprise_id": pk, **names.get(pk, {"name": "", "region_id": ""}), **r})
    result.sort(key=lambda r: (-(r["missed"]), r["done_rate"] if r["due"] else -1, r["name"]))
    return result


def profile(enterprise: Enterprise) -> dict:
    """An enterprise's own risk profile: overall level, counts per level, units by area."""
    events = RiskEvent.objects.filter(enterprise=enterprise).active()
    counts = dict.fromkeys(LEVELS, 0)
    for row in events.order_by().values("level").annotate(n=Count("pk")):
        if row["level"]:
            counts[row["level"]] += row["n"]
    overall = rules.highest(level for level, n in counts.items() if n)
    return {"overall": overall, "counts": counts, "ungraded": events.filter(level="").count()}


# What the overview, the map and the task list cover by design, before scoping (declared on
# their routes, anlan.core.routes).
MAJOR = Q(
    level=rules.RiskLevel.MAJOR, archived_at__isnull=True, enterprise__archived_at__isnull=True
)
ON_THE_MAP = Q(archived_at__isnull=True, longitude__isnull=False, latitude__isnull=False)
CURRENT_TASKS = Q(state=TaskState.OPEN, window_start__lte=Now())
