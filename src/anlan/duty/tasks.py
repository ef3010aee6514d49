"""Duty notifications and the missed check-in sweep.

The sweep flags every shift in progress whose duty officer has not checked in within the grace
period (ANLAN_DUTY_CHECKIN_GRACE_MINUTES), then tells the leader on duty and the unit's duty
managers, and reminds the officer: a kind of deadline of core/deadlines.py, sent by this job
right after flagging and by the one deadline scan. Idempotent: the flag is set once by a
conditional UPDATE, and the notices are keyed by shift and its start, so a second run (or a
retry after a crash between the flag and the notices) sends nothing twice and loses nothing.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anlan.accounts.models import User
from anlan.core import recipients
from anlan.core.deadlines import DeadlineKind, Stage, register, scan_kind
from anlan.core.jobs import job
from anlan.core.messages import day, fragment, items, label, message, moment, text
from anlan.core.notifications import notify
from anlan.duty import services
from anlan.duty.models import Handover, Roster, Shift, Swap
from anlan.duty.rules import DutyRole


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


def _flagged(now: datetime):
    """Flagged shifts still in progress and still without the officer's check-in."""
    return (
        Shift.objects.published()
        .filter(missed_checkin_at__isnull=False, officer_checked_in_at__isnull=True, end__gt=now)
        .select_related("organisation", "officer", "leader")
    )


def _told_of_absence(shift: Shift, now: datetime) -> list[User]:
    """The leader on duty and the unit's duty managers (not the officer: they get their own)."""
    people = [shift.leader, *services.duty_managers(shift.organisation_id)]
    return [u for u in recipients.unique(people) if u.pk != shift.officer_id]


