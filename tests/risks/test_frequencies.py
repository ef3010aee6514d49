"""Investigation frequencies as data (issue 10 point 4, DOMAIN.md §12): the window of every kind
around local midnight, month, quarter, half-year and year boundaries, in Asia/Shanghai and other
zones; the frequency words of the register; hourly schedules through the job, missed marking
and the repeated-miss alert; settings checked at start-up (point 7b)."""

import io
import os
import subprocess
import sys
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from anlan.core.models import Notification
from anlan.risks import actions, imports
from anlan.risks.models import ControlMeasure
from anlan.risks.rules import (
    Frequency,
    first_window,
    frequency_label,
    parse_frequency,
    window,
    windows_between,
)
from anlan.risks.tasks import investigation_tasks
from tests.risks.factories import register

TZ = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def chinese():
    """Labels are compared in Chinese whatever an earlier test left active."""
    with translation.override("zh-hans"):
        yield


def at(*args, tz=TZ):
    return datetime(*args, tzinfo=tz)


# (frequency, hours, moment, window start, window end): every kind, and each calendar boundary
# a minute either side of local midnight.
WINDOWS = [
    # every N hours, aligned to local midnight
    ("hours", 1, at(2026, 11, 23, 9, 30), at(2026, 11, 23, 9), at(2026, 11, 23, 10)),
    ("hours", 1, at(2026, 11, 23, 23, 59), at(2026, 11, 23, 23), at(2026, 11, 24, 0)),
    ("hours", 1, at(2026, 11, 24, 0, 0), at(2026, 11, 24, 0), at(2026, 11, 24, 1)),
    ("hours", 2, at(2026, 11, 23, 9, 30), at(2026, 11, 23, 8), at(2026, 11, 23, 10)),
    ("hours", 2, at(2026, 12, 31, 23, 30), at(2026, 12, 31, 22), at(2027, 1, 1, 0)),
    ("hours", 2, at(2027, 1, 1, 0, 30), at(2027, 1, 1, 0), at(2027, 1, 1, 2)),
    ("hours", 3, at(2026, 11, 23, 2, 59), at(2026, 11, 23, 0), at(2026, 11, 23, 3)),
    ("hours", 4, at(2026, 11, 23, 21), at(2026, 11, 23, 20), at(2026, 11, 24, 0)),
    ("hours", 6, at(2026, 11, 23, 17, 59), at(2026, 11, 23, 12), at(2026, 11, 23, 18)),
    ("hours", 8, at(2026, 11, 23, 23, 30), at(2026, 11, 23, 16), at(2026, 11, 24, 0)),
    ("hours", 12, at(2026, 11, 23, 12), at(2026, 11, 23, 12), at(2026, 11, 24, 0)),
    # shifts at 8, 16 and 0 (ANLAN_RISK_SHIFT_STARTS)
    ("shift", None, at(2026, 11, 23, 7, 59), at(2026, 11, 23, 0), at(2026, 11, 23, 8)),
    ("shift", None, at(2026, 11, 23, 23, 30), at(2026, 11, 23, 16), at(2026, 11, 24, 0)),
    ("shift", None, at(2027, 1, 1, 0, 30), at(2027, 1, 1, 0), at(2027, 1, 1, 8)),
    # twice daily: 00–12 and 12–24
    ("twice_daily", None, at(2026, 11, 23, 11, 59), at(2026, 11, 23), at(2026, 11, 23, 12)),
    ("twice_daily", None, at(2026, 11, 23, 23, 30), at(2026, 11, 23, 12), at(2026, 11, 24)),
    ("twice_daily", None, at(2026, 11, 24, 0, 30), at(2026, 11, 24), at(2026, 11, 24, 12)),
    # daily
    ("daily", None, at(2026, 11, 30, 23, 30), at(2026, 11, 30), at(2026, 12, 1)),
    ("daily", None, at(2026, 12, 1, 0, 30), at(2026, 12, 1), at(2026, 12, 2)),
    # weekly from Monday
    ("weekly", None, at(2026, 11, 29, 23, 30), at(2026, 11, 23), at(2026, 11, 30)),  # Sunday
    ("weekly", None, at(2026, 11, 30, 0, 30), at(2026, 11, 30), at(2026, 12, 7)),  # Monday
    ("weekly", None, at(2026, 12, 31, 23, 30), at(2026, 12, 28), at(2027, 1, 4)),  # across years
    # monthly
    ("monthly", None, at(2026, 11, 30, 23, 30), at(2026, 11, 1), at(2026, 12, 1)),
    ("monthly", None, at(2026, 12, 1, 0, 30), at(2026, 12, 1), at(2027, 1, 1)),
    ("monthly", None, at(2028, 2, 29, 23, 30), at(2028, 2, 1), at(2028, 3, 1)),  # leap year
    # quarterly
    ("quarterly", None, at(2026, 9, 30, 23, 30), at(2026, 7, 1), at(2026, 10, 1)),
    ("quarterly", None, at(2026, 10, 1, 0, 30), at(2026, 10, 1), at(2027, 1, 1)),
    # half-yearly: January and July
    ("half_yearly", None, at(2026, 6, 30, 23, 30), at(2026, 1, 1), at(2026, 7, 1)),
    ("half_yearly", None, at(2026, 7, 1, 0, 30), at(2026, 7, 1), at(2027, 1, 1)),
    ("half_yearly", None, at(2026, 12, 31, 23, 30), at(2026, 7, 1), at(2027, 1, 1)),
    # yearly
    ("yearly", None, at(2026, 12, 31, 23, 30), at(2026, 1, 1), at(2027, 1, 1)),
    ("yearly", None, at(2027, 1, 1, 0, 30), at(2027, 1, 1), at(2028, 1, 1)),
]


