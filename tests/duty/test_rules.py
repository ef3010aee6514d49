"""Table tests of the pure duty rules: shift patterns, the rota, check-in timing, swaps."""

from datetime import date, time, timedelta

import pytest

from anlan.duty import rules
from anlan.duty.rules import CheckInStatus, People, ShiftPattern
from tests.duty.factories import TZ, at

DAY = ShiftPattern(time(8, 30), 24)
HALF = ShiftPattern(time(8, 30), 12)
GRACE = timedelta(minutes=15)
EARLY = timedelta(minutes=30)


@pytest.mark.parametrize(
    ("start", "hours", "expected"),
    [
        ("08:30", 24, ShiftPattern(time(8, 30), 24)),
        ("8:00", 12, ShiftPattern(time(8, 0), 12)),
        ("00:00", 8, ShiftPattern(time(0, 0), 8)),
        ("23:59", 1, ShiftPattern(time(23, 59), 1)),
        ("24:00", 24, ValueError),
        ("08:60", 24, ValueError),
        ("0830", 24, ValueError),
        ("08:30", 10, ValueError),  # does not tile a day
        ("08:30", 48, ValueError),
        ("08:30", 0, ValueError),
    ],
)
def test_parse_pattern(start, hours, expected):
    if expected is ValueError:
        with pytest.raises(ValueError):
            rules.parse_pattern(start, hours)
    else:
        assert rules.parse_pattern(start, hours) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2026-11", date(2026, 11, 1)), ("2028-02", date(2028, 2, 1)), ("2026-13", None),
     ("2026-1", None), ("26-11", None), ("", None), ("2026-11-01", None)],
)  # fmt: skip
def test_parse_month(text, expected):
    if expected is None:
        with pytest.raises(ValueError):
            rules.parse_month(text)
    else:
        assert rules.parse_month(text) == expected


@pytest.mark.parametrize(
    ("month", "n", "expected"),
    [(date(2026, 11, 1), 1, date(2026, 12, 1)), (date(2026, 12, 1), 1, date(2027, 1, 1)),
     (date(2026, 1, 1), -1, date(2025, 12, 1)), (date(2026, 11, 1), 14, date(2028, 1, 1))],
)  # fmt: skip
def test_add_months(month, n, expected):
    assert rules.add_months(month, n) == expected


@pytest.mark.parametrize(
    ("month", "pattern", "count", "first", "last"),
    [
        # 24-hour duty from 08:30: one shift a day, the last one runs into the next month.
        (date(2026, 11, 1), DAY, 30, (at(2026, 11, 1, 8, 30), at(2026, 11, 2, 8, 30)),
         (at(2026, 11, 30, 8, 30), at(2026, 12, 1, 8, 30))),
        (date(2026, 12, 1), DAY, 31, (at(2026, 12, 1, 8, 30), at(2026, 12, 2, 8, 30)),
         (at(2026, 12, 31, 8, 30), at(2027, 1, 1, 8, 30))),
        (date(2028, 2, 1), DAY, 29, (at(2028, 2, 1, 8, 30), at(2028, 2, 2, 8, 30)),
         (at(2028, 2, 29, 8, 30), at(2028, 3, 1, 8, 30))),  # leap year
        (date(2027, 2, 1), DAY, 28, (at(2027, 2, 1, 8, 30), at(2027, 2, 2, 8, 30)),
         (at(2027, 2, 28, 8, 30), at(2027, 3, 1, 8, 30))),
        # Day and night shifts.
        (date(2026, 11, 1), HALF, 60, (at(2026, 11, 1, 8, 30), at(2026, 11, 1, 20, 30)),
         (at(2026, 11, 30, 20, 30), at(2026, 12, 1, 8, 30))),
    ],
)  # fmt: skip
def test_month_slots_tile_the_month(month, pattern, count, first, last):
    slots = rules.month_slots(month, pattern, TZ)
    assert len(slots) == count
    assert tuple(slots[0]) == first and tuple(slots[-1]) == last
    # No gap and no overlap, within the month and across the month boundary.
    for a, b in zip(slots, slots[1:], strict=False):
        assert a.end == b.start
    following = rules.month_slots(rules.add_months(month, 1), pattern, TZ)
    assert slots[-1].end == following[0].start


