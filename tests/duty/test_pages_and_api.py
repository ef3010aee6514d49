"""Duty pages and API as their users meet them, at a frozen time (Monday 23 November, 09:00)."""

import io
import json
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from anlan.duty.models import DutyLogEntry, Handover, Roster, Shift, Swap, SwapState
from tests.duty.factories import NOW, at, roster, rota, shift_at


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield NOW


@pytest.fixture
def county(personas):
    """The county bureau's November roster with demo-county on duty now (the 23rd)."""
    officers, leaders = rota(personas["county"])
    officers = [officers[1], officers[0], officers[2]]  # slot 22 (the 23rd) → officers[1]
    made = roster(personas["county"], officers=officers, leaders=leaders)
    assert shift_at(made, NOW).officer == personas["county"]
    return made


def api(client, method, path, body=None):
    response = client.generic(
        method, "/api/v1/duty" + path, json.dumps(body or {}), "application/json"
    )
    return response.status_code, response.json() if response.content else None


def html(response) -> str:
    return response.content.decode()


def test_board_page_shows_the_county_and_checks_in(personas, county, client_for, frozen):
    town_roster = roster(personas["town-a"])
    client = client_for("county")
    page = client.get(reverse("duty:board"))
    assert page.status_code == 200
    text = html(page)
    assert "值班在岗情况" in text and 'data-testid="check-in"' in text
    current = shift_at(county, NOW)
    assert current.leader.display_name in text and current.officer_phone in text
    names = {r.organisation.name for r in page.context["rows"]}
    assert {"清河县应急管理局", "青石镇人民政府", "白沙镇人民政府", "清河县交通运输局"} <= names
    assert "安澜市应急管理局" not in names
    response = client.post(
        reverse("duty:check_in", args=[current.pk]), {"next": reverse("duty:board")}
    )
    assert response.status_code == 302 and response["Location"] == reverse("duty:board")
    again = client.post(reverse("duty:check_in", args=[current.pk]), follow=True)
    assert "您已签到" in html(again)
    text = html(client.get(reverse("duty:board"), HTTP_HX_REQUEST="true"))
    assert "<html" not in text and 'data-testid="checked-in"' in text
    # Town B sees who is on duty in town A and the county, with phones, but not their shifts.
    other = client_for("town-b").get(reverse("duty:board"))
    a_row = next(r for r in other.context["rows"] if r.organisation.name == "青石镇人民政府")
    assert a_row.shift == shift_at(town_roster, NOW) and not a_row.in_scope
    assert reverse("duty:shift", args=[a_row.shift.pk]) not in html(other)
    assert client_for("town-b").get(reverse("duty:shift", args=[a_row.shift.pk])).status_code == 404
    assert client_for("ent-a").get(reverse("duty:board")).status_code == 403