@pytest.mark.parametrize(("frequency", "hours", "moment", "start", "end"), WINDOWS)
def test_window_of_every_kind(frequency, hours, moment, start, end):
    got = window(frequency, moment, hours=hours)
    assert got == (start, end)
    assert got[0] <= moment < got[1]
    assert all(d.utcoffset() == timedelta(hours=8) for d in got)
    assert window(frequency, got[1], hours=hours)[0] == got[1]  # the next one follows on


def test_every_kind_but_ad_hoc_has_windows():
    assert {f for f, *_rest in WINDOWS} == set(Frequency.values) - {"ad_hoc"}
    with pytest.raises(ValueError):
        window("ad_hoc", at(2026, 11, 23, 9))


@pytest.mark.parametrize("hours", [None, 0, 5, 7, 24, 48])
def test_every_n_hours_needs_n_dividing_the_day(hours):
    with pytest.raises(ValueError):
        window("hours", at(2026, 11, 23, 9), hours=hours)


def test_twice_daily_starts_are_configurable():
    assert window("twice_daily", at(2026, 11, 23, 7), twice_daily_starts=(8, 20)) == (
        at(2026, 11, 22, 20),
        at(2026, 11, 23, 8),
    )
    assert window("twice_daily", at(2026, 11, 23, 8), twice_daily_starts=(20, 8)) == (
        at(2026, 11, 23, 8),
        at(2026, 11, 23, 20),
    )


def test_hourly_windows_cover_a_day_once():
    day = windows_between("hours", at(2026, 12, 31, 0), at(2026, 12, 31, 23, 59), hours=1)
    assert len(day) == 24 and day[0][0] == at(2026, 12, 31) and day[-1][1] == at(2027, 1, 1)
    assert all(a[1] == b[0] for a, b in zip(day, day[1:], strict=False))
    # A new hourly schedule set up at 09:40 starts next hour (less than half of this one left).
    assert first_window("hours", at(2026, 11, 23, 9, 40), hours=1)[0] == at(2026, 11, 23, 10)
    assert first_window("hours", at(2026, 11, 23, 9, 20), hours=1)[0] == at(2026, 11, 23, 9)


