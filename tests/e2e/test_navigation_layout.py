"""Layout in Debian's Chromium at the two common office widths and on a phone. The top navigation:
at 1280 and 1366 px every label sits on one line; at 390 px it collapses behind the toggler. The
main ledger, form and detail pages, with rows: no page scrolls sideways (a wide table scrolls
inside its card), and no table squeezes a text column to a character or two, as the hazard
ledger's title column once was at 390 px. Every page is kept as a screenshot."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from anlan.accounts.models import ApiToken, User
from anlan.demo.world import PERSONAS
from anlan.duty import actions as duty_actions
from anlan.hazards import actions as hazard_actions
from anlan.hazards.models import Hazard
from anlan.risks import actions as risk_actions
from anlan.risks.models import InvestigationTask
from anlan.risks.tasks import investigation_tasks
from tests.duty.factories import roster, shift_at
from tests.e2e.conftest import person
from tests.hazards.factories import advance, report
from tests.incidents.factories import incident
from tests.risks.factories import register

pytestmark = pytest.mark.browser
TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=TZ)  # a Monday morning; the 23rd's shift is running

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
OVERFLOW = "() => document.scrollingElement.scrollWidth - window.innerWidth"

# Text in a table cell wrapped into lines of fewer than four characters (Chinese breaks between
# any two characters, so a crowded table shrinks a text column to one character per line), or a
# date broken across two lines ("2026-12-" / "03").
SQUEEZED = """() => {
  const lines = (node, start, end) => {
    const range = document.createRange();
    range.setStart(node, start);
    range.setEnd(node, end);
    return new Set([...range.getClientRects()].filter(r => r.width > 0)
      .map(r => Math.round(r.top))).size;
  };
  const found = [];
  for (const td of document.querySelectorAll('table td')) {
    if (td.offsetParent === null) continue;
    const walker = document.createTreeWalker(td, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent;
      const n = lines(node, 0, text.length);
      if (n > 1 && [...text.trim()].length / n < 4) found.push(text.trim().slice(0, 12));
      for (const date of text.matchAll(/\\d{4}-\\d\\d-\\d\\d/g)) {
        if (lines(node, date.index, date.index + date[0].length) > 1) found.push(date[0]);
      }
    }
  }
  return found;
}"""

LONG_DESCRIPTION = (
    "二号车间东侧冲压生产线的光电保护装置失效，操作人员在送料时手部可进入危险区域，"
    "且设备急停按钮被杂物遮挡，现场未设置警示标志"
)
LONG_SITE = "县道X012线青石镇至白沙镇段K3+200处连续急弯下坡路段"
LONG_INCIDENT = "清河县青石镇化工园区二号车间反应釜超温超压引发的火灾及人员中毒事故"


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


def seed(people: dict[str, User]) -> dict[str, int]:
    """A handful of records of every kind, with long Chinese titles; returns the ids shown."""
    county, town, ent = people["demo-county"], people["demo-town-a"], people["demo-ent-a"]
    short = {name.removeprefix("demo-"): user for name, user in people.items()}
    rectifying = advance(report(ent, description=LONG_DESCRIPTION), short, "rectifying")
    confirmed = advance(report(ent, description="配电箱门未关闭，线路裸露"), short, "confirmed")
    listed = advance(report(ent, level="major", description=LONG_DESCRIPTION), short, "rectifying")
    hazard_actions.do_list_hazard(
        listed,
        actor=county,
        responsible_leaders="副县长 张某某、县应急管理局局长 李某某",
        deadline=NOW.date() + timedelta(days=30),
        public_exposure=False,
    )
    Hazard.objects.filter(pk=listed.pk).update(deadline=NOW.date() - timedelta(days=1))  # overdue
    report(town, enterprise=None, site_kind="road", site_name=LONG_SITE,
           region_id=town.organisation.region_id, supervision_category_id="transport",
           category_id="traffic", description="弯道处护栏缺失，夜间无照明")  # fmt: skip
    for n in range(4):
        report(ent, description=f"{LONG_DESCRIPTION}（第{n + 1}处）")

    fire = incident(ent, title=LONG_INCIDENT, location="化工园区二号车间反应釜区域")
    incident(town, region_id=town.organisation.region_id, kind="road_traffic", deaths=0,
             title="县道X012线青石镇段一辆重型货车与客车相撞侧翻事故")  # fmt: skip

    obj, unit, event, _measure = register(ent, worker=people["demo-worker-a"])
    event.name = "反应釜温度压力联锁失效导致超温超压爆炸"
    risk_actions.do_save(event, actor=ent)
    investigation_tasks(now=NOW)

    duty = roster(county)
    roster(town)
    shift = shift_at(duty, NOW)
    duty_actions.do_log(
        county.organisation, actor=county, occurred_at=NOW - timedelta(minutes=20),
        kind="call_in", counterpart="青石镇石桥村村民王某某", phone="13800000000",
        content="反映石桥村后山有落石滚落到村道上，已有一辆三轮车被砸坏，请求派人查看",
        action_taken="已电话通知青石镇安监办和交通局养护站到现场核查处置",
    )  # fmt: skip
    later = shift_at(duty, NOW + timedelta(days=2))
    duty_actions.do_request_swap(
        later, actor=later.officer, counterpart=shift.officer, reason="家中老人住院需要陪护"
    )
    ApiToken.objects.issue(county)
    return {
        "hazard": rectifying.pk,
        "confirmed": confirmed.pk,
        "incident": fire.pk,
        "enterprise": ent.enterprise_id,
        "object": obj.pk,
        "unit": unit.pk,
        "event": event.pk,
        "task": InvestigationTask.objects.filter(measure__event=event).first().pk,
        "roster": duty.pk,
        "shift": shift.pk,
    }


def pages(ids: dict[str, int]) -> dict[str, list[tuple[str, str]]]:
    """Who opens which page: (screenshot name, path)."""
    county = [
        ("hazards", "/hazards/"),
        ("hazard", f"/hazards/{ids['hazard']}/"),
        ("hazard-report", "/hazards/new/"),
        ("hazard-stats", "/hazards/stats/"),
        ("hazard-listings", "/hazards/listings/"),
        ("incidents", "/incidents/"),
        ("incident", f"/incidents/{ids['incident']}/"),
        ("incident-new", "/incidents/new/"),
        ("incident-stats", "/incidents/stats/"),
        ("duty", "/duty/"),
        ("duty-log", "/duty/log/"),
        ("duty-rosters", "/duty/rosters/?month=2026-11"),
        ("duty-roster", f"/duty/rosters/{ids['roster']}/"),
        ("duty-swaps", "/duty/swaps/?show=all"),
        ("duty-shift", f"/duty/shifts/{ids['shift']}/"),
        ("risk-overview", "/risks/overview/"),
        ("risk-register", f"/risks/enterprises/{ids['enterprise']}/"),
        ("risk-tasks", "/risks/tasks/"),
        ("risk-map", "/risks/map/"),
        ("risk-unit", f"/risks/units/{ids['unit']}/"),
        ("enterprises", "/enterprises/"),
        ("enterprise", f"/enterprises/{ids['enterprise']}/"),
        ("enterprise-new", "/enterprises/new/"),
        ("enterprise-edit", f"/enterprises/{ids['enterprise']}/edit/"),
        ("enterprise-import", "/enterprises/import/"),
        ("enterprise-history", f"/enterprises/{ids['enterprise']}/history/"),
        ("inbox", "/inbox/"),
        ("tokens", "/accounts/tokens/"),
        ("password", "/accounts/password/"),
    ]
    ent = [
        ("hazard-plan", f"/hazards/{ids['confirmed']}/"),
        ("hazard-report", "/hazards/new/"),
        ("risk-register", f"/risks/enterprises/{ids['enterprise']}/"),
        ("risk-event", f"/risks/events/{ids['event']}/"),
        ("risk-tasks", "/risks/tasks/"),
        ("risk-task", f"/risks/tasks/{ids['task']}/"),
        ("risk-form", f"/risks/new/unit/{ids['object']}/"),
        ("risk-import", f"/risks/enterprises/{ids['enterprise']}/import/"),
        ("incident-new", "/incidents/new/"),
        ("inbox", "/inbox/"),
    ]
    return {"anonymous": [("login", "/accounts/login/")], "demo-county": county, "demo-ent-a": ent}


def problems_on(page, label: str) -> list[str]:
    found = []
    wrapped = page.evaluate(WRAPPED_LABELS)
    if wrapped:
        found.append(f"{label}: wrapped navigation labels {wrapped}")
    overflow = page.evaluate(OVERFLOW)
    if overflow > 0:
        found.append(f"{label}: page {overflow}px wider than the window")
    squeezed = page.evaluate(SQUEEZED)
    if squeezed:
        found.append(
            f"{label}: table text squeezed (1-3 characters a line, or a date broken) {squeezed[:3]}"
        )
    return found


def test_pages_with_rows_fit_the_screen(browser, site, shot):
    """One world with rows for every page; each persona's one browser page is resized in turn."""
    people = User.objects.in_bulk([p.username for p in PERSONAS], field_name="username")
    problems = []
    with time_machine.travel(NOW, tick=False):
        ids = seed(people)
        visits = pages(ids)
        visitors = {
            who: browser.new_page() if who == "anonymous" else person(browser, site, who)
            for who in visits
        }
        for width, height in WIDTHS:
            for username, page in visitors.items():
                page.set_viewport_size({"width": width, "height": height})
                for name, path in visits[username]:
                    response = page.goto(f"{site}{path}")
                    assert response.status == 200, (username, path, response.status)
                    problems += problems_on(page, f"{path} as {username} at {width}")
                    shot(page, f"layout-{username.removeprefix('demo-')}-{name}-{width}")
    assert not problems, "\n".join(problems)
