"""The top navigation in Debian's Chromium: at 1280 and 1366 px every label sits on one line; at
390 px it collapses behind the toggler; no main page scrolls sideways at any of these widths."""

import pytest

from tests.e2e.conftest import person

pytestmark = pytest.mark.browser

WIDTHS = [(1280, 800), (1366, 768), (390, 844)]
PAGES = {
    "home": "/",
    "hazards": "/hazards/",
    "risks": "/risks/",
    "duty": "/duty/",
    "incidents": "/incidents/",
    "enterprises": "/enterprises/",
}
USERS = {"county": ("demo-county", PAGES), "ent": ("demo-ent-a", PAGES)}

# Labels whose text box is taller than one and a half lines have wrapped.
WRAPPED_LABELS = """() => [...document.querySelectorAll('#navbar-menu .nav-link, .navbar-brand')]
  .filter(el => el.offsetParent !== null)
  .filter(el => {
    const style = getComputedStyle(el);
    const line = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.5;
    const box = el.getBoundingClientRect().height
      - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
    return box > line * 1.5;
  })
  .map(el => el.textContent.trim())"""
OVERFLOW = "() => document.documentElement.scrollWidth - window.innerWidth"


@pytest.mark.parametrize("who", USERS)
def test_navigation_fits_and_pages_do_not_overflow(browser, site, shot, who):
    username, pages = USERS[who]
    page = person(browser, site, username)
    problems = []
    for width, height in WIDTHS:
        page.set_viewport_size({"width": width, "height": height})
        for name, path in pages.items():
            response = page.goto(f"{site}{path}")
            if response.status == 403:  # a page this role does not see, nor has in its menu
                assert not page.locator(f"#navbar-menu a[href='{path}']").count()
                continue
            assert response.status == 200, (path, response.status)
            toggler = page.locator(".navbar-toggler")
            if width < 1200:
                assert toggler.is_visible(), f"{path} at {width}: no menu toggler"
                toggler.click()
                page.locator("#navbar-menu.show").wait_for()
            else:
                assert not toggler.is_visible(), f"{path} at {width}: menu collapsed"
                # The grouped menus open under the Content-Security-Policy (Tabler's bundle).
                page.get_by_test_id("nav-group-hazards").click()
                page.get_by_test_id("nav-hazards").wait_for(state="visible")
            wrapped = page.evaluate(WRAPPED_LABELS)
            if wrapped:
                problems.append(f"{path} at {width}: wrapped labels {wrapped}")
            overflow = page.evaluate(OVERFLOW)
            if overflow > 0:
                problems.append(f"{path} at {width}: page {overflow}px wider than the window")
            shot(page, f"nav-{who}-{name}-{width}")
    assert not problems, "\n".join(problems)