@pytest.mark.parametrize(
    ("zone", "frequency", "hours", "moment", "start", "end"),
    [
        # Kolkata (UTC+05:30, no daylight saving): windows on its own midnight, not UTC's
        ("Asia/Kolkata", "hours", 2, (2026, 12, 31, 23, 30), (2026, 12, 31, 22), (2027, 1, 1)),
        ("Asia/Kolkata", "monthly", None, (2027, 1, 1, 0, 30), (2027, 1, 1), (2027, 2, 1)),
        ("Asia/Kolkata", "yearly", None, (2026, 12, 31, 23, 30), (2026, 1, 1), (2027, 1, 1)),
        # Berlin on the spring-forward night: 02:00–03:00 does not exist, the 01:00 window
        # runs to 03:00 on the wall clock (one real hour)
        ("Europe/Berlin", "hours", 1, (2026, 3, 29, 1, 30), (2026, 3, 29, 1), (2026, 3, 29, 3)),
        ("Europe/Berlin", "daily", None, (2026, 3, 29, 12), (2026, 3, 29), (2026, 3, 30)),
    ],
)
def test_windows_in_another_time_zone(zone, frequency, hours, moment, start, end):
    tz = ZoneInfo(zone)
    got = window(frequency, at(*moment, tz=tz), hours=hours)
    assert got == (at(*start, tz=tz), at(*end, tz=tz))


def test_a_daylight_saving_day_has_as_many_hourly_windows_as_hours():
    tz = ZoneInfo("Europe/Berlin")
    spring = windows_between("hours", at(2026, 3, 29, tz=tz), at(2026, 3, 29, 23, 59, tz=tz),
                             hours=1)  # fmt: skip
    assert len(spring) == 23
    assert all(
        (end.timestamp() - start.timestamp()) == 3600 for start, end in spring
    )  # each a real hour, none empty


@pytest.mark.parametrize(
    ("text", "parsed", "label"),
    [
        ("每小时", ("hours", 1), "每小时"),
        ("每1小时", ("hours", 1), "每小时"),
        ("每2小时", ("hours", 2), "每2小时"),
        ("每 4 个小时一次", ("hours", 4), "每4小时"),
        ("每班", ("shift", None), "每班"),
        ("每天两次", ("twice_daily", None), "每天两次"),
        ("每日2次", ("twice_daily", None), "每天两次"),
        ("每天", ("daily", None), "每天"),
        ("每日", ("daily", None), "每天"),
        ("每周一次", ("weekly", None), "每周"),
        ("每月", ("monthly", None), "每月"),
        ("每季度", ("quarterly", None), "每季度"),
        ("每半年", ("half_yearly", None), "每半年"),
        ("每年", ("yearly", None), "每年"),
        ("不定期", ("ad_hoc", None), "不定期"),
        ("half_yearly", ("half_yearly", None), "每半年"),
    ],
)
def test_frequency_words(text, parsed, label):
    assert parse_frequency(text) == parsed
    assert frequency_label(*parsed) == label


@pytest.mark.parametrize("text", ["", "每两周", "hourly", "hours", "每小时两次", "每-2小时"])
def test_unknown_frequency_words(text):
    assert parse_frequency(text) is None


# ---- the measure, the job and the alert -------------------------------------------------------

MONDAY_9 = at(2026, 11, 23, 9)


def _hourly(personas, hours=1):
    with time_machine.travel(MONDAY_9, tick=False):
        *_rest, measure = register(personas["ent-a"], worker=personas["worker-a"])
        measure.frequency, measure.interval_hours = "hours", hours
        actions.do_save(measure, actor=personas["ent-a"])
    return measure


def test_a_measure_every_n_hours_needs_n(personas):
    with time_machine.travel(MONDAY_9, tick=False):
        *_rest, measure = register(personas["ent-a"], worker=personas["worker-a"])
    for hours in (None, 5, 24):
        measure.frequency, measure.interval_hours = "hours", hours
        with pytest.raises(ValidationError) as error:
            actions.do_save(measure, actor=personas["ent-a"])
        assert "interval_hours" in error.value.message_dict
    measure.frequency, measure.interval_hours = "weekly", 2  # hours mean nothing for weekly
    actions.do_save(measure, actor=personas["ent-a"])
    measure.refresh_from_db()
    assert (measure.frequency, measure.interval_hours, measure.frequency_label) == (
        "weekly",
        None,
        "每周",
    )


