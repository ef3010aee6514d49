"""The county duty officer starts from the workbench (工作台): a county report step is due and
a hazard is overdue with an extension asked for; one click on each leads to the record, the
officer forwards the report and approves the extension, and the workbench no longer lists them."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import TestCase
from playwright.sync_api import expect

from anlan.hazards import actions
from anlan.hazards.models import Hazard
from tests.e2e.conftest import person
from tests.hazards.factories import report
from tests.incidents.factories import incident

pytestmark = pytest.mark.browser
T0 = datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
OFFICE = {"viewport": {"width": 1366, "height": 900}}


def test_duty_officer_clears_a_due_report_and_an_overdue_hazard(browser, site, shot):
    from anlan.accounts.models import User

    ent = User.objects.get(username="demo-ent-a")
    town = User.objects.get(username="demo-town-a")
    with time_machine.travel(T0 - timedelta(days=10), tick=False):
        hazard = report(ent, description="配电室门口堆放杂物，消防通道堵塞")
        with TestCase.captureOnCommitCallbacks(execute=True):
            actions.do_transition(
                hazard, "confirm", actor=town, deadline=(T0 - timedelta(days=2)).date()
            )
            actions.do_request_extension(
                Hazard.objects.get(pk=hazard.pk), actor=ent, reason="清运车辆周末才到",
                new_deadline=(T0 + timedelta(days=7)).date(),
            )  # fmt: skip
    with time_machine.travel(T0, tick=False):
        item = incident(ent, title="仓库叉车倾覆事故")

        county = person(browser, site, "demo-county", **OFFICE)
        due = county.get_by_test_id("wb-incidents.due")
        expect(due).to_be_visible()
        overdue = county.get_by_test_id("wb-hazards.overdue")
        expect(overdue).to_contain_text(hazard.number)
        expect(county.get_by_test_id("wb-hazards.extension")).to_contain_text(hazard.number)
        shot(county, "60-workbench-county")

        # 1. The due report: one click to the incident, forwarded to the city.
        due.get_by_role("link", name=str(item)).click()
        expect(county.get_by_test_id("step-county")).to_be_visible()
        county.get_by_test_id("forward-form").locator("button").click()
        expect(county.get_by_test_id("step-county")).not_to_contain_text("还有")

        # 2. The overdue hazard: one click to it, the extension approved.
        county.goto(f"{site}/")
        county.get_by_test_id("wb-hazards.overdue").get_by_role(
            "link", name=f"{hazard.number} {hazard.subject_name}"
        ).click()
        decide = county.locator("form[action*='/decide/']")
        decide.locator("select[name=approve]").select_option("1")
        decide.locator("button").click()
        expect(county.locator("text=2026-11-30").first).to_be_visible()

        # 3. Back on the workbench: neither is listed any more.
        county.goto(f"{site}/")
        expect(county.locator("h2.page-title")).to_have_text("工作台")
        for key in ("wb-incidents.due", "wb-hazards.overdue", "wb-hazards.extension"):
            expect(county.get_by_test_id(key)).to_have_count(0)  # nothing left: not listed
        expect(county.get_by_test_id("workbench-empty")).to_be_visible()
        shot(county, "61-workbench-county-cleared")
