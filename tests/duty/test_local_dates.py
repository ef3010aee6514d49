"""Duty dates at 23:30 and 00:30 Beijing time around a month and a year boundary (UTC is eight
hours behind: at 00:30 on 1 January it is still the 31 December before in UTC)."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from anlan.duty import actions
from anlan.duty.models import Shift
from tests.duty.factories import roster, rota

TZ = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize(
    ("moment", "month", "shift_start"),
    [
        # 24-hour shifts from 08:30: at 23:30 the day's shift runs; at 00:30 the day before's.
        ((2026, 11, 30, 23, 30), "2026-11", (2026, 11, 30, 8, 30)),
        ((2026, 12, 1, 0, 30), "2026-12", (2026, 11, 30, 8, 30)),
        ((2026, 12, 31, 23, 30), "2026-12", (2026, 12, 31, 8, 30)),
        ((2027, 1, 1, 0, 30), "2027-01", (2026, 12, 31, 8, 30)),
    ],
)
def test_dates_around_midnight_of_a_month_and_a_year(
    personas, client_for, moment, month, shift_start
):
    manager = personas["county"]
    officers, leaders = rota(manager)
    for first in (date(2026, 11, 1), date(2026, 12, 1), date(2027, 1, 1)):
        roster(manager, month=first, officers=officers, leaders=leaders)
    now = datetime(*moment, tzinfo=TZ)
    start = datetime(*shift_start, tzinfo=TZ)
    with time_machine.travel(now, tick=False):
        client = client_for("county")
        # The roster pages open on the local month, and a new roster defaults to it.
        assert f"{client.get(reverse('duty:rosters')).context['month']:%Y-%m}" == month
        assert f'value="{month}"' in client.get(reverse("duty:roster_new")).content.decode()
        # Who is on duty now: the shift that started at 08:30 local, on the board too.
        shift = Shift.objects.published().covering(now).get(organisation=manager.organisation)
        assert shift.start == start
        assert str(shift).endswith(f"{start:%Y-%m-%d} 08:30")
        board = client.get(reverse("duty:board"))
        mine = {row.organisation.pk: row.shift for row in board.context["rows"]}
        assert mine[manager.organisation_id].pk == shift.pk
        # Its people can check in and hand it over now; the log entry goes to this shift.
        actions.do_check_in(shift, actor=shift.officer, now=now)
        entry = actions.do_log(manager.organisation, actor=shift.officer, occurred_at=now,
                               kind="call_in", content="群众来电反映道路积水")  # fmt: skip
        assert entry.shift_id == shift.pk
        assert str(entry).startswith(f"{now:%Y-%m-%d %H:%M}")
        handover = actions.do_hand_over(shift, actor=shift.officer, open_matters="无", now=now)
        assert handover.incoming_shift.start == start + timedelta(days=1)
