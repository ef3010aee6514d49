"""A major hazard in Debian's Chromium: the town may only refer it; the county confirms it on a
phone with the ordered deadline, which the page then shows; the county re-grades a general
hazard found major on an office screen."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from anlan.accounts.models import User
from anlan.hazards.models import Hazard
from tests.e2e.conftest import person
from tests.hazards.factories import advance, report

pytestmark = pytest.mark.browser
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
OFFICE = {"viewport": {"width": 1366, "height": 900}}


def test_the_town_refers_and_the_county_orders_a_deadline(browser, site, shot):
    personas = {u.username.removeprefix("demo-"): u for u in User.objects.filter(username__startswith="demo-")}  # fmt: skip
    major = report(personas["ent-a"], level="major", description="液氨储罐区防火堤破损")
    detail = f"{site}/hazards/{major.pk}/"

    town = person(browser, site, "demo-town-a", **OFFICE)
    town.goto(detail)
    actions = town.get_by_test_id("actions")
    expect(actions.locator("button")).to_have_text(["提请县级确认"])  # no confirm, no reject
    town.get_by_test_id("step-refer").locator("textarea[name=comment]").fill(
        "疑似重大隐患，请县局确认"
    )
    shot(town, "hazard-refer-1366")
    town.get_by_test_id("step-refer").locator("button").click()
    expect(town.locator(".alert")).to_contain_text("提请县级确认")
    expect(town.get_by_test_id("actions")).to_have_count(0)

    county = person(browser, site, "demo-county", **PHONE)
    county.goto(detail)
    deadline = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    step = county.get_by_test_id("step-confirm")
    step.locator("input[name=deadline]").fill("2020-01-01")
    step.locator("button").click()
    expect(county.locator(".alert-danger, .alert").first).to_contain_text("期限不能早于今天")
    step = county.get_by_test_id("step-confirm")
    step.locator("input[name=deadline]").fill(deadline)
    shot(county, "hazard-confirm-phone")
    step.locator("button").click()
    expect(county.get_by_test_id("state")).to_contain_text("已确认")
    expect(county.get_by_test_id("ordered-deadline")).to_contain_text(deadline)
    shot(county, "hazard-confirmed-phone")
    width = county.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width}px)"
    assert Hazard.objects.get(pk=major.pk).supervising_unit == personas["county"].organisation


def test_the_county_regrades_a_general_hazard_found_major(browser, site, shot):
    personas = {u.username.removeprefix("demo-"): u for u in User.objects.filter(username__startswith="demo-")}  # fmt: skip
    hazard = advance(
        report(personas["ent-a"], description="储罐区巡检通道堵塞"), personas, "rectifying"
    )
    county = person(browser, site, "demo-county", **OFFICE)
    county.goto(f"{site}/hazards/{hazard.pk}/")
    step = county.get_by_test_id("step-regrade")
    step.locator("select[name=level]").select_option("major")
    step.locator("input[name=deadline]").fill(
        (timezone.localdate() + dt.timedelta(days=60)).isoformat()
    )
    step.locator("textarea[name=comment]").fill("涉及液氨储罐区，属重大事故隐患")
    shot(county, "hazard-regrade-1366")
    step.locator("button").click()
    expect(county.get_by_test_id("state")).to_contain_text("已确认")
    expect(county.get_by_test_id("state")).to_contain_text("重大")
    width = county.evaluate("document.documentElement.scrollWidth")
    assert width <= 1366
