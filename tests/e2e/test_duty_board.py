"""Duty in Debian's Chromium with frozen time: the county bureau schedules and publishes its
November roster, its duty officer misses the check-in and is flagged, checks in late, writes the
duty log and asks for a swap that a colleague approves; a town sees the county's board."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import expect

from anlan.accounts.models import Organisation, User
from anlan.accounts.roles import Role
from anlan.duty.models import Roster, Shift, Swap
from anlan.duty.tasks import missed_checkins
from tests.conftest import PASSWORD
from tests.e2e.conftest import person

pytestmark = pytest.mark.browser
TZ = ZoneInfo("Asia/Shanghai")
T0 = datetime(2026, 11, 23, 8, 5, tzinfo=TZ)


def colleague(username: str, full_name: str, phone: str) -> User:
    user = User(
        username=username,
        full_name=full_name,
        role=Role.BUREAU_STAFF,
        phone=phone,
        organisation=Organisation.objects.get(name="清河县应急管理局"),
    )
    user.set_password(PASSWORD)
    user.save()
    return user


def test_roster_check_in_log_and_swap(browser, site, shot):  # noqa: F811
    # Members are listed by name: 丁 < 应急局值班员 (demo-county) < 王, so the rota gives the
    # 23rd (the month's 23rd shift) to demo-county.
    ding = colleague("duty-ding", "丁值班员", "13900000011")
    wang = colleague("duty-wang", "王值班员", "13900000012")
    zhao = colleague("duty-zhao", "赵副局长", "13900000021")
    qian = colleague("duty-qian", "钱副局长", "13900000022")
    with time_machine.travel(T0, tick=False) as clock:
        # 1. The bureau's duty officer schedules November from a rota and publishes it.
        county = person(browser, site, "demo-county")
        county.get_by_test_id("nav-group-duty").click()
        county.get_by_test_id("nav-duty").click()
        expect(county.locator("h2.page-title")).to_have_text("值班在岗情况")
        county.goto(f"{site}/duty/rosters/?month=2026-11")
        county.get_by_test_id("new-roster").click()
        form = county.get_by_test_id("roster-form")
        for user in (ding, User.objects.get(username="demo-county"), wang):
            form.locator(f"input[name=officers][value='{user.pk}']").check()
        for user in (zhao, qian):
            form.locator(f"input[name=leaders][value='{user.pk}']").check()
        form.locator("input[name=leader_days]").fill("7")
        county.get_by_test_id("create-roster").click()
        expect(county.get_by_test_id("shift-row")).to_have_count(30)
        county.get_by_test_id("publish").click()
        expect(county.get_by_test_id("roster-state")).to_have_text("已发布")
        shot(county, "40-duty-roster-month")
        roster = Roster.objects.get(organisation__name="清河县应急管理局")
        today = Shift.objects.get(roster=roster, start=datetime(2026, 11, 23, 8, 30, tzinfo=TZ))
        assert today.officer.username == "demo-county" and today.leader == qian
        pdf = county.request.get(f"{site}/duty/rosters/{roster.pk}/roster.pdf")
        assert pdf.headers["content-type"] == "application/pdf"

        # 2. 08:50: still no check-in, 20 minutes after the shift began. The sweep flags it and
        # tells the leader on duty; a town official sees it on the county's board.
        clock.move_to(datetime(2026, 11, 23, 8, 50, tzinfo=TZ))
        assert missed_checkins()["flagged"] == 1
        leader = person(browser, site, "duty-qian")
        leader.goto(f"{site}/inbox/")
        expect(leader.locator("body")).to_contain_text("值班员未按时签到：清河县应急管理局")
        town = person(browser, site, "demo-town-a")
        town.goto(f"{site}/duty/")
        row = town.get_by_test_id("board-row").filter(has_text="清河县应急管理局")
        expect(row.get_by_test_id("officer")).to_contain_text("未签到")
        expect(row.get_by_test_id("officer")).to_contain_text(today.officer_phone)
        shot(town, "41-duty-board-missed")

        # 3. The officer checks in (late) from the board.
        county.goto(f"{site}/duty/")
        county.get_by_test_id("check-in").click()
        expect(county.get_by_test_id("checked-in")).to_have_text("已于 08:50 签到")
        row = county.get_by_test_id("board-row").filter(has_text="清河县应急管理局")
        expect(row.get_by_test_id("officer")).to_contain_text("迟到签到")
        shot(county, "42-duty-board-checked-in")

        # 4. A call goes into the duty log.
        clock.move_to(datetime(2026, 11, 23, 9, 30, tzinfo=TZ))
        county.goto(f"{site}/duty/log/")
        log = county.get_by_test_id("log-form")
        log.locator("input[name=occurred_at]").fill("2026-11-23T09:25")
        log.locator("select[name=kind]").select_option("call_in")
        log.locator("input[name=counterpart]").fill("青石镇东庄村村民")
        log.locator("input[name=phone]").fill("13900000088")
        log.locator("textarea[name=content]").fill("反映村后山体有落石，请求派人查看。")
        log.locator("textarea[name=action_taken]").fill("已通知青石镇值班室和国土所到场核查。")
        county.get_by_test_id("add-log").click()
        expect(county.get_by_test_id("log-entry").first).to_contain_text("反映村后山体有落石")
        shot(county, "43-duty-log")

        # 5. The officer asks to exchange the 26th with 王's 27th; 丁 approves.
        mine = Shift.objects.get(roster=roster, start=datetime(2026, 11, 26, 8, 30, tzinfo=TZ))
        theirs = Shift.objects.get(roster=roster, start=datetime(2026, 11, 27, 8, 30, tzinfo=TZ))
        assert (mine.officer.username, theirs.officer) == ("demo-county", wang)
        county.goto(f"{site}/duty/shifts/{mine.pk}/")
        county.get_by_test_id("request-swap").click()
        county.select_option("select[name=counterpart]", value=str(wang.pk))
        county.select_option("select[name=counterpart_shift]", value=str(theirs.pk))
        county.fill("textarea[name=reason]", "26日参加市里培训，与王值班员对调。")
        county.get_by_test_id("submit").click()
        expect(county.get_by_test_id("swap")).to_contain_text("待审批")
        approver = person(browser, site, "duty-ding")
        approver.goto(f"{site}/duty/swaps/")
        approver.get_by_test_id("swap-decision").locator("input[name=comment]").fill("同意")
        approver.get_by_test_id("swap-approve_swap").click()
        approver.goto(f"{site}/duty/swaps/?show=all")
        expect(approver.get_by_test_id("swap")).to_contain_text("已批准")
        shot(approver, "44-duty-swap-approved")
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.officer, theirs.officer.username) == (wang, "demo-county")
    assert Swap.objects.get(shift=mine).decided_by == ding
