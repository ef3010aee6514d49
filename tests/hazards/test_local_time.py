"""Hazard dates at 23:30 and 00:30 Beijing time around a month and a year boundary: numbers
take the local year, deadlines turn overdue on the local day after, reminders follow."""

import datetime as dt

import pytest
import time_machine
from django.test import TestCase
from django.utils import timezone

from anlan.hazards import actions
from anlan.hazards.models import Hazard
from tests.hazards.factories import plan, report
from tests.notices import scan_hazards

BEIJING = dt.timezone(dt.timedelta(hours=8))


def beijing(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=BEIJING)


@pytest.mark.parametrize(
    ("moment", "year"),
    [
        (beijing(2031, 12, 31, 23, 30), 2031),
        (beijing(2032, 1, 1, 0, 30), 2032),  # still 31 December in UTC
    ],
)
def test_numbers_take_the_local_year(personas, moment, year):
    with time_machine.travel(moment, tick=False):
        hazard = report(personas["ent-a"], found_at=timezone.now())
        with TestCase.captureOnCommitCallbacks(execute=True):
            actions.do_transition(hazard, "confirm", actor=personas["town-a"],
                                  deadline=timezone.localdate() + dt.timedelta(days=30))  # fmt: skip
    assert hazard.number == f"YH{year}-0001"
    assert f"〔{year}〕" in hazard.notice_number


@pytest.mark.parametrize(
    ("moment", "status", "overdue"),
    [
        (beijing(2032, 1, 31, 23, 30), "due_soon", False),  # the deadline's own last hour
        (beijing(2032, 2, 1, 0, 30), "overdue", True),  # 16:30 UTC on 31 January
    ],
)
def test_a_deadline_ends_at_local_midnight(personas, moment, status, overdue):
    with time_machine.travel(beijing(2032, 1, 20, 9, 0), tick=False):
        hazard = report(personas["ent-a"], found_at=timezone.now())
        actions.do_transition(hazard, "confirm", actor=personas["town-a"],
                              deadline=dt.date(2032, 1, 31))  # fmt: skip
        actions.do_transition(hazard, "plan", actor=personas["ent-a"],
                              plan=plan(deadline=dt.date(2032, 1, 31)))  # fmt: skip
    with time_machine.travel(moment, tick=False):
        hazard = Hazard.objects.get(pk=hazard.pk)
        assert hazard.deadline_status() == status
        assert Hazard.objects.overdue().filter(pk=hazard.pk).exists() is overdue
        sent = scan_hazards(now=timezone.now())
    assert sent["overdue" if overdue else "due_soon"] >= 1
