"""Risk API: the register (objects, units, events, measures), assessments, investigation
tasks and enterprise risk levels. Same forms, actions and scoping as the pages."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from ninja import Field, FilterSchema, Query, Router, Schema, Status

from anlan.api.base import (
    ArchiveIn,
    ErrorOut,
    Id,
    InSchema,
    PatchSchema,
    model_text,
    raise_form_errors,
    refuse_locked_fields,
    transition_or_error,
)
from anlan.core.pagination import Pages
from anlan.core.permissions import require
from anlan.core.routes import List, Map, Object, exposes
from anlan.core.scoping import access_or_404
from anlan.registry.models import Enterprise
from anlan.risks import actions, stats
from anlan.risks.forms import ControlMeasureForm, RiskEventForm, RiskObjectForm, RiskUnitForm
from anlan.risks.ledger import (
    EVENT_LEDGER,
    MEASURE_LEDGER,
    OBJECT_LEDGER,
    TASK_LEDGER,
    UNIT_LEDGER,
)
from anlan.risks.models import (
    CheckResult,
    ControlMeasure,
    InvestigationTask,
    RiskEvent,
    RiskObject,
    RiskUnit,
)
from anlan.risks.workflow import TASK_WORKFLOW

# A body that passes every create route's validation, so the access matrix reaches the scope
# check of the parent it names (core.routes.Object(field=...)).
VALID_BODY = {
    "kind": "site",
    "name": "x",
    "area": "x",
    "factor_kind": "human",
    "factor": "x",
    "accident_types": ["fire"],
    "description": "x",
    "responsible": 1,
    "frequency": "daily",
}

router = Router(tags=["risks"])


class ObjectOut(Schema):
    id: int
    enterprise: int = Field(..., alias="enterprise_id")
    kind: str
    name: str
    description: str
    archived: bool = Field(..., alias="is_archived")


class ObjectIn(InSchema):
    enterprise: Id
    kind: str
    name: str = model_text(RiskObject, "name")
    description: str = model_text(RiskObject, "description", "")


class UnitOut(Schema):
    id: int
    enterprise: int = Field(..., alias="enterprise_id")
    risk_object: int = Field(..., alias="risk_object_id")
    name: str
    area: str
    emergency_actions: str
    emergency_phones: str
    public_path: str
    archived: bool = Field(..., alias="is_archived")

    @staticmethod
    def resolve_public_path(obj: RiskUnit) -> str:
        return obj.public_path()


class UnitIn(InSchema):
    risk_object: Id
    name: str = model_text(RiskUnit, "name")
    area: str = model_text(RiskUnit, "area")
    emergency_actions: str = model_text(RiskUnit, "emergency_actions", "")
    emergency_phones: str = model_text(RiskUnit, "emergency_phones", "")


class RiskEventOut(Schema):
    id: int
    enterprise: int = Field(..., alias="enterprise_id")
    unit: int = Field(..., alias="unit_id")
    name: str
    factor_kind: str
    factor: str
    accident_types: list[str]
    inherent_score: float | None
    inherent_level: str
    residual_score: float | None
    residual_level: str
    level: str
    colour: str
    control_levels: list[str]
    company_person: str
    workshop_person: str
    team_person: str
    post_person: str
    archived: bool = Field(..., alias="is_archived")


class RiskEventIn(InSchema):
    unit: Id
    name: str = model_text(RiskEvent, "name")
    factor_kind: str
    factor: str = model_text(RiskEvent, "factor")
    accident_types: list[str]
    company_person: str = model_text(RiskEvent, "company_person", "")
    workshop_person: str = model_text(RiskEvent, "workshop_person", "")
    team_person: str = model_text(RiskEvent, "team_person", "")
    post_person: str = model_text(RiskEvent, "post_person", "")


class AssessmentIn(InSchema):
    kind: str = Field(..., description="inherent or residual")
    method: str = Field(..., description="lec or ls")
    l: Decimal  # noqa: E741
    e: Decimal | None = None
    c: Decimal | None = None
    s: int | None = None
    note: str = ""


class AssessmentOut(Schema):
    id: int
    event: int = Field(..., alias="event_id")
    kind: str
    method: str
    l: float = Field(..., alias="l_value")  # noqa: E741
    e: float | None = Field(None, alias="e_value")
    c: float | None = Field(None, alias="c_value")
    s: float | None = Field(None, alias="s_value")
    score: float
    level: str
    note: str
    assessed_by: str = Field(..., alias="assessed_by.username")
    assessed_at: datetime


class MeasureOut(Schema):
    id: int
    enterprise: int = Field(..., alias="enterprise_id")
    event: int = Field(..., alias="event_id")
    kind: str
    description: str
    check_items: list[str]
    responsible: int = Field(..., alias="responsible_id")
    frequency: str = Field(..., description="hours, shift, twice_daily, daily, weekly, monthly, "
                           "quarterly, half_yearly, yearly or ad_hoc (no schedule)")  # fmt: skip
    interval_hours: int | None = Field(None, description="N of every N hours, else null")
    frequency_label: str = Field(..., description="as people write it, e.g. 每2小时")
    archived: bool = Field(..., alias="is_archived")

    @staticmethod
    def resolve_check_items(obj: ControlMeasure) -> list[str]:
        return obj.items()


class MeasureIn(InSchema):
    event: Id
    kind: str
    description: str = model_text(ControlMeasure, "description")
    check_items: list[str] = []
    responsible: Id
    frequency: str = Field(..., description="hours, shift, twice_daily, daily, weekly, monthly, "
                           "quarterly, half_yearly, yearly or ad_hoc (no schedule)")  # fmt: skip
    interval_hours: int | None = Field(
        None, description="for frequency hours: 1, 2, 3, 4, 6, 8 or 12 (windows from midnight)"
    )


class ResultOut(Schema):
    position: int
    item: str
    ok: bool
    note: str
    hazard: int | None = Field(None, alias="hazard_id")


class TaskOut(Schema):
    id: int
    enterprise: int = Field(..., alias="enterprise_id")
    measure: int = Field(..., alias="measure_id")
    assignee: int = Field(..., alias="assignee_id")
    frequency: str
    interval_hours: int | None = None
    frequency_label: str
    window_start: datetime
    window_end: datetime
    state: str
    passed: bool | None
    done_at: datetime | None
    items: list[str]

    @staticmethod
    def resolve_items(obj: InvestigationTask) -> list[str]:
        return obj.measure.items()


class TaskDetailOut(TaskOut):
    results: list[ResultOut]

    @staticmethod
    def resolve_results(obj: InvestigationTask) -> list:
        return list(obj.results.all())


class ItemIn(InSchema):
    ok: bool
    note: str = model_text(CheckResult, "note", "")


class CompleteIn(InSchema):
    results: list[ItemIn]


class EnterpriseRiskOut(Schema):
    id: int
    name: str
    region: str
    category: str
    lng: float
    lat: float
    level: str
    colour: str


def _save(form, actor):
    if not form.is_valid():
        raise_form_errors(form)
    return actions.do_save(form.save(commit=False), actor=actor)


def _parent(model, user, pk):
    """The parent a new record hangs from: visible (else 404) and the user's to manage."""
    from anlan.registry.models import Enterprise

    parent = access_or_404((model or Enterprise).objects, user, pk)
    actions.require_manage(user, parent.pk if model is None else parent.enterprise_id)
    return parent


