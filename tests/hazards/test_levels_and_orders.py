"""Who decides what about a hazard (16号令 arts. 14 and 21, 安全生产法 art. 41), the ordered
rectification deadline (责令限期整改) and the dates the documents carry."""

import datetime as dt
import os
import subprocess
import sys

import pypdfium2
import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase
from django.utils import timezone

from anlan.accounts.models import Organisation, OrganisationKind, User
from anlan.accounts.roles import Role
from anlan.core.models import Notification
from anlan.core.workflow import StaleTransition
from anlan.hazards import actions, documents
from anlan.hazards.models import ExtensionStatus, Hazard, HazardState
from anlan.hazards.workflow import HAZARD_WORKFLOW
from tests.hazards.factories import (
    ASSESSMENT,
    MAJOR_PLAN,
    advance,
    ordered,
    photos,
    plan,
    report,
)
from tests.notices import titles

BEIJING = dt.timezone(dt.timedelta(hours=8))
PAST = "期限不能早于今天"


def step(hazard, name, actor, **kwargs):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return actions.do_transition(hazard, name, actor=actor, **kwargs)


def pdf_text(content: bytes) -> str:
    return "".join(page.get_textpage().get_text_range() for page in pypdfium2.PdfDocument(content))


def names(hazard, user) -> list[str]:
    return [t.name for t in HAZARD_WORKFLOW.available(hazard, user)]


# -- confirming: a town confirms general hazards only and refers major ones up ---------------


def test_a_town_cannot_confirm_a_major_hazard_and_refers_it_to_the_county(personas):
    major = report(personas["ent-a"], level="major")
    town, county = personas["town-a"], personas["county"]
    assert names(major, town) == ["refer"]
    with pytest.raises(PermissionDenied):
        step(major, "confirm", town, deadline=ordered())
    with pytest.raises(PermissionDenied):
        step(major, "reject", town, comment="不是重大隐患")
    Notification.objects.all().delete()
    step(major, "refer", town, comment="储罐区防火堤破损，疑似重大隐患，请县局确认")
    assert major.state == HazardState.REPORTED and major.referred_at  # the state stays
    assert major.events.filter(transition="refer").exists()
    assert any("提请" in t for t in titles(county))
    assert names(major, town) == []  # referred once; the county decides from now on
    step(major, "confirm", county, deadline=ordered(30))
    assert major.state == HazardState.CONFIRMED
    assert major.supervising_unit == county.organisation
    assert major.notice_number.startswith("清河县应急管理局隐改〔")


def test_a_referred_general_hazard_is_the_countys_to_decide(personas):
    hazard = report(personas["ent-a"])
    step(hazard, "refer", personas["town-a"], comment="可能涉及重大隐患")
    with pytest.raises(PermissionDenied):
        step(hazard, "confirm", personas["town-a"], deadline=ordered())
    step(hazard, "confirm", personas["county"], deadline=ordered())
    assert hazard.supervising_unit == personas["county"].organisation


def test_only_a_member_of_a_unit_issues_an_order(personas):
    admin = User.objects.create(username="root-admin", is_superuser=True, role=Role.ADMIN)
    hazard = report(personas["ent-a"])
    with pytest.raises(ValidationError, match="只有政府部门"):
        step(hazard, "confirm", admin, deadline=ordered())


def test_a_town_cannot_grade_a_hazard_major_when_it_confirms(personas):
    hazard = report(personas["ent-a"])
    with pytest.raises(ValidationError) as error:
        step(hazard, "confirm", personas["town-a"], level="major", deadline=ordered())
    assert "level" in error.value.message_dict
    hazard.refresh_from_db()
    assert hazard.state == HazardState.REPORTED and hazard.level == "general"
    step(hazard, "confirm", personas["county"], level="major", deadline=ordered())
    assert hazard.level == "major"


