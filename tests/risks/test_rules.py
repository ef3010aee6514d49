"""LEC and LS grading with every boundary (DOMAIN.md §3), windows and the missed rule."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from anlan.risks.rules import (
    CONTROL_LEVELS,
    RiskLevel,
    highest,
    lec,
    ls,
    repeated_misses,
    window,
    windows_between,
)

TZ = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize(
    ("l", "e", "c", "score", "level"),
    [
        (10, 10, 100, 10000, "major"),  # the top of the scale
        (6, 6, 15, 540, "major"),
        # 320 is no product of the tables: the nearest products either side of it
        (3, 3, 40, 360, "major"),
        (0.5, 6, 100, 300, "larger"),
        (1, 2, 100, 200, "larger"),
        # 160 is no product either: nearest either side
        (6, 2, 15, 180, "larger"),
        (0.5, 3, 100, 150, "general"),
        # 70 is a product (1 × 10 × 7), so the lower bound is tested exactly
        (1, 10, 7, 70, "general"),
        (10, 1, 7, 70, "general"),
        (3, 3, 7, 63, "low"),
        # the bottom, with fractional factors computed exactly (no float drift)
        (0.5, 6, 15, 45, "low"),
        (0.2, 0.5, 3, Decimal("0.3"), "low"),
        (0.1, 0.5, 1, Decimal("0.05"), "low"),
    ],
)
def test_lec(l, e, c, score, level):  # noqa: E741
    grade = lec(l, e, c)
    assert grade.score == Decimal(str(score))
    assert grade.level == level
    assert isinstance(grade.level, RiskLevel)


@pytest.mark.parametrize(
    ("bands", "level"),
    [
        (((360, "major"),), "major"),  # a score exactly at a lower bound is in the band
        (((360.01, "major"),), "low"),  # just above the score: below the band
        (((400, "major"), (360, "larger")), "larger"),
        (((400, "major"), (361, "larger"), (360, "general")), "general"),
    ],
)
def test_lec_lower_bounds_are_inclusive(bands, level):
    assert lec(3, 3, 40, bands=bands).level == level  # D = 360


@pytest.mark.parametrize("bad", [(5, 6, 15), (10, 7, 15), (10, 6, 20), (0, 1, 1), ("x", 1, 1)])
def test_lec_rejects_values_outside_the_tables(bad):
    with pytest.raises((ValueError, ArithmeticError)):
        lec(*bad)


@pytest.mark.parametrize(
    ("l", "s", "level"),
    [
        (5, 5, "major"),  # 25
        (4, 5, "major"),  # 20: lower bound of major
        (4, 4, "larger"),  # 16: top of larger
        (3, 5, "larger"),  # 15: lower bound of larger
        (3, 4, "general"),  # 12: top of general
        (3, 3, "general"),  # 9: lower bound of general
        (2, 4, "low"),  # 8: top of low
        (1, 1, "low"),  # 1
        (2, 5, "general"),  # 10
    ],
)
def test_ls(l, s, level):  # noqa: E741
    grade = ls(l, s)
    assert grade.score == l * s
    assert grade.level == level


@pytest.mark.parametrize("bad", [(0, 3), (6, 1), (2.5, 2), (True, 3), (3, None)])
def test_ls_rejects_values_outside_one_to_five(bad):
    with pytest.raises((ValueError, TypeError)):
        ls(*bad)


def test_bands_are_configurable(settings):
    settings.ANLAN_RISK_LS_BANDS = ((16, "major"), (12, "larger"), (6, "general"))
    assert ls(4, 4).level == "major"
    assert ls(3, 4).level == "larger"
    assert ls(2, 3).level == "general"
    assert ls(1, 5).level == "low"
    settings.ANLAN_RISK_LEC_BANDS = ((400, "major"), (200, "larger"), (100, "general"))
    assert lec(3, 3, 40).level == "larger"  # 360


def test_control_levels_and_highest():
    assert CONTROL_LEVELS["major"] == ("company",)
    assert CONTROL_LEVELS["low"] == ("team", "post")
    assert highest(["low", "general", "", None]) == "general"
    assert highest(["low", "major", "larger"]) == "major"
    assert highest([]) is None


def at(*args):
    return datetime(*args, tzinfo=TZ)


@pytest.mark.parametrize(
    ("frequency", "moment", "start", "end"),
    [
        ("shift", at(2026, 11, 23, 9, 30), at(2026, 11, 23, 8), at(2026, 11, 23, 16)),
        ("shift", at(2026, 11, 23, 8), at(2026, 11, 23, 8), at(2026, 11, 23, 16)),
        ("shift", at(2026, 11, 23, 7, 59), at(2026, 11, 23, 0), at(2026, 11, 23, 8)),
        ("shift", at(2026, 11, 23, 23, 0), at(2026, 11, 23, 16), at(2026, 11, 24, 0)),
        ("daily", at(2026, 11, 23, 23, 59), at(2026, 11, 23), at(2026, 11, 24)),
        ("weekly", at(2026, 11, 22, 12), at(2026, 11, 16), at(2026, 11, 23)),  # Sunday
        ("weekly", at(2026, 11, 23, 0), at(2026, 11, 23), at(2026, 11, 30)),  # Monday
        ("monthly", at(2026, 2, 28, 12), at(2026, 2, 1), at(2026, 3, 1)),
        ("monthly", at(2026, 12, 31, 23), at(2026, 12, 1), at(2027, 1, 1)),
        ("quarterly", at(2026, 11, 23), at(2026, 10, 1), at(2027, 1, 1)),
        ("quarterly", at(2026, 3, 31, 23), at(2026, 1, 1), at(2026, 4, 1)),
    ],
)
def test_window(frequency, moment, start, end):
    assert window(frequency, moment) == (start, end)


def test_shift_starts_are_configurable():
    assert window("shift", at(2026, 11, 23, 7), shift_starts=(7, 19)) == (
        at(2026, 11, 23, 7),
        at(2026, 11, 23, 19),
    )
    assert window("shift", at(2026, 11, 23, 6), shift_starts=(7, 19)) == (
        at(2026, 11, 22, 19),
        at(2026, 11, 23, 7),
    )


def test_windows_between_covers_each_window_once():
    windows = windows_between("shift", at(2026, 11, 23, 9), at(2026, 11, 24, 9))
    assert [s.hour for s, _e in windows] == [8, 16, 0, 8]
    assert all(a[1] == b[0] for a, b in zip(windows, windows[1:], strict=False))
    assert len(windows_between("daily", at(2026, 11, 1, 12), at(2026, 11, 30, 12))) == 30
    assert len(windows_between("daily", at(2026, 1, 1), at(2026, 12, 31), limit=10)) == 10


@pytest.mark.parametrize(
    ("recent", "threshold", "alert"),
    [
        (["missed", "missed", "missed"], 3, True),
        (["missed", "missed", "done", "missed"], 3, False),
        (["missed", "missed"], 3, False),
        (["done", "missed", "missed", "missed"], 3, False),  # the latest was done
        (["missed"] * 5, 3, True),
        (["missed"], 0, False),
    ],
)
def test_repeated_misses(recent, threshold, alert):
    assert repeated_misses(recent, threshold) is alert
