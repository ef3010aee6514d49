"""Dates the registry shows or writes are local (ANLAN_TIME_ZONE), checked at 23:30 and 00:30
local time around a month and a year boundary (issue 10 point 6): the export's file name, the
history and the archive notice of an enterprise."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from anlan.registry.models import Enterprise

TZ = ZoneInfo("Asia/Shanghai")

MOMENTS = [
    # (local moment, what people read) — 00:30 local is still the previous day in UTC
    (datetime(2026, 11, 30, 23, 30, tzinfo=TZ), "20261130-2330", "2026-11-30 23:30"),
    (datetime(2026, 12, 1, 0, 30, tzinfo=TZ), "20261201-0030", "2026-12-01 00:30"),
    (datetime(2026, 12, 31, 23, 30, tzinfo=TZ), "20261231-2330", "2026-12-31 23:30"),
    (datetime(2027, 1, 1, 0, 30, tzinfo=TZ), "20270101-0030", "2027-01-01 00:30"),
]


@pytest.mark.parametrize(("moment", "stamp", "shown"), MOMENTS)
def test_registry_dates_are_local_around_month_and_year_ends(client_for, moment, stamp, shown):
    target = Enterprise.objects.filter(region__code__startswith="990102002").last()
    with time_machine.travel(moment, tick=False):
        c = client_for("town-a")  # logged in then: sessions last hours, not months
        export = c.get(reverse("registry:export"))
        assert export.status_code == 200, (export.status_code, export.get("Location"))
        assert f"enterprises-{stamp}.xlsx" in export["Content-Disposition"]
        assert c.post(reverse("registry:archive", args=[target.pk]),
                      {"reason": "企业已关闭注销"}).status_code == 302  # fmt: skip
        page = c.get(reverse("registry:detail", args=[target.pk])).content.decode()
        assert page.count(shown) >= 2  # the archive notice and the history entry
        history = c.get(reverse("registry:history", args=[target.pk])).content.decode()
        assert shown in history
