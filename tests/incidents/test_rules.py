"""Accident grading with every boundary of each threshold (条例 art. 3), the chain, timeliness."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from anlan.incidents.rules import (
    concealment,
    grade_accident,
    in_supplementary_window,
    status,
    steps_for,
)

TZ = ZoneInfo("Asia/Shanghai")
T0 = datetime(2026, 11, 23, 9, 0, tzinfo=TZ)


@pytest.mark.parametrize(
    ("deaths", "serious", "loss", "missing", "grade"),
    [
        (0, 0, 0, 0, "general"),
        # deaths: 3 以上 较大, 10 以上 重大, 30 以上 特别重大 (the number itself included)
        (2, 0, 0, 0, "general"),
        (3, 0, 0, 0, "larger"),
        (9, 0, 0, 0, "larger"),
        (10, 0, 0, 0, "major"),
        (29, 0, 0, 0, "major"),
        (30, 0, 0, 0, "especially_major"),
        # serious injuries (incl. acute industrial poisoning): 10 / 50 / 100
        (0, 9, 0, 0, "general"),
        (0, 10, 0, 0, "larger"),
        (0, 49, 0, 0, "larger"),
        (0, 50, 0, 0, "major"),
        (0, 99, 0, 0, "major"),
        (0, 100, 0, 0, "especially_major"),
        # direct economic loss: 1,000万 / 5,000万 / 1亿 yuan
        (0, 0, 9_999_999, 0, "general"),
        (0, 0, 10_000_000, 0, "larger"),
        (0, 0, 49_999_999.99, 0, "larger"),
        (0, 0, 50_000_000, 0, "major"),
        (0, 0, 99_999_999, 0, "major"),
        (0, 0, 100_000_000, 0, "especially_major"),
        # the highest criterion decides
        (2, 9, 10_000_000, 0, "larger"),
        (1, 50, 0, 0, "major"),
        (3, 0, 100_000_000, 0, "especially_major"),
        # the missing count with the dead (project convention)
        (2, 0, 0, 1, "larger"),
        (8, 0, 0, 2, "major"),
        (0, 0, 0, 30, "especially_major"),
        (0, 0, 0, 2, "general"),
    ],
)
def test_grade_accident(deaths, serious, loss, missing, grade):
    assert grade_accident(deaths, serious, loss, missing=missing) == grade


def test_missing_counted_apart_when_configured(settings):
    assert grade_accident(2, 0, 0, missing=1, missing_as_deaths=False) == "general"
    settings.ANLAN_INCIDENT_MISSING_AS_DEATHS = False
    assert grade_accident(2, 0, 0, missing=1) == "general"


@pytest.mark.parametrize("bad", [(-1, 0, 0), (0, -1, 0), (0, 0, -5), (1.5, 0, 0), (True, 0, 0)])
def test_grade_rejects_impossible_numbers(bad):
    with pytest.raises(ValueError):
        grade_accident(*bad)


@pytest.mark.parametrize(
    ("grade", "steps"),
    [
        ("general", [("unit", "county"), ("county", "city")]),
        ("larger", [("unit", "county"), ("county", "city"), ("city", "province")]),
        ("major", [("unit", "county"), ("county", "city"), ("city", "province")]),
        ("especially_major", [("unit", "county"), ("county", "city"), ("city", "province")]),
    ],
)
def test_steps_for(grade, steps):
    assert steps_for(grade) == steps


@pytest.mark.parametrize(
    ("reported", "now", "expected"),
    [
        (None, T0 - timedelta(minutes=25), ("due", 25)),
        (None, T0, ("due", 0)),
        (None, T0 + timedelta(minutes=1), ("late", 1)),
        (T0 - timedelta(minutes=10), T0 + timedelta(hours=5), ("on_time", 10)),
        (T0, T0 + timedelta(hours=5), ("on_time", 0)),
        (T0 + timedelta(minutes=90), T0 + timedelta(hours=5), ("late", 90)),
    ],
)
def test_status(reported, now, expected):
    result = status(T0, reported, now)
    assert (result.timeliness, result.minutes) == expected


@pytest.mark.parametrize(
    ("kind", "days", "inside"),
    [
        ("production", 30, True),
        ("production", 31, False),
        ("road_traffic", 7, True),
        ("road_traffic", 8, False),
        ("fire", 7, True),
        ("fire", 8, False),
        ("natural_disaster", 30, True),
    ],
)
def test_supplementary_window(kind, days, inside):
    assert in_supplementary_window(kind, T0, T0 + timedelta(days=days), tz=TZ) is inside


@pytest.mark.parametrize(
    ("known", "reported", "now", "flag"),
    [
        (None, None, T0 + timedelta(hours=5), ""),  # the unit itself reported first
        (T0, None, T0 - timedelta(minutes=1), ""),  # still within the unit's hour
        (T0, None, T0 + timedelta(minutes=1), "suspected"),  # 瞒报嫌疑
        (T0, T0 + timedelta(minutes=30), T0 + timedelta(hours=2), "late"),  # 迟报
        (T0, T0, T0 + timedelta(hours=2), ""),
    ],
)
def test_concealment(known, reported, now, flag):
    assert concealment(known, T0, reported, now) == flag
