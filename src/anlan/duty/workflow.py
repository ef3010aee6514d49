"""Duty rosters and shift swaps as data (core/workflow.py runs them).

Rosters: (created) draft ─publish→ published. The unit's duty managers create and publish; a
roster leaving any time of its month without someone on duty is not published (DOMAIN.md §13).

Swaps: (requested) pending ─approve_swap→ approved   (the shifts' people are exchanged, atomically, with history)
   ├────reject_swap──→ rejected
   └────cancel_swap──→ cancelled  (withdrawn by the requester)

The unit's duty managers and leaders decide (duty.approve, of the same unit), never the
requester themself.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anlan.core.history import save_with_history
from anlan.core.permissions import can
from anlan.core.workflow import Transition, Workflow
from anlan.duty import rules
from anlan.duty.models import (
    Roster,
    RosterEvent,
    RosterState,
    Shift,
    Swap,
    SwapEvent,
    SwapState,
)

S = SwapState


def may_manage(actor, organisation_id: int | None) -> bool:
    """Whether ``actor`` keeps this unit's duty (its own staff with duty.manage)."""
    if not can(actor, "duty.manage") or organisation_id is None:
        return False
    return actor.is_superuser or actor.organisation_id == organisation_id


def manages(actor, roster: Roster) -> bool:
    return may_manage(actor, roster.organisation_id)


def _check_publishable(roster: Roster, actor, inputs: dict[str, Any]) -> None:
    from anlan.duty.actions import roster_gaps

    if not roster.shifts.exists():
        raise ValidationError(_("Generate or add shifts before publishing."))
    gaps = roster_gaps(roster)
    if gaps:
        message = rules.gaps_message(gaps, timezone.get_current_timezone())
        raise ValidationError(message, code="uncovered")
    roster.published_at, roster.published_by = inputs["at"], actor


def _roster_published(roster: Roster, actor, inputs: dict[str, Any]) -> None:
    from anlan.core.jobs import enqueue

    enqueue("duty.notify_roster_published", roster_id=roster.pk)


ROSTER_WORKFLOW = Workflow(
    name="duty_roster",
    model=Roster,
    event_model=RosterEvent,
    event_fk="roster",
    transitions=[
        Transition(
            "create_roster", (), RosterState.DRAFT, _("created the roster"), manages,
        ),
        Transition(
            "publish", (RosterState.DRAFT,), RosterState.PUBLISHED, _("published the roster"),
            manages, apply=_check_publishable, after_commit=_roster_published, style="success",
        ),
    ],
)  # fmt: skip


def may_decide(actor, swap: Swap) -> bool:
    if actor is None or actor.pk == swap.requester_id or not can(actor, "duty.approve"):
        return False
    return actor.is_superuser or actor.organisation_id == swap.organisation_id


def is_requester(actor, swap: Swap) -> bool:
    return actor is not None and actor.pk == swap.requester_id


def people(shift: Shift) -> rules.People:
    return rules.People(shift.pk, shift.start, shift.officer_id, shift.leader_id)


def assign(shift: Shift, role: str, user, *, actor, reason: str, now=None) -> None:
    """Put ``user`` in ``role`` on ``shift`` (their own phone); a check-in of the previous
    holder does not count for the new one."""
    if role == rules.DutyRole.OFFICER:
        shift.officer, shift.officer_phone, shift.officer_checked_in_at = user, user.phone, None
    else:
        shift.leader, shift.leader_phone, shift.leader_checked_in_at = user, user.phone, None
    save_with_history(shift, actor=actor, reason=reason, at=now or timezone.now())


def _apply_approve(swap: Swap, actor, inputs: dict[str, Any]) -> None:
    from anlan.duty.services import members

    now = inputs["at"]
    ids = [swap.shift_id] + ([swap.counterpart_shift_id] if swap.counterpart_shift_id else [])
    locked = {s.pk: s for s in Shift.objects.select_for_update().filter(pk__in=ids)}
    shift = locked[swap.shift_id]
    other = locked.get(swap.counterpart_shift_id) if swap.counterpart_shift_id else None
    problem = rules.swap_problem(
        role=swap.role,
        requester=swap.requester_id,
        counterpart=swap.counterpart_id,
        shift=people(shift),
        counterpart_shift=people(other) if other else None,
        now=now,
    )
    if problem:
        raise ValidationError(problem)
    staff = members(swap.organisation_id)
    counterpart = staff.filter(pk=swap.counterpart_id).first()
    requester = staff.filter(pk=swap.requester_id).first()
    if counterpart is None or (other is not None and requester is None):
        raise ValidationError(_("Both people must still work for the unit."))
    reason = f"换班：{swap.requester} ⇄ {counterpart}（审批人 {actor}）"
    assign(shift, swap.role, counterpart, actor=actor, reason=reason, now=now)
    if other is not None:
        assign(other, swap.role, requester, actor=actor, reason=reason, now=now)
    swap.decided_by, swap.decided_at = actor, now


def _apply_decided(swap: Swap, actor, inputs: dict[str, Any]) -> None:
    swap.decided_by, swap.decided_at = actor, inputs["at"]


def _after(swap: Swap, actor, inputs: dict[str, Any]) -> None:
    from anlan.core.jobs import enqueue

    enqueue("duty.notify_swap_decided", swap_id=swap.pk)


def _requested(swap: Swap, actor, inputs: dict[str, Any]) -> None:
    from anlan.core.jobs import enqueue

    enqueue("duty.notify_swap_requested", swap_id=swap.pk)


def may_request(actor, swap: Swap) -> bool:
    """A person scheduled on the shift asks for their own place (do_request_swap checks the
    role on the locked shift)."""
    return is_requester(actor, swap)


SWAP_WORKFLOW = Workflow(
    name="duty_swap",
    model=Swap,
    event_model=SwapEvent,
    event_fk="swap",
    transitions=[
        Transition(
            "request_swap", (), S.PENDING, _("requested a swap"), may_request,
            after_commit=_requested,
        ),
        Transition(
            "approve_swap", (S.PENDING,), S.APPROVED, _("approve the swap"), may_decide,
            apply=_apply_approve, after_commit=_after, style="success",
        ),
        Transition(
            "reject_swap", (S.PENDING,), S.REJECTED, _("reject the swap"), may_decide,
            requires=("comment",), apply=_apply_decided, after_commit=_after, style="danger",
        ),
        Transition(
            "cancel_swap", (S.PENDING,), S.CANCELLED, _("withdraw the request"), is_requester,
            apply=_apply_decided, style="secondary",
        ),
    ],
)  # fmt: skip
