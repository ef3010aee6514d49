"""Accident grading and the reporting chain: pure functions and data, no database.

Source: 生产安全事故报告和调查处理条例 (国务院令第493号, 2007) arts. 3, 9-13; DOMAIN.md §1.
"以上" includes the number, "以下" excludes it (art. 3); the grade is the highest any one
criterion reaches. The missing are graded with the dead (project convention, as official
statistics count 死亡和下落不明; setting ANLAN_INCIDENT_MISSING_AS_DEATHS).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from decimal import Decimal
from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class Grade(models.TextChoices):
    ESPECIALLY_MAJOR = "especially_major", _("especially major accident")
    MAJOR = "major", _("major accident")
    LARGER = "larger", _("larger accident")
    GENERAL = "general", _("general accident")
    # Kinds outside 493号令 (natural disasters, forest fires, public health, social security)
    # have their own scales (art. 2; DOMAIN.md §1): they are not graded on this one.
    UNGRADED = "ungraded", _("not graded on the accident scale")


ACCIDENT_GRADES = (Grade.ESPECIALLY_MAJOR, Grade.MAJOR, Grade.LARGER, Grade.GENERAL)
GRADE_RANK = {
    Grade.UNGRADED: 0,
    Grade.GENERAL: 1,
    Grade.LARGER: 2,
    Grade.MAJOR: 3,
    Grade.ESPECIALLY_MAJOR: 4,
}

# (grade, deaths at least, serious injuries at least, direct loss at least in yuan), worst first.
THRESHOLDS: tuple[tuple[str, int, int, int], ...] = (
    (Grade.ESPECIALLY_MAJOR, 30, 100, 100_000_000),
    (Grade.MAJOR, 10, 50, 50_000_000),
    (Grade.LARGER, 3, 10, 10_000_000),
)


def _count(value: float | Decimal, name: str) -> int:
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


def steps_for(grade: str, top: str | None = None) -> list[tuple[str, str]]:
    """The (from, to) reporting steps a grade requires, bottom up (``top``: where the chain
    ends for a kind outside the accident scale). ValueError for an ungraded incident without
    its kind's ``top``."""
    if not top and Grade(grade) == Grade.UNGRADED:
        raise ValueError("an ungraded incident follows its kind's chain: give its top level")
    last = CHAIN.index(Level(top) if top else TOP_LEVEL[Grade(grade)])
    return [(CHAIN[i], CHAIN[i + 1]) for i in range(last)]


# Time limits per (grade, hop, channel) in minutes. A hop is named by the level that reports
# (unit → county, county → city, city → province). 493号令 sets 1 hour for the unit (art. 9) and
# 2 hours for each government level (arts. 10-11) whatever the grade, and does not distinguish a
# phone report from a written one; provinces tighten it (DOMAIN.md §1: 河南 重大 and above 15 min
# by phone, 35 min in writing), so the table is a setting (ANLAN_INCIDENT_REPORT_LIMITS).
class Channel(StrEnum):
    PHONE = "phone"  # the first, quick report (电话快报)
    WRITTEN = "written"  # the written report (书面报告)


HOPS = (Level.UNIT, Level.COUNTY, Level.CITY)
LimitTable = dict[tuple[str, str, str], int]


def default_limits(unit_minutes: int = 60, level_minutes: int = 120) -> LimitTable:
    """493号令's table: the unit 1 hour, each government level 2 hours, by phone or in writing."""
    return {
        (grade, hop, channel): unit_minutes if hop == Level.UNIT else level_minutes
        for grade in ACCIDENT_GRADES
        for hop in HOPS
        for channel in Channel
    }


