"""Duty actions with frozen time: scheduling and publishing, on_duty(), check-in and the missed
check-in job, swaps, shift edits, the duty log, handovers, the board, PDF and Excel."""

import io
from datetime import timedelta

import pypdfium2
import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import load_workbook

from anlan.core.excel import write_workbook
from anlan.core.models import Notification
from anlan.core.workflow import StaleTransition
from anlan.duty import actions, documents, services, tasks
from anlan.duty.models import Roster, Shift, Swap, SwapEvent, SwapState
from tests.duty.factories import NOVEMBER, NOW, at, roster, rota, shift_at, staff


@pytest.fixture
def county(personas):
    """The county bureau's November roster: demo-county and two colleagues stand duty, two
    bureau leaders lead; published on 25 October."""
    officers, leaders = rota(personas["county"])
    return roster(personas["county"], officers=officers, leaders=leaders)


def keys(prefix: str) -> list[tuple[str, str]]:
    return sorted(
        Notification.objects.filter(key__startswith=prefix).values_list(
            "recipient__username", "key"
        )
    )


def test_generate_schedules_the_month_in_turn_and_publish_tells_everyone(personas, committed):
    manager = personas["county"]
    officers, leaders = rota(manager)
    made = roster(manager, officers=officers, leaders=leaders, publish=False)
    shifts = list(made.shifts.order_by("start"))
    assert len(shifts) == 30
    assert shifts[0].start == at(2026, 11, 1, 8, 30) and shifts[-1].end == at(2026, 12, 1, 8, 30)
    assert [s.officer_id for s in shifts[:4]] == [o.pk for o in (*officers, officers[0])]
    assert [s.leader_id for s in shifts[:3]] == [leaders[0].pk, leaders[1].pk, leaders[0].pk]
    assert shifts[0].officer_phone == manager.phone
    assert shifts[0].history.first().history_user == manager
    assert not services.on_duty(manager.organisation, at(2026, 11, 5, 12))  # a draft
    with time_machine.travel(at(2026, 10, 26, 9), tick=False):
        with committed():
            actions.do_publish(made, actor=manager)
        with pytest.raises(StaleTransition):
            actions.do_publish(made, actor=manager)
    made.refresh_from_db()
    assert made.is_published and made.published_by == manager
    told = {u for u, _k in keys(f"duty-roster:{made.pk}:published")}
    assert told == {u.username for u in officers + leaders}
    body = Notification.objects.get(recipient=officers[0], key__startswith="duty-roster").body
    assert "01日（值班员）" in body


def test_next_month_continues_the_rota_and_regenerating_keeps_the_past(personas, county):
    manager = personas["county"]
    officers = list({s.officer for s in county.shifts.all()})
    leaders = list({s.leader for s in county.shifts.all()})
    last = county.shifts.order_by("-start").first()
    with time_machine.travel(at(2026, 11, 20, 10), tick=False):
        december = actions.do_create_roster(
            manager.organisation, at(2026, 12, 9).date(), actor=manager
        )
        assert december.month == at(2026, 12, 1).date()
        ordered = sorted(officers, key=lambda u: u.pk)
        actions.do_generate(december, actor=manager, officers=ordered, leaders=leaders)
        first = december.shifts.order_by("start").first()
        position = ordered.index(last.officer)
        assert first.officer == ordered[(position + 1) % len(ordered)]
        assert first.start == last.end  # no gap between the months
        with pytest.raises(ValidationError, match="已存在"):
            actions.do_create_roster(manager.organisation, at(2026, 12, 1).date(), actor=manager)
    # A published roster is not regenerated; a draft regenerated mid-month keeps what started.
    with time_machine.travel(NOW, tick=False), pytest.raises(ValidationError):
        actions.do_generate(county, actor=manager, officers=officers, leaders=leaders)
    with time_machine.travel(at(2026, 12, 10, 9), tick=False):
        before = {s.start: s.officer_id for s in december.shifts.all()}
        counts = actions.do_generate(
            december, actor=manager, officers=list(reversed(ordered)), leaders=leaders
        )
        after = {s.start: s.officer_id for s in december.shifts.all()}
    started = [t for t in before if t <= at(2026, 12, 10, 9)]
    assert all(before[t] == after[t] for t in started)
    assert counts["created"] == 0 and counts["kept"] >= len(started) and counts["changed"] > 0


