"""The dual-prevention dates are local (ANLAN_TIME_ZONE), run at 23:30 and 00:30 local time
around a month and a year boundary (issue 10 point 6): task windows, missed marking, the 运行成效
period, the pages' dates and the export's file name. At 00:30 in Shanghai it is still the
previous day (and month, and year) in UTC."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from anlan.core.workflow import StaleTransition
from anlan.risks import actions, stats
from anlan.risks.tasks import investigation_tasks
from tests.risks.factories import register

TZ = ZoneInfo("Asia/Shanghai")


def at(*args):
    return datetime(*args, tzinfo=TZ)


@pytest.mark.parametrize(
    ("frequency", "created", "before", "after", "ended", "next_end"),
    [
        # month end: November's check is open at 23:30 on the 30th, missed at 00:30 on 1 Dec
        ("monthly", at(2026, 11, 2, 9), at(2026, 11, 30, 23, 30), at(2026, 12, 1, 0, 30),
         (at(2026, 11, 1), at(2026, 12, 1)), at(2027, 1, 1)),
        ("daily", at(2026, 11, 30, 9), at(2026, 11, 30, 23, 30), at(2026, 12, 1, 0, 30),
         (at(2026, 11, 30), at(2026, 12, 1)), at(2026, 12, 2)),
        # year end: the 2026 check is open at 23:30 on 31 Dec, missed at 00:30 on 1 Jan 2027
        ("yearly", at(2026, 3, 2, 9), at(2026, 12, 31, 23, 30), at(2027, 1, 1, 0, 30),
         (at(2026, 1, 1), at(2027, 1, 1)), at(2028, 1, 1)),
        ("quarterly", at(2026, 10, 2, 9), at(2026, 12, 31, 23, 30), at(2027, 1, 1, 0, 30),
         (at(2026, 10, 1), at(2027, 1, 1)), at(2027, 4, 1)),
        ("half_yearly", at(2026, 7, 2, 9), at(2026, 12, 31, 23, 30), at(2027, 1, 1, 0, 30),
         (at(2026, 7, 1), at(2027, 1, 1)), at(2027, 7, 1)),
        ("hours", at(2026, 12, 31, 22, 5), at(2026, 12, 31, 23, 30), at(2027, 1, 1, 0, 30),
         (at(2026, 12, 31, 23), at(2027, 1, 1)), at(2027, 1, 1, 1)),
    ],
)  # fmt: skip
def test_windows_missed_marking_and_the_period_around_midnight(
    personas, client_for, frequency, created, before, after, ended, next_end
):
    worker = personas["worker-a"]
    with time_machine.travel(created, tick=False):
        *_rest, measure = register(personas["ent-a"], worker=worker, frequency="daily")
        measure.frequency, measure.interval_hours = frequency, 1
        actions.do_save(measure, actor=personas["ent-a"])
    enterprise_id = measure.enterprise_id
    with time_machine.travel(before, tick=False):
        investigation_tasks()
        current = measure.tasks.get(state="open")
        assert (current.window_start, current.window_end) == ended
        # Still in its window at 23:30: the check may be done; not yet due in 运行成效.
        effect = stats.effectiveness(personas["town-a"], days=7, enterprise_id=enterprise_id)[0]
        assert effect["missed"] == measure.tasks.filter(state="missed").count()
        due_before = effect["due"]
        page = client_for("worker-a").get(reverse("risks:task", args=[current.pk])).content
        assert f"{ended[0]:%Y-%m-%d %H:%M}–{ended[1]:%Y-%m-%d %H:%M}" in page.decode()
    with time_machine.travel(after, tick=False):
        result = investigation_tasks()
        current.refresh_from_db()
        assert current.state == "missed" and result["missed_measures"] == 1
        following = measure.tasks.get(state="open")
        assert (following.window_start, following.window_end) == (ended[1], next_end)
        with pytest.raises(StaleTransition):  # too late for the old window, even by UTC's date
            actions.do_complete_task(current, actor=worker,
                                     results=[actions.ItemResult(ok=True)] * 2)  # fmt: skip
        effect = stats.effectiveness(personas["town-a"], days=7, enterprise_id=enterprise_id)[0]
        assert effect["due"] == due_before + 1 and effect["missed"] >= 1
        listed = client_for("worker-a").get(reverse("risks:tasks"), {"show": "mine"})
        assert f"{ended[1]:%Y-%m-%d %H:%M}–{next_end:%Y-%m-%d %H:%M}" in listed.content.decode()
        export = client_for("town-a").get(reverse("risks:export", args=[enterprise_id]))
        assert f"-{after:%Y%m%d}.xlsx" in export["Content-Disposition"]