def test_hourly_tasks_are_generated_per_hour_and_missed_ones_alert_the_town(personas):
    """A 重大危险源 patrol every hour: one task per hour, each missed when its hour passes,
    and three missed in a row (ANLAN_RISK_MISSED_ALERT) tell the town once."""
    measure = _hourly(personas)
    assert measure.frequency_label == "每小时"
    with time_machine.travel(at(2026, 11, 23, 9, 10), tick=False):
        assert investigation_tasks()["created"] == 1  # 09–10 (50 of 60 minutes left)
    task = measure.tasks.get()
    assert (task.window_start, task.window_end, task.interval_hours) == (
        at(2026, 11, 23, 9),
        at(2026, 11, 23, 10),
        1,
    )
    with time_machine.travel(at(2026, 11, 23, 10, 5), tick=False):
        result = investigation_tasks()
    assert result["created"] == 1 and result["missed_measures"] == 1 and result["warned"] == 0
    with time_machine.travel(at(2026, 11, 23, 12, 0), tick=False):
        result = investigation_tasks()
    tasks = list(measure.tasks.order_by("window_start"))
    assert [t.window_start.astimezone(TZ).hour for t in tasks] == [9, 10, 11, 12]
    assert [t.state for t in tasks] == ["missed", "missed", "missed", "open"]
    assert result["warned"] >= 1  # 09, 10 and 11 missed: three in a row
    alert = Notification.objects.filter(recipient=personas["town-a"], key__startswith="risk-missed")
    assert alert.count() == 1 and "已连续 3 次未按期排查" in alert.get().body
    # The 12 o'clock check is done in time; the next streak starts afresh.
    with time_machine.travel(at(2026, 11, 23, 12, 30), tick=False):
        actions.do_complete_task(tasks[-1], actor=personas["worker-a"],
                                 results=[actions.ItemResult(ok=True)] * 2)  # fmt: skip
    with time_machine.travel(at(2026, 11, 23, 14, 10), tick=False):
        assert investigation_tasks()["warned"] == 0  # only 13 missed since
    assert alert.count() == 1


def test_every_two_hours_and_a_change_of_hours_restart_the_schedule(personas):
    measure = _hourly(personas, hours=2)  # set up at 09:00: 08–10 has half of it left
    with time_machine.travel(at(2026, 11, 23, 10, 30), tick=False):
        investigation_tasks()
        assert investigation_tasks()["created"] == 0
        missed, first = measure.tasks.order_by("window_start")
        assert (missed.window_start, missed.state) == (at(2026, 11, 23, 8), "missed")
        assert (first.window_start, first.window_end, first.state) == (
            at(2026, 11, 23, 10),
            at(2026, 11, 23, 12),
            "open",
        )
        measure.interval_hours = 1
        actions.do_save(measure, actor=personas["ent-a"])
        investigation_tasks()
    first.refresh_from_db()
    assert first.state == "cancelled"
    current = measure.tasks.get(state="open")
    assert (current.window_start, current.window_end, current.interval_hours) == (
        at(2026, 11, 23, 10),
        at(2026, 11, 23, 11),
        1,
    )
    # Back to every two hours in the same window: a new live task beside the cancelled one.
    with time_machine.travel(at(2026, 11, 23, 10, 40), tick=False):
        measure.interval_hours = 2
        actions.do_save(measure, actor=personas["ent-a"])
        investigation_tasks()
    assert measure.tasks.filter(state="open", window_start=at(2026, 11, 23, 10)).count() == 1
    assert measure.tasks.filter(state="cancelled").count() == 2


