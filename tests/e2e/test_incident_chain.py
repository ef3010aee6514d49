"""Incident reporting in Debian's Chromium with frozen time: the enterprise sends a first report,
the county duty officer sees the countdown, the report goes late and escalates, and a follow-up
with an extra death regrades the accident and tells the city."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import expect

from anlan.incidents.models import Incident
from tests.e2e.conftest import person
from tests.e2e.test_hazard_loop import PHONE
from tests.notices import scan_incidents

pytestmark = pytest.mark.browser
T0 = datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_late_report_escalates_and_a_death_regrades(browser, site, shot):  # noqa: F811
    with time_machine.travel(T0, tick=False) as clock:
        # 1. The enterprise's safety manager sends the first report from a phone.
        ent = person(browser, site, "demo-ent-a", **PHONE)
        ent.goto(f"{site}/incidents/new/")
        ent.select_option("select[name=kind]", value="production")
        ent.fill("input[name=title]", "冲压车间机械伤害事故")
        ent.fill("input[name=occurred_at]", "2026-11-23T08:30")
        ent.fill("input[name=unit_learned_at]", "2026-11-23T08:40")
        ent.fill("input[name=location]", "冲压车间 1 号冲床")
        ent.fill("input[name=deaths]", "2")
        ent.fill("input[name=serious_injuries]", "1")
        ent.fill("input[name=direct_loss_yuan]", "600000")
        ent.fill("textarea[name=description]", "冲床光电保护失效，两名操作工被压")
        ent.fill("textarea[name=measures_taken]", "已停机，伤员送医")
        ent.fill("input[name=reporter_name]", "王强")
        ent.fill("input[name=reporter_phone]", "13800000001")
        shot(ent, "30-incident-first-report-phone")
        ent.click("button:has-text('首报')")
        expect(ent.get_by_test_id("grade")).to_have_text("一般事故")
        incident = Incident.objects.get(title="冲压车间机械伤害事故")

        # 2. The county duty officer sees it with its countdown.
        county = person(browser, site, "demo-county")
        county.goto(f"{site}/incidents/")
        row = county.get_by_test_id("incident-row").filter(has_text=incident.number)
        expect(row.get_by_test_id("countdown")).to_have_text("还有 120 分钟")
        row.get_by_role("link", name=incident.number).click()
        expect(county.get_by_test_id("step-county").get_by_test_id("countdown")).to_have_text(
            "还有 120 分钟"
        )
        shot(county, "31-incident-countdown")

        # 3. Nobody reports to the city in time: the sweep escalates to the county and the city.
        clock.move_to(T0 + timedelta(hours=2, minutes=5))
        scan_incidents()
        county.reload()
        expect(county.get_by_test_id("step-county").get_by_test_id("late")).to_have_text(
            "已超时 5 分钟"
        )
        city = person(browser, site, "demo-city")
        city.goto(f"{site}/inbox/")
        expect(city.get_by_text("事故信息报送已超时").first).to_be_visible()

        # 4. A third death: the follow-up regrades it to 较大事故 and the city is told.
        clock.move_to(T0 + timedelta(hours=2, minutes=20))
        ent.goto(f"{site}/incidents/{incident.pk}/")
        form = ent.get_by_test_id("follow-up-form")
        form.locator("input[name=deaths]").fill("3")
        form.locator("input[name=note]").fill("一名重伤员经抢救无效死亡")
        form.locator("button").click()
        expect(ent.get_by_test_id("grade")).to_have_text("较大事故")
        city.goto(f"{site}/inbox/")
        expect(city.get_by_text("事故等级变化").first).to_be_visible()
        shot(city, "32-incident-regraded-city-inbox")
        county.goto(f"{site}/incidents/{incident.pk}/")
        expect(county.get_by_test_id("reports")).to_contain_text("补报")
        county.get_by_test_id("forward-form").locator("button").click()
        expect(county.get_by_test_id("step-county")).to_contain_text("迟报 20 分钟")
        expect(county.get_by_test_id("step-city")).to_be_visible()  # 较大: on to the province
        shot(county, "33-incident-late-and-forwarded")
