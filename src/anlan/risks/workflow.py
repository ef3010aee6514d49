"""Investigation tasks as data (core/workflow.py runs them).

(scheduled by the job) open ─complete→ done      the assignee (or the safety manager) checks
                            ├─cancel──→ cancelled its measure changed frequency or was archived
                            └─miss────→ missed    the job, once the window has ended

A task is created open by the scheduling job in bulk (no event: thousands a day); its end is an
event. Missed tasks are moved in bulk (run_bulk) by risks.tasks.mark_missed.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from anlan.core.permissions import can
from anlan.core.workflow import StaleTransition, Transition, Workflow, nobody
from anlan.risks.models import CheckResult, InvestigationTask, TaskEvent, TaskState

S = TaskState


def may_manage(actor, enterprise_id: int | None) -> bool:
    """Whether ``actor`` keeps the risk register of this enterprise (its safety manager)."""
    if not can(actor, "risks.manage"):
        return False
    return actor.is_superuser or (
        enterprise_id is not None and actor.enterprise_id == enterprise_id
    )


def may_check(actor, task: InvestigationTask) -> bool:
    """The assignee does the check; the enterprise's safety manager may do it in their stead."""
    if not can(actor, "risks.check"):
        return False
    return actor.pk == task.assignee_id or may_manage(actor, task.enterprise_id)


def may_cancel(actor, task: InvestigationTask) -> bool:
    return may_manage(actor, task.enterprise_id)


def _complete(task: InvestigationTask, actor, inputs: dict[str, Any]) -> None:
    """Record the results item by item; each failed item opens a hazard (企业自查) linked back
    through its CheckResult (actions.open_hazard)."""
    from anlan.risks.actions import open_hazard

    now, results = inputs["at"], inputs["results"]
    if now >= task.window_end:
        raise StaleTransition(_("The window of this task has passed; it counts as missed."))
    if now < task.window_start:
        raise ValidationError(_("This task's window has not started yet."))
    items = task.measure.items()
    if len(results) != len(items):
        raise ValidationError(_("Record a result for every check item."))
    for position, result in enumerate(results, start=1):
        if not result.ok and not result.note.strip():
            raise ValidationError({f"note_{position}": _("Describe what was found.")})
    for position, (item, result) in enumerate(zip(items, results, strict=True), start=1):
        hazard = None if result.ok else open_hazard(task, item, result, actor, now)
        CheckResult.objects.create(
            task=task, position=position, item=item, ok=result.ok, note=result.note, hazard=hazard
        )
    task.passed = all(r.ok for r in results)
    task.done_at, task.done_by = now, actor
    inputs["event_data"] = {"passed": task.passed}


TASK_WORKFLOW = Workflow(
    name="risk_task",
    model=InvestigationTask,
    event_model=TaskEvent,
    event_fk="task",
    transitions=[
        Transition(
            "complete", (S.OPEN,), S.DONE, _("check recorded"), may_check, apply=_complete,
            style="success",
        ),
        Transition(
            "cancel", (S.OPEN,), S.CANCELLED, _("cancelled"), may_cancel, system=True,
            style="secondary",
        ),
        Transition("miss", (S.OPEN,), S.MISSED, _("missed"), nobody, system=True),
    ],
)  # fmt: skip
