"""Hidden-hazard rules: pure functions and data, no database.

Sources: 安全生产事故隐患排查治理暂行规定 (原国家安监总局令第16号, 2007) arts. 3, 15, 16;
安全生产法 (2021) art. 41. Levels of government and deadlines that the regulations leave to
local practice are settings (docs/settings.md) with the defaults below.
"""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum

# Administrative levels from the top down; a unit may act where its level is at or above
# the level a step requires (a county may confirm what a town may confirm).
LEVEL_RANK = {"province": 1, "city": 2, "county": 3, "town": 4, "village": 5, "grid": 6}

# Who confirms and who accepts (县级验收) by default: the seeds' 镇巡查, 县排查, 企业整改、
# 县级验收、市级销号. Closing (销号) depends on the hazard level: settings
# ANLAN_HAZARD_CLOSE_LEVEL_GENERAL / _MAJOR (defaults county / city).
CONFIRM_LEVEL = "town"
ACCEPT_LEVEL = "county"
# 安全生产法 art. 41, 16号令 art. 21: confirming a major hazard, re-grading to or from major,
# deciding a major hazard's extensions and listing it for supervision (挂牌督办) belong to
# departments at county level and above (the province included). A town confirms general
# hazards only and refers major ones up.
MAJOR_LEVEL = "county"
LISTING_LEVELS = ("province", "city", "county")
CLOSE_LEVELS = ("province", "city", "county", "town")  # what the close settings may name

# 16号令 art. 15: a major hazard's treatment plan (治理方案) contains these six items.
MAJOR_PLAN_ITEMS: dict[str, str] = {
    "plan_goal": "治理的目标和任务",
    "measures": "采取的方法和措施",
    "plan_resources": "经费和物资的落实",
    "plan_organisation": "负责治理的机构和人员",
    "plan_requirements": "治理的时限和要求",
    "plan_safety_measures": "安全措施和应急预案",
}
# Every rectification, general or major, names the five things of 五到位 (seeds 000, 002):
# target (the hazard itself), measures, deadline, funds, responsible person.
PLAN_ITEMS = ("responsible_person", "measures", "deadline", "funds")


class DeadlineStatus(StrEnum):
    ON_TIME = "on_time"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"


def at_or_above(unit_level: str | None, required: str) -> bool:
    """Whether a unit at ``unit_level`` may act where ``required`` is asked."""
    if unit_level not in LEVEL_RANK:
        return False
    return LEVEL_RANK[unit_level] <= LEVEL_RANK[required]


def decision_level(level: str) -> str:
    """The lowest unit level that confirms, re-grades or extends a hazard of ``level``."""
    return MAJOR_LEVEL if level == "major" else CONFIRM_LEVEL


def regrade_level(old: str, new: str) -> str:
    """Re-grading to or from major is for county level and above; else the confirm level."""
    return MAJOR_LEVEL if "major" in (old, new) else CONFIRM_LEVEL


def check_deadline(deadline: date | None, today: date) -> str | None:
    """Why a deadline cannot be set, or None. Every deadline field (责令整改期限, the plan's,
    an extension's, a 督办期限) refuses a day before ``today`` (local) the same way."""
    if deadline is None:
        return "请填写期限"
    if deadline < today:
        return "期限不能早于今天"
    return None


def check_plan_deadline(planned: date, ordered: date | None) -> str | None:
    """The enterprise's plan may not set a later date than the one the confirming unit
    ordered (责令限期整改); a later one needs an extension."""
    if ordered is not None and planned > ordered:
        return f"整改期限不得晚于责令整改期限 {ordered:%Y-%m-%d}，如需延期请申请延期"
    return None


def review_due(requested: date, review_days: int) -> date:
    """16号令 art. 16 *(confirm)*: the supervising department reviews a treated major hazard
    on site within ``review_days`` days (default 10) of the written request; the day after
    the request is day 1."""
    return requested + timedelta(days=review_days)


def deadline_status(
    deadline: date | None, today: date, due_soon_days: int
) -> DeadlineStatus | None:
    """On time, due soon (within ``due_soon_days`` days, the deadline day included) or
    overdue (the day after the deadline); None when there is no deadline."""
    if deadline is None:
        return None
    if today > deadline:
        return DeadlineStatus.OVERDUE
    if (deadline - today).days <= due_soon_days:
        return DeadlineStatus.DUE_SOON
    return DeadlineStatus.ON_TIME


def check_extension(
    current: date,
    requested: date,
    original: date,
    used: int,
    *,
    max_count: int,
    max_days: int,
    today: date,
) -> str | None:
    """Why an extension cannot be granted, or None when it can.

    ``original`` is the first deadline: the total extension is capped at ``max_days`` from it.
    """
    if used >= max_count:
        return f"延期次数已达上限（{max_count} 次）"
    if requested < today:
        return check_deadline(requested, today)
    if requested <= current:
        return "新的整改期限必须晚于当前期限"
    if (requested - original).days > max_days:
        return f"累计延期不得超过 {max_days} 天"
    return None


def missing_plan_items(level: str, values: dict[str, object]) -> list[str]:
    """Plan fields still empty: 五到位 for every hazard, plus the 治理方案 for major ones."""
    names = list(PLAN_ITEMS)
    if level == "major":
        names += [n for n in MAJOR_PLAN_ITEMS if n not in names]
    return [n for n in names if values.get(n) in (None, "")]
