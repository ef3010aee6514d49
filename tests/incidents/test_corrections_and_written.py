"""Review fixes: corrections after the 终报 and who files it, the written report as its own
channel with its own deadline, kind settings checked and old records migrated, and the
suspected-concealment sweep after a 终报."""

import importlib
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from anlan.core.workflow import StaleTransition
from anlan.incidents import actions
from anlan.incidents.models import Incident
from tests import notices
from tests.incidents.factories import facts, incident

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
HENAN = '{"major": {"county": {"phone": 15, "written": 35}, "city": {"phone": 15, "written": 35}}}'


@pytest.fixture
def frozen():
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


titles = notices.titles


def step(item, level):
    return item.steps.get(from_level=level)


# 1. Corrections after the 终报; the 终报 belongs to the county or a higher level.


def test_a_casualty_change_after_the_final_report_is_a_correction(personas, frozen):
    """终报 on day 0; the investigation finds on day 45 that a second worker died: recorded as a
    correction (DOMAIN.md §1), not refused. A third death on day 50 raises the grade to 较大
    and the chain widens to the province as after any follow-up."""
    item = incident(personas["ent-a"])
    actions.do_forward(item, actor=personas["county"])
    actions.do_follow_up(item, actor=personas["county"], facts=facts(item), final=True)
    frozen.move_to(T0 + timedelta(days=45))
    report = actions.do_follow_up(item, actor=personas["county"], facts=facts(item, deaths=2),
                                  note="调查组核定死亡 2 人")  # fmt: skip
    item.refresh_from_db()
    assert (report.kind, report.deaths, item.deaths, item.state) == ("correction", 2, 2, "final")
    assert item.final_at == T0
    assert item.events.filter(transition="correction", data__changes__deaths=[1, 2]).exists()
    frozen.move_to(T0 + timedelta(days=50))
    report = actions.do_follow_up(item, actor=personas["ent-a"], facts=facts(item, deaths=3))
    item.refresh_from_db()
    assert (report.kind, item.grade) == ("correction", "larger")
    assert step(item, "city").to_level == "province"
    loss = actions.do_follow_up(item, actor=personas["county"],
                                facts=facts(item, direct_loss_yuan=12_000_000))  # fmt: skip
    assert loss.kind == "correction"
    item.refresh_from_db()
    with pytest.raises(StaleTransition):  # nothing changed: nothing to correct
        actions.do_follow_up(item, actor=personas["county"], facts=facts(item), note="无变化")
    with pytest.raises(StaleTransition):  # one final report
        actions.do_follow_up(item, actor=personas["county"], facts=facts(item), final=True)


def test_only_a_government_level_files_the_final_report(personas, frozen, client_for):
    item = incident(personas["ent-a"])
    with pytest.raises(ValidationError) as refused:
        actions.do_follow_up(item, actor=personas["ent-a"], facts=facts(item), final=True)
    assert "final" in refused.value.message_dict
    road = incident(personas["town-a"], region_id="990102002001", kind="road_traffic",
                    title="县道货车侧翻", deaths=0)  # fmt: skip
    with pytest.raises(ValidationError):  # a town reporting as the unit is not a government level
        actions.do_follow_up(road, actor=personas["town-a"], facts=facts(road), final=True)
    item.refresh_from_db()
    assert item.state == "reporting" and item.reports.count() == 1
    body = {k: (float(v) if k == "direct_loss_yuan" else v) for k, v in facts(item).items()}
    api = client_for("ent-a").post(f"/api/v1/incidents/{item.pk}/follow-up", body | {"final": True},
                                   content_type="application/json")  # fmt: skip
    assert api.status_code == 422 and "final" in api.json()["error"]["fields"]
    unit_page = client_for("ent-a").get(reverse("incidents:detail", args=[item.pk])).content
    assert b'name="final"' not in unit_page and b'data-testid="follow-up-form"' in unit_page
    county = client_for("county")
    assert b'name="final"' in county.get(reverse("incidents:detail", args=[item.pk])).content
    done = county.post(reverse("incidents:follow_up", args=[item.pk]),
                       body | {"final": "on", "measures_taken": "善后完毕"})  # fmt: skip
    assert done.status_code == 302
    page = county.get(reverse("incidents:detail", args=[item.pk])).content.decode()
    assert "终报后更正" in page and 'name="final"' not in page
    fixed = county.post(reverse("incidents:follow_up", args=[item.pk]), body | {"deaths": 2})
    assert fixed.status_code == 302
    assert item.reports.order_by("-pk").first().kind == "correction"


# 2. The written report: its own record, timeliness and chase.