def test_a_major_hazard_reported_by_an_enterprise_reaches_the_county_at_once(personas):
    Notification.objects.all().delete()
    major = report(personas["ent-a"], level="major")
    told = set(Notification.objects.filter(key__startswith=f"hazard:{major.pk}:reported:"
                                           ).values_list("recipient__username", flat=True))  # fmt: skip
    assert {"demo-town-a", "demo-county"} <= told
    general = report(personas["ent-a"])
    told = set(Notification.objects.filter(key__startswith=f"hazard:{general.pk}:reported:"
                                           ).values_list("recipient__username", flat=True))  # fmt: skip
    assert "demo-town-a" in told and "demo-county" not in told


# -- re-grading ------------------------------------------------------------------------------


def test_a_general_hazard_found_major_is_regraded_and_gets_its_treatment_plan(personas):
    hazard = advance(report(personas["ent-a"]), personas, "rectifying")
    manager, town, county = personas["ent-a"], personas["town-a"], personas["county"]
    request = actions.do_request_extension(
        hazard, actor=manager, new_deadline=hazard.deadline + dt.timedelta(days=5), reason="缺件"
    )
    assert "regrade" not in names(hazard, town)
    with pytest.raises(PermissionDenied):
        step(hazard, "regrade", town, level="major", deadline=ordered(60), comment="重大")
    with pytest.raises(ValidationError):  # a re-grade needs the new level
        step(hazard, "regrade", county, level="general", deadline=ordered(60), comment="复核")
    old_notice = hazard.notice_number
    Hazard.objects.filter(pk=hazard.pk).update(extensions_used=2)
    hazard.refresh_from_db()
    step(
        hazard,
        "regrade",
        county,
        level="major",
        deadline=ordered(60),
        comment="涉及储罐区，属重大隐患",
    )
    hazard.refresh_from_db()
    assert (hazard.state, hazard.level) == (HazardState.CONFIRMED, "major")
    assert hazard.deadline == hazard.original_deadline == ordered(60)
    assert hazard.supervising_unit == county.organisation and hazard.notice_number != old_notice
    assert hazard.extensions_used == 0  # a new order counts its own extensions
    request.refresh_from_db()
    assert request.status == ExtensionStatus.REFUSED  # the old request lapses
    with pytest.raises(ValidationError) as error:  # the six items of a 治理方案 now
        step(hazard, "plan", manager, plan=plan())
    assert set(error.value.message_dict) == set(MAJOR_PLAN)
    step(hazard, "plan", manager, plan=plan(**MAJOR_PLAN, deadline=ordered(50)))
    assert hazard.state == HazardState.RECTIFYING
    listing = actions.do_list_hazard(hazard, actor=county, responsible_leaders="副县长 张某",
                                     deadline=ordered(60), public_exposure=False)  # fmt: skip
    assert listing.authority == county.organisation
    step(
        hazard,
        "regrade",
        county,
        level="general",
        deadline=ordered(),
        comment="经专家论证为一般隐患",
    )
    listing.refresh_from_db()
    assert hazard.level == "general" and listing.delisted_by == county  # no longer supervised
    assert hazard.events.filter(transition="delist").exists()


def test_a_county_cannot_overturn_a_citys_order(personas):
    hazard = report(personas["ent-a"], level="major")
    step(hazard, "confirm", personas["city"], deadline=ordered(40))
    assert not HAZARD_WORKFLOW.get("regrade").allowed(personas["county"], hazard)
    with pytest.raises(PermissionDenied):
        step(hazard, "regrade", personas["county"], level="general", deadline=ordered(90),
             comment="改为一般")  # fmt: skip
    step(hazard, "regrade", personas["city"], level="general", deadline=ordered(20),
         comment="经复核为一般隐患")  # fmt: skip
    assert hazard.level == "general"


def test_only_who_rectifies_asks_for_an_extension(personas):
    hazard = advance(report(personas["ent-a"]), personas, "rectifying")
    with pytest.raises(PermissionDenied):  # a post worker, not the safety manager
        actions.do_request_extension(hazard, actor=personas["worker-a"], reason="来不及",
                                     new_deadline=hazard.deadline + dt.timedelta(days=3))  # fmt: skip


# -- extensions of major hazards, listing and delisting --------------------------------------