@pytest.mark.parametrize(
    ("moment", "pattern", "start"),
    [
        (at(2026, 11, 23, 9, 0), DAY, at(2026, 11, 23, 8, 30)),
        (at(2026, 11, 23, 8, 30), DAY, at(2026, 11, 23, 8, 30)),
        (at(2026, 11, 23, 8, 29), DAY, at(2026, 11, 22, 8, 30)),
        (at(2026, 11, 1, 0, 10), DAY, at(2026, 10, 31, 8, 30)),  # belongs to last month
        (at(2026, 11, 23, 20, 29), HALF, at(2026, 11, 23, 8, 30)),
        (at(2026, 11, 23, 20, 30), HALF, at(2026, 11, 23, 20, 30)),
        (at(2026, 11, 24, 3, 0), HALF, at(2026, 11, 23, 20, 30)),
    ],
)
def test_slot_at(moment, pattern, start):
    slot = rules.slot_at(moment, pattern)
    assert slot.start == start and slot.end == start + timedelta(hours=pattern.hours)


def _slots(n: int, per_day: int = 1):
    hours = 24 // per_day
    return [
        rules.Slot(at(2026, 11, 1, 8, 30) + timedelta(hours=hours * i),
                   at(2026, 11, 1, 8, 30) + timedelta(hours=hours * (i + 1)))
        for i in range(n)
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("officers", "leaders", "kwargs", "n", "expected"),
    [
        # In turn, each list at its own pace.
        ("abc", "xy", {}, 5, ["ax", "by", "cx", "ay", "bx"]),
        # Continuing after last month's last people.
        ("abc", "xy", {"after_officer": "b", "after_leader": "x"}, 3, ["cy", "ax", "by"]),
        # A name no longer on the rota starts it from the top.
        ("abc", "xy", {"after_officer": "z"}, 2, ["ax", "by"]),
        # Leaders for a week each.
        (
            "abc",
            "xy",
            {"leader_days": 7},
            9,
            ["ax", "bx", "cx", "ax", "bx", "cx", "ax", "by", "cy"],
        ),
        # Two shifts a day: the leader leads the whole day.
        ("abc", "xy", {"per_day": 2}, 4, ["ax", "bx", "cy", "ay"]),
        # Nobody leads their own shift: the next officer takes it and the rota goes on.
        ("ab", "a", {}, 3, ["ba", "ba", "ba"]),
        ("abc", "b", {}, 4, ["ab", "cb", "ab", "cb"]),
    ],
)
def test_assign_rota(officers, leaders, kwargs, n, expected):
    per_day = kwargs.get("per_day", 1)
    plan = rules.assign_rota(_slots(n, per_day), list(officers), list(leaders), **kwargs)
    assert [a.officer + a.leader for a in plan] == expected
    assert all(a.officer != a.leader for a in plan)


@pytest.mark.parametrize(
    ("officers", "leaders", "kwargs", "message"),
    [
        ("", "x", {}, "至少选择一名值班员"),
        ("a", "", {}, "至少选择一名带班领导"),
        ("aa", "x", {}, "轮值名单中有人重复"),
        ("a", "xa", {}, "同一人不能同时担任"),
        ("a", "x", {"leader_days": 0}, "至少"),
    ],
)
def test_assign_rota_refuses(officers, leaders, kwargs, message):
    from django.utils import translation

    with translation.override("zh-hans"), pytest.raises(ValueError, match=message):
        rules.assign_rota(_slots(3), list(officers), list(leaders), **kwargs)


START = at(2026, 11, 23, 8, 30)