def test_only_the_units_own_staff_schedule_and_only_its_people(personas, county):
    town = personas["town-a"]
    with pytest.raises(PermissionDenied):
        actions.do_create_roster(personas["county"].organisation, NOVEMBER, actor=town)
    with pytest.raises(PermissionDenied):
        actions.do_create_roster(town.organisation, NOVEMBER, actor=personas["leader"])
    made = actions.do_create_roster(town.organisation, NOVEMBER, actor=town)
    with pytest.raises(ValidationError) as error:
        actions.do_generate(made, actor=town, officers=[town, personas["county"]], leaders=[town])
    assert "officers" in error.value.message_dict
    with pytest.raises(ValidationError):  # one person alone cannot stand duty and lead
        actions.do_generate(made, actor=town, officers=[town], leaders=[town])
    with pytest.raises(ValidationError):
        actions.do_create_roster(personas["grid-a"].organisation, NOVEMBER, actor=personas["admin"])


def test_on_duty(personas, county):
    org = personas["county"].organisation
    shift = shift_at(county, NOW)
    assert services.on_duty(org, NOW) == [shift.officer, shift.leader]
    assert services.on_duty(org.pk, shift.start) == [shift.officer, shift.leader]
    assert services.on_duty(org, shift.end) != [shift.officer, shift.leader]  # the next shift
    assert services.on_duty(org, at(2026, 12, 5, 12)) == []  # no December roster
    assert services.on_duty(personas["town-a"].organisation, NOW) == []


def test_check_in_window_holder_and_repeat(personas, county):
    shift = shift_at(county, at(2026, 11, 25, 12))  # 25th 08:30 → 26th 08:30
    officer, leader = shift.officer, shift.leader
    with time_machine.travel(at(2026, 11, 25, 7, 59), tick=False), pytest.raises(ValidationError):
        actions.do_check_in(shift, actor=officer)
    with time_machine.travel(at(2026, 11, 25, 8, 20), tick=False):
        with pytest.raises(PermissionDenied):
            actions.do_check_in(shift, actor=personas["town-a"])
        _s, new = actions.do_check_in(shift, actor=officer)
        assert new
        _s, again = actions.do_check_in(shift, actor=officer)
        assert not again
    with time_machine.travel(at(2026, 11, 25, 9, 30), tick=False):
        actions.do_check_in(shift, actor=leader)
    shift.refresh_from_db()
    assert shift.officer_checked_in_at == at(2026, 11, 25, 8, 20)
    assert shift.leader_checked_in_at == at(2026, 11, 25, 9, 30)
    reasons = list(shift.history.values_list("history_change_reason", flat=True)[:2])
    assert reasons == ["迟到签到", "签到"]
    ended = shift_at(county, at(2026, 11, 24, 12))  # 24th 08:30 → 25th 08:30
    with time_machine.travel(at(2026, 11, 25, 8, 30), tick=False), pytest.raises(ValidationError):
        actions.do_check_in(ended, actor=ended.officer)


def test_missed_check_in_flagged_and_notified_once(personas, county):
    shift = shift_at(county, NOW)  # 23rd 08:30; grace 15 minutes
    managers = {u.username for u in services.duty_managers(shift.organisation_id)}
    with time_machine.travel(at(2026, 11, 23, 8, 45), tick=False):
        assert tasks.missed_checkins() == {"flagged": 0, "notified": 0}  # still within grace
    with time_machine.travel(at(2026, 11, 23, 8, 46), tick=False):
        first = tasks.missed_checkins()
        second = tasks.missed_checkins()
    assert first["flagged"] == 1 and second == {"flagged": 0, "notified": 0}
    shift.refresh_from_db()
    assert shift.missed_checkin_at == at(2026, 11, 23, 8, 46)
    assert shift.history.first().history_change_reason == "超时未签到"
    told = {u for u, _k in keys(f"shift:{shift.pk}:missed_checkin:")}
    assert told == ({shift.leader.username} | managers) - {shift.officer.username}
    assert {u for u, _k in keys(f"shift:{shift.pk}:missed_checkin_self:")} == {
        shift.officer.username
    }
    assert first["notified"] == len(told) + 1
    # A late check-in keeps the flag; later runs send nothing more.
    with time_machine.travel(at(2026, 11, 23, 9, 10), tick=False):
        actions.do_check_in(shift, actor=shift.officer)
        assert tasks.missed_checkins() == {"flagged": 0, "notified": 0}
    shift.refresh_from_db()
    assert shift.missed_checkin_at is not None and shift.officer_checked_in_at is not None