# The register's lists: an enterprise's records, the archived ones only when asked for.
class RegisterFilters(FilterSchema):
    enterprise: Id | None = None
    include_archived: bool = False


class EventFilters(RegisterFilters):
    level: str | None = Field(None, description="major, larger, general or low")


class MeasureFilters(RegisterFilters):
    event: Id | None = None


# Objects
class PagedObjectOut(Schema):
    items: list[ObjectOut]
    count: int


@exposes(List(RiskObject, params={"include_archived": "true"}))
@router.get("/objects", response=PagedObjectOut, summary="Risk analysis objects in your scope")
def list_objects(request, filters: Query[RegisterFilters], pagination: Query[Pages.Input]):
    require(request.auth, "risks.view")
    raw = filters.model_dump(exclude_none=True)
    return OBJECT_LEDGER.api_list(request.auth, raw, pagination)


@exposes(
    Object(
        Enterprise,
        field="enterprise",
        body=VALID_BODY,
    )
)
@router.post(
    "/objects", response={201: ObjectOut, 404: ErrorOut}, summary="Add a risk analysis object"
)
def create_object(request, payload: ObjectIn):
    enterprise = _parent(None, request.auth, payload.enterprise)
    form = RiskObjectForm(payload.model_dump(), instance=RiskObject(enterprise=enterprise))
    return Status(201, _save(form, request.auth))


