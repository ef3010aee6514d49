"""The dual-prevention chain: register, grading, task generation with frozen time, checks that
open hazards, the missed-task rule, import/export, the notice card's QR code and the API."""

import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pypdfium2
import pytest
import time_machine
import zxingcpp
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from anlan.core.models import Notification
from anlan.core.workflow import StaleTransition
from anlan.hazards.models import Hazard, HazardState
from anlan.risks import actions, imports
from anlan.risks.models import (
    Assessment,
    ControlMeasure,
    InvestigationTask,
    RiskEvent,
    RiskObject,
    TaskState,
)
from anlan.risks.tasks import investigation_tasks
from tests.notices import titles
from tests.risks.factories import register

TZ = ZoneInfo("Asia/Shanghai")
MONDAY_9 = datetime(2026, 11, 23, 9, 0, tzinfo=TZ)


def at(*args):
    return datetime(*args, tzinfo=TZ)


@pytest.fixture
def chain(personas):
    with time_machine.travel(MONDAY_9, tick=False):
        return register(personas["ent-a"], worker=personas["worker-a"])


def test_register_grades_and_keeps_history(personas, chain):
    _obj, _unit, event, _measure = chain
    assert (event.inherent_score, event.inherent_level, event.level) == (720, "major", "major")
    assert event.control_levels == ("company",)
    assert event.colour == "red"
    actions.do_assess(event, actor=personas["ent-a"], kind="residual", method="ls", l=2, s=4)
    event.refresh_from_db()
    assert (event.residual_level, event.level, event.level_rank) == ("low", "low", 1)
    assert Assessment.objects.filter(event=event).count() == 2
    assert event.history.count() >= 3  # created, graded, graded again
    from anlan.core.history import history_of

    changes = {c.field: c.new for entry in history_of(event) for c in entry.changes}
    assert changes["accident_types"] == "容器爆炸、火灾"
    assert "level_rank" not in changes  # derived, not shown


def test_only_the_enterprise_manager_keeps_its_register(personas, chain):
    _obj, unit, event, _m = chain
    for name in ("worker-a", "town-a", "county", "ent-b"):
        with pytest.raises(PermissionDenied):
            actions.do_assess(event, actor=personas[name], kind="inherent", method="ls", l=1, s=1)
    with pytest.raises(ValidationError):
        actions.do_assess(
            event, actor=personas["ent-a"], kind="inherent", method="lec", l=5, e=6, c=15
        )


