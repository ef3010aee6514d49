"""Incident dates at 23:30 and 00:30 Beijing time around a month and a year boundary (UTC is
eight hours behind: at 00:30 on 1 January it is still the 31 December before in UTC)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from anlan.incidents import actions
from tests.incidents.factories import facts, incident

TZ = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize(
    ("moment", "year", "last_day"),
    [
        # occurred 20 minutes before the moment; the 30-day 补报 window's last local day
        ((2026, 12, 31, 23, 30), "2026", (2027, 1, 30)),
        ((2027, 1, 1, 0, 30), "2027", (2027, 1, 31)),
        ((2027, 1, 31, 23, 30), "2027", (2027, 3, 2)),
        ((2027, 2, 1, 0, 30), "2027", (2027, 3, 3)),
    ],
)
def test_dates_around_midnight_of_a_month_and_a_year(personas, client_for, moment, year, last_day):
    now = datetime(*moment, tzinfo=TZ)
    with time_machine.travel(now, tick=False) as clock:
        item = incident(personas["ent-a"])
        assert item.number == f"SG{year}-0001"  # the local year, from 1
        # This year's statistics (the default period) count it; the year before's do not.
        county = client_for("county")
        stats = county.get("/api/v1/incidents/stats").json()
        assert stats["start"] == f"{now.year}-01-01"
        assert stats["end"] == now.date().isoformat()  # the last day, included
        assert stats["totals"]["n"] == 1 and stats["totals_before"]["n"] == 0
        page = county.get("/incidents/stats/")
        assert page.context["s"]["totals"]["n"] == 1
        # The 补报 window ends at 24:00 local on its last day.
        clock.move_to(datetime(*last_day, 23, 59, tzinfo=TZ))
        item.refresh_from_db()
        changed = actions.do_follow_up(item, actor=personas["ent-a"], facts=facts(item, deaths=2))
        assert changed.kind == "supplement"
        clock.move_to(datetime(*last_day, 23, 59, tzinfo=TZ) + timedelta(minutes=2))
        late = actions.do_follow_up(item, actor=personas["ent-a"], facts=facts(item, deaths=3))
        assert late.kind == "correction"