@exposes(Object(RiskObject))
@router.get("/objects/{int:object_id}", response=ObjectOut, summary="One risk analysis object")
def get_object(request, object_id: int):
    require(request.auth, "risks.view")
    return access_or_404(RiskObject.objects, request.auth, object_id)


# Units
class PagedUnitOut(Schema):
    items: list[UnitOut]
    count: int


@exposes(List(RiskUnit, params={"include_archived": "true"}))
@router.get("/units", response=PagedUnitOut, summary="Risk units in your scope")
def list_units(request, filters: Query[RegisterFilters], pagination: Query[Pages.Input]):
    require(request.auth, "risks.view")
    raw = filters.model_dump(exclude_none=True)
    return UNIT_LEDGER.api_list(request.auth, raw, pagination)


@exposes(
    Object(
        RiskObject,
        field="risk_object",
        body=VALID_BODY,
    )
)
@router.post(
    "/units", response={201: UnitOut, 404: ErrorOut}, summary="Add a risk unit to an object"
)
def create_unit(request, payload: UnitIn):
    parent = _parent(RiskObject, request.auth, payload.risk_object)
    instance = RiskUnit(risk_object=parent, enterprise_id=parent.enterprise_id)
    return Status(201, _save(RiskUnitForm(payload.model_dump(), instance=instance), request.auth))


@exposes(Object(RiskUnit))
@router.get("/units/{int:unit_id}", response=UnitOut, summary="One risk unit")
def get_unit(request, unit_id: int):
    require(request.auth, "risks.view")
    return access_or_404(RiskUnit.objects, request.auth, unit_id)


# Events and their assessments
class PagedRiskEventOut(Schema):
    items: list[RiskEventOut]
    count: int


@exposes(List(RiskEvent, params={"include_archived": "true"}))
@router.get("/events", response=PagedRiskEventOut, summary="Risk events in your scope")
def list_events(request, filters: Query[EventFilters], pagination: Query[Pages.Input]):
    require(request.auth, "risks.view")
    raw = filters.model_dump(exclude_none=True)
    return EVENT_LEDGER.api_list(request.auth, raw, pagination)


@exposes(
    Object(
        RiskUnit,
        field="unit",
        body=VALID_BODY,
    )
)
@router.post(
    "/events", response={201: RiskEventOut, 404: ErrorOut}, summary="Add a risk event to a unit"
)
def create_event(request, payload: RiskEventIn):
    parent = _parent(RiskUnit, request.auth, payload.unit)
    instance = RiskEvent(unit=parent, enterprise_id=parent.enterprise_id)
    return Status(201, _save(RiskEventForm(payload.model_dump(), instance=instance), request.auth))


@exposes(Object(RiskEvent))
@router.get("/events/{int:event_id}", response=RiskEventOut, summary="One risk event")
def get_event(request, event_id: int):
    require(request.auth, "risks.view")
    return access_or_404(RiskEvent.objects, request.auth, event_id)


@exposes(Object(RiskEvent))
@router.get(
    "/events/{int:event_id}/assessments",
    response=list[AssessmentOut],
    summary="Every grading of a risk event, newest first",
)
def list_assessments(request, event_id: int):
    require(request.auth, "risks.view")
    event = access_or_404(RiskEvent.objects, request.auth, event_id)
    return list(event.assessments.select_related("assessed_by"))


@exposes(Object(RiskEvent))
@router.post(
    "/events/{int:event_id}/assessments",
    response={201: AssessmentOut},
    summary="Grade a risk event by LEC or LS (inherent or residual risk)",
)
def create_assessment(request, event_id: int, payload: AssessmentIn):
    event = access_or_404(RiskEvent.objects.active(), request.auth, event_id)
    actions.require_manage(request.auth, event.enterprise_id)
    assessment = actions.do_assess(event, actor=request.auth, **payload.model_dump())
    return Status(201, assessment)


# Measures
class PagedMeasureOut(Schema):
    items: list[MeasureOut]
    count: int


@exposes(List(ControlMeasure, params={"include_archived": "true"}))
@router.get("/measures", response=PagedMeasureOut, summary="Control measures in your scope")
def list_measures(request, filters: Query[MeasureFilters], pagination: Query[Pages.Input]):
    require(request.auth, "risks.view")
    raw = filters.model_dump(exclude_none=True)
    return MEASURE_LEDGER.api_list(request.auth, raw, pagination)


