"""Under the Content-Security-Policy the main pages work in Debian's Chromium and report no
violation: charts (ECharts), maps (Leaflet), htmx filters, the countdowns, the login page's
persona picker, the admin and the API documentation."""

import pytest
from playwright.sync_api import expect

from anlan.accounts.models import User
from anlan.hazards.models import Hazard
from anlan.incidents.models import Incident
from anlan.risks.models import RiskEvent
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def watched(browser):
    """A page and the list its CSP violations and script errors are collected in."""
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    problems: list[str] = []
    page.on(
        "console",
        lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.on("pageerror", lambda e: problems.append(f"script error: {e}"))
    return page, problems


def visit(page, url: str):
    response = page.goto(url)
    assert response.status == 200, url
    assert "Content-Security-Policy" in {k.title(): v for k, v in response.headers.items()}
    page.wait_for_load_state("networkidle")


def test_main_pages_report_no_csp_violation(browser, site, settings):  # noqa: F811
    settings.DEMO = True  # the persona picker on the login page
    page, problems = watched(browser)
    visit(page, f"{site}/accounts/login/")
    page.click("[data-persona=demo-county]")
    expect(page.locator("#id_username")).to_have_value("demo-county")
    expect(page.locator("#id_password")).to_be_focused()
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("h2.page-title")).to_have_text("工作台")

    county = User.objects.get(username="demo-county")
    hazard = Hazard.objects.visible_to(county).order_by("pk").first()
    incident = Incident.objects.visible_to(county).order_by("pk").first()
    event = RiskEvent.objects.visible_to(county).order_by("pk").first()
    pages = [
        "/",
        "/hazards/",
        "/hazards/stats/",
        "/risks/",
        "/risks/overview/",
        "/risks/map/",
        "/duty/",
        "/incidents/",
        "/incidents/new/",
        "/incidents/stats/",
        "/accounts/tokens/",
        "/inbox/",
    ]
    pages += [f"/hazards/{hazard.pk}/"] if hazard else []
    pages += [f"/incidents/{incident.pk}/"] if incident else []
    pages += [f"/risks/events/{event.pk}/"] if event else []
    for url in pages:
        visit(page, f"{site}{url}")

    # The charts draw and their tooltips open; the map loads its points.
    visit(page, f"{site}/hazards/stats/")
    chart = page.locator("[id^=chart-] canvas").first
    expect(chart).to_be_visible()
    chart.hover(position={"x": 120, "y": 160})
    visit(page, f"{site}/risks/map/")
    expect(page.locator("#risk-map[data-loaded]")).to_be_attached()
    # The user menu (Bootstrap's dropdown) leads to the API token page.
    page.click("[aria-label=用户菜单]")
    page.click("[data-testid=my-tokens]")
    expect(page.locator("h2.page-title")).to_have_text("API 令牌")
    # htmx filters the hazard list in place.
    visit(page, f"{site}/hazards/")
    page.locator("select").first.select_option(index=1)
    page.wait_for_load_state("networkidle")
    assert problems == []


def test_admin_and_api_docs_report_no_csp_violation(browser, site):  # noqa: F811
    page, problems = watched(browser)
    visit(page, f"{site}/accounts/login/")
    page.fill("#id_username", "demo-admin")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("h2.page-title")).to_have_text("工作台")
    for url in ["/admin/", "/admin/accounts/user/", "/admin/accounts/apitoken/", "/api/v1/docs"]:
        visit(page, f"{site}{url}")
    expect(page.locator(".swagger-ui").first).to_be_visible()
    assert problems == []