def test_a_new_interval_gets_its_first_window_beside_a_missed_task(personas):
    """Hourly, the 12–13 check missed; at 13:10 the patrol becomes every 12 hours. Its first
    window (12–24, more than half left) starts where the missed task started: it still gets its
    own task, and the schedule stops where the tasks stop."""
    measure = _hourly(personas)
    with time_machine.travel(at(2026, 11, 23, 12, 10), tick=False):
        investigation_tasks()
    with time_machine.travel(at(2026, 11, 23, 13, 5), tick=False):
        investigation_tasks()
    missed = measure.tasks.get(window_start=at(2026, 11, 23, 12))
    assert missed.state == "missed"
    with time_machine.travel(at(2026, 11, 23, 13, 10), tick=False):
        measure.interval_hours = 12
        actions.do_save(measure, actor=personas["ent-a"])
        assert investigation_tasks()["created"] == 1
    measure.refresh_from_db()
    task = measure.tasks.get(state="open")
    assert (task.window_start, task.window_end, task.interval_hours) == (
        at(2026, 11, 23, 12),
        at(2026, 11, 24, 0),
        12,
    )
    assert measure.scheduled_until == at(2026, 11, 24, 0)
    missed.refresh_from_db()
    assert missed.state == "missed"  # the record of the missed hour stays as it was
    # Rolling the constraint back would need one live task per start: refused, with the reason.
    from importlib import import_module

    from django.apps import apps
    from django.db.migrations.exceptions import IrreversibleError

    migration = import_module("anlan.risks.migrations.0003_one_live_task_per_window_start_and_end")
    with pytest.raises(IrreversibleError, match="same time"):
        migration.refuse_overlapping_windows(apps, None)


CHANGES = [  # (from, hours, to, hours): every change keeps every window of the new schedule
    ("hours", 1, "hours", 12),
    ("hours", 12, "hours", 1),
    ("hours", 2, "hours", 4),
    ("hours", 1, "shift", None),
    ("shift", None, "hours", 8),
    ("twice_daily", None, "hours", 12),
    ("hours", 6, "twice_daily", None),
    ("daily", None, "hours", 3),
    ("hours", 4, "daily", None),
]


@pytest.mark.parametrize(("before", "hours_before", "after", "hours_after"), CHANGES)
def test_after_a_change_of_frequency_every_window_has_a_live_task(
    personas, before, hours_before, after, hours_after
):
    """Whatever the old schedule left done or missed, the job gives each window of the new one
    a live task, and scheduled_until never passes a window without one."""
    with time_machine.travel(at(2026, 11, 23, 0, 5), tick=False):
        *_rest, measure = register(personas["ent-a"], worker=personas["worker-a"])
        measure.frequency, measure.interval_hours = before, hours_before
        actions.do_save(measure, actor=personas["ent-a"])
    with time_machine.travel(at(2026, 11, 23, 13, 10), tick=False):
        investigation_tasks()  # earlier windows missed, the current one open
        current = measure.tasks.get(state="open")
        actions.do_complete_task(current, actor=personas["worker-a"],
                                 results=[actions.ItemResult(ok=True)] * 2)  # fmt: skip
        measure.refresh_from_db()
        measure.frequency, measure.interval_hours = after, hours_after
        actions.do_save(measure, actor=personas["ent-a"])
        investigation_tasks()
    until = at(2026, 11, 24, 18, 30)
    with time_machine.travel(until, tick=False):
        investigation_tasks()
    measure.refresh_from_db()
    options = {"hours": hours_after}
    first = first_window(after, at(2026, 11, 23, 13, 10), **options)
    expected = windows_between(after, first[0], until, **options)
    live = set(
        measure.tasks.exclude(state="cancelled")
        .filter(window_start__gte=first[0], frequency=after, interval_hours=hours_after)
        .values_list("window_start", "window_end")
    )
    assert set(expected) <= live
    assert measure.scheduled_until == expected[-1][1]


@pytest.mark.parametrize(
    ("frequency", "until", "expected", "first"),
    [
        # created Monday 23 Nov 09:00, the job runs at `until`
        # 00–12 on the 23rd is three quarters gone: 23 pm, 24 am, 24 pm
        ("twice_daily", at(2026, 11, 24, 12, 30), 3, at(2026, 11, 23, 12)),
        ("half_yearly", at(2027, 7, 1, 0, 30), 2, at(2027, 1, 1)),  # H2 2026 mostly gone
        ("yearly", at(2028, 1, 1, 0, 30), 2, at(2027, 1, 1)),  # 2026 has 39 days left
    ],
)
def test_new_kinds_through_the_job(personas, frequency, until, expected, first):
    with time_machine.travel(MONDAY_9, tick=False):
        *_rest, measure = register(personas["ent-a"], worker=personas["worker-a"],
                                   frequency=frequency)  # fmt: skip
    with time_machine.travel(until, tick=False):
        investigation_tasks()
    tasks = list(measure.tasks.order_by("window_start"))
    assert tasks[0].window_start == first and len(tasks) == expected
    assert [t.state for t in tasks] == ["missed"] * (expected - 1) + ["open"]