MISSED_CHECKIN = register(
    DeadlineKind(
        name="duty.missed_checkin",
        key="shift",
        records=_flagged,
        due=lambda shift: shift.start,
        stages=[
            # Both at once: the flag (set after the grace) is what makes a shift due here.
            Stage(
                "missed_checkin",
                after=timedelta(0),
                tell=_told_of_absence,
                message=message(
                    "duty.missed_checkin",
                    _("Duty officer has not checked in: {unit}"),
                    _(
                        "The duty officer {officer} ({phone}) of the shift starting "
                        "{start} has not checked in {minutes} minutes after it "
                        "began: call them and make sure the post is held."
                    ),
                ),
            ),
            Stage(
                "missed_checkin_self",
                after=timedelta(0),
                tell=lambda shift, now: [shift.officer],
                message=message(
                    "duty.missed_checkin_self",
                    _("You have not checked in for duty: {unit}"),
                    _("Your shift began at {start}: go to your post and check in now."),
                ),
            ),
        ],
        params=lambda shift, due: {
            "unit": shift.organisation.name,
            "officer": str(shift.officer),
            "phone": shift.officer_phone or shift.officer.phone or "\u2014",
            "start": moment(shift.start),
            "minutes": int(services.grace().total_seconds() // 60),
        },
        url=lambda shift: shift.get_absolute_url(),
    )
)


def notify_missed_checkins(now: datetime) -> int:
    """Notices for every flagged shift still in progress and still without a check-in."""
    return sum(scan_kind(MISSED_CHECKIN, now).values())


@job("duty.missed_checkins", periodic=True)
def missed_checkins(now=None, **_kwargs) -> dict[str, int]:
    """Flag missed check-ins and tell at once (a state change, then its notices)."""
    now = now or timezone.now()
    flagged = flag_missed_checkins(now)
    return {"flagged": flagged, "notified": notify_missed_checkins(now)}


ROSTER_DAY = message("duty.roster_day", _("{day:%d} ({role})"))
ROSTER_PUBLISHED = message(
    "duty.roster_published",
    _("{unit} duty roster for {month:%Y-%m} published"),
    _("Your duties: {duties}"),
)


@job("duty.notify_roster_published")
def notify_roster_published(roster_id: int, **_kwargs) -> int:
    roster = Roster.objects.select_related("organisation").get(pk=roster_id)
    duties: dict[int, list] = {}
    users: dict[int, User] = {}
    for shift in roster.shifts.select_related("officer", "leader").order_by("start"):
        for role, user in ((DutyRole.OFFICER, shift.officer), (DutyRole.LEADER, shift.leader)):
            users[user.pk] = user
            duties.setdefault(user.pk, []).append(
                fragment(ROSTER_DAY, day=moment(shift.start), role=text(role.label))
            )
    sent = 0
    for pk, user in users.items():
        sent += notify(
            [user],
            key=f"duty-roster:{roster.pk}:published",
            message=ROSTER_PUBLISHED,
            params={
                "unit": roster.organisation.name,
                "month": day(roster.month),
                "duties": items(duties[pk]),
            },
            url=roster.get_absolute_url(),
        )
    return sent


ASSIGNED = message(
    "duty.assigned",
    _("Duty assignment changed: {unit}"),
    _("You are now the {role} from {start} to {end}."),
)


@job("duty.notify_assigned")
def notify_assigned(shift_id: int, role: str, stamp: int, **_kwargs) -> int:
    shift = Shift.objects.select_related("organisation", "officer", "leader").get(pk=shift_id)
    return notify(
        [shift.holder(role)],
        key=f"duty-assigned:{shift.pk}:{role}:{stamp}",
        message=ASSIGNED,
        params={
            "unit": shift.organisation.name,
            "role": text(DutyRole(role).label),
            "start": moment(shift.start),
            "end": moment(shift.end),
        },
        url=shift.get_absolute_url(),
    )


HANDOVER = message(
    "duty.handover",
    _("Handover to take over: {unit}"),
    _("{by} has handed over. Open matters: {matters}"),
)


@job("duty.notify_handover")
def notify_handover(handover_id: int, **_kwargs) -> int:
    handover = Handover.objects.select_related(
        "organisation", "incoming_shift__officer", "incoming_shift__leader", "handed_over_by"
    ).get(pk=handover_id)
    incoming = handover.incoming_shift
    if incoming is None:
        return 0
    return notify(
        [incoming.officer, incoming.leader],
        key=f"duty-handover:{handover.pk}",
        message=HANDOVER,
        params={
            "unit": handover.organisation.name,
            "by": str(handover.handed_over_by),
            "matters": handover.open_matters[:200],
        },
        url=incoming.get_absolute_url(),
    )


SWAP_BODY = _("The {role} of the shift at {start}. Reason: {reason}")
SWAP_REQUESTED = message(
    "duty.swap_requested", _("Shift swap to decide: {requester} \u2192 {counterpart}"), SWAP_BODY
)
SWAP_ASKED = message("duty.swap_asked", _("{requester} asks to swap shifts with you"), SWAP_BODY)
DECIDED_BODY = _("The {role} of the shift at {start}: {requester} \u2192 {counterpart}")
SWAP_DECIDED = {
    "approved": message("duty.swap_approved", _("Shift swap approved"), DECIDED_BODY),
    "rejected": message("duty.swap_rejected", _("Shift swap not approved"), DECIDED_BODY),
    "cancelled": message("duty.swap_cancelled", _("Shift swap withdrawn"), DECIDED_BODY),
    "pending": message("duty.swap_pending", _("Shift swap awaiting approval"), DECIDED_BODY),
}


def _swap_params(swap: Swap) -> dict:
    return {
        "requester": str(swap.requester),
        "counterpart": str(swap.counterpart),
        "role": label(swap, "role"),
        "start": moment(swap.shift.start),
        "reason": swap.reason[:200],
    }


@job("duty.notify_swap_requested")
def notify_swap_requested(swap_id: int, **_kwargs) -> int:
    swap = Swap.objects.select_related("organisation", "shift", "requester", "counterpart").get(
        pk=swap_id
    )
    from anlan.duty.workflow import may_decide

    deciders = [
        u
        for u in services.members(swap.organisation_id)
        if u.pk != swap.requester_id and may_decide(u, swap)
    ]
    params, url = _swap_params(swap), reverse("duty:swaps")
    return notify(
        deciders, key=f"duty-swap:{swap.pk}:requested", message=SWAP_REQUESTED, params=params,
        url=url,
    ) + notify(
        [swap.counterpart], key=f"duty-swap:{swap.pk}:asked", message=SWAP_ASKED, params=params,
        url=url,
    )  # fmt: skip


@job("duty.notify_swap_decided")
def notify_swap_decided(swap_id: int, **_kwargs) -> int:
    swap = Swap.objects.select_related("shift", "requester", "counterpart").get(pk=swap_id)
    return notify(
        [swap.requester, swap.counterpart],
        key=f"duty-swap:{swap.pk}:{swap.state}",
        message=SWAP_DECIDED[swap.state],
        params=_swap_params(swap),
        url=swap.shift.get_absolute_url(),
    )