def test_roster_pages_new_generate_publish_export(personas, client_for, frozen):
    client = client_for("town-a")
    town = personas["town-a"]
    officers, leaders = rota(town)
    form = client.get(reverse("duty:roster_new") + "?month=2026-12")
    assert form.status_code == 200 and 'value="2026-12"' in html(form)
    bad = client.post(reverse("duty:roster_new"), {"month": "2026-13", "leader_days": 1})
    assert bad.status_code == 400
    assert "请填写月份" in html(bad) and "此项为必填项" in html(bad)
    clash = client.post(reverse("duty:roster_new"), {
        "month": "2026-12", "officers": [officers[0].pk], "leaders": [officers[0].pk],
        "leader_days": 1,
    })  # fmt: skip
    assert clash.status_code == 400 and "同一人不能同时担任" in html(clash)
    assert not Roster.objects.filter(organisation=town.organisation).exists()  # all or nothing
    data = {"month": "2026-12", "officers": [o.pk for o in officers],
            "leaders": [u.pk for u in leaders], "leader_days": 7, "note": "防汛期间加强值守"}  # fmt: skip
    created = client.post(reverse("duty:roster_new"), data)
    made = Roster.objects.get(organisation=town.organisation)
    assert created.status_code == 302 and created["Location"] == made.get_absolute_url()
    again = client.post(reverse("duty:roster_new"), data)
    assert again.status_code == 400 and "已存在" in html(again)
    page = client.get(made.get_absolute_url())
    assert page.status_code == 200 and len(page.context["shifts"]) == 31
    assert 'data-testid="publish"' in html(page) and 'data-testid="rota-form"' in html(page)
    leaders_of_week = {s.leader_id for s in made.shifts.order_by("start")[:7]}
    assert len(leaders_of_week) == 1
    regenerated = client.post(
        reverse("duty:roster_generate", args=[made.pk]),
        {"officers": [o.pk for o in reversed(officers)], "leaders": [u.pk for u in leaders],
         "leader_days": 1},
    )  # fmt: skip
    assert regenerated.status_code == 302
    published = client.post(reverse("duty:roster_publish", args=[made.pk]), follow=True)
    assert "已发布" in html(published)
    made.refresh_from_db()
    assert made.is_published
    listing = client.get(reverse("duty:rosters") + "?month=2026-12")
    assert [r.pk for r in listing.context["rosters"]] == [made.pk]
    pdf = client.get(reverse("duty:roster_pdf", args=[made.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    xlsx = client.get(reverse("duty:roster_export", args=[made.pk]))
    rows = list(load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True))
    assert len(rows) == 32 and rows[0][0] == "日期"
    # Another unit's staff see the roster (same town? no: the county) but cannot change it.
    assert client_for("county").get(made.get_absolute_url()).status_code == 200
    assert (
        client_for("county").post(reverse("duty:roster_publish", args=[made.pk])).status_code == 403
    )


def test_shift_edit_page_explains_mistakes(personas, county, client_for, frozen):
    client = client_for("county")
    future = shift_at(county, at(2026, 11, 25, 12))
    url = reverse("duty:shift_edit", args=[future.pk])
    assert client.get(url).status_code == 200
    base = {"start": "2026-11-25T08:30", "end": "2026-11-26T08:30", "officer": future.officer_id,
            "leader": future.leader_id, "officer_phone": "", "leader_phone": "", "note": ""}  # fmt: skip
    same = client.post(url, base | {"leader": future.officer_id})
    assert same.status_code == 400 and "同一人不能同时担任" in html(same)
    overlap = client.post(url, base | {"end": "2026-11-26T12:00"})
    assert overlap.status_code == 400 and "时间重叠" in html(overlap)
    phone = client.post(url, base | {"officer_phone": "123"})
    assert phone.status_code == 400 and "请填写手机号码" in html(phone)
    ok = client.post(url, base | {"note": "防汛值守", "leader_phone": "0799-12345678"})
    assert ok.status_code == 302
    future.refresh_from_db()
    assert (future.note, future.leader_phone) == ("防汛值守", "0799-12345678")
    past = shift_at(county, at(2026, 11, 20, 12))
    ended = client.post(reverse("duty:shift_edit", args=[past.pk]), base)
    assert ended.status_code == 400 and "已结束的班次不能修改" in html(ended)
    assert client_for("dept-transport").get(url).status_code == 403


def test_log_handover_and_swap_pages(personas, county, client_for, frozen):
    client = client_for("county")
    log = client.get(reverse("duty:log"))
    assert log.status_code == 200 and 'data-testid="log-form"' in html(log)
    future_time = (NOW + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    bad = client.post(reverse("duty:log"), {"occurred_at": future_time, "kind": "call_in",
                                            "content": "x"})  # fmt: skip
    assert bad.status_code == 400 and "时间不能晚于现在" in html(bad)
    good = client.post(reverse("duty:log"), {"occurred_at": "2026-11-23T08:50", "kind": "call_in",
                                             "counterpart": "青石镇村民", "phone": "13900000000",
                                             "content": "反映山体落石", "action_taken": "已通知青石镇"})  # fmt: skip
    assert good.status_code == 302
    entry = DutyLogEntry.objects.get(content="反映山体落石")
    assert entry.shift == shift_at(county, NOW)
    assert "反映山体落石" in html(client.get(reverse("duty:log") + "?kind=call_in&days=1"))
    grid = client_for("grid-a")
    assert "log-form" not in html(grid.get(reverse("duty:log")))
    assert grid.post(reverse("duty:log"), {"content": "x"}).status_code == 403

    # Handover of yesterday's shift to today's, received by demo-county.
    yesterday = shift_at(county, at(2026, 11, 22, 12))
    outgoing = client_for("county")
    outgoing.force_login(yesterday.officer)
    empty = outgoing.post(reverse("duty:hand_over", args=[yesterday.pk]), {"open_matters": ""})
    assert empty.status_code == 400
    done = outgoing.post(reverse("duty:hand_over", args=[yesterday.pk]),
                         {"open_matters": "跟踪落石点核查结果", "notes": ""})  # fmt: skip
    assert done.status_code == 302
    handover = Handover.objects.get(outgoing_shift=yesterday)
    today = client.get(reverse("duty:shift", args=[shift_at(county, NOW).pk]))
    assert "跟踪落石点核查结果" in html(today) and 'data-testid="receive-handover"' in html(today)
    client.post(reverse("duty:receive_handover", args=[handover.pk]))
    handover.refresh_from_db()
    assert handover.received_by == personas["county"]

    # A swap requested on the shift page and approved on the swaps page.
    mine = shift_at(county, at(2026, 11, 26, 12))
    assert mine.officer == personas["county"]
    theirs = shift_at(county, at(2026, 11, 27, 12))
    form = client.get(reverse("duty:swap_request", args=[mine.pk]))
    assert form.status_code == 200
    missing = client.post(reverse("duty:swap_request", args=[mine.pk]),
                          {"counterpart": theirs.officer_id, "reason": ""})  # fmt: skip
    assert missing.status_code == 400
    asked = client.post(reverse("duty:swap_request", args=[mine.pk]),
                        {"counterpart": theirs.officer_id, "counterpart_shift": theirs.pk,
                         "reason": "参加培训"})  # fmt: skip
    assert asked.status_code == 302
    swap = Swap.objects.get(shift=mine)
    pending = client.get(reverse("duty:swaps"))
    assert [s.pk for s in pending.context["swaps"]] == [swap.pk]
    assert 'data-testid="swap-approve_swap"' not in html(pending)  # not one's own request
    approver = client_for("admin")
    listed = approver.get(reverse("duty:swaps"))
    assert 'data-testid="swap-approve_swap"' in html(listed)
    no_reason = approver.post(reverse("duty:swap_decide", args=[swap.pk, "reject_swap"]),
                              follow=True)  # fmt: skip
    assert "此项为必填项" in html(no_reason)
    approver.post(reverse("duty:swap_decide", args=[swap.pk, "approve_swap"]), {"comment": "同意"})
    swap.refresh_from_db()
    mine.refresh_from_db()
    assert swap.state == SwapState.APPROVED and mine.officer_id == theirs.officer_id
    stale = approver.post(reverse("duty:swap_decide", args=[swap.pk, "approve_swap"]), follow=True)
    assert "状态已变化" in html(stale)


def test_api_board_rosters_and_shifts(personas, county, client_for, frozen):
    client = client_for("county")
    status, board = api(client, "GET", "/board")
    row = next(r for r in board["rows"] if r["organisation_name"] == "清河县应急管理局")
    current = shift_at(county, NOW)
    assert status == 200 and row["officer"]["name"] == personas["county"].display_name
    assert row["officer"]["status"] == "missed" and row["leader"]["phone"] == current.leader_phone
    status, page = api(client, "GET", "/rosters?month=2026-11")
    assert status == 200 and [r["id"] for r in page["items"]] == [county.pk]
    assert page["items"][0]["shift_count"] == 30
    status, error = api(client, "GET", "/rosters?month=November")
    assert status == 422 and error["error"]["fields"]["month"] == ["请填写月份，如 2026-11。"]
    status, detail = api(client, "GET", f"/rosters/{county.pk}")
    assert status == 200 and len(detail["shifts"]) == 30 and detail["month"] == "2026-11"
    status, mine = api(client, "GET", "/shifts?mine=true&start_from=2026-11-23T00:00:00%2B08:00")
    assert status == 200 and {s["officer"]["id"] for s in mine["items"]} == {personas["county"].pk}
    status, checked = api(client, "POST", f"/shifts/{current.pk}/check-in")
    assert status == 200 and checked["officer_status"] == "late"  # 09:00, grace until 08:45
    status, error = api(
        client, "POST", f"/shifts/{shift_at(county, at(2026, 11, 28, 12)).pk}/check-in"
    )
    assert status in (403, 422)
    future = shift_at(county, at(2026, 11, 25, 12))
    status, error = api(client, "PATCH", f"/shifts/{future.pk}", {"leader": future.officer_id})
    assert status == 422 and "同一人不能同时担任" in error["error"]["fields"]["leader"][0]
    status, error = api(client, "PATCH", f"/shifts/{future.pk}", {"officer": personas["town-a"].pk})
    assert status == 422 and "officer" in error["error"]["fields"]
    status, changed = api(client, "PATCH", f"/shifts/{future.pk}", {"note": "加强值守"})
    assert status == 200 and changed["note"] == "加强值守"
    assert api(client_for("town-a"), "PATCH", f"/shifts/{future.pk}", {"note": "x"})[0] == 404
    assert (
        api(client_for("dept-transport"), "PATCH", f"/shifts/{future.pk}", {"note": "x"})[0] == 403
    )


def test_api_roster_create_generate_publish(personas, client_for, frozen):
    client = client_for("dept-transport")
    officers, leaders = rota(personas["dept-transport"])
    status, error = api(client, "POST", "/rosters", {"month": "2026-12", "officers": [],
                                                     "leaders": [leaders[0].pk]})  # fmt: skip
    assert status == 422 and error["error"]["code"] == "validation_error"
    assert "officers" in error["error"]["fields"]
    status, error = api(client, "POST", "/rosters", {"month": "2026-12",
                                                     "officers": [personas["county"].pk],
                                                     "leaders": [leaders[0].pk]})  # fmt: skip
    assert status == 422 and "officers" in error["error"]["fields"]
    body = {"month": "2026-12", "officers": [o.pk for o in officers],
            "leaders": [u.pk for u in leaders]}  # fmt: skip
    status, made = api(client, "POST", "/rosters", body)
    assert status == 201 and made["state"] == "draft" and len(made["shifts"]) == 31
    assert api(client, "POST", "/rosters", body)[0] == 422
    status, again = api(
        client, "POST", f"/rosters/{made['id']}/generate", body | {"leader_days": 7}
    )
    assert status == 200
    assert api(client, "POST", f"/rosters/{made['id']}/publish")[1]["state"] == "published"
    status, error = api(client, "POST", f"/rosters/{made['id']}/publish")
    assert status == 409 and error["error"]["code"] == "stale_state"
    assert api(client_for("grid-a"), "POST", "/rosters", body)[0] == 403
    assert api(client_for("ent-a"), "POST", "/rosters", body)[0] == 403


def test_api_log_handovers_and_swaps(personas, county, client_for, frozen):
    client = client_for("county")
    status, error = api(client, "POST", "/log", {"occurred_at": "2026-11-23T12:00:00+08:00",
                                                 "kind": "call_in", "content": "x"})  # fmt: skip
    assert status == 422 and error["error"]["fields"]["occurred_at"] == ["时间不能晚于现在。"]
    status, entry = api(client, "POST", "/log", {"occurred_at": "2026-11-23T08:45:00+08:00",
                                                 "kind": "instruction", "content": "加强巡查"})  # fmt: skip
    assert status == 201 and entry["shift"] == shift_at(county, NOW).pk
    assert [e["id"] for e in api(client, "GET", "/log?kind=instruction")[1]["items"]] == [
        entry["id"]
    ]
    assert api(client_for("town-a"), "GET", "/log")[1]["items"] == []

    yesterday = shift_at(county, at(2026, 11, 22, 12))
    outgoing = client_for("county")
    outgoing.force_login(yesterday.officer)
    status, handover = api(outgoing, "POST", "/handovers",
                           {"shift": yesterday.pk, "open_matters": "无"})  # fmt: skip
    assert status == 201 and handover["incoming_shift"] == shift_at(county, NOW).pk
    status, error = api(
        outgoing, "POST", "/handovers", {"shift": yesterday.pk, "open_matters": "无"}
    )
    assert status == 409
    status, received = api(client, "POST", f"/handovers/{handover['id']}/receive")
    assert status == 200 and received["received_by"]["id"] == personas["county"].pk
    assert api(client, "POST", f"/handovers/{handover['id']}/receive")[0] == 409
    assert api(client, "GET", "/handovers?open=true")[1]["items"] == []

    mine = shift_at(county, at(2026, 11, 26, 12))
    theirs = shift_at(county, at(2026, 11, 27, 12))
    status, error = api(client, "POST", "/swaps", {"shift": mine.pk, "counterpart": personas["town-a"].pk,
                                                   "reason": "x"})  # fmt: skip
    assert status == 422 and "counterpart" in error["error"]["fields"]
    status, swap = api(client, "POST", "/swaps", {"shift": mine.pk, "counterpart": theirs.officer_id,
                                                  "counterpart_shift": theirs.pk, "reason": "培训"})  # fmt: skip
    assert (
        status == 201
        and swap["state"] == "pending"
        and swap["events"][0]["transition"] == "request_swap"
    )
    assert api(client, "POST", f"/swaps/{swap['id']}/decide", {"decision": "approve"})[0] == 403
    status, error = api(client, "POST", f"/swaps/{swap['id']}/decide", {"decision": "maybe"})
    assert status == 422 and "decision" in error["error"]["fields"]
    admin = client_for("admin")
    status, decided = api(admin, "POST", f"/swaps/{swap['id']}/decide", {"decision": "approve"})
    assert status == 200 and decided["state"] == "approved" and decided["decided_by"]["id"]
    assert (
        api(admin, "POST", f"/swaps/{swap['id']}/decide", {"decision": "reject", "comment": "x"})[0]
        == 409
    )
    assert Shift.objects.get(pk=mine.pk).officer_id == theirs.officer_id
    assert [s["id"] for s in api(client, "GET", "/swaps?mine=true")[1]["items"]] == [swap["id"]]


def test_openapi_documents_the_duty_endpoints(client_for):
    schema = client_for("county").get("/api/v1/openapi.json").json()
    paths = {p for p in schema["paths"] if p.startswith("/api/v1/duty/")}
    assert {
        "/api/v1/duty/board",
        "/api/v1/duty/rosters",
        "/api/v1/duty/swaps/{swap_id}/decide",
    } <= paths
