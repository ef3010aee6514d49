"""Every write to the risk register and its tasks goes through these functions (pages, API,
import and jobs call them)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from anlan.core.history import save_with_history
from anlan.core.uploads import CleanImage
from anlan.core.workflow import run_bulk, run_transition
from anlan.hazards.models import Hazard, HazardLevel, HazardSource, SiteKind
from anlan.risks import rules
from anlan.risks.models import (
    HAZARD_CATEGORY_OF_MEASURE,
    Assessment,
    AssessmentKind,
    ControlMeasure,
    InvestigationTask,
    Method,
    RiskEvent,
    RiskObject,
    RiskUnit,
    TaskState,
)
from anlan.risks.workflow import TASK_WORKFLOW, may_check, may_manage  # noqa: F401 (views)

# A record of the register: what do_save and do_archive take.
Record = TypeVar("Record", RiskObject, RiskUnit, RiskEvent, ControlMeasure)


def require_manage(actor, enterprise_id: int | None) -> None:
    if not may_manage(actor, enterprise_id):
        raise PermissionDenied("risks.manage")


@transaction.atomic
def do_save(record: Record, *, actor, reason: str = "") -> Record:
    """Create or change an object, unit, event or measure of the actor's own register."""
    require_manage(actor, record.enterprise_id)
    record.full_clean(exclude=["public_token"])
    if isinstance(record, ControlMeasure) and record.pk is not None:
        _reschedule(record, actor)
    return save_with_history(record, actor=actor, reason=reason)


def _reschedule(measure: ControlMeasure, actor) -> None:
    """A new frequency (or number of hours) starts a new schedule (open checks of the old one
    are cancelled); a new owner takes over the open checks."""
    before = ControlMeasure.objects.select_for_update().get(pk=measure.pk)
    open_tasks = InvestigationTask.objects.filter(measure=measure, state=TaskState.OPEN)
    if (before.frequency, before.interval_hours) != (measure.frequency, measure.interval_hours):
        now = timezone.now()
        _cancel(open_tasks, actor, now)
        measure.schedule_from, measure.scheduled_until = now, None
    elif before.responsible_id != measure.responsible_id:
        open_tasks.update(assignee_id=measure.responsible_id)


def _cancel(tasks, actor, at) -> None:
    run_bulk(TASK_WORKFLOW, tasks, "cancel", at=at, actor=actor)


# What archiving a record archives with it: everything below it in the chain.
def _below(record) -> list:
    if isinstance(record, RiskObject):
        units = list(record.units.filter(archived_at__isnull=True))
        return units + [r for unit in units for r in _below(unit)]
    if isinstance(record, RiskUnit):
        events = list(record.events.filter(archived_at__isnull=True))
        return events + [r for event in events for r in _below(event)]
    if isinstance(record, RiskEvent):
        return list(record.measures.filter(archived_at__isnull=True))
    return []


@transaction.atomic
def do_archive(record: Record, *, actor, reason: str) -> Record:
    """Archive a record and what hangs from it (never deleted); open checks are cancelled."""
    require_manage(actor, record.enterprise_id)
    if not reason.strip():
        raise ValidationError({"reason": _("Give a reason for archiving.")})
    if record.archived_at is not None:
        return record
    now = timezone.now()
    for item in [record, *_below(record)]:
        item.archived_at, item.archived_by, item.archive_reason = now, actor, reason.strip()
        save_with_history(item, actor=actor)
        if isinstance(item, ControlMeasure):
            _cancel(InvestigationTask.objects.filter(measure=item), actor, now)
    return record


def grade(method: str, *, l, e=None, c=None, s=None) -> rules.Grade:  # noqa: E741
    """Grade by the chosen method; a value outside its table is a ValidationError per field."""
    try:
        if method == Method.LEC:
            return rules.lec(l, e, c)
        if method == Method.LS:
            return rules.ls(l, s)
    except (ValueError, ArithmeticError, TypeError) as exc:
        raise ValidationError(_("The values are outside the method's table.")) from exc
    raise ValidationError({"method": _("Choose LEC or the risk matrix (LS).")})


@transaction.atomic
def do_assess(
    event: RiskEvent,
    *,
    actor,
    kind: str,
    method: str,
    l,  # noqa: E741
    e=None,
    c=None,
    s=None,
    note: str = "",
) -> Assessment:
    """Grade a risk event (inherent or residual risk); the event keeps the latest grade."""
    require_manage(actor, event.enterprise_id)
    if kind not in AssessmentKind.values:
        raise ValidationError({"kind": _("Choose inherent or residual risk.")})
    result = grade(method, l=l, e=e, c=c, s=s)
    locked = RiskEvent.objects.select_for_update().get(pk=event.pk)
    # Controls lower a risk; a residual risk above the inherent one is a grading mistake.
    other = locked.inherent_level if kind == AssessmentKind.RESIDUAL else locked.residual_level
    if other and (
        kind == AssessmentKind.RESIDUAL
        and rules.LEVEL_RANK[result.level] > rules.LEVEL_RANK[other]
        or kind == AssessmentKind.INHERENT
        and rules.LEVEL_RANK[result.level] < rules.LEVEL_RANK[other]
    ):
        raise ValidationError(_("The residual risk cannot be higher than the inherent risk."))
    assessment = Assessment.objects.create(
        enterprise_id=locked.enterprise_id,
        event=locked,
        kind=kind,
        method=method,
        l_value=Decimal(str(l)),
        e_value=Decimal(str(e)) if method == Method.LEC else None,
        c_value=Decimal(str(c)) if method == Method.LEC else None,
        s_value=Decimal(str(s)) if method == Method.LS else None,
        score=result.score,
        level=result.level,
        note=note,
        assessed_by=actor,
    )
    setattr(locked, f"{kind}_score", result.score)
    setattr(locked, f"{kind}_level", result.level)
    save_with_history(
        locked, actor=actor, reason=_("Graded: %(level)s") % {"level": result.level.label}
    )
    event.refresh_from_db()
    return assessment


@dataclass(frozen=True)
class ItemResult:
    ok: bool
    note: str = ""
    photo: CleanImage | None = None


def do_complete_task(
    task: InvestigationTask, *, actor, results: list[ItemResult], now=None
) -> InvestigationTask:
    """Record a check item by item (workflow._complete). Each failed item opens a hazard
    (企业自查) in the loop, linked back to the measure and risk event through its CheckResult."""
    run_transition(
        TASK_WORKFLOW, task, "complete", actor=actor, at=now, inputs={"results": results}
    )
    return task


def open_hazard(task: InvestigationTask, item: str, result: ItemResult, actor, now) -> Hazard:
    from anlan.hazards.actions import do_report_hazard

    measure = task.measure
    event = measure.event
    unit = event.unit
    hazard = Hazard(
        enterprise=task.enterprise,
        site_kind=SiteKind.ENTERPRISE,
        location=f"{unit.area} {unit.name}".strip(),
        source=HazardSource.ENTERPRISE_SELF,
        found_at=now,
        description=_("Check failed: %(item)s. %(note)s")
        % {"item": item, "note": result.note.strip()},
        category_id=HAZARD_CATEGORY_OF_MEASURE[measure.kind],
        level=HazardLevel.GENERAL,
        legal_basis="",
        suggested_measures=_("Control measure of risk event “%(event)s”: %(measure)s")
        % {"event": event.name, "measure": measure.description},
    )
    return do_report_hazard(hazard, actor=actor, photos=[result.photo] if result.photo else [])