def test_a_major_hazards_extension_is_decided_at_county_level(personas):
    hazard = advance(report(personas["ent-a"]), personas, "rectifying")
    # Confirmed by the town before the rule held, then graded major: the town is no longer
    # the unit that decides.
    Hazard.objects.filter(pk=hazard.pk).update(level="major")
    hazard.refresh_from_db()
    with TestCase.captureOnCommitCallbacks(execute=True):
        request = actions.do_request_extension(
            hazard, actor=personas["ent-a"], new_deadline=hazard.deadline + dt.timedelta(days=5),
            reason="设备到货延迟",
        )  # fmt: skip
    assert not actions.may_decide_extension(personas["town-a"], hazard)
    with pytest.raises(PermissionDenied):
        actions.do_decide_extension(request, actor=personas["town-a"], approve=True)
    assert any("延期申请" in t for t in titles(personas["county"]))
    actions.do_decide_extension(request, actor=personas["county"], approve=True, comment="同意")
    hazard.refresh_from_db()
    assert hazard.extensions_used == 1


def _listed_road_hazard(personas):
    road = report(personas["town-a"], enterprise=None, site_kind="road", level="major",
                  site_name="县道 X012 K3+200 急弯", region_id="990102002001",
                  supervision_category_id="transport", category_id="traffic")  # fmt: skip
    town, county = personas["town-a"], personas["county"]
    step(road, "confirm", county, deadline=ordered(40))
    step(road, "plan", town, plan=plan(**MAJOR_PLAN))  # a site's hazard: the town rectifies
    actions.do_list_hazard(road, actor=county, responsible_leaders="副县长 张某",
                           deadline=ordered(40), public_exposure=True)  # fmt: skip
    step(road, "submit", town, comment="已设置警示标志", photos=photos(), assessment=ASSESSMENT)
    step(road, "accept", county)
    step(road, "close", personas["city"])
    return road


def test_whoever_lists_delists_or_a_unit_above_it_in_the_same_line(personas):
    road = _listed_road_hazard(personas)
    transport = personas["dept-transport"]  # county level, sees the road, another line
    assert Hazard.objects.visible_to(transport).filter(pk=road.pk).exists()
    with pytest.raises(PermissionDenied):
        actions.do_delist_hazard(road, actor=transport)
    actions.do_delist_hazard(road, actor=personas["city"])  # the city bureau is above
    road.listing.refresh_from_db()
    assert road.listing.delisted_by == personas["city"]
    with pytest.raises(StaleTransition):
        actions.do_delist_hazard(road, actor=personas["county"])


def test_a_province_lists_a_major_hazard(personas):
    bureau = Organisation.objects.create(
        name="演示省应急管理厅", kind=OrganisationKind.EMERGENCY_BUREAU, region_id="99"
    )
    province = User.objects.create(username="province-staff", role=Role.BUREAU_STAFF,
                                   organisation=bureau)  # fmt: skip
    major = advance(report(personas["ent-a"], level="major"), personas, "rectifying")
    listing = actions.do_list_hazard(major, actor=province, responsible_leaders="副省长",
                                     deadline=ordered(30), public_exposure=False)  # fmt: skip
    assert listing.document_number.startswith("演示省应急管理厅督〔")
    with pytest.raises(PermissionDenied):  # a county bureau did not list it
        actions.do_delist_hazard(major, actor=personas["county"])


# -- the ordered deadline ---------------------------------------------------------------------


def test_confirming_orders_the_deadline_and_the_plan_cannot_go_later(personas):
    hazard = report(personas["ent-a"])
    town, manager = personas["town-a"], personas["ent-a"]
    with pytest.raises(ValidationError) as error:
        step(hazard, "confirm", town)
    assert "deadline" in error.value.message_dict
    step(hazard, "confirm", town, deadline=ordered(20))
    assert hazard.deadline == hazard.original_deadline == ordered(20)
    assert hazard.deadline_status() == "on_time"  # the order's deadline runs at once
    with pytest.raises(ValidationError, match="不得晚于责令整改期限"):
        step(hazard, "plan", manager, plan=plan(deadline=ordered(21)))
    step(hazard, "plan", manager, plan=plan(deadline=ordered(15)))
    assert hazard.deadline == ordered(15) and hazard.original_deadline == ordered(20)