def test_twice_daily_uses_the_setting(personas, settings):
    settings.ANLAN_RISK_TWICE_DAILY_STARTS = (8, 20)
    with time_machine.travel(MONDAY_9, tick=False):
        *_rest, measure = register(personas["ent-a"], worker=personas["worker-a"],
                                   frequency="twice_daily")  # fmt: skip
        investigation_tasks()
    task = measure.tasks.get()
    assert (task.window_start, task.window_end) == (at(2026, 11, 23, 8), at(2026, 11, 23, 20))


def test_ad_hoc_measures_get_no_tasks(personas):
    with time_machine.travel(MONDAY_9, tick=False):
        *_rest, measure = register(personas["ent-a"], worker=personas["worker-a"],
                                   frequency="ad_hoc")  # fmt: skip
    with time_machine.travel(at(2027, 3, 1), tick=False):
        assert investigation_tasks()["created"] == 0
    assert not measure.tasks.exists() and measure.frequency_label == "不定期"


def test_pages_and_api_show_the_hours(personas, client_for):
    measure = _hourly(personas, hours=2)
    with time_machine.travel(at(2026, 11, 23, 10, 30), tick=False):
        investigation_tasks()
        task = measure.tasks.get(state="open")
        page = client_for("worker-a").get(reverse("risks:task", args=[task.pk]))
        assert "每2小时" in page.content.decode()
        assert (
            "每2小时" in client_for("ent-a").get(measure.event.get_absolute_url()).content.decode()
        )
        api = client_for("worker-a").get(f"/api/v1/risks/tasks/{task.pk}").json()
        assert (api["frequency"], api["interval_hours"], api["frequency_label"]) == (
            "hours",
            2,
            "每2小时",
        )


def test_api_measures_every_n_hours(personas, client_for):
    with time_machine.travel(MONDAY_9, tick=False):
        _obj, _unit, event, measure = register(personas["ent-a"], worker=personas["worker-a"])
    client = client_for("ent-a")
    body = {"event": event.pk, "kind": "management", "description": "重大危险源巡检",
            "responsible": personas["worker-a"].pk, "frequency": "hours"}  # fmt: skip
    missing = client.post("/api/v1/risks/measures", body, content_type="application/json")
    assert missing.status_code == 422 and "interval_hours" in missing.json()["error"]["fields"]
    odd = client.post("/api/v1/risks/measures", body | {"interval_hours": 5},
                      content_type="application/json")  # fmt: skip
    assert odd.status_code == 422 and "interval_hours" in odd.json()["error"]["fields"]
    made = client.post("/api/v1/risks/measures", body | {"interval_hours": 1},
                       content_type="application/json")  # fmt: skip
    assert made.status_code == 201, made.content
    assert (made.json()["interval_hours"], made.json()["frequency_label"]) == (1, "每小时")
    unknown = client.patch(f"/api/v1/risks/measures/{measure.pk}", {"frequency": "hourly"},
                           content_type="application/json")  # fmt: skip
    assert unknown.status_code == 422 and "frequency" in unknown.json()["error"]["fields"]
    changed = client.patch(f"/api/v1/risks/measures/{measure.pk}",
                           {"frequency": "hours", "interval_hours": 4},
                           content_type="application/json")  # fmt: skip
    assert changed.status_code == 200 and changed.json()["frequency_label"] == "每4小时"
    assert ControlMeasure.objects.get(pk=measure.pk).interval_hours == 4


def test_the_form_offers_every_kind(personas, client_for):
    with time_machine.travel(MONDAY_9, tick=False):
        _obj, _unit, event, _measure = register(personas["ent-a"], worker=personas["worker-a"])
    client = client_for("ent-a")
    url = reverse("risks:create", args=["measure", event.pk])
    body = {"kind": "management", "description": "重大危险源巡检", "frequency": "hours",
            "responsible": personas["worker-a"].pk}  # fmt: skip
    refused = client.post(url, body | {"interval_hours": "5"})
    assert refused.status_code == 200 and "interval_hours" in refused.context["form"].errors
    assert "1、2、3、4、6、8" in str(refused.context["form"].errors["interval_hours"])
    assert client.post(url, body | {"interval_hours": "1"}).status_code == 302
    assert event.measures.filter(frequency="hours", interval_hours=1).exists()
    choices = [value for value, _label in refused.context["form"].fields["frequency"].choices]
    assert set(Frequency.values) <= set(choices)


