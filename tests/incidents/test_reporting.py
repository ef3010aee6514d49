"""The reporting chain with frozen time: deadlines, escalation, regrading, concealment."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from anlan.core.models import Notification
from anlan.core.workflow import StaleTransition
from anlan.incidents import actions
from anlan.incidents.models import Incident, IncidentReport
from tests import notices
from tests.incidents.factories import facts, incident

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def frozen():
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


titles = notices.titles


def step(item, level):
    return item.steps.get(from_level=level)


def test_first_report_starts_the_chain(personas, frozen, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        item = incident(personas["ent-a"])
    assert item.grade == "general"
    unit = step(item, "unit")
    assert unit.due_at == T0 - timedelta(minutes=10) + timedelta(hours=1)
    assert unit.reported_at == T0 and unit.status().timeliness == "on_time"
    county = step(item, "county")
    assert (county.to_level, county.due_at, county.reported_at) == (
        "city",
        T0 + timedelta(hours=2),
        None,
    )
    assert not item.steps.filter(from_level="city").exists()  # a general accident stops at the city
    assert county.status(T0 + timedelta(minutes=30)).minutes == 90
    assert any("新事故信息" in t for t in titles(personas["county"]))
    assert not titles(personas["city"])
    report = IncidentReport.objects.get(incident=item)
    assert (report.kind, report.from_level, report.to_level, report.deaths) == (
        "first",
        "unit",
        "county",
        1,
    )


def test_late_report_escalates_once(personas, frozen):
    item = incident(personas["ent-a"])
    frozen.move_to(T0 + timedelta(hours=1, minutes=50))
    assert notices.scan_incidents()["due_soon"] == 1
    assert any("即将到期" in t for t in titles(personas["county"]))
    frozen.move_to(T0 + timedelta(hours=2, minutes=1))
    first = notices.scan_incidents()
    second = notices.scan_incidents()
    assert first["late"] >= 2 and second["late"] == 0  # the county and the city, once
    assert any("已超时" in t for t in titles(personas["county"]))
    assert any("已超时" in t for t in titles(personas["city"]))
    county = step(item, "county")
    assert county.status().timeliness == "late" and county.status().minutes == 1
    actions.do_forward(item, actor=personas["county"], note="电话报市应急局")
    county.refresh_from_db()
    assert county.reported_at == T0 + timedelta(hours=2, minutes=1)
    assert county.status().timeliness == "late"  # 迟报 stays on the record


def test_an_extra_death_regrades_and_tells_the_city(
    personas, frozen, django_capture_on_commit_callbacks
):
    item = incident(personas["ent-a"], deaths=2)
    frozen.move_to(T0 + timedelta(minutes=40))
    actions.do_forward(item, actor=personas["county"])
    assert not item.steps.filter(from_level="city").exists()
    frozen.move_to(T0 + timedelta(hours=3))
    with django_capture_on_commit_callbacks(execute=True):
        report = actions.do_follow_up(item, actor=personas["ent-a"], facts=facts(item, deaths=3),
                                      note="一名重伤员经抢救无效死亡")  # fmt: skip
    item.refresh_from_db()
    assert (item.grade, report.kind, report.grade) == ("larger", "supplement", "larger")
    city = step(item, "city")  # a larger accident goes up to the province
    assert (city.to_level, city.due_at) == ("province", T0 + timedelta(hours=5))
    assert any("事故等级变化" in t for t in titles(personas["city"]))
    assert item.events.filter(transition="supplement", data__grade=["general", "larger"]).exists()
    actions.do_forward(item, actor=personas["city"], note="已报省应急管理厅")
    assert step(item, "city").reported_at == T0 + timedelta(hours=3)
    with pytest.raises(StaleTransition):
        actions.do_forward(item, actor=personas["city"])


def test_who_acts_at_which_level(personas, frozen):
    item = incident(personas["ent-a"])
    with pytest.raises(PermissionDenied):  # a town does not report an enterprise's accident up
        actions.do_forward(item, actor=personas["town-a"])
    with pytest.raises(PermissionDenied):  # the city acts after the county
        actions.do_forward(item, actor=personas["ent-a"])
    with pytest.raises(PermissionDenied):
        actions.do_follow_up(item, actor=personas["worker-a"], facts=facts(item))
    with pytest.raises(ValidationError):  # the city's step does not exist for a general accident
        actions.do_forward(item, actor=personas["city"])


def test_supplementary_window_counts_local_calendar_days_then_corrections(personas, frozen):
    """Art. 13: 7 days for road traffic, 30 for others, counted in calendar days in local time
    (the day after the accident is day 1, the last day ends at 24:00); a casualty change after
    that is recorded as a correction, not refused."""
    late_evening = datetime(2026, 11, 23, 23, 50, tzinfo=ZoneInfo("Asia/Shanghai"))
    frozen.move_to(late_evening + timedelta(minutes=20))
    item = incident(personas["town-a"], region_id="990102002001", kind="road_traffic",
                    title="县道货车侧翻", deaths=0, occurred_at=late_evening,
                    unit_learned_at=late_evening)  # fmt: skip
    assert item.enterprise_id is None and step(item, "unit").reported_by == personas["town-a"]
    # 30 November 23:59 local is the 7th day (an instant count would have ended at 23:50).
    frozen.move_to(datetime(2026, 11, 30, 23, 59, tzinfo=ZoneInfo("Asia/Shanghai")))
    report = actions.do_follow_up(item, actor=personas["town-a"], facts=facts(item, deaths=1))
    assert report.kind == "supplement"
    frozen.move_to(datetime(2026, 12, 1, 0, 1, tzinfo=ZoneInfo("Asia/Shanghai")))
    report = actions.do_follow_up(item, actor=personas["town-a"],
                                  facts=facts(item, deaths=2), note="伤者抢救无效")  # fmt: skip
    assert report.kind == "correction" and report.deaths == 2
    item.refresh_from_db()
    assert item.deaths == 2
    assert item.events.filter(transition="correction", data__changes__deaths=[1, 2]).exists()
    report = actions.do_follow_up(item, actor=personas["town-a"],
                                  facts=facts(item, measures_taken="道路已恢复通行"))  # fmt: skip
    assert report.kind == "follow_up"
    frozen.move_to(T0)
    production = incident(personas["ent-a"])
    frozen.move_to(T0 + timedelta(days=30, hours=14, minutes=59))  # 23 December 23:59
    assert actions.do_follow_up(production, actor=personas["ent-a"],
                                facts=facts(production, deaths=2)).kind == "supplement"  # fmt: skip


def test_final_report_closes_the_chain(personas, frozen):
    item = incident(personas["ent-a"])
    report = actions.do_follow_up(item, actor=personas["county"], facts=facts(item), final=True)
    item.refresh_from_db()
    assert (report.kind, item.state, item.final_at) == ("final", "final", T0)
    with pytest.raises(StaleTransition):
        actions.do_follow_up(item, actor=personas["ent-a"], facts=facts(item))


def test_known_first_from_a_tip_off_flags_concealment(
    personas, frozen, django_capture_on_commit_callbacks
):
    ent = personas["ent-a"].enterprise
    item = incident(personas["county"], enterprise=ent, known_source="tip_off",
                    occurred_at=T0 - timedelta(minutes=30), unit_learned_at=None)  # fmt: skip
    assert item.unit_reported_at is None and step(item, "unit").reported_at is None
    assert item.concealment() == ""  # the unit's hour has not passed
    frozen.move_to(T0 + timedelta(minutes=31))
    assert notices.scan_incidents()["suspected"] >= 1
    notices.scan_incidents()
    item.refresh_from_db()
    assert item.concealment() == "suspected"
    assert item.events.filter(transition="suspected_concealment").count() == 1
    assert sum("瞒报嫌疑" in t for t in titles(personas["county"])) == 1
    frozen.move_to(T0 + timedelta(hours=2))
    with django_capture_on_commit_callbacks(execute=True):
        actions.do_unit_report(item, actor=personas["ent-a"], facts=facts(item, deaths=1),
                               learned_at=T0 - timedelta(minutes=30))  # fmt: skip
    item.refresh_from_db()
    unit = step(item, "unit")
    assert unit.status().timeliness == "late" and item.concealment() == "late"
    with pytest.raises(StaleTransition):
        actions.do_unit_report(item, actor=personas["ent-a"], facts=facts(item), learned_at=T0)


def test_pages_show_countdown_and_forms(personas, frozen, client_for):
    item = incident(personas["ent-a"])
    county = client_for("county")
    frozen.move_to(T0 + timedelta(minutes=30))
    page = county.get(reverse("incidents:detail", args=[item.pk])).content.decode()
    assert "还有 90 分钟" in page and 'data-testid="forward-form"' in page
    listing = county.get(reverse("incidents:list")).content.decode()
    assert item.number in listing and "还有 90 分钟" in listing
    response = county.post(reverse("incidents:forward", args=[item.pk]), {"note": "已电话报告"})
    assert response.status_code == 302
    bad = client_for("ent-a").post(reverse("incidents:follow_up", args=[item.pk]), {"deaths": "-1"})
    assert bad.status_code == 400
    pdf = county.get(reverse("incidents:pdf", args=[item.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert client_for("ent-b").get(reverse("incidents:detail", args=[item.pk])).status_code == 404


def test_new_incident_form(personas, client_for, frozen):
    client = client_for("ent-a")
    response = client.post(reverse("incidents:new"), {
        "kind": "production", "title": "仓库火灾", "occurred_at": "2026-11-23T08:30",
        "unit_learned_at": "2026-11-23T08:40", "known_source": "unit",
        "enterprise": personas["ent-a"].enterprise_id, "location": "仓库", "deaths": 0,
        "missing": 0, "serious_injuries": 0, "minor_injuries": 2, "trapped": 0,
        "direct_loss_yuan": "200000", "description": "电气短路起火", "reporter_name": "王强",
        "reporter_phone": "13800000001",
    })  # fmt: skip
    assert response.status_code == 302, response.content.decode()[-2000:]
    bad = client.post(reverse("incidents:new"), {"kind": "production", "title": "x",
                      "occurred_at": "2027-01-01T00:00", "known_source": "tip_off"})  # fmt: skip
    assert bad.status_code == 400 and "不能是将来的时间" in bad.content.decode()


def test_api(personas, client_for, frozen):
    client = client_for("ent-a")
    body = {"kind": "production", "title": "反应釜爆炸", "occurred_at": "2026-11-23T08:30:00+08:00",
            "unit_learned_at": "2026-11-23T08:35:00+08:00", "enterprise": personas["ent-a"].enterprise_id,
            "location": "合成车间", "deaths": 2, "serious_injuries": 4, "direct_loss_yuan": 3000000,
            "description": "反应釜超压爆炸", "reporter_name": "王强", "reporter_phone": "13800000001"}  # fmt: skip
    created = client.post("/api/v1/incidents/", body, content_type="application/json")
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["grade"] == "general"
    assert [(s["from_level"], s["timeliness"]) for s in data["steps"]] == [
        ("unit", "on_time"),
        ("county", "due"),
    ]
    follow = client.post(f"/api/v1/incidents/{data['id']}/follow-up",
                         {"deaths": 3, "missing": 0, "serious_injuries": 4, "minor_injuries": 0,
                          "trapped": 0, "direct_loss_yuan": 3000000, "description": "一人抢救无效死亡"},
                         content_type="application/json")  # fmt: skip
    assert follow.status_code == 200 and follow.json()["grade"] == "larger"
    assert [r["kind"] for r in follow.json()["reports"]] == ["first", "supplement"]
    forwarded = client_for("county").post(f"/api/v1/incidents/{data['id']}/forward", {"note": ""},
                                          content_type="application/json")  # fmt: skip
    assert forwarded.status_code == 200
    assert [s["from_level"] for s in forwarded.json()["steps"]] == ["unit", "county", "city"]
    again = client_for("county").post(f"/api/v1/incidents/{data['id']}/forward", {},
                                      content_type="application/json")  # fmt: skip
    assert again.status_code == 409
    assert client_for("ent-b").get(f"/api/v1/incidents/{data['id']}").status_code == 404
    bad = client.post("/api/v1/incidents/", body | {"deaths": -1}, content_type="application/json")
    assert bad.status_code == 422 and "deaths" in bad.json()["error"]["fields"]
    stats = (
        client_for("county").get("/api/v1/incidents/stats?start=2026-01-01&end=2026-12-31").json()
    )
    assert stats["totals"]["n"] == 1
    assert {r["key"]: r["now"] for r in stats["by_grade"]}["larger"] == 1


def test_the_people_on_duty_are_told(personas, django_capture_on_commit_callbacks):
    """With a published roster, the county's officer and leader on duty get the incident, not
    every member of the bureau."""
    from tests.duty.factories import roster, shift_at

    made = roster(personas["county"])
    shift = shift_at(made, T0)
    with time_machine.travel(T0, tick=False), django_capture_on_commit_callbacks(execute=True):
        incident(personas["ent-a"])
    told = {n.recipient_id for n in Notification.objects.all() if n.title.startswith("新事故信息")}
    assert told == {shift.officer_id, shift.leader_id}


def test_the_units_own_report_raising_the_grade_widens_the_chain(
    personas, frozen, django_capture_on_commit_callbacks
):
    """A tip-off reaches the county first (one dead: 一般); the county reports to the city; then
    the unit's own late report says three are dead (较大). A 较大 accident goes up to the
    province (art. 10), so the city's step to the province starts now, as after a follow-up."""
    ent = personas["ent-a"].enterprise
    item = incident(personas["county"], enterprise=ent, known_source="tip_off",
                    occurred_at=T0 - timedelta(minutes=30), unit_learned_at=None)  # fmt: skip
    assert item.grade == "general"
    frozen.move_to(T0 + timedelta(minutes=40))
    actions.do_forward(item, actor=personas["county"], note="电话报市应急局")
    assert not item.steps.filter(from_level="city").exists()
    frozen.move_to(T0 + timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        actions.do_unit_report(item, actor=personas["ent-a"], facts=facts(item, deaths=3),
                               learned_at=T0 - timedelta(minutes=25))  # fmt: skip
    item.refresh_from_db()
    assert item.grade == "larger"
    city = step(item, "city")
    assert (city.to_level, city.due_at) == ("province", T0 + timedelta(hours=3))
    assert any("事故等级变化" in t for t in titles(personas["city"]))
    actions.do_forward(item, actor=personas["city"], note="已报省应急管理厅")
    assert step(item, "city").reported_at == T0 + timedelta(hours=1)


def test_other_kinds_are_not_graded_and_follow_their_own_rule(personas, frozen, settings):
    """A natural disaster is not a 生产安全事故 (493号令 art. 2): five dead do not make it a
    较大事故; by default it goes to the city within the same limits, and the setting per kind
    can send it further, faster."""
    item = incident(personas["town-a"], region_id="990102002001", kind="natural_disaster",
                    title="山洪冲毁民房", deaths=5)  # fmt: skip
    assert item.grade == "ungraded"
    assert [(s.from_level, s.to_level) for s in item.steps.all()] == [
        ("unit", "county"),
        ("county", "city"),
    ]
    assert step(item, "county").due_at == T0 + timedelta(hours=2)
    settings.ANLAN_INCIDENT_OTHER_KINDS = '{"natural_disaster": {"top": "province", "county": 60}}'
    flood = incident(personas["town-a"], region_id="990102002001", kind="natural_disaster",
                     title="山洪冲毁道路", deaths=1)  # fmt: skip
    assert step(flood, "county").due_at == T0 + timedelta(hours=1)
    frozen.move_to(T0 + timedelta(minutes=30))
    actions.do_forward(flood, actor=personas["county"])
    assert step(flood, "city").due_at == T0 + timedelta(minutes=30, hours=2)
    report = actions.do_follow_up(flood, actor=personas["county"], facts=facts(flood, deaths=40))
    flood.refresh_from_db()
    assert flood.grade == report.grade == "ungraded"


def test_a_provincial_limits_table_times_each_hop_by_phone_and_in_writing(
    personas, frozen, settings
):
    """河南's example (DOMAIN.md §1): 一般 6 hours; 重大 and above 15 minutes by phone and 35 in
    writing. A regrade to 重大 tightens the open step from when the level learned of it."""
    settings.ANLAN_INCIDENT_REPORT_LIMITS = (
        '{"general": {"county": 360, "city": 360},'
        ' "major": {"county": {"phone": 15, "written": 35}, "city": {"phone": 15, "written": 35}}}'
    )
    item = incident(personas["ent-a"])
    county = step(item, "county")
    assert (county.due_at, county.written_due_at) == (T0 + timedelta(hours=6),) * 2
    assert step(item, "unit").due_at == T0 - timedelta(minutes=10) + timedelta(hours=1)
    frozen.move_to(T0 + timedelta(hours=1))
    actions.do_follow_up(item, actor=personas["ent-a"], facts=facts(item, deaths=10))
    county = step(item, "county")
    assert county.due_at == T0 + timedelta(hours=1, minutes=15)
    assert county.written_due_at == T0 + timedelta(hours=1, minutes=35)
    frozen.move_to(T0 + timedelta(hours=1, minutes=10))
    actions.do_forward(item, actor=personas["county"], note="电话报市应急局")
    city = step(item, "city")
    assert city.due_at == T0 + timedelta(hours=1, minutes=25)
    assert city.written_due_at == T0 + timedelta(hours=1, minutes=45)


def test_a_final_report_does_not_stop_the_chase_of_a_late_step(personas, frozen):
    item = incident(personas["ent-a"])
    frozen.move_to(T0 + timedelta(minutes=10))
    actions.do_follow_up(item, actor=personas["county"], facts=facts(item), final=True)
    frozen.move_to(T0 + timedelta(hours=1, minutes=50))
    assert notices.scan_incidents()["due_soon"] == 1
    frozen.move_to(T0 + timedelta(hours=2, minutes=1))
    assert notices.scan_incidents()["late"] >= 2  # the county and the city are told it is late
    assert any("已超时" in t for t in titles(personas["city"]))
    actions.do_forward(item, actor=personas["county"])
    assert step(item, "county").status().timeliness == "late"


def test_reports_carry_the_time_of_the_action_as_passed(personas, frozen):
    """A report entered later (or by a job) is dated when it was made, not by the clock."""
    made = T0 - timedelta(minutes=45)
    item = Incident(kind="production", title="叉车撞人", occurred_at=T0 - timedelta(hours=1),
                    unit_learned_at=T0 - timedelta(minutes=50), enterprise=personas["ent-a"].enterprise,
                    location="仓库", description="叉车倒车撞伤工人", reporter_name="王强",
                    reporter_phone="13800000001", serious_injuries=1)  # fmt: skip
    actions.do_create(item, actor=personas["ent-a"], now=made)
    item.refresh_from_db()
    assert item.created_at == item.known_at == made
    first = IncidentReport.objects.get(incident=item)
    assert first.submitted_at == made
    actions.do_forward(item, actor=personas["county"], now=made + timedelta(minutes=20))
    follow = actions.do_follow_up(item, actor=personas["county"], facts=facts(item),
                                  now=made + timedelta(minutes=30))  # fmt: skip
    assert [r.submitted_at for r in item.reports.order_by("pk")] == [
        made,
        made + timedelta(minutes=20),
        made + timedelta(minutes=30),
    ]
    assert follow.submitted_at == made + timedelta(minutes=30)
    assert item.events.order_by("pk").last().created_at == made + timedelta(minutes=30)