def test_register_pages(personas, chain, client_for):
    obj, unit, event, measure = chain
    ent = personas["ent-a"].enterprise
    page = client_for("ent-a").get(reverse("risks:enterprise", args=[ent.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "合成车间" in html and "重大风险" in html and 'data-level="major"' in html
    # The town sees the register but cannot change it; another enterprise sees nothing.
    assert client_for("town-a").get(reverse("risks:enterprise", args=[ent.pk])).status_code == 200
    assert (
        client_for("town-a").get(reverse("risks:edit", args=["event", event.pk])).status_code == 403
    )
    assert client_for("ent-b").get(reverse("risks:event", args=[event.pk])).status_code == 404
    # Grading through the page, with a wrong value first.
    client = client_for("ent-a")
    bad = client.post(reverse("risks:assess", args=[event.pk]),
                      {"kind": "residual", "method": "lec", "lec_l": "1", "lec_e": "6"})  # fmt: skip
    assert bad.status_code == 400 and "所选方法需要此项" in bad.content.decode()
    good = client.post(reverse("risks:assess", args=[event.pk]),
                       {"kind": "residual", "method": "lec", "lec_l": "1", "lec_e": "6", "lec_c": "15"})  # fmt: skip
    assert good.status_code == 302
    page = client.get(reverse("risks:event", args=[event.pk])).content.decode()
    assert "L=3 E=6 C=40 = <strong>720</strong>" in page and "E+" not in page
    event.refresh_from_db()
    assert (event.residual_score, event.level) == (90, "general")
    # A general risk is controlled at workshop and team level: both people are required.
    edit = client.post(reverse("risks:edit", args=["event", event.pk]),
                       {"name": event.name, "factor_kind": "material", "factor": event.factor,
                        "accident_types": ["fire"], "workshop_person": "李主任"})  # fmt: skip
    assert edit.status_code == 200 and "此级别的风险必须填写" in edit.content.decode()
    # Adding a measure through the page: the responsible person must be of this enterprise.
    add = client.post(reverse("risks:create", args=["measure", event.pk]),
                      {"kind": "management", "description": "每日巡检", "frequency": "weekly",
                       "responsible": personas["town-a"].pk})  # fmt: skip
    assert add.status_code == 200 and ControlMeasure.objects.filter(event=event).count() == 1
    add = client.post(reverse("risks:create", args=["measure", event.pk]),
                      {"kind": "management", "description": "每日巡检", "frequency": "weekly",
                       "responsible": personas["worker-a"].pk})  # fmt: skip
    assert add.status_code == 302 and ControlMeasure.objects.filter(event=event).count() == 2
    # Archiving needs a reason and hides the record from the register, never deletes it.
    client.post(reverse("risks:archive", args=["object", obj.pk]), {"reason": "设备已拆除"})
    assert RiskObject.objects.get(pk=obj.pk).archive_reason == "设备已拆除"


@pytest.mark.parametrize(
    ("frequency", "until", "expected", "first"),
    [
        # created Monday 09:00; the job runs at `until`: one task per window so far, starting
        # with the current window when at least half of it remains, else the next
        ("shift", at(2026, 11, 23, 9, 5), 1, at(2026, 11, 23, 8)),  # 08–16
        ("shift", at(2026, 11, 24, 9, 0), 4, at(2026, 11, 23, 8)),  # 08–16, 16–24, 00–08, 08–16
        ("daily", at(2026, 11, 25, 23, 0), 3, at(2026, 11, 23)),
        ("weekly", at(2026, 12, 7, 10, 0), 3, at(2026, 11, 23)),  # weeks of 23 Nov, 30 Nov, 7 Dec
        ("monthly", at(2027, 1, 31, 10, 0), 2, at(2026, 12, 1)),  # 7 of 30 days left: Dec, Jan
        ("quarterly", at(2027, 4, 1, 0, 0), 2, at(2027, 1, 1)),  # Q4 mostly gone: Q1, Q2
    ],
)
def test_tasks_are_generated_per_window(personas, frequency, until, expected, first):
    with time_machine.travel(MONDAY_9, tick=False):
        *_rest, measure = register(personas["ent-a"], worker=personas["worker-a"],
                                   frequency=frequency)  # fmt: skip
    with time_machine.travel(until, tick=False):
        investigation_tasks()
        again = investigation_tasks()  # a second run creates nothing
    tasks = list(measure.tasks.order_by("window_start"))
    assert len(tasks) == expected and again["created"] == 0
    assert tasks[0].window_start == first
    assert all(a.window_end == b.window_start for a, b in zip(tasks, tasks[1:], strict=False))
    assert all(t.assignee == personas["worker-a"] for t in tasks)
    assert tasks[-1].state == TaskState.OPEN  # the current window
    assert all(t.state == TaskState.MISSED for t in tasks[:-1])  # nobody checked before
    measure.refresh_from_db()
    assert measure.scheduled_until == tasks[-1].window_end


def test_a_new_frequency_starts_a_new_schedule(personas, chain):
    *_rest, measure = chain  # daily, created Monday 09:00
    with time_machine.travel(at(2026, 11, 23, 10), tick=False):
        investigation_tasks()
    with time_machine.travel(at(2026, 11, 23, 11), tick=False):
        measure.frequency = "shift"
        actions.do_save(measure, actor=personas["ent-a"])
        investigation_tasks()
    states = dict(measure.tasks.values_list("frequency", "state"))
    assert states == {"daily": "cancelled", "shift": "open"}  # 08–16 shift has 5 of 8 hours left
    with time_machine.travel(at(2026, 11, 23, 12), tick=False):
        measure.responsible = personas["ent-a"]
        actions.do_save(measure, actor=personas["ent-a"])
    assert measure.tasks.get(state="open").assignee == personas["ent-a"]


def test_tasks_of_an_owner_who_left_go_to_the_safety_manager(personas, chain):
    *_rest, measure = chain
    worker = personas["worker-a"]
    worker.is_active = False
    worker.save()
    with time_machine.travel(at(2026, 11, 23, 10), tick=False):
        investigation_tasks()
    assert measure.tasks.get().assignee == personas["ent-a"]


def test_archiving_archives_what_hangs_below_and_cancels_open_checks(personas, chain, client_for):
    obj, unit, event, measure = chain
    with time_machine.travel(at(2026, 11, 23, 10), tick=False):
        investigation_tasks()
        actions.do_archive(obj, actor=personas["ent-a"], reason="装置已拆除")
        assert investigation_tasks() == {"created": 0, "missed_measures": 0, "warned": 0}
    for record in (unit, event, measure):
        record.refresh_from_db()
        assert record.archive_reason == "装置已拆除"
    assert measure.tasks.get().state == "cancelled"
    town = client_for("town-a")
    assert town.get(reverse("risks:overview")).context["levels"]["totals"]["major"] == 0
    assert client_for("ent-a").get(f"/r/{unit.public_token}/").status_code == 404


def test_residual_risk_cannot_exceed_inherent(personas, chain):
    event = chain[2]  # inherent 720, major
    actions.do_assess(event, actor=personas["ent-a"], kind="residual", method="ls", l=3, s=3)
    with pytest.raises(ValidationError):  # lowering the inherent grade below the residual one
        actions.do_assess(event, actor=personas["ent-a"], kind="inherent", method="ls", l=1, s=2)


def test_archived_measures_get_no_new_tasks(personas, chain):
    *_rest, measure = chain
    actions.do_archive(measure, actor=personas["ent-a"], reason="工艺变更")
    with time_machine.travel(at(2026, 11, 25, 9), tick=False):
        assert investigation_tasks()["created"] == 0


def test_a_failed_item_opens_a_hazard_in_the_towns_ledger(
    personas, chain, client_for, django_capture_on_commit_callbacks
):
    *_rest, event, measure = chain
    with (
        time_machine.travel(at(2026, 11, 23, 10), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        investigation_tasks()
        task = measure.tasks.get()
        actions.do_complete_task(task, actor=personas["worker-a"], results=[
            actions.ItemResult(ok=True),
            actions.ItemResult(ok=False, note="压力表超过检定有效期"),
        ])  # fmt: skip
        with pytest.raises(StaleTransition):  # a second submission of the same check
            actions.do_complete_task(task, actor=personas["worker-a"],
                                     results=[actions.ItemResult(ok=True)] * 2)  # fmt: skip
    task.refresh_from_db()
    assert (task.state, task.passed, task.done_by) == ("done", False, personas["worker-a"])
    failed = task.results.get(ok=False)
    hazard = failed.hazard
    assert hazard.state == HazardState.REPORTED and hazard.enterprise_id == task.enterprise_id
    assert "压力表在检定期内" in hazard.description and "压力表超过检定有效期" in hazard.description
    assert task.results.get(ok=True).hazard is None
    ledger = client_for("town-a").get(reverse("hazards:list"))
    assert hazard in ledger.context["page"].object_list
    detail = client_for("town-a").get(reverse("hazards:detail", args=[hazard.pk]))
    assert event.name in detail.content.decode()  # linked back to the risk event
    assert Notification.objects.filter(
        recipient=personas["town-a"], url__endswith=f"/{hazard.pk}/"
    ).exists()


def test_checks_are_done_within_their_window_by_the_assignee(personas, chain):
    *_rest, measure = chain
    with time_machine.travel(at(2026, 11, 23, 10), tick=False):
        investigation_tasks()
    task = measure.tasks.get()
    ok = [actions.ItemResult(ok=True)] * 2
    with pytest.raises(PermissionDenied):
        actions.do_complete_task(task, actor=personas["town-a"], results=ok)
    with pytest.raises(ValidationError):  # a failed item needs a finding
        actions.do_complete_task(task, actor=personas["worker-a"], results=[
            actions.ItemResult(ok=True), actions.ItemResult(ok=False)], now=at(2026, 11, 23, 11))  # fmt: skip
    with pytest.raises(StaleTransition):  # after its window: it is missed, not late-done
        actions.do_complete_task(task, actor=personas["worker-a"], results=ok, now=at(2026, 11, 25))
    assert Hazard.objects.filter(enterprise=task.enterprise).count() == 0


def test_repeated_misses_notify_the_town_once_per_streak(personas, settings, chain):
    settings.ANLAN_RISK_MISSED_ALERT = 3
    *_rest, measure = chain  # daily, created Monday 09:00
    town = personas["town-a"]

    def warnings():
        return len([t for t in titles(town) if t.startswith("排查任务连续未完成")])

    with time_machine.travel(at(2026, 11, 25, 12), tick=False):  # Mon, Tue missed; Wed open
        investigation_tasks()
    assert warnings() == 0
    with time_machine.travel(at(2026, 11, 26, 12), tick=False):  # Wed missed: third in a row
        investigation_tasks()
        investigation_tasks()
    assert warnings() == 1
    with time_machine.travel(at(2026, 11, 27, 12), tick=False):  # the streak goes on: no repeat
        investigation_tasks()
    assert warnings() == 1
    open_task = measure.tasks.get(state=TaskState.OPEN)
    actions.do_complete_task(open_task, actor=personas["worker-a"],
                             results=[actions.ItemResult(ok=True)] * 2, now=at(2026, 11, 27, 13))  # fmt: skip
    with time_machine.travel(at(2026, 12, 1, 12), tick=False):  # Sat, Sun, Mon missed: new streak
        investigation_tasks()
    assert warnings() == 2
    assert not [t for t in titles(personas["town-b"]) if t.startswith("排查任务连续未完成")]


def _xlsx(rows, headers=None) -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    ws.append(headers or [c.header for c in imports.COLUMNS])
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile("register.xlsx", buffer.getvalue())


def test_import_is_all_or_nothing_and_round_trips(personas, client_for):
    manager = personas["ent-a"]
    good = list(imports.EXAMPLE_ROWS[0])
    good[20] = personas["worker-a"].username
    second = list(good)
    second[18], second[19], second[21] = "每班巡检压力表", "", "每天"
    bad = list(good)
    bad[4], bad[7], bad[9], bad[20] = "另一个事件", "爆炸了", 7, "nobody"
    worse = list(good)
    r = [c.field for c in imports.COLUMNS].index("r_method")
    worse[4], worse[r : r + 5] = "残余更高的事件", ["LS", 5, "", "", 5]  # residual 25 > 270 larger
    response = client_for("ent-a").post(
        reverse("risks:import", args=[manager.enterprise_id]),
        {"file": _xlsx([good, second, bad, worse])},
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "第 4 行 可能导致的事故类型：不是 GB 6441 的事故类型：爆炸了" in text
    assert "本企业没有账号“nobody”" in text and "取值不在评价表中" in text
    assert "第 5 行 剩余风险评价方法：剩余风险不能高于固有风险" in text
    assert "第 2 行" not in text and "第 3 行" not in text
    assert not RiskObject.objects.filter(enterprise=manager.enterprise).exists()

    response = client_for("ent-a").post(
        reverse("risks:import", args=[manager.enterprise_id]), {"file": _xlsx([good, second])}
    )
    assert response.status_code == 302
    event = RiskEvent.objects.get(enterprise=manager.enterprise)
    assert (event.inherent_level, event.inherent_score) == ("larger", 270)  # LEC 3 × 6 × 15
    assert (event.residual_level, event.residual_score, event.level) == ("general", 90, "general")
    assert event.accident_types == ["vessel_explosion", "fire"]
    assert (event.company_person, event.workshop_person) == ("张厂长", "李主任")
    assert event.measures.count() == 2
    assert event.measures.get(description="每班巡检压力表").frequency == "daily"

    exported = client_for("ent-a").get(reverse("risks:export", args=[manager.enterprise_id]))
    rows = list(load_workbook(io.BytesIO(exported.content)).worksheets[0].values)
    assert len(rows) == 3 and rows[1][4] == "反应釜超温超压"
    # Importing the export again adds nothing (matched by name), and is accepted.
    body = rows[1:]
    again = client_for("ent-a").post(
        reverse("risks:import", args=[manager.enterprise_id]),
        {"file": _xlsx([list(r[: len(imports.COLUMNS)]) for r in body])},
    )
    assert again.status_code == 302
    assert ControlMeasure.objects.filter(enterprise=manager.enterprise).count() == 2
    assert Assessment.objects.filter(event=event).count() == 2  # inherent and residual, once
    # A corrected export updates what it names (with history), and regrades when L, E, C change.
    corrected = [list(r[: len(imports.COLUMNS)]) for r in body]
    for row in corrected:
        row[3], row[6], row[9] = "合成二车间", "温度联锁、压力联锁失效", 6  # area, factor, L
    row[21] = "每周"  # the second measure: weekly
    fixed = client_for("ent-a").post(
        reverse("risks:import", args=[manager.enterprise_id]), {"file": _xlsx(corrected)}
    )
    assert fixed.status_code == 302
    event.refresh_from_db()
    assert (event.factor, event.unit.area, event.inherent_level) == (
        "温度联锁、压力联锁失效",
        "合成二车间",
        "major",
    )
    assert event.measures.get(description="每班巡检压力表").frequency == "weekly"
    assert event.history.first().history_change_reason in ("Excel 导入更新", "风险评价：重大风险")
    # The town may export but not import.
    assert (
        client_for("town-a").get(reverse("risks:export", args=[manager.enterprise_id])).status_code
        == 200
    )
    assert (
        client_for("town-a").get(reverse("risks:import", args=[manager.enterprise_id])).status_code
        == 403
    )


def test_the_risk_card_prints_a_qr_code_that_opens_its_public_page(personas, chain, client_for):
    _obj, unit, _event, _measure = chain
    response = client_for("town-a").get(reverse("risks:card_pdf", args=[unit.pk]))
    assert response["Content-Type"] == "application/pdf"
    page = pypdfium2.PdfDocument(response.content)[0]
    image = page.render(scale=3).to_pil()
    codes = zxingcpp.read_barcodes(image)
    assert len(codes) == 1
    url = codes[0].text
    assert url == f"http://testserver/r/{unit.public_token}/"
    text = page.get_textpage().get_text_range()
    assert "安全风险告知卡" in text and "反应釜超温超压" in text and "火警 119" in text
    from django.test import Client

    public = Client().get(url.removeprefix("http://testserver"))  # nobody logged in
    assert public.status_code == 200
    html = public.content.decode()
    assert "1号反应釜" in html and "温度压力联锁完好投用" in html and "立即停止进料" in html
    assert "张厂长" not in html  # people's names stay off the public page
    assert Client().get("/r/not-a-token/").status_code == 404


def test_the_qr_code_uses_the_public_address_when_set(personas, chain, client_for, settings):
    settings.ANLAN_PUBLIC_URL = "https://anlan.example.gov.cn/"
    unit = chain[1]
    response = client_for("ent-a").get(reverse("risks:card_pdf", args=[unit.pk]))
    image = pypdfium2.PdfDocument(response.content)[0].render(scale=3).to_pil()
    assert zxingcpp.read_barcodes(image)[0].text == (
        f"https://anlan.example.gov.cn/r/{unit.public_token}/"
    )


def test_government_view_and_map_follow_scope(personas, chain, client_for):
    ent = personas["ent-a"].enterprise
    with time_machine.travel(at(2026, 11, 26, 12), tick=False):
        investigation_tasks()
        overview = client_for("town-a").get(reverse("risks:overview"))
        mine = [r for r in overview.context["effectiveness"] if r["enterprise_id"] == ent.pk]
    assert mine and (mine[0]["due"], mine[0]["missed"], mine[0]["done"]) == (3, 3, 0)
    assert overview.context["levels"]["totals"]["major"] == 1
    assert [e.pk for e in overview.context["major"]] == [chain[2].pk]
    other = client_for("town-b").get(reverse("risks:overview"))
    assert other.context["levels"]["totals"]["major"] == 0 and not other.context["major"]
    points = client_for("town-a").get(reverse("risks:map_data")).json()["points"]
    assert {p["id"]: p["level"] for p in points}[ent.pk] == "major"
    assert all(p["region"].startswith("990102002") for p in points)
    assert ent.pk not in {
        p["id"] for p in client_for("town-b").get(reverse("risks:map_data")).json()["points"]
    }
    majors = (
        client_for("county").get(reverse("risks:map_data"), {"level": "major"}).json()["points"]
    )
    assert [p["id"] for p in majors] == [ent.pk]


@time_machine.travel(MONDAY_9, tick=False)  # early in a shift: its check is owed at once
def test_api_builds_grades_and_checks(personas, client_for):
    client = client_for("ent-a")
    ent = personas["ent-a"].enterprise_id
    obj = client.post("/api/v1/risks/objects", {"enterprise": ent, "kind": "site", "name": "配电房"},
                      content_type="application/json")  # fmt: skip
    assert obj.status_code == 201, obj.content
    unit = client.post("/api/v1/risks/units", {"risk_object": obj.json()["id"], "name": "低压配电室",
                       "area": "动力区"}, content_type="application/json")  # fmt: skip
    assert unit.status_code == 201 and unit.json()["public_path"].startswith("/r/")
    event = client.post("/api/v1/risks/events", {"unit": unit.json()["id"], "name": "触电",
                        "factor_kind": "material", "factor": "带电部位裸露",
                        "accident_types": ["electric_shock", "bogus"]}, content_type="application/json")  # fmt: skip
    assert event.status_code == 422 and "accident_types" in event.json()["error"]["fields"]
    event = client.post("/api/v1/risks/events", {"unit": unit.json()["id"], "name": "触电",
                        "factor_kind": "material", "factor": "带电部位裸露",
                        "accident_types": ["electric_shock"]}, content_type="application/json")  # fmt: skip
    event_id = event.json()["id"]
    bad = client.post(f"/api/v1/risks/events/{event_id}/assessments",
                      {"kind": "inherent", "method": "ls", "l": 6, "s": 1}, content_type="application/json")  # fmt: skip
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "validation_error"
    graded = client.post(f"/api/v1/risks/events/{event_id}/assessments",
                         {"kind": "inherent", "method": "ls", "l": 4, "s": 5}, content_type="application/json")  # fmt: skip
    assert graded.status_code == 201 and graded.json()["level"] == "major"
    assert (graded.json()["score"], graded.json()["l"]) == (20, 4)
    assert client.get(f"/api/v1/risks/events/{event_id}").json()["colour"] == "red"
    measure = client.post("/api/v1/risks/measures", {"event": event_id, "kind": "management",
                          "description": "配电房巡检", "check_items": ["门锁闭", "绝缘垫完好"],
                          "responsible": personas["worker-a"].pk, "frequency": "shift"},
                          content_type="application/json")  # fmt: skip
    assert measure.status_code == 201 and measure.json()["check_items"] == ["门锁闭", "绝缘垫完好"]
    # The town reads but does not write; another enterprise does not even see.
    town = client_for("town-a")
    assert town.get(f"/api/v1/risks/events/{event_id}").status_code == 200
    assert town.post(f"/api/v1/risks/events/{event_id}/assessments",
                     {"kind": "inherent", "method": "ls", "l": 1, "s": 1},
                     content_type="application/json").status_code == 403  # fmt: skip
    assert client_for("ent-b").get(f"/api/v1/risks/events/{event_id}").status_code == 404
    investigation_tasks()
    worker = client_for("worker-a")
    tasks = worker.get("/api/v1/risks/tasks?state=open&mine=true").json()["items"]
    assert len(tasks) == 1 and tasks[0]["items"] == ["门锁闭", "绝缘垫完好"]
    done = worker.post(f"/api/v1/risks/tasks/{tasks[0]['id']}/complete",
                       {"results": [{"ok": True}, {"ok": False, "note": "绝缘垫破损"}]},
                       content_type="application/json")  # fmt: skip
    assert done.status_code == 200, done.content
    hazard_id = done.json()["results"][1]["hazard"]
    assert Hazard.objects.get(pk=hazard_id).enterprise_id == ent
    again = worker.post(f"/api/v1/risks/tasks/{tasks[0]['id']}/complete",
                        {"results": [{"ok": True}, {"ok": True}]}, content_type="application/json")  # fmt: skip
    assert again.status_code == 409
    assert worker.get("/api/v1/risks/tasks?enterprise=99999999999").status_code == 422
    levels = client_for("county").get("/api/v1/risks/enterprises?level=major").json()
    assert [e["id"] for e in levels] == [ent]
    # Changing and archiving through the API: only the fields sent change; archiving cascades.
    changed = client.patch(f"/api/v1/risks/measures/{measure.json()['id']}",
                           {"frequency": "daily"}, content_type="application/json")  # fmt: skip
    assert changed.status_code == 200 and changed.json()["frequency"] == "daily"
    assert changed.json()["check_items"] == ["门锁闭", "绝缘垫完好"]
    assert town.patch(f"/api/v1/risks/events/{event_id}", {"name": "x"},
                      content_type="application/json").status_code == 403  # fmt: skip
    bad = client.patch(f"/api/v1/risks/events/{event_id}", {"factor_kind": "nonsense"},
                       content_type="application/json")  # fmt: skip
    assert bad.status_code == 422 and "factor_kind" in bad.json()["error"]["fields"]
    no_reason = client.post(f"/api/v1/risks/units/{unit.json()['id']}/archive", {"reason": " "},
                            content_type="application/json")  # fmt: skip
    assert no_reason.status_code == 422
    archived = client.post(f"/api/v1/risks/units/{unit.json()['id']}/archive",
                           {"reason": "配电室改造"}, content_type="application/json")  # fmt: skip
    assert archived.status_code == 200 and archived.json()["archived"] is True
    assert client.get(f"/api/v1/risks/events/{event_id}").json()["archived"] is True
    assert worker.get("/risks/tasks/?enterprise=99999999999").status_code == 200


def test_tasks_with_the_embedded_runner(personas, chain, settings):
    """The periodic job is registered for both runners (core.jobs)."""
    from anlan.core.jobs import PERIODIC, run_periodic

    assert "risks.investigation_tasks" in PERIODIC
    with time_machine.travel(at(2026, 11, 23, 10), tick=False):
        result = run_periodic()
    assert result["risks.investigation_tasks"]["created"] == 1
    assert InvestigationTask.objects.filter(measure=chain[3]).count() == 1


def test_windows_in_the_past_are_missed_after_a_pause(personas, chain):
    """If the job did not run for days, every window in between still gets its task and the
    ones that passed count as missed: nobody checked."""
    *_rest, measure = chain
    with time_machine.travel(MONDAY_9 + timedelta(days=5), tick=False):
        investigation_tasks()
    states = list(measure.tasks.order_by("window_start").values_list("state", flat=True))
    assert states == ["missed"] * 5 + ["open"]
