"""Statistics periods (core/periods.py): quarters, local midnight, 29 February, bad input."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from anlan.core.periods import (
    Change,
    Period,
    PeriodError,
    asked_period,
    end_year_before,
    period_from_params,
    year_before,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize(
    ("today", "kind", "start"),
    [
        (date(2026, 1, 1), "quarter", date(2026, 1, 1)),
        (date(2026, 3, 31), "quarter", date(2026, 1, 1)),
        (date(2026, 4, 1), "quarter", date(2026, 4, 1)),
        (date(2026, 6, 30), "quarter", date(2026, 4, 1)),
        (date(2026, 7, 15), "quarter", date(2026, 7, 1)),
        (date(2026, 9, 30), "quarter", date(2026, 7, 1)),
        (date(2026, 10, 1), "quarter", date(2026, 10, 1)),
        (date(2026, 12, 31), "quarter", date(2026, 10, 1)),
        (date(2026, 12, 2), "month", date(2026, 12, 1)),
        (date(2026, 12, 2), "year", date(2026, 1, 1)),
    ],
)
def test_this_month_quarter_and_year_run_from_their_first_day_to_today(today, kind, start):
    period = period_from_params({"period": kind}, today)
    assert (period.kind, period.start, period.end) == (kind, start, today)


def test_the_default_and_all_records():
    today = date(2026, 5, 20)
    assert period_from_params({}, today) == Period("year", date(2026, 1, 1), today)
    assert period_from_params({}, today, default="month").start == date(2026, 5, 1)
    assert period_from_params({"period": "all"}, today, allow_all=True) is None
    with pytest.raises(PeriodError):  # "all" only where a page offers it
        period_from_params({"period": "all"}, today)


def test_a_chosen_range_includes_its_last_day_and_dates_alone_are_a_range():
    today = date(2026, 5, 20)
    asked = {"period": "range", "start": "2026-02-03", "end": "2026-02-03"}
    period = period_from_params(asked, today)
    assert (period.start, period.end, period.days) == (date(2026, 2, 3), date(2026, 2, 3), 1)
    assert period_from_params({"start": "2025-01-01", "end": "2025-12-31"}, today).days == 365
    assert period.params() == asked
    # A range without its last day runs to today; from 1900 it still has a year before.
    since = period_from_params({"start": "1900-01-01"}, today)
    assert (since.end, since.same_period_last_year().start) == (today, date(1899, 1, 1))


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"period": "week"}, "period"),
        ({"period": "range", "end": "2026-01-01"}, "start"),
        ({"period": "range", "start": "2026-06-01"}, "end"),  # to today: before its start
        ({"start": "2026-02-30", "end": "2026-03-01"}, "start"),
        ({"start": "yesterday", "end": "2026-03-01"}, "start"),
        ({"start": "2026-03-02", "end": "2026-03-01"}, "end"),
        ({"start": "1899-12-31", "end": "2026-03-01"}, "start"),
        ({"start": "2026-01-01", "end": "9999-12-31"}, "end"),
    ],
)
def test_wrong_parameters_name_the_field_at_fault(params, field):
    with pytest.raises(PeriodError) as refused:
        period_from_params(params, date(2026, 5, 20))
    assert refused.value.field == field


def test_a_page_falls_back_to_its_default_and_shows_the_error():
    asked = asked_period({"period": "week"}, date(2026, 5, 20))
    assert asked.error is not None and asked.error.field == "period"
    assert asked.period == Period("year", date(2026, 1, 1), date(2026, 5, 20))
    assert asked.before == Period("year", date(2025, 1, 1), date(2025, 5, 20))
    assert asked.context()["period_chosen"]["start"] == "2026-01-01"


def test_bounds_are_local_midnights():
    period = Period("range", date(2026, 3, 1), date(2026, 3, 31))
    lower, upper = period.bounds(SHANGHAI)
    assert lower == datetime(2026, 2, 28, 16, 0, tzinfo=ZoneInfo("UTC"))
    assert upper == datetime(2026, 3, 31, 16, 0, tzinfo=ZoneInfo("UTC"))


@pytest.mark.parametrize(
    ("day", "before"),
    [
        (date(2028, 2, 29), date(2027, 2, 28)),
        (date(2028, 2, 28), date(2027, 2, 28)),
        (date(2027, 3, 1), date(2026, 3, 1)),
        (date(2026, 12, 31), date(2025, 12, 31)),
    ],
)
def test_year_before(day, before):
    assert year_before(day) == before


def test_last_year_keeps_whole_months_whole():
    # February 2029 (28 days) against the whole of February 2028 (29 days), and back.
    assert end_year_before(date(2029, 2, 28)) == date(2028, 2, 29)
    assert end_year_before(date(2028, 2, 29)) == date(2027, 2, 28)
    assert end_year_before(date(2028, 2, 28)) == date(2027, 2, 28)  # not the month's last day
    quarter = period_from_params({"period": "month"}, date(2029, 2, 28))
    assert quarter.same_period_last_year() == Period("month", date(2028, 2, 1), date(2028, 2, 29))
    leap = Period("range", date(2028, 2, 29), date(2028, 3, 10))
    assert leap.same_period_last_year() == Period("range", date(2027, 2, 28), date(2027, 3, 10))


@pytest.mark.parametrize(
    ("now", "before", "delta", "percent"),
    [
        (18, 15, "+3", "+20%"),
        (12, 15, "\u22123", "\u221220%"),
        (2, 3, "\u22121", "\u221233.3%"),
        (5, 5, "0", "0%"),
        (3, 0, "+3", "none last year"),
        (0, 0, "0", "—"),
    ],
)
def test_change_against_last_year(now, before, delta, percent):
    change = Change(now, before)
    with translation.override("en"):
        assert (change.delta_text, str(change.percent_text)) == (delta, percent)
