from datetime import date

import pytest

from anlan.hazards.rules import (
    MAJOR_PLAN_ITEMS,
    at_or_above,
    check_deadline,
    check_extension,
    check_plan_deadline,
    deadline_status,
    decision_level,
    missing_plan_items,
    regrade_level,
)

D = date(2026, 11, 20)


@pytest.mark.parametrize(
    ("unit", "required", "allowed"),
    [
        ("town", "town", True),
        ("county", "town", True),
        ("city", "county", True),
        ("town", "county", False),
        ("county", "city", False),
        ("village", "town", False),
        (None, "town", False),
        ("province", "city", True),
    ],
)
def test_at_or_above(unit, required, allowed):
    assert at_or_above(unit, required) is allowed


@pytest.mark.parametrize(
    ("today", "status"),
    [
        (date(2026, 11, 16), "on_time"),
        (date(2026, 11, 17), "due_soon"),  # 3 days before, inclusive
        (D, "due_soon"),  # the deadline day itself
        (date(2026, 11, 21), "overdue"),
    ],
)
def test_deadline_status(today, status):
    assert deadline_status(D, today, due_soon_days=3) == status


def test_no_deadline_no_status():
    assert deadline_status(None, D, 3) is None


@pytest.mark.parametrize(
    ("requested", "used", "problem"),
    [
        (date(2026, 12, 1), 0, None),
        (D, 0, "必须晚于"),
        (date(2026, 11, 19), 0, "期限不能早于今天"),
        (date(2027, 1, 19), 0, None),  # 60 days after the original deadline: allowed
        (date(2027, 1, 20), 0, "累计延期不得超过 60 天"),
        (date(2026, 12, 1), 2, "延期次数已达上限"),
    ],
)
def test_check_extension(requested, used, problem):
    result = check_extension(D, requested, D, used, max_count=2, max_days=60, today=D)
    assert (result is None) if problem is None else (problem in result)


@pytest.mark.parametrize(
    ("requested", "problem"),
    [
        (date(2026, 11, 25), "期限不能早于今天"),  # later than the overdue deadline, yet past
        (date(2026, 11, 30), None),  # today
    ],
)
def test_an_extension_of_an_overdue_deadline_cannot_end_in_the_past(requested, problem):
    result = check_extension(D, requested, D, 0, max_count=2, max_days=60, today=date(2026, 11, 30))
    assert (result is None) if problem is None else (problem in result)


@pytest.mark.parametrize(
    ("deadline", "problem"),
    [
        (None, "请填写期限"),
        (date(2026, 11, 19), "期限不能早于今天"),
        (D, None),
        (date(2027, 1, 1), None),
    ],
)
def test_every_deadline_field_refuses_the_past_the_same_way(deadline, problem):
    assert check_deadline(deadline, D) == problem


@pytest.mark.parametrize(
    ("planned", "ordered", "refused"),
    [
        (D, D, False),
        (date(2026, 11, 19), D, False),
        (date(2026, 11, 21), D, True),
        (D, None, False),
    ],
)
def test_the_plan_cannot_set_a_later_date_than_the_order(planned, ordered, refused):
    assert (check_plan_deadline(planned, ordered) is not None) is refused


@pytest.mark.parametrize(
    ("old", "new", "level"),
    [
        ("general", "general", "town"),
        ("general", "major", "county"),
        ("major", "general", "county"),
    ],
)
def test_regrading_to_or_from_major_is_for_the_county(old, new, level):
    assert regrade_level(old, new) == level
    assert decision_level(old) == ("county" if old == "major" else "town")


def test_plan_items_by_level():
    general = {"responsible_person": "王强", "measures": "修", "deadline": D, "funds": 0}
    assert missing_plan_items("general", general) == []
    assert set(missing_plan_items("major", general)) == set(MAJOR_PLAN_ITEMS) - {"measures"}
    assert missing_plan_items("general", {**general, "funds": None}) == ["funds"]