@exposes(
    Object(
        RiskEvent,
        field="event",
        body=VALID_BODY,
    )
)
@router.post(
    "/measures",
    response={201: MeasureOut, 404: ErrorOut},
    summary="Add a control measure to an event",
)
def create_measure(request, payload: MeasureIn):
    parent = _parent(RiskEvent, request.auth, payload.event)
    data = payload.model_dump() | {"check_items": "\n".join(payload.check_items)}
    form = ControlMeasureForm(
        data,
        instance=ControlMeasure(event=parent, enterprise_id=parent.enterprise_id),
        enterprise_id=parent.enterprise_id,
    )
    return Status(201, _save(form, request.auth))


@exposes(Object(ControlMeasure))
@router.get("/measures/{int:measure_id}", response=MeasureOut, summary="One control measure")
def get_measure(request, measure_id: int):
    require(request.auth, "risks.view")
    return access_or_404(ControlMeasure.objects, request.auth, measure_id)


# Tasks
class TaskFilters(FilterSchema):
    state: str | None = Field(None, description="open, done or missed")
    mine: bool = False
    enterprise: Id | None = None
    days: int | None = Field(None, description="windows that ended in the last days")


class PagedTaskOut(Schema):
    items: list[TaskOut]
    count: int


@exposes(List(InvestigationTask))
@router.get("/tasks", response=PagedTaskOut, summary="Investigation tasks in your scope")
def list_tasks(request, filters: Query[TaskFilters], pagination: Query[Pages.Input]):
    require(request.auth, "risks.view")
    raw = filters.model_dump(exclude_none=True)
    return TASK_LEDGER.api_list(request.auth, raw, pagination)


@exposes(Object(InvestigationTask))
@router.get("/tasks/{int:task_id}", response=TaskDetailOut, summary="One task with its results")
def get_task(request, task_id: int):
    require(request.auth, "risks.view")
    return access_or_404(InvestigationTask.objects.select_related("measure"), request.auth, task_id)


@exposes(Object(InvestigationTask))
@router.post(
    "/tasks/{int:task_id}/complete",
    response=TaskDetailOut,
    summary="Record a check item by item; failed items open hazards",
)
def complete_task(request, task_id: int, payload: CompleteIn):
    task = access_or_404(InvestigationTask.objects, request.auth, task_id)
    results = [actions.ItemResult(ok=r.ok, note=r.note) for r in payload.results]
    actions.do_complete_task(task, actor=request.auth, results=results)
    return InvestigationTask.objects.select_related("measure").get(pk=task.pk)


@exposes(Object(InvestigationTask, extra={"name": "complete"}))
@router.post(
    "/tasks/{int:task_id}/transitions/{name}",
    response=TaskDetailOut,
    summary="Take a step of a task: complete (its results item by item; failed items open "
    "hazards). Cancelled and missed are set by the register and the job.",
)
def task_transition(request, task_id: int, name: str, payload: CompleteIn):
    task = access_or_404(InvestigationTask.objects, request.auth, task_id)

    def take(step) -> None:
        if step.name != "complete":
            raise PermissionDenied(name)  # a measure's change or the job, not a request
        results = [actions.ItemResult(ok=r.ok, note=r.note) for r in payload.results]
        actions.do_complete_task(task, actor=request.auth, results=results)

    transition_or_error(TASK_WORKFLOW, name, take)
    return InvestigationTask.objects.select_related("measure").get(pk=task.pk)


@exposes(Map(Enterprise, where=stats.ON_THE_MAP))
@router.get(
    "/enterprises",
    response=list[EnterpriseRiskOut],
    summary="Enterprises with coordinates and their highest risk level (四色图)",
)
def enterprise_levels(request, town: str = "", category: str = "", level: str = ""):
    require(request.auth, "risks.view")
    return stats.map_points(request.auth, town=town, category=category, level=level)


# Changing and archiving what the register holds: the fields sent replace the stored ones, the
# rest stay; the same forms validate as for creation.
class ObjectPatch(PatchSchema):
    kind: str | None = None
    name: str | None = model_text(RiskObject, "name", None)
    description: str | None = model_text(RiskObject, "description", None)