def _minutes_value(value: object, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 7 * 24 * 60:
        raise ValueError(f"{where}: minutes must be a whole number from 1 to 10080, got {value!r}")
    return value


def _pick(key: str, allowed: tuple[str, ...], what: str, where: str) -> tuple[str, ...]:
    if key == "*":
        return allowed
    if key not in allowed:
        names = ", ".join(str(a) for a in allowed)
        raise ValueError(f"{where}: unknown {what} {key!r} (one of {names}, or *)")
    return (key,)


def parse_limits(text: str, unit_minutes: int = 60, level_minutes: int = 120) -> LimitTable:
    """The limits table from settings text: JSON overriding 493号令's defaults, e.g.
    ``{"*": {"county": {"phone": 30, "written": 60}}, "general": {"county": 360}}``: grade (or
    ``*``) → hop (or ``*``) → minutes for both channels, or {"phone": m, "written": m}. Later
    keys override earlier ones. ValueError naming the wrong key."""
    table = default_limits(unit_minutes, level_minutes)
    if not (text or "").strip():
        return table
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not valid JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise ValueError("must be a JSON object of grades")
    grades = tuple(str(g) for g in ACCIDENT_GRADES)
    for grade_key, hops in data.items():
        where = grade_key
        for grade in _pick(grade_key, grades, "grade", where):
            if not isinstance(hops, dict):
                raise ValueError(f"{where}: must be an object of hops")
            for hop_key, value in hops.items():
                at = f"{where}.{hop_key}"
                for hop in _pick(hop_key, tuple(str(h) for h in HOPS), "hop", at):
                    if isinstance(value, dict):
                        for channel_key, minutes in value.items():
                            for channel in _pick(
                                channel_key, tuple(str(c) for c in Channel), "channel", at
                            ):
                                table[(grade, hop, channel)] = _minutes_value(
                                    minutes, f"{at}.{channel_key}"
                                )
                    else:
                        for channel in Channel:
                            table[(grade, hop, str(channel))] = _minutes_value(value, at)
    return table


def report_limit(grade: str, hop: str, channel: str, table: LimitTable | None = None) -> int:
    """Minutes the level ``hop`` has to report an accident of ``grade`` upward by ``channel``
    (493号令 arts. 9-11 by default). ValueError for an unknown grade, hop or channel."""
    key = (str(Grade(grade)), str(Level(hop)), str(Channel(channel)))
    limits = default_limits() if table is None else table
    if key not in limits:
        raise ValueError(f"no reporting limit for {key}")
    return limits[key]


@dataclass(frozen=True)
class KindRule:
    """How one kind of incident is graded and reported: ``graded`` kinds are 生产安全事故
    (493号令 art. 2), graded by art. 3 and reported as far as their grade requires within the
    limits table; the others are not graded on that scale and go up to ``top`` within
    ``minutes`` per hop (phone and written alike)."""

    graded: bool
    top: str = Level.CITY
    minutes: dict[str, int] = field(default_factory=dict)


# Fire and road traffic accidents are 生产安全事故 with their own supplement window (art. 13).
DEFAULT_ACCIDENT_KINDS = ("production", "fire", "road_traffic")


def parse_kind_rules(
    accident_kinds: str | tuple[str, ...] = DEFAULT_ACCIDENT_KINDS,
    other_kinds: str = "",
    unit_minutes: int = 60,
    level_minutes: int = 120,
) -> dict[str, KindRule]:
    """Each kind's rule from settings text: ``accident_kinds`` a comma list of the kinds graded
    by art. 3; ``other_kinds`` JSON per other kind, e.g. ``{"public_health": {"top": "province",
    "unit": 120}}`` (``top``: county, city or province; minutes per hop). Other kinds not named go
    up to the city within the unit's and the levels' minutes. ValueError naming the wrong key."""
    if isinstance(accident_kinds, str):
        accident_kinds = tuple(k.strip() for k in accident_kinds.split(",") if k.strip())
    kinds = tuple(IncidentKind.values)
    for kind in accident_kinds:
        _pick(kind, kinds, "kind", "accident kinds")
    if IncidentKind.PRODUCTION not in accident_kinds:
        # 493号令 art. 2: production-safety accidents are graded and reported by its rules.
        raise ValueError("accident kinds must include production (493号令 art. 2)")
    try:
        other = json.loads(other_kinds) if (other_kinds or "").strip() else {}
    except json.JSONDecodeError as exc:
        raise ValueError(f"not valid JSON: {exc}") from exc
    if not isinstance(other, dict):
        raise ValueError("must be a JSON object of kinds")
    rules: dict[str, KindRule] = {}
    for kind in kinds:
        if kind in accident_kinds:
            if kind in other:
                raise ValueError(f"{kind}: graded as an accident, it takes no rule of its own")
            rules[kind] = KindRule(graded=True)
            continue
        given = other.get(kind, {})
        if not isinstance(given, dict):
            raise ValueError(f"{kind}: must be an object")
        top = given.get("top", str(Level.CITY))
        if top not in (Level.COUNTY, Level.CITY, Level.PROVINCE):
            raise ValueError(f"{kind}.top: unknown level {top!r} (county, city or province)")
        minutes = {str(Level.UNIT): unit_minutes, str(Level.COUNTY): level_minutes,
                   str(Level.CITY): level_minutes}  # fmt: skip
        for key, value in given.items():
            if key == "top":
                continue
            _pick(key, tuple(str(h) for h in HOPS), "hop", kind)
            minutes[key] = _minutes_value(value, f"{kind}.{key}")
        rules[kind] = KindRule(graded=False, top=str(top), minutes=minutes)
    for kind in other:
        _pick(kind, kinds, "kind", "other kinds")
    return rules


def hop_limit(
    rule: KindRule, grade: str, hop: str, channel: str, table: LimitTable | None = None
) -> int:
    """The limit of one hop for an incident of this kind's rule and grade."""
    if rule.graded:
        return report_limit(grade, hop, channel, table)
    Channel(channel)
    return rule.minutes[str(Level(hop))]


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


def supplementary_last_day(kind: str, occurred_on: date, **days: int) -> date:
    """The last day of the 补报 window, counted in calendar days: the day after the accident is
    day 1 and the last day ends at 24:00 (民法典 arts. 201, 203)."""
    return occurred_on + timedelta(days=supplementary_window_days(kind, **days))


def in_supplementary_window(
    kind: str, occurred_at: datetime, now: datetime, *, tz: tzinfo, **days: int
) -> bool:
    """Whether ``now`` falls in the window; both instants are read as dates in ``tz`` (local
    time). A change after it is a correction (更正), not a 补报."""
    last = supplementary_last_day(kind, occurred_at.astimezone(tz).date(), **days)
    return now.astimezone(tz).date() <= last


class IncidentKind(models.TextChoices):
    PRODUCTION = "production", _("production safety accident")
    NATURAL_DISASTER = "natural_disaster", _("natural disaster")
    FIRE = "fire", _("fire")
    ROAD_TRAFFIC = "road_traffic", _("road traffic accident")
    FOREST_FIRE = "forest_fire", _("forest fire")
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