def test_a_phone_report_does_not_close_the_written_one(personas, frozen, settings):
    """河南: 重大 15 minutes by phone, 35 in writing. The county phones at minute 10: the step's
    phone limit is met, its written one is still chased, reminded once and escalated once."""
    settings.ANLAN_INCIDENT_REPORT_LIMITS = HENAN
    item = incident(personas["ent-a"], deaths=10)
    assert item.grade == "major"
    frozen.move_to(T0 + timedelta(minutes=10))
    actions.do_forward(item, actor=personas["county"], channel="phone", note="电话报市应急局")
    county = step(item, "county")
    assert county.reported_at == T0 + timedelta(minutes=10) and county.written_reported_at is None
    assert county.status().timeliness == "on_time"
    assert county.written_status().timeliness == "due"
    city = step(item, "city")  # the city has it from the phone call
    assert city.due_at == T0 + timedelta(minutes=25)
    frozen.move_to(T0 + timedelta(minutes=21))
    sent = notices.scan_incidents()
    assert sent["written_due_soon"] >= 1 and sent["due_soon"] >= 1  # the county; the city's phone
    assert any("书面报告即将到期（县→市" in t for t in titles(personas["county"]))
    frozen.move_to(T0 + timedelta(minutes=36))
    first, second = notices.scan_incidents(), notices.scan_incidents()
    assert first["written_late"] >= 2 and second["written_late"] == 0
    assert any("书面报告已超时（迟报，县→市" in t for t in titles(personas["city"]))
    with pytest.raises(StaleTransition):  # the phone report is in already
        actions.do_forward(item, actor=personas["county"], channel="phone")
    frozen.move_to(T0 + timedelta(minutes=40))
    actions.do_forward(item, actor=personas["county"], channel="written", note="书面报告已报送")
    county = step(item, "county")
    assert county.written_reported_at == T0 + timedelta(minutes=40)
    assert county.status().timeliness == "on_time"
    assert (county.written_status().timeliness, county.written_status().minutes) == ("late", 5)
    assert step(item, "city").due_at == T0 + timedelta(minutes=25)  # not restarted
    assert [r.channel for r in item.reports.filter(from_level="county")] == ["phone", "written"]
    assert item.events.filter(transition="written_city").exists()
    with pytest.raises(StaleTransition):
        actions.do_forward(item, actor=personas["county"], channel="written")
    with pytest.raises(ValidationError):
        actions.do_forward(item, actor=personas["city"], channel="fax")


def test_under_493_a_written_report_meets_both_limits_and_the_phone_one_only_its_own(
    personas, frozen
):
    item = incident(personas["ent-a"])
    frozen.move_to(T0 + timedelta(hours=1, minutes=50))
    sent = notices.scan_incidents()  # both limits the same, nothing in: one reminder, not two
    assert (sent["due_soon"], sent["written_due_soon"]) == (1, 0)
    actions.do_forward(item, actor=personas["county"])  # in the platform: written
    county = step(item, "county")
    assert county.reported_at == county.written_reported_at == T0 + timedelta(hours=1, minutes=50)
    other = incident(personas["ent-a"], title="叉车撞人")
    frozen.move_to(T0 + timedelta(hours=2))
    actions.do_forward(other, actor=personas["county"], channel="phone")
    frozen.move_to(T0 + timedelta(hours=3, minutes=55))
    sent = notices.scan_incidents()
    assert (sent["due_soon"], sent["late"], sent["written_due_soon"]) == (0, 0, 0)
    assert sent["written_late"] >= 2  # other's county step: the county and the city are told
    assert step(other, "county").written_status().timeliness == "late"
    assert step(item, "county").written_status().timeliness == "on_time"


