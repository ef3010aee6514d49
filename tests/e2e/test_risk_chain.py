"""Dual prevention in Debian's Chromium: the enterprise safety manager builds and grades a risk,
the system generates a check, a worker fails an item on a phone, and the hazard appears in the
town's ledger linked back to the risk. The county then sees the enterprise on the map."""

import re

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from anlan.accounts.models import User
from anlan.hazards.models import Hazard
from anlan.risks.models import ControlMeasure, InvestigationTask
from anlan.risks.rules import window
from anlan.risks.tasks import investigation_tasks
from tests.e2e.conftest import person
from tests.e2e.test_hazard_loop import PHONE

pytestmark = pytest.mark.browser


def test_a_failed_check_becomes_a_hazard_in_the_towns_ledger(browser, site, shot):  # noqa: F811
    # 1. The safety manager builds the chain object → unit → event and grades it.
    ent = person(browser, site, "demo-ent-a")
    ent.get_by_test_id("nav-group-risks").click()
    ent.get_by_test_id("nav-risks").click()
    expect(ent.locator("h2.page-title")).to_contain_text("风险清单")
    ent.get_by_test_id("add-object").click()
    ent.select_option("select[name=kind]", label="设备设施")
    ent.fill("input[name=name]", "液氨储罐")
    ent.click("button:has-text('保存')")
    ent.click("a:has-text('添加风险单元')")
    ent.fill("input[name=name]", "1号液氨储罐")
    ent.fill("input[name=area]", "储罐区")
    ent.fill("textarea[name=emergency_actions]", "立即佩戴防毒面具，关闭进出口阀门，向上风向疏散")
    ent.fill("input[name=emergency_phones]", "企业应急值班 0571-88000000；火警 119")
    ent.click("button:has-text('保存')")
    ent.get_by_test_id("add-event").click()
    ent.fill("input[name=name]", "液氨泄漏中毒")
    ent.select_option("select[name=factor_kind]", label="物的因素")
    ent.fill("textarea[name=factor]", "阀门、法兰密封失效")
    ent.check("input[value=poisoning_asphyxia]")
    ent.check("input[value=vessel_explosion]")
    ent.fill("input[name=company_person]", "张厂长")
    ent.click("button:has-text('保存')")
    ent.select_option("select[name=kind]", label="固有风险")
    ent.select_option("select[name=method]", label="LEC 作业条件危险性评价法")
    ent.select_option("select[name=lec_l]", value="3")
    ent.select_option("select[name=lec_e]", value="6")
    ent.select_option("select[name=lec_c]", value="40")
    ent.get_by_test_id("assess-form").locator("button").click()
    expect(ent.get_by_test_id("level")).to_contain_text("重大风险")
    ent.get_by_test_id("add-measure").click()
    ent.select_option("select[name=kind]", label="工程技术")
    ent.fill("textarea[name=description]", "氨气泄漏报警器正常投用")
    ent.fill("textarea[name=check_items]", "报警器显示正常\n报警器在检定有效期内")
    worker_user = User.objects.get(username="demo-worker-a")
    ent.select_option("select[name=responsible]", value=str(worker_user.pk))
    ent.select_option("select[name=frequency]", label="每班")
    ent.click("button:has-text('保存')")
    expect(ent.get_by_test_id("measure")).to_contain_text("氨气泄漏报警器正常投用")
    shot(ent, "20-risk-event-graded")

    # 2. The scheduled job generates this shift's check for the worker. The measure counts as
    # set up when the shift began: one set up late in a shift starts with the next shift, and
    # the test must not depend on the hour it runs at.
    ControlMeasure.objects.filter(description="氨气泄漏报警器正常投用").update(
        schedule_from=window("shift", timezone.localtime(), settings.ANLAN_RISK_SHIFT_STARTS)[0]
    )
    investigation_tasks()
    task = InvestigationTask.objects.get(measure__description="氨气泄漏报警器正常投用")

    # 3. The worker fails an item on a phone.
    worker = person(browser, site, "demo-worker-a", **PHONE)
    worker.goto(f"{site}/risks/tasks/?show=mine")
    worker.get_by_test_id("task").filter(has_text="氨气泄漏报警器正常投用").click()
    items = worker.get_by_test_id("check-item")
    expect(items).to_have_count(2)
    items.nth(0).locator("label:has-text('合格')").first.click()
    items.nth(1).locator("label:has-text('不合格')").click()
    items.nth(1).locator("textarea").fill("报警器检定已过期两个月")
    shot(worker, "21-risk-check-phone")
    worker.get_by_test_id("submit-check").click()
    expect(worker.get_by_test_id("hazard-link")).to_be_visible()
    hazard = Hazard.objects.get(risk_checks__task=task)

    # 4. The town finds it in its ledger, linked back to the risk.
    town = person(browser, site, "demo-town-a")
    town.goto(f"{site}/hazards/")
    town.get_by_text(hazard.number).click()
    expect(town.get_by_test_id("risk-check")).to_contain_text("液氨泄漏中毒")
    expect(town.get_by_test_id("state")).to_contain_text("已上报")
    shot(town, "22-hazard-from-risk-check")

    # 5. The county sees the enterprise red on the four-colour map.
    county = person(browser, site, "demo-county")
    county.goto(f"{site}/risks/map/")
    expect(county.locator("#risk-map")).to_have_attribute("data-loaded", re.compile(r"\d+"))
    expect(county.get_by_test_id("legend-major")).to_have_text("1")
    expect(county.locator("path.risk-major")).to_have_count(1)
    shot(county, "23-risk-map")