def test_missed_check_in_notices_survive_a_crash_between_flag_and_notify(personas, county):
    shift = shift_at(county, NOW)
    with time_machine.travel(at(2026, 11, 23, 9), tick=False):
        assert tasks.flag_missed_checkins(at(2026, 11, 23, 9)) == 1  # crash before notifying
        result = tasks.missed_checkins()
    assert result["flagged"] == 0 and result["notified"] > 0
    assert keys(f"shift:{shift.pk}:missed_checkin:")


def test_checked_in_officers_and_drafts_are_not_flagged(personas, county):
    draft = roster(personas["town-a"], publish=False)
    shift = shift_at(county, NOW)
    with time_machine.travel(at(2026, 11, 23, 8, 40), tick=False):
        actions.do_check_in(shift, actor=shift.officer)
    with time_machine.travel(at(2026, 11, 23, 12), tick=False):
        assert tasks.missed_checkins()["flagged"] == 0
    assert not Shift.objects.filter(roster=draft, missed_checkin_at__isnull=False).exists()


def test_the_periodic_job_is_registered():
    from anlan.core.jobs import JOBS, PERIODIC

    assert (
        "duty.missed_checkins" in PERIODIC and JOBS["duty.missed_checkins"] is tasks.missed_checkins
    )


def _two_future_shifts(county):
    a = shift_at(county, at(2026, 11, 25, 12))
    b = shift_at(county, at(2026, 11, 26, 12))
    assert a.officer != b.officer
    return a, b


def test_swap_exchange_approved_atomically_with_history(personas, county, committed):
    a, b = _two_future_shifts(county)
    requester, counterpart = a.officer, b.officer
    approver = next(
        u for u in services.duty_managers(a.organisation_id) if u not in (requester, counterpart)
    )
    with time_machine.travel(NOW, tick=False):
        with committed():
            swap = actions.do_request_swap(
                a, actor=requester, counterpart=counterpart, counterpart_shift=b, reason="家中有事"
            )
        with pytest.raises(ValidationError, match="等待审批"):
            actions.do_request_swap(a, actor=requester, counterpart=counterpart, reason="再次")
        with pytest.raises(PermissionDenied):  # never one's own request
            actions.do_decide_swap(swap, "approve_swap", actor=requester)
        with pytest.raises(PermissionDenied):  # another unit's staff
            actions.do_decide_swap(swap, "approve_swap", actor=personas["town-a"])
        with committed():
            actions.do_decide_swap(swap, "approve_swap", actor=approver, comment="同意")
        with pytest.raises(StaleTransition):
            actions.do_decide_swap(swap, "reject_swap", actor=approver, comment="晚了")
    a.refresh_from_db()
    b.refresh_from_db()
    swap.refresh_from_db()
    assert (a.officer, b.officer) == (counterpart, requester)
    assert (a.officer_phone, b.officer_phone) == (counterpart.phone, requester.phone)
    assert swap.state == SwapState.APPROVED and swap.decided_by == approver
    assert "换班" in a.history.first().history_change_reason
    assert list(swap.events.values_list("transition", flat=True)) == [
        "request_swap",
        "approve_swap",
    ]
    assert services.on_duty(a.organisation, at(2026, 11, 25, 12))[0] == counterpart
    assert {u for u, _k in keys(f"duty-swap:{swap.pk}:approved")} == {
        requester.username, counterpart.username
    }  # fmt: skip
    assert keys(f"duty-swap:{swap.pk}:requested")


