"""The enterprise file (一企一档) and the statistics pages with a period, in Debian's Chromium at an
office width and a phone's: no page scrolls sideways; a figure opens the ledger it counts, and
the period form shows this period against the same days last year."""

import pytest

from tests.e2e.conftest import person

pytestmark = pytest.mark.browser

WIDTHS = [(1280, 800), (390, 844)]
OVERFLOW = "() => document.documentElement.scrollWidth - window.innerWidth"


def test_enterprise_file_and_statistics_fit_office_and_phone_screens(browser, site, shot):
    from anlan.accounts.models import User

    enterprise = User.objects.get(username="demo-ent-a").enterprise
    pages = {
        "enterprise": f"/enterprises/{enterprise.pk}/",
        "hazard-stats": "/hazards/stats/?period=quarter",
        "incident-stats": "/incidents/stats/?period=range&start=2026-01-01&end=2026-06-30",
    }
    page = person(browser, site, "demo-county")
    problems = []
    for width, height in WIDTHS:
        page.set_viewport_size({"width": width, "height": height})
        for name, path in pages.items():
            response = page.goto(f"{site}{path}")
            assert response.status == 200, (path, response.status)
            overflow = page.evaluate(OVERFLOW)
            if overflow > 0:
                problems.append(f"{path} at {width}: page {overflow}px wider than the window")
            shot(page, f"file-{name}-{width}")
    assert not problems, "\n".join(problems)

    # The file's hazard figure opens the ledger with as many rows as it says.
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{site}/enterprises/{enterprise.pk}/")
    figure = page.get_by_test_id("section-hazards").get_by_test_id("figure").last
    count = int(figure.locator(".h2").inner_text())
    figure.click()
    page.get_by_test_id("filtered-by-enterprise").wait_for()
    assert page.get_by_test_id("result-count").inner_text() == f"共 {count} 条隐患"

    # A chosen range on the incident statistics, by the form.
    page.goto(f"{site}/incidents/stats/")
    page.select_option("#period-kind", "range")
    page.fill("#period-start", "2026-01-01")
    page.fill("#period-end", "2026-03-31")
    page.get_by_test_id("period-form").locator("button").click()
    label = page.get_by_test_id("period-label")
    label.wait_for()
    assert "2026-01-01 至 2026-03-31" in label.inner_text()
    assert "去年同期：2025-01-01 至 2025-03-31" in label.inner_text()
