"""The whole hazard loop by three people in Debian's Chromium: the enterprise reports from a
phone and rectifies, the town confirms, the county accepts and closes."""

import re

import pytest
from playwright.sync_api import expect

from anlan.hazards.models import Hazard
from tests.e2e.conftest import person
from tests.hazards.factories import jpeg_bytes

pytestmark = pytest.mark.browser
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def test_enterprise_town_and_county_close_a_hazard(browser, site, shot, tmp_path):
    photo = tmp_path / "before.jpg"
    photo.write_bytes(jpeg_bytes((120, 90)))
    after = tmp_path / "after.jpg"
    after.write_bytes(jpeg_bytes((120, 90), color=(30, 160, 60)))

    # 1. The enterprise safety manager reports from a phone, with a photo.
    ent = person(browser, site, "demo-ent-a", **PHONE)
    ent.goto(f"{site}/hazards/new/")
    ent.fill("textarea[name=description]", "二号车间冲床光电保护装置失效")
    ent.select_option("select[name=category]", label="设备设施")
    ent.select_option("select[name=level]", label="一般隐患")
    ent.set_input_files("input[name=photos]", str(photo))
    shot(ent, "10-hazard-report-phone")
    ent.click("button:has-text('上报')")
    expect(ent.get_by_test_id("state")).to_contain_text("已上报")
    hazard = Hazard.objects.get(description="二号车间冲床光电保护装置失效")
    detail = f"{site}/hazards/{hazard.pk}/"

    # 2. The town confirms; the notice number is issued.
    town = person(browser, site, "demo-town-a")
    expect(town.get_by_test_id("unread-count")).to_be_visible()
    town.goto(f"{site}/inbox/")
    town.get_by_text("新隐患待确认").first.click()
    expect(town).to_have_url(re.compile(rf"/hazards/{hazard.pk}/$"))
    town.get_by_test_id("step-confirm").locator("textarea[name=comment]").fill("现场核实属实")
    town.get_by_test_id("step-confirm").locator("input[name=deadline]").fill("2099-12-31")
    town.get_by_test_id("step-confirm").locator("button").click()
    expect(town.get_by_test_id("state")).to_contain_text("已确认")
    expect(town.locator("text=隐患整改通知书")).to_be_visible()

    # 3. The enterprise plans, then submits with an after-photo.
    ent.goto(detail)
    ent.fill("input[name=responsible_person]", "车间主任王强")
    ent.fill("input[name=responsible_phone]", "13800000001")
    ent.fill("textarea[name=measures]", "更换光电保护装置并试验")
    ent.fill("input[name=funds]", "3000")
    ent.fill("input[name=deadline]", "2099-12-31")
    ent.click("button:has-text('提交整改方案')")
    expect(ent.get_by_test_id("state")).to_contain_text("整改中")
    ent.get_by_test_id("step-submit").locator("textarea[name=comment]").fill("已更换并试验正常")
    ent.get_by_test_id("step-submit").locator("input[name=photos]").set_input_files(str(after))
    ent.get_by_test_id("step-submit").locator("button").click()
    expect(ent.get_by_test_id("state")).to_contain_text("待验收")
    shot(ent, "11-hazard-submitted-phone")

    # 4. The county accepts and closes (a general hazard is closed by the county).
    county = person(browser, site, "demo-county")
    county.goto(detail)
    county.get_by_test_id("step-accept").locator("button").click()
    expect(county.get_by_test_id("state")).to_contain_text("已验收")
    county.get_by_test_id("step-close").locator("button").click()
    expect(county.get_by_test_id("state")).to_contain_text("已销号")
    timeline = county.get_by_test_id("timeline")
    for step in ("上报", "确认隐患", "提交整改方案", "提交验收", "验收通过", "销号"):
        expect(timeline).to_contain_text(step)
    shot(county, "12-hazard-closed-timeline")

    county.goto(f"{site}/hazards/stats/")
    expect(county.get_by_test_id("total-found")).to_be_visible()
    county.wait_for_function("document.querySelector('#chart-towns canvas') !== null")
    shot(county, "13-hazard-statistics")
    hazard.refresh_from_db()
    assert hazard.state == "closed" and hazard.photos.count() == 2