@pytest.mark.parametrize(
    ("checked_in", "now", "expected"),
    [
        (None, START - timedelta(minutes=1), CheckInStatus.UPCOMING),
        (None, START, CheckInStatus.DUE),
        (None, START + GRACE, CheckInStatus.DUE),  # the grace's last moment still counts
        (None, START + GRACE + timedelta(seconds=1), CheckInStatus.MISSED),
        (None, START + timedelta(hours=20), CheckInStatus.MISSED),
        (START - timedelta(minutes=30), START + timedelta(hours=1), CheckInStatus.ON_TIME),
        (START + GRACE, START + timedelta(hours=1), CheckInStatus.ON_TIME),
        (START + GRACE + timedelta(seconds=1), START + timedelta(hours=1), CheckInStatus.LATE),
    ],
)
def test_checkin_status(checked_in, now, expected):
    assert rules.checkin_status(START, checked_in, now, GRACE) == expected


END = START + timedelta(hours=24)


@pytest.mark.parametrize(
    ("now", "ok"),
    [
        (START - EARLY - timedelta(seconds=1), False),
        (START - EARLY, True),
        (START, True),
        (END - timedelta(seconds=1), True),
        (END, False),
    ],
)
def test_checkin_window(now, ok):
    assert (rules.checkin_problem(START, END, now, EARLY) is None) is ok


@pytest.mark.parametrize(
    ("start", "end", "ok"),
    [
        (START, END, True),
        (START, START, False),
        (START, START - timedelta(hours=1), False),
        (START, START + timedelta(hours=48), True),
        (START, START + timedelta(hours=48, minutes=1), False),
        (at(2026, 12, 1, 8, 30), at(2026, 12, 2, 8, 30), False),  # not in the roster's month
        (at(2026, 11, 30, 8, 30), at(2026, 12, 1, 8, 30), True),
    ],
)
def test_shift_problem(start, end, ok):
    assert (rules.shift_problem(start, end, date(2026, 11, 1)) is None) is ok


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [((0, 24), (24, 48), False), ((0, 24), (23, 30), True), ((5, 6), (0, 24), True),
     ((0, 24), (-24, 0), False), ((0, 24), (0, 24), True)],
)  # fmt: skip
def test_overlaps(a, b, expected):
    h = lambda n: START + timedelta(hours=n)  # noqa: E731
    assert rules.overlaps(h(a[0]), h(a[1]), h(b[0]), h(b[1])) is expected


NOW = at(2026, 11, 20, 9, 0)
LATER = at(2026, 11, 25, 8, 30)
LATEST = at(2026, 11, 26, 8, 30)
# (id, start, officer, leader)
S1 = People(1, LATER, "a", "x")
S2 = People(2, LATEST, "b", "y")


@pytest.mark.parametrize(
    ("case", "role", "requester", "counterpart", "shift", "other", "ok"),
    [
        ("cover", "officer", "a", "c", S1, None, True),
        ("exchange", "officer", "a", "b", S1, S2, True),
        ("leaders exchange", "leader", "x", "y", S1, S2, True),
        ("unknown role", "cook", "a", "b", S1, None, False),
        ("not the holder", "officer", "b", "c", S1, None, False),
        ("not the holder of that role", "leader", "a", "c", S1, None, False),
        ("with oneself", "officer", "a", "a", S1, None, False),
        ("counterpart already leads it", "officer", "a", "x", S1, None, False),
        ("shift started", "officer", "a", "c", S1._replace(start=NOW), None, False),
        ("other shift started", "officer", "a", "b", S1, S2._replace(start=NOW), False),
        ("same shift", "officer", "a", "b", S1, S1._replace(officer="b"), False),
        ("counterpart not on the other shift", "officer", "a", "c", S1, S2, False),
        ("requester would lead and stand duty", "officer", "a", "b", S1, S2._replace(leader="a"),
         False),
    ],
)  # fmt: skip
def test_swap_problem(case, role, requester, counterpart, shift, other, ok):
    problem = rules.swap_problem(
        role=role, requester=requester, counterpart=counterpart, shift=shift,
        counterpart_shift=other, now=NOW,
    )  # fmt: skip
    assert (problem is None) is ok, (case, problem)