# ---- the register in Excel ----------------------------------------------------------------------


def _xlsx(rows):
    wb = Workbook()
    ws = wb.active
    ws.append([c.header for c in imports.COLUMNS])
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile("register.xlsx", buffer.getvalue())


def test_the_register_reads_and_writes_every_frequency(personas, client_for):
    manager = personas["ent-a"]
    base = list(imports.EXAMPLE_ROWS[0])
    base[20] = personas["worker-a"].username
    column = [c.field for c in imports.COLUMNS].index("frequency")
    measure_column = [c.field for c in imports.COLUMNS].index("measure")
    words = ["每2小时", "每小时", "每班", "每天", "每天两次", "每周", "每月", "每季度", "每半年",
             "每年", "不定期"]  # fmt: skip
    rows = []
    for n, word in enumerate(words):
        row = list(base)
        row[measure_column], row[column] = f"措施{n}", word
        rows.append(row)
    bad = []
    for n, word in enumerate(["每5小时", "每两周"]):
        row = list(base)
        row[measure_column], row[column] = f"坏措施{n}", word
        bad.append(row)
    url = reverse("risks:import", args=[manager.enterprise_id])
    refused = client_for("ent-a").post(url, {"file": _xlsx(rows + bad)})
    text = refused.content.decode()
    assert refused.status_code == 400
    assert f"第 {len(rows) + 2} 行 排查频次" in text and "1、2、3、4、6、8" in text
    assert f"第 {len(rows) + 3} 行 排查频次：无法识别的排查频次“每两周”" in text
    assert not ControlMeasure.objects.filter(enterprise=manager.enterprise).exists()

    assert client_for("ent-a").post(url, {"file": _xlsx(rows)}).status_code == 302
    kinds = dict(
        ControlMeasure.objects.filter(enterprise=manager.enterprise).values_list(
            "description", "frequency"
        )
    )
    assert [kinds[f"措施{n}"] for n in range(len(words))] == [
        "hours", "hours", "shift", "daily", "twice_daily", "weekly", "monthly", "quarterly",
        "half_yearly", "yearly", "ad_hoc",
    ]  # fmt: skip
    assert ControlMeasure.objects.get(description="措施0").interval_hours == 2
    exported = client_for("ent-a").get(reverse("risks:export", args=[manager.enterprise_id]))
    sheet = list(load_workbook(io.BytesIO(exported.content)).worksheets[0].values)
    written = {row[measure_column]: row[column] for row in sheet[1:]}
    assert [written[f"措施{n}"] for n in range(len(words))] == words
    # The export imports again unchanged.
    again = client_for("ent-a").post(
        url, {"file": _xlsx([list(r[: len(imports.COLUMNS)]) for r in sheet[1:]])}
    )
    assert again.status_code == 302
    assert ControlMeasure.objects.get(description="措施0").history.count() == 1