def test_swap_cover_reject_cancel_and_stale_approval(personas, county):
    a, b = _two_future_shifts(county)
    colleague = staff(a.organisation, 1, prefix="cover")[0]
    approver = personas["county"] if personas["county"] not in (a.officer,) else personas["admin"]
    with time_machine.travel(NOW, tick=False):
        with pytest.raises(PermissionDenied):  # only the person scheduled asks
            actions.do_request_swap(a, actor=colleague, counterpart=a.officer, reason="x")
        with pytest.raises(ValidationError) as error:
            actions.do_request_swap(a, actor=a.officer, counterpart=personas["town-a"], reason="")
        assert set(error.value.message_dict) == {"counterpart", "reason"}
        with pytest.raises(ValidationError):  # the leader cannot also stand duty
            actions.do_request_swap(a, actor=a.officer, counterpart=a.leader, reason="x")
        cover = actions.do_request_swap(a, actor=a.officer, counterpart=colleague, reason="出差")
        with pytest.raises(ValidationError):  # a rejection says why
            actions.do_decide_swap(cover, "reject_swap", actor=approver)
        actions.do_decide_swap(cover, "reject_swap", actor=approver, comment="人手不足")
        withdrawn = actions.do_request_swap(
            a, actor=a.officer, counterpart=colleague, reason="出差"
        )
        with pytest.raises(PermissionDenied):
            actions.do_decide_swap(withdrawn, "cancel_swap", actor=approver)
        actions.do_decide_swap(withdrawn, "cancel_swap", actor=a.officer)
        late = actions.do_request_swap(a, actor=a.officer, counterpart=colleague, reason="出差")
    with time_machine.travel(a.start + timedelta(minutes=1), tick=False):
        with pytest.raises(ValidationError, match="尚未开始"):
            actions.do_decide_swap(late, "approve_swap", actor=approver)
    a.refresh_from_db()
    late.refresh_from_db()
    assert late.state == SwapState.PENDING and a.officer != colleague
    states = list(Swap.objects.filter(shift=a).order_by("pk").values_list("state", flat=True))
    assert states == ["rejected", "cancelled", "pending"]
    assert SwapEvent.objects.filter(swap__shift=a).count() == 5


def test_update_shift_rules(personas, county, committed):
    manager = personas["county"]
    current, future = shift_at(county, NOW), shift_at(county, at(2026, 11, 25, 12))
    past = shift_at(county, at(2026, 11, 20, 12))
    other = staff(manager.organisation, 1, prefix="new")[0]
    with time_machine.travel(NOW, tick=False):
        with pytest.raises(ValidationError, match="已结束"):
            actions.do_update_shift(past, actor=manager, note="补记")
        with pytest.raises(PermissionDenied):
            actions.do_update_shift(future, actor=personas["town-a"], note="x")
        with pytest.raises(PermissionDenied):  # the county's leader is not the bureau's staff
            actions.do_update_shift(future, actor=personas["leader"], note="x")
        with pytest.raises(ValidationError) as error:
            actions.do_update_shift(
                current, actor=manager, start=current.start + timedelta(hours=1)
            )
        assert "start" in error.value.message_dict
        with pytest.raises(ValidationError) as error:
            actions.do_update_shift(future, actor=manager, leader=future.officer)
        assert "leader" in error.value.message_dict
        with pytest.raises(ValidationError) as error:
            actions.do_update_shift(future, actor=manager, officer=personas["town-a"])
        assert "officer" in error.value.message_dict
        with pytest.raises(ValidationError) as error:
            actions.do_update_shift(future, actor=manager, officer_phone="12345")
        assert "officer_phone" in error.value.message_dict
        with pytest.raises(ValidationError, match="重叠"):
            actions.do_update_shift(future, actor=manager, end=future.end + timedelta(hours=2))
        with committed():
            actions.do_update_shift(
                future, actor=manager, officer=other, officer_phone="", note="调整"
            )
    future.refresh_from_db()
    assert (future.officer, future.officer_phone, future.note) == (other, other.phone, "调整")
    assert future.history.first().history_user == manager
    assert keys(f"duty-assigned:{future.pk}:officer")[0][0] == other.username


def test_duty_log_by_the_people_on_duty_and_managers(personas, county):
    shift = shift_at(county, NOW)
    leader = shift.leader
    town = personas["town-a"]
    with time_machine.travel(NOW, tick=False):
        entry = actions.do_log(
            county.organisation, actor=leader, occurred_at=NOW - timedelta(minutes=20),
            kind="call_in", counterpart="村民王某", phone="110", content="反映山体落石",
            action_taken="已通知镇里核查",
        )  # fmt: skip
        assert entry.shift == shift and entry.recorded_by == leader
        with pytest.raises(PermissionDenied):
            actions.do_log(
                county.organisation, actor=town, occurred_at=NOW, kind="event", content="x"
            )
        with pytest.raises(ValidationError) as error:
            actions.do_log(
                county.organisation, actor=personas["county"], occurred_at=NOW + timedelta(hours=1),
                kind="nonsense", content=" ", phone="call me",
            )  # fmt: skip
        assert set(error.value.message_dict) == {"occurred_at", "kind", "content", "phone"}
        with pytest.raises(ValidationError):
            actions.do_log(
                county.organisation, actor=personas["county"],
                occurred_at=NOW - timedelta(days=8), kind="event", content="旧事",
            )  # fmt: skip
    assert entry.history.count() == 1


