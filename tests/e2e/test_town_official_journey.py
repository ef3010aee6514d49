"""A town official's day with the enterprise register, in Debian's Chromium."""

import pytest
from playwright.sync_api import expect

from anlan.registry.models import Enterprise
from tests.conftest import PASSWORD, ensure_world
from tests.registry.xlsx import good_row, workbook_bytes

pytestmark = pytest.mark.browser


@pytest.fixture
def site(live_server, transactional_db):
    ensure_world()
    return live_server.url


def login(page, site, username):
    page.goto(f"{site}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("h2.page-title")).to_have_text("工作台")


def test_town_official_filters_opens_and_imports(browser, site, shot, tmp_path):
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="en-US")
    login(page, site, "demo-town-a")
    # Chinese by default, whatever the browser's language.
    expect(page.locator("nav, header").first).to_contain_text("企业台账")
    shot(page, "01-home")

    page.get_by_test_id("nav-group-registry").click()  # a menu: the ledger and its import
    page.get_by_test_id("nav-registry").click()
    total = Enterprise.objects.filter(region__code__startswith="990102002").count()
    expect(page.get_by_test_id("result-count")).to_contain_text(f"共 {total} 家企业")

    # Filtering by category updates the rows through htmx.
    page.select_option("select[name=category]", label="交通运输")
    transport = Enterprise.objects.filter(
        region__code__startswith="990102002", category="transport"
    )
    expect(page.get_by_test_id("result-count")).to_contain_text(f"共 {transport.count()} 家企业")
    assert "category=transport" in page.url
    shot(page, "02-enterprise-list-filtered")

    target = transport.order_by("name").first()
    page.click(f"text={target.name}")
    expect(page.locator("h2.page-title")).to_contain_text(target.name)
    expect(page.get_by_test_id("history")).to_contain_text("新建")
    shot(page, "03-enterprise-detail")

    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(
        workbook_bytes(
            [
                good_row("91350100M000100Y43", "清河县好企业有限公司"),
                good_row("91350100M000100Y44", "清河县坏代码有限公司"),
                good_row("91990102000000001A", "清河县外镇企业有限公司", region="990102003001"),
            ]
        )
    )
    page.get_by_test_id("nav-group-registry").click()
    page.locator(".dropdown-menu.show").get_by_text("导入").click()
    page.set_input_files("input[type=file]", str(bad))
    page.click("text=校验并导入")
    errors = page.get_by_test_id("import-errors")
    expect(errors).to_contain_text("未导入任何数据")
    expect(errors).to_contain_text("第 3 行 统一社会信用代码")
    expect(errors).to_contain_text("第 4 行 所在乡镇或村社区代码")
    shot(page, "04-import-errors")
    assert not Enterprise.objects.filter(name="清河县好企业有限公司").exists()


def test_register_is_usable_on_a_phone(browser, site, shot):
    page = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    login(page, site, "demo-grid-a")
    page.goto(f"{site}/enterprises/")
    expect(page.get_by_test_id("result-count")).to_be_visible()
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px on a phone"
    shot(page, "05-phone-list")