def test_an_unplanned_hazard_is_overdue_after_the_ordered_date(personas):
    hazard = advance(report(personas["ent-a"]), personas, "confirmed")
    later = timezone.localdate() + dt.timedelta(days=11)
    assert hazard.deadline_status(later) == "overdue"
    assert Hazard.objects.overdue(later).filter(pk=hazard.pk).exists()


def test_every_deadline_field_refuses_a_past_date_the_same_way(personas):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    reported = report(personas["ent-a"])
    with pytest.raises(ValidationError, match=PAST):
        step(reported, "confirm", personas["town-a"], deadline=yesterday)
    confirmed = advance(report(personas["ent-a"]), personas, "confirmed")
    with pytest.raises(ValidationError, match=PAST):
        step(confirmed, "plan", personas["ent-a"], plan=plan(deadline=yesterday))
    major = advance(report(personas["ent-a"], level="major"), personas, "rectifying")
    with pytest.raises(ValidationError, match=PAST):
        actions.do_list_hazard(major, actor=personas["county"], responsible_leaders="副县长",
                               deadline=yesterday, public_exposure=False)  # fmt: skip
    rectifying = advance(report(personas["ent-a"]), personas, "rectifying")
    with time_machine.travel(rectifying.deadline + dt.timedelta(days=5), tick=False):
        # Overdue: a new date after the old deadline but before today is still in the past.
        with pytest.raises(ValidationError, match=PAST):
            actions.do_request_extension(rectifying, actor=personas["ent-a"], reason="晚了",
                                         new_deadline=rectifying.deadline + dt.timedelta(days=2))  # fmt: skip


def test_the_api_confirms_with_the_ordered_deadline_and_refuses_the_past(personas, client):
    from anlan.accounts.models import ApiToken

    hazard = report(personas["ent-a"])
    _, key = ApiToken.objects.issue(personas["town-a"])
    headers = {"Authorization": f"Bearer {key}"}
    url = f"/api/v1/hazards/{hazard.pk}/transitions/confirm"
    past = client.post(url, {"deadline": "2020-01-01"}, headers=headers)
    assert past.status_code == 422 and past.json()["error"]["fields"]["deadline"] == [PAST]
    body = client.post(url, {"deadline": ordered(12).isoformat()}, headers=headers).json()
    assert body["state"] == "confirmed" and body["deadline"] == ordered(12).isoformat()


# -- the documents' dates, in local time -------------------------------------------------------


def test_the_notice_prints_the_order_and_its_issue_date_not_the_print_date(personas):
    hazard = report(personas["ent-a"])
    # Confirmed at 23:30 Beijing time on 5 March (15:30 UTC): issued on 5 March.
    with time_machine.travel(dt.datetime(2030, 3, 5, 23, 30, tzinfo=BEIJING), tick=False):
        step(hazard, "confirm", personas["town-a"], deadline=dt.date(2030, 3, 25))
        step(hazard, "plan", personas["ent-a"], plan=plan(deadline=dt.date(2030, 3, 20)))
    with time_machine.travel(dt.datetime(2030, 3, 18, 10, 0, tzinfo=BEIJING), tick=False):
        hazard = Hazard.objects.get(pk=hazard.pk)
        text = pdf_text(documents.rectification_notice(hazard))
    assert "2030年03月05日" in text and "2030年03月18日" not in text
    assert "2030年03月25日" in text  # the ordered date, not the plan's earlier one
    assert "〔2030〕" in hazard.notice_number


def test_a_listing_before_eight_in_the_morning_carries_the_beijing_date(personas):
    major = advance(report(personas["ent-a"], level="major"), personas, "rectifying")
    # 07:30 on 1 January Beijing time is still 31 December in UTC.
    with time_machine.travel(dt.datetime(2031, 1, 1, 7, 30, tzinfo=BEIJING), tick=False):
        listing = actions.do_list_hazard(major, actor=personas["county"],
                                         responsible_leaders="副县长 张某",
                                         deadline=dt.date(2031, 2, 1), public_exposure=False)  # fmt: skip
        text = pdf_text(documents.listing_notice(Hazard.objects.get(pk=major.pk)))
    assert "2031年01月01日" in text and "2030年12月31日" not in text
    assert "督〔2031〕" in listing.document_number


