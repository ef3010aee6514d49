"""Shift swaps as data (core/workflow.py runs them).

pending ─approve_swap→ approved   (the shifts' people are exchanged, atomically, with history)
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
from anlan.duty.models import Shift, Swap, SwapEvent, SwapState

S = SwapState


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

    now = inputs.get("now") or timezone.now()
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
    swap._history_date = now


def _apply_decided(swap: Swap, actor, inputs: dict[str, Any]) -> None:
    swap.decided_by, swap.decided_at = actor, inputs.get("now") or timezone.now()
    swap._history_date = swap.decided_at


def _after(swap: Swap, actor, inputs: dict[str, Any]) -> None:
    from anlan.duty.tasks import notify_swap_decided

    notify_swap_decided(swap.pk)


SWAP_WORKFLOW = Workflow(
    name="duty_swap",
    event_model=SwapEvent,
    event_fk="swap",
    transitions=[
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
