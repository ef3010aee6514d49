"""Statistics periods (统计期间): this month, this quarter, this year or a chosen range of local
calendar days, and the same days a year before (同比).

A period is read from the query string of a statistics page or API route
(``?period=quarter``, ``?period=range&start=2026-01-01&end=2026-03-31``) by
:func:`period_from_params`, with today's local date (``timezone.localdate()``, ANLAN_TIME_ZONE)
given by the caller, so this module is pure. "This month", "this quarter" and "this year" run
from their first day to today: officials compare the year to date with the same days of last
year (1—11月 同比), not a part of a year with a whole one.

Both ends of a period are local calendar days, the last one included; :meth:`Period.bounds`
turns them into the instants [first day 00:00, day after the last 00:00) in the local time zone,
the range a query on a stored instant (``found_at``, ``occurred_at``) compares with.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

from django.utils.translation import gettext_lazy as _

from anlan.core.bounds import date_in_bounds

MONTH, QUARTER, YEAR, RANGE, ALL = "month", "quarter", "year", "range", "all"
KINDS: dict[str, Any] = {
    MONTH: _("This month"),
    QUARTER: _("This quarter"),
    YEAR: _("This year"),
    RANGE: _("Chosen dates"),
}


class PeriodError(ValueError):
    """Parameters that name no period; ``field`` is the parameter at fault (period, start or
    end), ``message`` a translatable sentence for the page or the API's 422."""

    def __init__(self, field: str, message: Any) -> None:
        super().__init__(str(message))
        self.field, self.message = field, message


def year_before(day: date) -> date:
    """The same day a year before; 29 February becomes 28 February."""
    if day.month == 2 and day.day == 29:
        return date(day.year - 1, 2, 28)
    return day.replace(year=day.year - 1)


def _last_day_of_month(day: date) -> bool:
    return day.day == calendar.monthrange(day.year, day.month)[1]


def end_year_before(day: date) -> date:
    """The last day of the same period a year before: the last day of a month stays the last
    day of that month (February 2029, ending on the 28th, compares with the whole of February
    2028, 29 days); any other day is :func:`year_before`."""
    if _last_day_of_month(day):
        month = day.month
        return date(day.year - 1, month, calendar.monthrange(day.year - 1, month)[1])
    return year_before(day)


@dataclass(frozen=True)
class Period:
    """Local calendar days ``start`` to ``end``, both included."""

    kind: str
    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def bounds(self, tz: tzinfo) -> tuple[datetime, datetime]:
        """[local midnight of the first day, local midnight after the last day) in ``tz``."""
        after = self.end + timedelta(days=1)
        return datetime.combine(self.start, time(), tzinfo=tz), datetime.combine(
            after, time(), tzinfo=tz
        )

    def same_period_last_year(self) -> Period:
        return Period(self.kind, year_before(self.start), end_year_before(self.end))

    @property
    def name(self) -> Any:
        """What the period is called: 本季度, 自选日期."""
        return KINDS[self.kind]

    def params(self) -> dict[str, str]:
        """The query parameters that name this period again (links, the form's values)."""
        if self.kind == RANGE:
            return {"period": RANGE, "start": self.start.isoformat(), "end": self.end.isoformat()}
        return {"period": self.kind}


def current(kind: str, today: date) -> Period:
    """This month, quarter or year, from its first day to ``today``."""
    if kind == MONTH:
        first = today.replace(day=1)
    elif kind == QUARTER:
        first = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    elif kind == YEAR:
        first = date(today.year, 1, 1)
    else:
        raise PeriodError("period", _("Choose this month, this quarter, this year or dates."))
    return Period(kind, first, today)


def _day(params: Mapping[str, Any], name: str) -> date | None:
    value = params.get(name)
    if value in (None, ""):
        return None
    if isinstance(value, date):
        day = value
    else:
        try:
            day = date.fromisoformat(str(value))
        except ValueError:
            raise PeriodError(name, _("Enter a date such as 2026-03-31.")) from None
    # Far from the calendar's edges (core/bounds.py): a year before is still a date.
    if not date_in_bounds(day):
        raise PeriodError(name, _("Enter a date between the years 1900 and 2999."))
    return day


def period_from_params(
    params: Mapping[str, Any], today: date, default: str = YEAR, allow_all: bool = False
) -> Period | None:
    """The period the parameters ``period``, ``start`` and ``end`` name; dates without
    ``period`` are a chosen range, and a range without its last day runs to today. None for ``period=all`` (every record, no comparison) when
    ``allow_all``; ``default`` when nothing is asked for. Raises :class:`PeriodError`."""
    start, end = _day(params, "start"), _day(params, "end")
    kind = str(params.get("period") or "") or (RANGE if start or end else default)
    if kind == ALL and allow_all:
        return None
    if kind != RANGE:
        return current(kind, today)
    if start is None:
        raise PeriodError("start", _("Enter the first day of the period."))
    end = end or today
    if end < start:
        raise PeriodError("end", _("The last day must not be before the first day."))
    return Period(RANGE, start, end)


@dataclass(frozen=True)
class Change:
    """A figure against the same period last year: ``delta`` (+3) and ``percent`` (+20.0),
    None when last year's figure is 0 (no rate can be given: shown as 新增 or —)."""

    now: float
    before: float

    @property
    def delta(self) -> float:
        return self.now - self.before

    @property
    def percent(self) -> float | None:
        if not self.before:
            return None
        return round(100 * (self.now - self.before) / self.before, 1)

    @property
    def direction(self) -> str:
        """up, down or same."""
        return "up" if self.delta > 0 else "down" if self.delta < 0 else "same"

    @property
    def delta_text(self) -> str:
        """ "+3", "−20" (a minus sign, not a hyphen), "0"; whole numbers without decimals."""
        return _signed(self.delta, "")

    @property
    def percent_text(self) -> Any:
        """ "+20%", "−33.3%", "0%", or 去年同期为0 when there is no rate."""
        percent = self.percent
        if percent is None:
            return _("none last year") if self.now else "—"
        return _signed(percent, "%")


def _signed(value: float, unit: str) -> str:
    number = f"{abs(value):.1f}".removesuffix(".0")
    if value > 0:
        return f"+{number}{unit}"
    if value < 0:
        return f"\u2212{number}{unit}"
    return f"0{unit}"


@dataclass(frozen=True)
class Asked:
    """A statistics page's period: the one asked for (or the default, with the error, when the
    parameters name none), last year's, and what the page's period form shows."""

    period: Period | None
    before: Period | None
    error: PeriodError | None
    choices: list[tuple[str, Any]]

    def context(self) -> dict[str, Any]:
        """The page's template variables (includes/period_form.html)."""
        period = self.period
        chosen = period.params() if period else {"period": ALL}
        if period:
            chosen |= {"start": period.start.isoformat(), "end": period.end.isoformat()}
        return {
            "period": period,
            "before": self.before,
            "period_error": self.error,
            "period_choices": self.choices,
            "period_chosen": chosen,
        }


def asked_period(
    params: Mapping[str, Any], today: date, default: str = YEAR, allow_all: bool = False
) -> Asked:
    """The period of a statistics page: what :func:`period_from_params` reads, or the default
    with the error when the parameters are wrong (the page shows it; the API answers 422)."""
    error = None
    try:
        period = period_from_params(params, today, default, allow_all)
    except PeriodError as refused:
        error, period = refused, period_from_params({}, today, default, allow_all)
    choices = list(KINDS.items())
    if allow_all:
        choices.insert(0, (ALL, _("All records")))
    before = period.same_period_last_year() if period else None
    return Asked(period, before, error, choices)
