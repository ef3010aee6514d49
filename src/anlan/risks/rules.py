"""Risk grading rules (安全风险分级管控): pure functions and data, no database.

Source: ../shared/design/DOMAIN.md §3 — LEC (作业条件危险性评价法, D = L × E × C) and the risk
matrix (LS, R = L × S), levels 重大/较大/一般/低 with colours 红橙黄蓝 and control levels
公司/车间/班组/岗位. Lower bounds are inclusive (project convention). The cut-offs differ
between local standards, so both band tables are settings (ANLAN_RISK_LEC_BANDS,
ANLAN_RISK_LS_BANDS) with the defaults below.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, NamedTuple

from django.db import models
from django.utils.translation import gettext_lazy as _


class RiskLevel(models.TextChoices):
    MAJOR = "major", _("major risk")
    LARGER = "larger", _("larger risk")
    GENERAL = "general", _("general risk")
    LOW = "low", _("low risk")


# Higher is worse; an enterprise's overall level is its highest (DOMAIN.md §3).
LEVEL_RANK = {RiskLevel.MAJOR: 4, RiskLevel.LARGER: 3, RiskLevel.GENERAL: 2, RiskLevel.LOW: 1}
LEVEL_OF_RANK = {rank: level for level, rank in LEVEL_RANK.items()}
COLOURS = {  # level -> (key, Chinese name, hex for maps and cards)
    RiskLevel.MAJOR: ("red", "红", "#d63939"),
    RiskLevel.LARGER: ("orange", "橙", "#f76707"),
    RiskLevel.GENERAL: ("yellow", "黄", "#f59f00"),
    RiskLevel.LOW: ("blue", "蓝", "#206bc4"),
}


class ControlLevel(models.TextChoices):
    COMPANY = "company", _("company")
    WORKSHOP = "workshop", _("workshop")
    TEAM = "team", _("team")
    POST = "post", _("post")


# Who controls a risk of each level; each of these levels names a responsible person.
CONTROL_LEVELS: dict[str, tuple[str, ...]] = {
    RiskLevel.MAJOR: (ControlLevel.COMPANY,),
    RiskLevel.LARGER: (ControlLevel.COMPANY, ControlLevel.WORKSHOP),
    RiskLevel.GENERAL: (ControlLevel.WORKSHOP, ControlLevel.TEAM),
    RiskLevel.LOW: (ControlLevel.TEAM, ControlLevel.POST),
}

# LEC factor tables (values allowed for L, E and C).
LEC_L = {
    Decimal("10"): "完全可以预料",
    Decimal("6"): "相当可能",
    Decimal("3"): "可能,但不经常",
    Decimal("1"): "可能性小,完全意外",
    Decimal("0.5"): "很不可能,可以设想",
    Decimal("0.2"): "极不可能",
    Decimal("0.1"): "实际不可能",
}
LEC_E = {
    Decimal("10"): "连续暴露",
    Decimal("6"): "每天工作时间内暴露",
    Decimal("3"): "每周一次或偶然暴露",
    Decimal("2"): "每月一次暴露",
    Decimal("1"): "每年几次暴露",
    Decimal("0.5"): "非常罕见地暴露",
}
LEC_C = {
    Decimal("100"): "大灾难,许多人死亡",
    Decimal("40"): "灾难,数人死亡",
    Decimal("15"): "非常严重,一人死亡",
    Decimal("7"): "严重,重伤",
    Decimal("3"): "重大,致残",
    Decimal("1"): "引人注目,需要救护",
}
LS_VALUES = range(1, 6)

# (lower bound inclusive, level), highest first; below the last bound: low.
DEFAULT_LEC_BANDS: tuple[tuple[int, str], ...] = (
    (320, RiskLevel.MAJOR),
    (160, RiskLevel.LARGER),
    (70, RiskLevel.GENERAL),
)
DEFAULT_LS_BANDS: tuple[tuple[int, str], ...] = (
    (20, RiskLevel.MAJOR),
    (15, RiskLevel.LARGER),
    (9, RiskLevel.GENERAL),
)
Bands = Sequence[tuple[int | float | str, str]]  # (lower bound, level), as in the settings
Number = Decimal | float | str  # a factor as a form, the import or the API gives it


def plain(value: Number | None) -> str:
    """A number as people write it: 720, 0.5, 0.05 (never 7.2E+2 or 720.00)."""
    if value is None or value == "":
        return ""
    return format(Decimal(str(value)).normalize(), "f")


class Grade(NamedTuple):
    score: Decimal
    level: RiskLevel


def _band(score: Decimal, bands: Bands) -> RiskLevel:
    for lower, level in sorted(bands, key=lambda b: Decimal(str(b[0])), reverse=True):
        if score >= Decimal(str(lower)):
            return RiskLevel(level)
    return RiskLevel.LOW


def _bands(name: str, default: Bands) -> Bands:
    from django.conf import settings

    bands: Bands = getattr(settings, name, None) or default
    return bands


def _factor(value: Number, table: Iterable[Decimal], name: str) -> Decimal:
    number = Decimal(str(value))
    if number not in table:
        allowed = "、".join(plain(v) for v in sorted(table, reverse=True))
        raise ValueError(f"{name} must be one of {allowed}")
    return number


def lec(
    l: Number,  # noqa: E741 (the method's own letter)
    e: Number,
    c: Number,
    *,
    bands: Bands | None = None,
) -> Grade:
    """D = L × E × C, graded by the LEC bands (values outside the tables raise ValueError)."""
    score = _factor(l, LEC_L, "L") * _factor(e, LEC_E, "E") * _factor(c, LEC_C, "C")
    score = Decimal(plain(score))
    return Grade(score, _band(score, bands or _bands("ANLAN_RISK_LEC_BANDS", DEFAULT_LEC_BANDS)))


def ls(
    l: Decimal | float,  # noqa: E741
    s: Decimal | float,
    *,
    bands: Bands | None = None,
) -> Grade:
    """R = L × S with L and S from 1 to 5, graded by the risk-matrix bands."""
    for name, value in (("L", l), ("S", s)):
        if isinstance(value, bool) or int(value) != value or int(value) not in LS_VALUES:
            raise ValueError(f"{name} must be a whole number from 1 to 5")
    score = Decimal(int(l) * int(s))
    return Grade(score, _band(score, bands or _bands("ANLAN_RISK_LS_BANDS", DEFAULT_LS_BANDS)))


def highest(levels: Iterable[str | None]) -> RiskLevel | None:
    """The overall level of a set of risks: the highest (None when there is none)."""
    ranks = [LEVEL_RANK[RiskLevel(level)] for level in levels if level]
    return LEVEL_OF_RANK[max(ranks)] if ranks else None


# Investigation frequencies (排查频次, DOMAIN.md §12) and their windows, in local time.
# Frequencies are data: a kind, plus the number of hours for "every N hours".
class Frequency(models.TextChoices):
    HOURS = "hours", _("every N hours")
    SHIFT = "shift", _("every shift")
    TWICE_DAILY = "twice_daily", _("twice daily")
    DAILY = "daily", _("daily")
    WEEKLY = "weekly", _("weekly")
    MONTHLY = "monthly", _("monthly")
    QUARTERLY = "quarterly", _("quarterly")
    HALF_YEARLY = "half_yearly", _("half-yearly")
    YEARLY = "yearly", _("yearly")
    AD_HOC = "ad_hoc", _("ad hoc (no schedule)")


# Every N hours: N divides 24, so the windows of every day start at local midnight and the
# same hours each day (every 5 hours would drift from day to day; use shifts for such patterns).
INTERVAL_HOURS = (1, 2, 3, 4, 6, 8, 12)
DEFAULT_SHIFT_STARTS = (8, 16, 0)  # three 8-hour shifts: 08–16, 16–24, 00–08
DEFAULT_TWICE_DAILY_STARTS = (0, 12)  # 00–12 and 12–24
MONTHS_OF: dict[str, int] = {Frequency.MONTHLY: 1, Frequency.QUARTERLY: 3, Frequency.HALF_YEARLY: 6,
             Frequency.YEARLY: 12}  # fmt: skip
SCHEDULED = frozenset(Frequency.values) - {Frequency.AD_HOC}


def frequency_label(frequency: str, hours: int | None = None) -> str:
    """How people write a frequency: 每2小时, 每小时, 每班, 每天两次, 每季度 ..."""
    if frequency == Frequency.HOURS:
        if hours == 1:
            return str(_("every hour"))
        return str(_("every %(hours)s hours") % {"hours": hours or "N"})
    try:
        return str(Frequency(frequency).label)
    except ValueError:
        return frequency


_FREQUENCY_WORDS = {
    "每班": Frequency.SHIFT, "每天两次": Frequency.TWICE_DAILY, "每日两次": Frequency.TWICE_DAILY,
    "每天2次": Frequency.TWICE_DAILY, "每日2次": Frequency.TWICE_DAILY,
    "一天两次": Frequency.TWICE_DAILY, "每天": Frequency.DAILY, "每日": Frequency.DAILY,
    "每周": Frequency.WEEKLY, "每月": Frequency.MONTHLY, "每季度": Frequency.QUARTERLY,
    "每季": Frequency.QUARTERLY, "每半年": Frequency.HALF_YEARLY, "每年": Frequency.YEARLY,
    "不定期": Frequency.AD_HOC, "随机": Frequency.AD_HOC,
}  # fmt: skip
_EVERY_HOURS = re.compile(r"每(?:(\d+)个?)?小时")


def parse_frequency(text: str) -> tuple[str, int | None] | None:
    """(kind, hours) of a frequency as written in a register (每2小时, 每小时, 每班, 每天两次,
    每天, 每周, 每月, 每季度, 每半年, 每年, 不定期; "一次" may follow) or as its key; None when
    unknown. The hours are returned as written (the model checks that they divide 24)."""
    text = re.sub(r"\s+", "", str(text or "")).removesuffix("一次")
    if not text:
        return None
    match = _EVERY_HOURS.fullmatch(text)
    if match:
        return Frequency.HOURS, int(match.group(1) or 1)
    if text in _FREQUENCY_WORDS:
        return _FREQUENCY_WORDS[text], None
    if text in Frequency.values and text != Frequency.HOURS:
        return text, None
    return None


def _real(moment: datetime) -> datetime:
    """A wall-clock time as the instant it names (a time skipped by daylight saving moves on)."""
    return datetime.fromtimestamp(moment.timestamp(), moment.tzinfo)


def day_starts(
    frequency: str,
    *,
    hours: int | None = None,
    shift_starts: Sequence[int] = DEFAULT_SHIFT_STARTS,
    twice_daily_starts: Sequence[int] = DEFAULT_TWICE_DAILY_STARTS,
) -> tuple[int, ...]:
    """The hours at which the windows of a frequency that splits the day start."""
    if frequency == Frequency.HOURS:
        if hours not in INTERVAL_HOURS:
            raise ValueError(f"every N hours needs N in {INTERVAL_HOURS}, got {hours!r}")
        return tuple(range(0, 24, hours))
    if frequency == Frequency.SHIFT:
        return tuple(sorted(set(shift_starts)))
    if frequency == Frequency.TWICE_DAILY:
        return tuple(sorted(set(twice_daily_starts)))
    return ()


def window(
    frequency: str,
    moment: datetime,
    shift_starts: Sequence[int] = DEFAULT_SHIFT_STARTS,
    *,
    hours: int | None = None,
    twice_daily_starts: Sequence[int] = DEFAULT_TWICE_DAILY_STARTS,
) -> tuple[datetime, datetime]:
    """The (start, end) of the window of ``frequency`` that contains ``moment``.

    ``moment`` is an aware local datetime; the window is half-open [start, end) in the same
    time zone, on the local calendar: every N hours from local midnight (``hours``), shifts
    from the hours in ``shift_starts``, twice daily from ``twice_daily_starts``, days from
    midnight, weeks from Monday, months, calendar quarters, half-years (January, July) and
    years from their first day. Where daylight saving applies, windows follow the wall clock
    (a skipped hour has no window of its own). Ad hoc measures have no windows (ValueError).
    """
    tz = moment.tzinfo
    day = moment.date()

    def at(d: date, hour: int = 0) -> datetime:
        return _real(datetime.combine(d, time(hour), tzinfo=tz))

    starts = day_starts(
        frequency, hours=hours, shift_starts=shift_starts, twice_daily_starts=twice_daily_starts
    )
    if starts:
        before = [at(day - timedelta(days=1), starts[-1])] + [at(day, h) for h in starts]
        start = max(s for s in before if s <= moment)
        later = [at(day, h) for h in starts] + [at(day + timedelta(days=1), starts[0])]
        return start, min(s for s in later if s > start)
    if frequency == Frequency.DAILY:
        return at(day), at(day + timedelta(days=1))
    if frequency == Frequency.WEEKLY:
        monday = day - timedelta(days=day.weekday())
        return at(monday), at(monday + timedelta(days=7))
    if frequency in MONTHS_OF:
        months = MONTHS_OF[frequency]
        month = months * ((day.month - 1) // months) + 1
        year, after = divmod(month - 1 + months, 12)
        return at(date(day.year, month, 1)), at(date(day.year + year, after + 1, 1))
    raise ValueError(f"{frequency!r} has no windows")


def first_window(
    frequency: str,
    since: datetime,
    shift_starts: Sequence[int] = DEFAULT_SHIFT_STARTS,
    **kwargs: Any,
) -> tuple[datetime, datetime]:
    """The first window a new schedule owes a check in: the current one if at least half of it
    remains, else the next (a monthly check set up an hour before the month ends starts next
    month, not overdue in an hour). ``kwargs``: ``hours``, ``twice_daily_starts``."""
    start, end = window(frequency, since, shift_starts, **kwargs)
    if (end - since) * 2 >= end - start:
        return start, end
    return window(frequency, end, shift_starts, **kwargs)


def windows_between(
    frequency: str,
    since: datetime,
    until: datetime,
    shift_starts: Sequence[int] = DEFAULT_SHIFT_STARTS,
    limit: int = 200,
    **kwargs: Any,
) -> list[tuple[datetime, datetime]]:
    """Every window that starts at or after the window containing ``since`` and contains or
    precedes ``until``: the windows a task must exist for. At most ``limit`` (the latest)."""
    found = []
    start, end = window(frequency, since, shift_starts, **kwargs)
    while start <= until:
        found.append((start, end))
        start, end = window(frequency, end, shift_starts, **kwargs)
    return found[-limit:]


def repeated_misses(recent: Sequence[str], threshold: int) -> bool:
    """Whether the latest ``threshold`` finished tasks of a measure were all missed.

    ``recent`` holds task states newest first ("done" or "missed"; open tasks excluded).
    """
    return (
        threshold > 0
        and len(recent) >= threshold
        and all(state == "missed" for state in recent[:threshold])
    )


# GB 6441-1986: the 20 accident types (codes are stable keys, labels as the standard).
ACCIDENT_TYPES: dict[str, str] = {
    "object_strike": "物体打击",
    "vehicle": "车辆伤害",
    "machinery": "机械伤害",
    "lifting": "起重伤害",
    "electric_shock": "触电",
    "drowning": "淹溺",
    "scald_burn": "灼烫",
    "fire": "火灾",
    "fall_from_height": "高处坠落",
    "collapse": "坍塌",
    "roof_fall": "冒顶片帮",
    "water_inrush": "透水",
    "blasting": "放炮",
    "explosive_explosion": "火药爆炸",
    "gas_explosion": "瓦斯爆炸",
    "boiler_explosion": "锅炉爆炸",
    "vessel_explosion": "容器爆炸",
    "other_explosion": "其它爆炸",
    "poisoning_asphyxia": "中毒和窒息",
    "other_injury": "其它伤害",
}
ACCIDENT_TYPE_OF_NAME = {name: code for code, name in ACCIDENT_TYPES.items()}


class FactorKind(models.TextChoices):
    """GB/T 13861-2022 hazardous and harmful factors: the four top-level classes."""

    HUMAN = "human", _("human factor")
    MATERIAL = "material", _("material factor")
    ENVIRONMENT = "environment", _("environmental factor")
    MANAGEMENT = "management", _("management factor")