# ---- settings checked at start-up (point 7b) ---------------------------------------------------


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("ANLAN_RISK_LEC_BANDS", "320:major,160:larger,70:genral", "unknown level 'genral'"),
        ("ANLAN_RISK_LS_BANDS", "15:larger,20:major,9:general", "bands must go from the highest"),
        ("ANLAN_RISK_LS_BANDS", "20:larger,15:major", "bands must go from the highest"),
        ("ANLAN_RISK_LS_BANDS", "20:major,15:major", "bands must go from the highest"),
        ("ANLAN_RISK_LEC_BANDS", "3百2十:major", "the bound '3百2十' is not a number"),
        ("ANLAN_RISK_LEC_BANDS", "nan:major", "the bound 'nan' is not a number"),
        ("ANLAN_RISK_LEC_BANDS", "320-major", "is not lower:level"),
        ("ANLAN_RISK_SHIFT_STARTS", "8,16,24", "'24' is not an hour from 0 to 23"),
        ("ANLAN_RISK_SHIFT_STARTS", "8,-4", "'-4' is not an hour from 0 to 23"),
        ("ANLAN_RISK_SHIFT_STARTS", "8,8", "an hour is given twice"),
        ("ANLAN_RISK_TWICE_DAILY_STARTS", "8", "give exactly 2 hours"),
        ("ANLAN_RISK_TWICE_DAILY_STARTS", "8,20.5", "'20.5' is not an hour"),
    ],
)
def test_risk_settings_are_checked_at_start_up(name, value, message):
    env = {k: v for k, v in os.environ.items() if not k.startswith("ANLAN_RISK_")}
    env[name] = value
    run = subprocess.run(
        [sys.executable, "-c", "import anlan.settings"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode != 0
    assert "ImproperlyConfigured" in run.stderr and name in run.stderr and message in run.stderr


def test_good_risk_settings_are_read():
    env = os.environ | {
        "ANLAN_RISK_LS_BANDS": "16:major, 12:larger, 6:general",
        "ANLAN_RISK_SHIFT_STARTS": "7,19",
        "ANLAN_RISK_TWICE_DAILY_STARTS": "20,8",
    }
    code = (
        "import anlan.settings as s;"
        "print(s.ANLAN_RISK_LS_BANDS, s.ANLAN_RISK_SHIFT_STARTS, s.ANLAN_RISK_TWICE_DAILY_STARTS)"
    )
    run = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         timeout=60, check=True)  # fmt: skip
    assert run.stdout.strip() == (
        "((16.0, 'major'), (12.0, 'larger'), (6.0, 'general')) (7, 19) (20, 8)"
    )


def test_the_level_keys_of_the_settings_are_the_models():
    from django.conf import settings

    from anlan.risks.rules import RiskLevel

    assert list(settings.RISK_LEVEL_KEYS) == RiskLevel.values


def test_the_data_migration_keeps_old_kinds_and_refuses_to_lose_new_ones(personas):
    """0002 maps the five old kinds onto themselves; rolling back is refused (with the reason)
    once a new kind is in use, instead of bending the records."""
    from importlib import import_module

    from django.apps import apps
    from django.db.migrations.exceptions import IrreversibleError

    migration = import_module("anlan.risks.migrations.0002_investigation_frequencies_as_data")
    with time_machine.travel(MONDAY_9, tick=False):
        *_rest, measure = register(personas["ent-a"], worker=personas["worker-a"],
                                   frequency="weekly")  # fmt: skip
        investigation_tasks()
    migration.forward(apps, None)
    measure.refresh_from_db()
    assert (measure.frequency, measure.interval_hours) == ("weekly", None)
    assert set(measure.tasks.values_list("frequency", flat=True)) == {"weekly"}
    migration.backward(apps, None)  # only old kinds: fine
    measure.frequency, measure.interval_hours = "hours", 1
    actions.do_save(measure, actor=personas["ent-a"])
    with pytest.raises(IrreversibleError, match="every|hours"):
        migration.backward(apps, None)


def test_the_demo_patrols_its_major_hazard_source_every_hour(personas):
    import random

    from anlan.demo.risks import build_risks

    users = {f"demo-{name}": user for name, user in personas.items()}
    with time_machine.travel(at(2026, 11, 23, 9, 30), tick=False):
        build_risks(1, random.Random(1), users)
        patrol = ControlMeasure.objects.get(enterprise=personas["ent-a"].enterprise,
                                            frequency="hours")  # fmt: skip
        assert (patrol.interval_hours, patrol.event.inherent_level) == (1, "major")
        tasks = list(patrol.tasks.order_by("window_start"))
        assert all(t.window_end - t.window_start == timedelta(hours=1) for t in tasks)
        assert all(a.window_end == b.window_start for a, b in zip(tasks, tasks[1:], strict=False))
        assert (tasks[-1].window_start, tasks[-1].state) == (at(2026, 11, 23, 9), "open")
        assert {t.state for t in tasks[:-1]} <= {"done", "missed"} and len(tasks) > 24
        assert investigation_tasks()["created"] == 0  # the job carries on where the demo stopped