def test_handover_and_receipt(personas, county, committed):
    outgoing = shift_at(county, at(2026, 11, 22, 12))
    incoming = shift_at(county, NOW)
    with time_machine.travel(at(2026, 11, 22, 8), tick=False), pytest.raises(ValidationError):
        actions.do_hand_over(outgoing, actor=outgoing.officer, open_matters="x")  # not started
    with time_machine.travel(at(2026, 11, 23, 8, 20), tick=False):
        with pytest.raises(PermissionDenied):
            actions.do_hand_over(outgoing, actor=personas["town-a"], open_matters="x")
        with pytest.raises(ValidationError):
            actions.do_hand_over(outgoing, actor=outgoing.officer, open_matters=" ")
        with committed():
            handover = actions.do_hand_over(
                outgoing,
                actor=outgoing.officer,
                open_matters="跟踪青石镇落石点核查",
                notes="设备正常",
            )
        with pytest.raises(StaleTransition):
            actions.do_hand_over(outgoing, actor=outgoing.leader, open_matters="again")
    assert handover.incoming_shift == incoming
    assert {u for u, _k in keys(f"duty-handover:{handover.pk}")} == {
        incoming.officer.username, incoming.leader.username
    }  # fmt: skip
    with time_machine.travel(at(2026, 11, 23, 8, 35), tick=False):
        with pytest.raises(PermissionDenied):
            actions.do_receive_handover(handover, actor=personas["town-a"])
        actions.do_receive_handover(handover, actor=incoming.officer)
        with pytest.raises(StaleTransition):
            actions.do_receive_handover(handover, actor=incoming.leader)
    handover.refresh_from_db()
    assert handover.received_by == incoming.officer
    assert [h.history_date for h in handover.history.order_by("history_date")] == [
        at(2026, 11, 23, 8, 20), at(2026, 11, 23, 8, 35)
    ]  # fmt: skip
    # A shift left without a handover for more than a day is not handed over afterwards.
    old = shift_at(county, at(2026, 11, 20, 12))
    with time_machine.travel(at(2026, 11, 22, 8, 31), tick=False), pytest.raises(ValidationError):
        actions.do_hand_over(old, actor=old.officer, open_matters="补交")


def test_board_is_county_wide_in_a_fixed_number_of_queries(
    personas, county, django_assert_max_num_queries
):
    roster(personas["town-a"])
    roster(personas["town-b"])
    with time_machine.travel(NOW, tick=False):
        with django_assert_max_num_queries(3):
            rows = services.board(personas["town-b"], NOW)
            _ = [(r.shift.officer.phone, r.shift.leader.phone) for r in rows if r.shift]
    by_org = {r.organisation.name: r for r in rows}
    assert by_org["清河县应急管理局"].shift == shift_at(county, NOW)
    assert by_org["青石镇人民政府"].shift is not None  # town-b sees town-a's people on duty
    assert not by_org["青石镇人民政府"].in_scope and by_org["白沙镇人民政府"].in_scope
    assert by_org["清河县交通运输局"].shift is None
    assert "安澜市应急管理局" not in by_org
    assert by_org["清河县应急管理局"].officer_status == "missed"
    assert services.board(personas["ent-a"], NOW) == []


def test_roster_pdf_and_excel(personas, county):
    county = Roster.objects.select_related("organisation", "created_by").get(pk=county.pk)
    pdf = documents.roster_pdf(county)
    text = "".join(page.get_textpage().get_text_range() for page in pypdfium2.PdfDocument(pdf))
    assert "清河县应急管理局2026年11月值班表" in text
    first = county.shifts.order_by("start").first()
    assert first.officer.display_name in text and first.leader_phone in text
    content = write_workbook(
        "值班表", documents.HEADERS, documents.rows(documents.roster_shifts(county))
    )
    workbook = load_workbook(io.BytesIO(content))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][:5] == ("日期", "星期", "开始", "结束", "值班员") and len(rows) == 31
    assert rows[1][4] == first.officer.display_name and rows[1][2] == "08:30"