class UnitPatch(PatchSchema):
    name: str | None = model_text(RiskUnit, "name", None)
    area: str | None = model_text(RiskUnit, "area", None)
    emergency_actions: str | None = model_text(RiskUnit, "emergency_actions", None)
    emergency_phones: str | None = model_text(RiskUnit, "emergency_phones", None)


class RiskEventPatch(PatchSchema):
    name: str | None = model_text(RiskEvent, "name", None)
    factor_kind: str | None = None
    factor: str | None = model_text(RiskEvent, "factor", None)
    accident_types: list[str] | None = None
    company_person: str | None = model_text(RiskEvent, "company_person", None)
    workshop_person: str | None = model_text(RiskEvent, "workshop_person", None)
    team_person: str | None = model_text(RiskEvent, "team_person", None)
    post_person: str | None = model_text(RiskEvent, "post_person", None)


class MeasurePatch(PatchSchema):
    kind: str | None = None
    description: str | None = model_text(ControlMeasure, "description", None)
    check_items: list[str] | None = None
    responsible: Id | None = None
    frequency: str | None = None
    interval_hours: int | None = None


def _patch(model, form_class, request, pk: int, payload: Schema):
    from django.forms.models import model_to_dict

    record = access_or_404(model.objects.active(), request.auth, pk)
    actions.require_manage(request.auth, record.enterprise_id)
    fields = list(form_class._meta.fields)
    data = model_to_dict(record, fields=fields)
    sent = payload.model_dump(exclude_unset=True)
    if "check_items" in sent:
        sent["check_items"] = "\n".join(sent["check_items"] or [])
    data |= {k: v for k, v in sent.items() if v is not None}
    extra = {"enterprise_id": record.enterprise_id} if form_class is ControlMeasureForm else {}
    form = form_class(data, instance=record, **extra)
    refuse_locked_fields(form, sent)
    return _save(form, request.auth)


def _archive(model, request, pk: int, payload: ArchiveIn):
    record = access_or_404(model.objects, request.auth, pk)
    actions.require_manage(request.auth, record.enterprise_id)
    return actions.do_archive(record, actor=request.auth, reason=payload.reason)


@exposes(Object(RiskObject))
@router.patch("/objects/{int:object_id}", response=ObjectOut, summary="Change an analysis object")
def patch_object(request, object_id: int, payload: ObjectPatch):
    return _patch(RiskObject, RiskObjectForm, request, object_id, payload)


@exposes(Object(RiskObject))
@router.post(
    "/objects/{int:object_id}/archive",
    response=ObjectOut,
    summary="Archive an object with everything below it (open checks are cancelled)",
)
def archive_object(request, object_id: int, payload: ArchiveIn):
    return _archive(RiskObject, request, object_id, payload)


@exposes(Object(RiskUnit))
@router.patch("/units/{int:unit_id}", response=UnitOut, summary="Change a risk unit")
def patch_unit(request, unit_id: int, payload: UnitPatch):
    return _patch(RiskUnit, RiskUnitForm, request, unit_id, payload)


@exposes(Object(RiskUnit))
@router.post("/units/{int:unit_id}/archive", response=UnitOut, summary="Archive a risk unit")
def archive_unit(request, unit_id: int, payload: ArchiveIn):
    return _archive(RiskUnit, request, unit_id, payload)


@exposes(Object(RiskEvent))
@router.patch("/events/{int:event_id}", response=RiskEventOut, summary="Change a risk event")
def patch_event(request, event_id: int, payload: RiskEventPatch):
    return _patch(RiskEvent, RiskEventForm, request, event_id, payload)


@exposes(Object(RiskEvent))
@router.post("/events/{int:event_id}/archive", response=RiskEventOut, summary="Archive an event")
def archive_event(request, event_id: int, payload: ArchiveIn):
    return _archive(RiskEvent, request, event_id, payload)


@exposes(Object(ControlMeasure))
@router.patch(
    "/measures/{int:measure_id}",
    response=MeasureOut,
    summary="Change a control measure (a new frequency starts a new schedule)",
)
def patch_measure(request, measure_id: int, payload: MeasurePatch):
    return _patch(ControlMeasure, ControlMeasureForm, request, measure_id, payload)


@exposes(Object(ControlMeasure))
@router.post(
    "/measures/{int:measure_id}/archive", response=MeasureOut, summary="Archive a control measure"
)
def archive_measure(request, measure_id: int, payload: ArchiveIn):
    return _archive(ControlMeasure, request, measure_id, payload)