# -- settings that name levels are checked at start-up ---------------------------------------


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("ANLAN_HAZARD_CLOSE_LEVEL_MAJOR", "cty"),
        ("ANLAN_HAZARD_CLOSE_LEVEL_MAJOR", "town"),  # a town never closes a major hazard
        ("ANLAN_HAZARD_CLOSE_LEVEL_GENERAL", "village"),
    ],
)
def test_a_misnamed_close_level_stops_start_up(name, value, tmp_path):
    env = {**os.environ, name: value, "ANLAN_DATA_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={**env, "DJANGO_SETTINGS_MODULE": "anlan.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and name in result.stderr


def test_extensions_and_listings_through_the_api(personas, client):
    from anlan.accounts.models import ApiToken

    def as_(persona):
        _, key = ApiToken.objects.issue(personas[persona])
        return {"Authorization": f"Bearer {key}"}

    major = advance(report(personas["ent-a"], level="major"), personas, "rectifying")
    base = f"/api/v1/hazards/{major.pk}"
    asked = client.post(f"{base}/extensions", {"new_deadline": "2020-01-01", "reason": "设备未到货"},
                        headers=as_("ent-a"))  # fmt: skip
    assert asked.status_code == 422 and asked.json()["error"]["fields"]["new_deadline"] == [PAST]
    new = (major.deadline + dt.timedelta(days=7)).isoformat()
    asked = client.post(f"{base}/extensions", {"new_deadline": new, "reason": "设备未到货"},
                        headers=as_("ent-a"))  # fmt: skip
    assert asked.status_code == 200, asked.content
    pending = major.extensions.get()
    decision = f"{base}/extensions/{pending.pk}/decision"
    assert client.post(decision, {"approve": "1"}, headers=as_("town-a")).status_code == 403
    decided = client.post(decision, {"approve": "1", "comment": "同意"}, headers=as_("county"))
    assert decided.status_code == 200 and decided.json()["deadline"] == new
    listing = {"responsible_leaders": "副县长 张某", "deadline": new}
    assert client.post(f"{base}/listing", listing, headers=as_("town-a")).status_code == 403
    listed = client.post(f"{base}/listing", listing, headers=as_("county"))
    assert listed.status_code == 200 and listed.json()["listed"] is True
    refused = client.post(f"{base}/listing/delist", headers=as_("county"))
    assert refused.status_code == 422  # not closed yet
    advance(major, personas, "closed")
    assert client.post(f"{base}/listing/delist", headers=as_("dept-transport")).status_code == 404
    delisted = client.post(f"{base}/listing/delist", headers=as_("county"))
    assert delisted.status_code == 200 and delisted.json()["listed"] is False


def test_a_treated_major_hazard_is_assessed_and_reviewed_within_ten_days(personas):
    from tests.notices import scan_hazards

    major = advance(report(personas["ent-a"], level="major"), personas, "rectifying")
    with pytest.raises(ValidationError) as error:  # 16号令 art. 16: the assessment first
        step(major, "submit", personas["ent-a"], comment="治理完成，申请验收", photos=photos())
    assert "assessment" in error.value.message_dict
    # Requested at 23:30 Beijing time on 1 March: the review is due by 11 March.
    with time_machine.travel(dt.datetime(2030, 3, 1, 23, 30, tzinfo=BEIJING), tick=False):
        step(major, "submit", personas["ent-a"], comment="治理完成，申请验收", photos=photos(),
             assessment=ASSESSMENT)  # fmt: skip
    assert major.review_due == dt.date(2030, 3, 11) and major.assessment == ASSESSMENT
    with time_machine.travel(dt.datetime(2030, 3, 11, 23, 30, tzinfo=BEIJING), tick=False):
        assert scan_hazards(now=timezone.now())["review_overdue"] == 0
    with time_machine.travel(dt.datetime(2030, 3, 12, 0, 30, tzinfo=BEIJING), tick=False):
        assert scan_hazards(now=timezone.now())["review_overdue"] >= 1
        assert scan_hazards(now=timezone.now())["review_overdue"] == 0  # once
    assert any("逾期未验收" in t for t in titles(personas["county"]))