def test_pages_and_api_record_the_written_report(personas, frozen, client_for, settings):
    settings.ANLAN_INCIDENT_REPORT_LIMITS = HENAN
    item = incident(personas["ent-a"], deaths=10)
    county = client_for("county")
    url = reverse("incidents:detail", args=[item.pk])
    page = county.get(url).content.decode()
    assert 'name="channel" value="phone"' in page and 'name="channel" value="written"' in page
    frozen.move_to(T0 + timedelta(minutes=10))
    assert county.post(reverse("incidents:forward", args=[item.pk]),
                       {"channel": "phone", "note": "电话"}).status_code == 302  # fmt: skip
    page = county.get(url).content.decode()
    assert 'data-testid="written-status"' in page and "还有 25 分钟" in page
    assert 'value="phone"' not in page and 'data-testid="forward-form"' in page  # written is due
    frozen.move_to(T0 + timedelta(minutes=36))
    late = county.get("/api/v1/incidents/?late=true").json()["items"]
    assert [i["id"] for i in late] == [item.pk]
    assert item.number in county.get(reverse("incidents:list") + "?late=1").content.decode()
    detail = county.get(f"/api/v1/incidents/{item.pk}").json()
    row = next(s for s in detail["steps"] if s["from_level"] == "county")
    assert (row["timeliness"], row["written_timeliness"], row["written_minutes"]) == (
        "on_time", "late", 1,
    )  # fmt: skip
    assert row["written_reported_at"] is None
    bad = county.post(f"/api/v1/incidents/{item.pk}/forward", {"channel": "fax"},
                      content_type="application/json")  # fmt: skip
    assert bad.status_code == 422 and "channel" in bad.json()["error"]["fields"]
    done = county.post(f"/api/v1/incidents/{item.pk}/forward", {"channel": "written"},
                       content_type="application/json")  # fmt: skip
    assert done.status_code == 200
    row = next(s for s in done.json()["steps"] if s["from_level"] == "county")
    assert row["written_timeliness"] == "late" and row["written_reported_at"]
    assert [r["channel"] for r in done.json()["reports"]] == ["written", "phone", "written"]


# 3. Kind settings and old records.


def test_an_ungraded_incident_of_a_kind_moved_into_the_accident_kinds(personas, frozen, settings):
    """Stored as ungraded when natural disasters were outside the accident kinds; the setting
    now grades them: forwarding and follow-ups work (no 500) and grade it by art. 3."""
    flood = incident(personas["town-a"], region_id="990102002001", kind="natural_disaster",
                     title="山洪冲毁民房", deaths=5)  # fmt: skip
    slide = incident(personas["town-a"], region_id="990102002001", kind="natural_disaster",
                     title="山体滑坡", deaths=1)  # fmt: skip
    assert flood.grade == slide.grade == "ungraded"
    settings.ANLAN_INCIDENT_ACCIDENT_KINDS = "production,fire,road_traffic,natural_disaster"
    frozen.move_to(T0 + timedelta(minutes=30))
    actions.do_forward(flood, actor=personas["county"])
    flood.refresh_from_db()
    assert flood.grade == "larger"  # five dead
    assert step(flood, "city").to_level == "province"
    assert flood.events.filter(transition="forward_city", data__grade=["ungraded", "larger"])
    report = actions.do_follow_up(slide, actor=personas["county"], facts=facts(slide))
    slide.refresh_from_db()
    assert slide.grade == report.grade == "general"
    assert actions.do_forward(slide, actor=personas["county"]).reported_at


def test_migration_ungrades_other_kinds_and_keeps_old_reports_written(personas, frozen):
    migration = importlib.import_module(
        "anlan.incidents.migrations.0003_written_report_channel_ungraded_kinds"
    )
    fire = incident(personas["town-a"], region_id="990102002001", kind="forest_fire",
                    title="山林火灾", deaths=0)  # fmt: skip
    accident = incident(personas["ent-a"])
    Incident.objects.filter(pk=fire.pk).update(grade="general")  # as stored before 0002
    accident.steps.filter(from_level="unit").update(written_reported_at=None)
    migration.ungrade_other_kinds(django_apps, None)
    migration.written_as_before(django_apps, None)
    fire.refresh_from_db()
    accident.refresh_from_db()
    assert (fire.grade, accident.grade) == ("ungraded", "general")
    unit = step(accident, "unit")
    assert unit.written_reported_at == unit.reported_at and unit.written_reported_by_id
    report = actions.do_follow_up(fire, actor=personas["county"],
                                  facts=facts(fire, measures_taken="明火已扑灭"))  # fmt: skip
    assert not fire.events.filter(data__has_key="grade", transition=report.kind).exists()


# Minor: the suspected-concealment sweep after a 终报.


def test_a_final_report_does_not_end_the_suspicion_of_concealment(personas, frozen):
    """A hospital told the county; the county files its 终报 within the unit's hour; the unit
    never reports. Its silence past the limit is still flagged (瞒报嫌疑)."""
    ent = personas["ent-a"].enterprise
    item = incident(personas["county"], enterprise=ent, known_source="hospital",
                    occurred_at=T0 - timedelta(minutes=30), unit_learned_at=None)  # fmt: skip
    frozen.move_to(T0 + timedelta(minutes=5))
    actions.do_follow_up(item, actor=personas["county"], facts=facts(item), final=True)
    frozen.move_to(T0 + timedelta(minutes=31))
    assert notices.scan_incidents()["suspected"] >= 1
    assert item.events.filter(transition="suspected_concealment").count() == 1
    assert any("瞒报嫌疑" in t for t in titles(personas["county"]))
