"""Duty notifications and the missed check-in sweep.

The sweep flags every shift in progress whose duty officer has not checked in within the grace
period (ANLAN_DUTY_CHECKIN_GRACE_MINUTES), then tells the leader on duty and the unit's duty
managers, and reminds the officer. Idempotent: the flag is set once by a conditional UPDATE,
and the notices are keyed by shift, so a second run (or a retry after a crash between the flag
and the notices) sends nothing twice and loses nothing.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from anlan.accounts.models import User
from anlan.core.jobs import job
from anlan.core.notifications import notify
from anlan.duty import services
from anlan.duty.models import Handover, Roster, Shift, Swap
from anlan.duty.rules import DutyRole

# Messages are written in Chinese, whatever language the worker runs in.
ROLE_NAMES = {DutyRole.OFFICER: "值班员", DutyRole.LEADER: "带班领导"}
STATE_NAMES = {
    "approved": "已批准",
    "rejected": "未批准",
    "cancelled": "已撤回",
    "pending": "待审批",
}


def _when(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%m月%d日 %H:%M")


def flag_missed_checkins(now: datetime) -> int:
    """Flag shifts in progress past their grace without the officer's check-in."""
    with transaction.atomic():
        late = list(
            Shift.objects.published()
            .select_for_update(skip_locked=True)
            .filter(
                officer_checked_in_at__isnull=True,
                missed_checkin_at__isnull=True,
                start__lt=now - services.grace(),
                end__gt=now,
            )
        )
        if not late:
            return 0
        Shift.objects.filter(
            pk__in=[s.pk for s in late],
            officer_checked_in_at__isnull=True,
            missed_checkin_at__isnull=True,
        ).update(missed_checkin_at=now)
        for shift in late:
            shift.missed_checkin_at = now
        Shift.history.bulk_history_create(
            late, update=True, default_change_reason="超时未签到", default_date=now
        )
    return len(late)


def notify_missed_checkins(now: datetime) -> int:
    """Notices for every flagged shift still in progress and still without a check-in."""
    sent = 0
    managers: dict[int, list[User]] = {}
    for shift in (
        Shift.objects.published()
        .filter(missed_checkin_at__isnull=False, officer_checked_in_at__isnull=True, end__gt=now)
        .select_related("organisation", "officer", "leader")
    ):
        org = shift.organisation
        if org.pk not in managers:
            managers[org.pk] = services.duty_managers(org.pk)
        minutes = int(services.grace().total_seconds() // 60)
        officer_phone = shift.officer_phone or shift.officer.phone or "—"
        others = [u for u in [shift.leader, *managers[org.pk]] if u.pk != shift.officer_id]
        sent += notify(
            others,
            key=f"duty-missed:{shift.pk}",
            title=f"值班员未按时签到：{org.name}",
            body=(
                f"{_when(shift.start)} 开始的班次，值班员 {shift.officer}（{officer_phone}）"
                f"超过 {minutes} 分钟仍未签到，请立即联系并确保在岗。"
            ),
            url=shift.get_absolute_url(),
        )
        sent += notify(
            [shift.officer],
            key=f"duty-missed-self:{shift.pk}",
            title=f"您尚未值班签到：{org.name}",
            body=f"您的班次已于 {_when(shift.start)} 开始，请立即到岗签到。",
            url=shift.get_absolute_url(),
        )
    return sent


@job("duty.missed_checkins", periodic=True)
def missed_checkins(now=None, **_kwargs) -> dict[str, int]:
    now = now or timezone.now()
    flagged = flag_missed_checkins(now)
    return {"flagged": flagged, "notified": notify_missed_checkins(now)}


def notify_roster_published(roster_id: int) -> int:
    roster = Roster.objects.select_related("organisation").get(pk=roster_id)
    dates: dict[int, list[str]] = {}
    users: dict[int, User] = {}
    for shift in roster.shifts.select_related("officer", "leader").order_by("start"):
        for role, user in ((DutyRole.OFFICER, shift.officer), (DutyRole.LEADER, shift.leader)):
            users[user.pk] = user
            day = timezone.localtime(shift.start).strftime("%d日")
            dates.setdefault(user.pk, []).append(f"{day}（{ROLE_NAMES[role]}）")
    sent = 0
    for pk, user in users.items():
        sent += notify(
            [user],
            key=f"duty-roster:{roster.pk}:published",
            title=f"{roster.organisation.name} {roster.month:%Y年%m月}值班表已发布",
            body="您的值班：" + "、".join(dates[pk]),
            url=roster.get_absolute_url(),
        )
    return sent


def notify_assigned(shift_id: int, role: str, stamp: int) -> int:
    shift = Shift.objects.select_related("organisation", "officer", "leader").get(pk=shift_id)
    user = shift.holder(role)
    return notify(
        [user],
        key=f"duty-assigned:{shift.pk}:{role}:{stamp}",
        title=f"值班安排变更：{shift.organisation.name}",
        body=f"您被安排为 {_when(shift.start)} 至 {_when(shift.end)} 的{ROLE_NAMES[role]}。",
        url=shift.get_absolute_url(),
    )


def notify_handover(handover_id: int) -> int:
    handover = Handover.objects.select_related(
        "organisation", "incoming_shift__officer", "incoming_shift__leader", "handed_over_by"
    ).get(pk=handover_id)
    incoming = handover.incoming_shift
    if incoming is None:
        return 0
    return notify(
        [incoming.officer, incoming.leader],
        key=f"duty-handover:{handover.pk}",
        title=f"交班待接收：{handover.organisation.name}",
        body=f"{handover.handed_over_by} 已交班。未结事项：{handover.open_matters[:200]}",
        url=incoming.get_absolute_url(),
    )


def notify_swap_requested(swap_id: int) -> int:
    swap = Swap.objects.select_related("organisation", "shift", "requester", "counterpart").get(
        pk=swap_id
    )
    from anlan.duty.workflow import may_decide

    deciders = [
        u
        for u in services.members(swap.organisation_id)
        if u.pk != swap.requester_id and may_decide(u, swap)
    ]
    title = f"换班申请待审批：{swap.requester} → {swap.counterpart}"
    body = f"{_when(swap.shift.start)} 班次的{ROLE_NAMES[swap.role]}。理由：{swap.reason[:200]}"
    from django.urls import reverse

    url = reverse("duty:swaps")
    return notify(
        deciders, key=f"duty-swap:{swap.pk}:requested", title=title, body=body, url=url
    ) + notify(
        [swap.counterpart],
        key=f"duty-swap:{swap.pk}:asked",
        title=f"{swap.requester} 申请与您换班",
        body=body,
        url=url,
    )


def notify_swap_decided(swap_id: int) -> int:
    swap = Swap.objects.select_related("shift", "requester", "counterpart").get(pk=swap_id)
    return notify(
        [swap.requester, swap.counterpart],
        key=f"duty-swap:{swap.pk}:{swap.state}",
        title=f"换班申请{STATE_NAMES[swap.state]}",
        body=f"{_when(swap.shift.start)} 班次的{ROLE_NAMES[swap.role]}：{swap.requester} → {swap.counterpart}",
        url=swap.shift.get_absolute_url(),
    )
