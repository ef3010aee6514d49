"""Accident grading and the reporting chain: pure functions and data, no database.

Source: 生产安全事故报告和调查处理条例 (国务院令第493号, 2007) arts. 3, 9-13; DOMAIN.md §1.
"以上" includes the number, "以下" excludes it (art. 3); the grade is the highest any one
criterion reaches. The missing are graded with the dead (project convention, as official
statistics count 死亡和下落不明; setting ANLAN_INCIDENT_MISSING_AS_DEATHS).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class Grade(models.TextChoices):
    ESPECIALLY_MAJOR = "especially_major", _("especially major accident")
    MAJOR = "major", _("major accident")
    LARGER = "larger", _("larger accident")
    GENERAL = "general", _("general accident")


GRADE_RANK = {Grade.GENERAL: 1, Grade.LARGER: 2, Grade.MAJOR: 3, Grade.ESPECIALLY_MAJOR: 4}

# (grade, deaths at least, serious injuries at least, direct loss at least in yuan), worst first.
THRESHOLDS: tuple[tuple[str, int, int, int], ...] = (
    (Grade.ESPECIALLY_MAJOR, 30, 100, 100_000_000),
    (Grade.MAJOR, 10, 50, 50_000_000),
    (Grade.LARGER, 3, 10, 10_000_000),
)


def _count(value, name: str) -> int:
    if isinstance(value, bool) or int(value) != value or value < 0:
        raise ValueError(f"{name} must be a whole number, 0 or more")
    return int(value)


def grade_accident(
    deaths: int,
    serious_injuries: int,
    direct_loss_yuan: int | float | Decimal,
    missing: int = 0,
    *,
    missing_as_deaths: bool | None = None,
) -> Grade:
    """The grade of an accident (art. 3): the highest any one criterion reaches."""
    if missing_as_deaths is None:
        from django.conf import settings

        missing_as_deaths = getattr(settings, "ANLAN_INCIDENT_MISSING_AS_DEATHS", True)
    dead = _count(deaths, "deaths") + (_count(missing, "missing") if missing_as_deaths else 0)
    injured = _count(serious_injuries, "serious_injuries")
    loss = Decimal(str(direct_loss_yuan))
    if loss < 0:
        raise ValueError("direct_loss_yuan must be 0 or more")
    for grade, min_deaths, min_injured, min_loss in THRESHOLDS:
        if dead >= min_deaths or injured >= min_injured or loss >= min_loss:
            return Grade(grade)
    return Grade.GENERAL


def worse(a: str, b: str) -> bool:
    """Whether grade ``a`` is worse than grade ``b``."""
    return GRADE_RANK[Grade(a)] > GRADE_RANK[Grade(b)]


# The reporting chain (arts. 9-11): the unit reports to the county within an hour of learning of
# the accident; each government level reports to the next within two hours of receiving it.
# 一般 goes up to the city, 较大 to the province, 重大 and 特别重大 on to the State Council's
# department (from the province, outside this platform).
class Level(StrEnum):
    UNIT = "unit"
    COUNTY = "county"
    CITY = "city"
    PROVINCE = "province"


LEVEL_LABELS = {
    Level.UNIT: _("reporting unit"),
    Level.COUNTY: _("county"),
    Level.CITY: _("city"),
    Level.PROVINCE: _("province"),
}
CHAIN = (Level.UNIT, Level.COUNTY, Level.CITY, Level.PROVINCE)
TOP_LEVEL = {
    Grade.GENERAL: Level.CITY,
    Grade.LARGER: Level.PROVINCE,
    Grade.MAJOR: Level.PROVINCE,
    Grade.ESPECIALLY_MAJOR: Level.PROVINCE,
}


def steps_for(grade: str) -> list[tuple[str, str]]:
    """The (from, to) reporting steps a grade requires, bottom up."""
    top = CHAIN.index(TOP_LEVEL[Grade(grade)])
    return [(CHAIN[i], CHAIN[i + 1]) for i in range(top)]


def step_minutes(from_level: str, unit_minutes: int = 60, level_minutes: int = 120) -> int:
    """The time limit of a step: 1 hour for the unit, 2 hours for each government level."""
    return unit_minutes if from_level == Level.UNIT else level_minutes


class Timeliness(StrEnum):
    ON_TIME = "on_time"  # reported within the limit
    DUE = "due"  # not yet reported, still in time
    LATE = "late"  # 迟报: reported after the limit, or not yet and past it


@dataclass(frozen=True)
class Status:
    timeliness: Timeliness
    minutes: int  # due: minutes left; late: minutes past the limit; on time: minutes to spare


def status(due_at: datetime, reported_at: datetime | None, now: datetime) -> Status:
    """On time / due in N minutes / late (迟报) for one step of the chain."""
    moment = reported_at or now
    delta = int((due_at - moment).total_seconds() // 60)
    if moment <= due_at:
        return Status(Timeliness.ON_TIME if reported_at else Timeliness.DUE, delta)
    return Status(Timeliness.LATE, -delta)


def supplementary_window_days(kind: str, road_and_fire_days: int = 7, other_days: int = 30) -> int:
    """Art. 13: casualty changes within 30 days of the accident (7 for road traffic and fire
    accidents) are supplemented (补报)."""
    return (
        road_and_fire_days if kind in (IncidentKind.ROAD_TRAFFIC, IncidentKind.FIRE) else other_days
    )


def in_supplementary_window(kind: str, occurred_at: datetime, now: datetime, **days) -> bool:
    return now <= occurred_at + timedelta(days=supplementary_window_days(kind, **days))


class IncidentKind(models.TextChoices):
    PRODUCTION = "production", _("production safety accident")
    NATURAL_DISASTER = "natural_disaster", _("natural disaster")
    FIRE = "fire", _("fire")
    ROAD_TRAFFIC = "road_traffic", _("road traffic accident")
    PUBLIC_HEALTH = "public_health", _("public health event")
    SOCIAL_SECURITY = "social_security", _("social security event")


class Source(models.TextChoices):
    """How the government first learned of an incident."""

    UNIT = "unit", _("the unit's own report")
    TIP_OFF = "tip_off", _("tip-off")
    SENSOR = "sensor", _("sensor alarm")
    HOSPITAL = "hospital", _("hospital")
    NEWS = "news", _("news or internet")
    OTHER = "other", _("other department")


def concealment(
    known_at: datetime | None,
    unit_due_at: datetime,
    unit_reported_at: datetime | None,
    now: datetime,
) -> str:
    """For an accident the government learned of from another source first: '' when the unit
    reported on time, 'late' (迟报) when it reported after its limit, 'suspected' (瞒报嫌疑)
    while it has still not reported past its limit."""
    if known_at is None:
        return ""
    if unit_reported_at is None:
        return "suspected" if now > unit_due_at else ""
    return "late" if unit_reported_at > unit_due_at else ""
