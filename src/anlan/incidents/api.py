"""Incident API: the ledger, one incident with its chain, and each report. Same forms, actions
and scoping as the pages."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from ninja import Field, FilterSchema, Query, Router, Schema, Status

from anlan.api.base import (
    Day,
    Id,
    InSchema,
    PeriodQuery,
    model_text,
    period_or_error,
    raise_form_errors,
    refuse_locked_fields,
    sent_values,
    transition_or_error,
)
from anlan.core.pagination import Pages
from anlan.core.permissions import require
from anlan.core.routes import List, NoRecords, Object, Stats, exposes
from anlan.core.scoping import access_or_404
from anlan.incidents import actions, stats
from anlan.incidents.forms import FactsForm, ForwardForm, IncidentForm, UnitReportForm
from anlan.incidents.ledger import INCIDENT_LEDGER
from anlan.incidents.models import Incident, IncidentReport
from anlan.incidents.workflow import INCIDENT_WORKFLOW

router = Router(tags=["incidents"])


class StepOut(Schema):
    from_level: str
    to_level: str
    due_at: datetime = Field(..., description="the first (phone) report's limit")
    written_due_at: datetime | None = Field(..., description="the written report's limit")
    reported_at: datetime | None = Field(..., description="the first report (phone or written)")
    written_reported_at: datetime | None = Field(..., description="the written report")
    timeliness: str = Field(..., description="first report: on_time, due or late (迟报)")
    minutes: int = Field(..., description="due: minutes left; late: minutes past; on time: spare")
    written_timeliness: str = Field(..., description="written report: on_time, due or late")
    written_minutes: int = Field(..., description="the same for the written report")


class ReportOut(Schema):
    kind: str
    channel: str = Field(..., description="written or phone")
    from_level: str
    to_level: str
    submitted_by: str = Field(..., alias="submitted_by.username")
    submitted_at: datetime
    grade: str
    deaths: int
    missing: int
    serious_injuries: int
    minor_injuries: int
    trapped: int
    direct_loss_yuan: float
    note: str


class IncidentOut(Schema):
    id: int
    number: str
    kind: str
    title: str
    grade: str
    state: str
    occurred_at: datetime
    region: str = Field(..., alias="region_id")
    enterprise: int | None = Field(None, alias="enterprise_id")
    supervision_category: str | None = Field(None, alias="supervision_category_id")
    location: str
    deaths: int
    missing: int
    serious_injuries: int
    minor_injuries: int
    trapped: int
    direct_loss_yuan: float
    known_source: str
    known_at: datetime
    unit_learned_at: datetime | None
    unit_reported_at: datetime | None
    concealment: str = Field(..., description="'', late (迟报) or suspected (瞒报嫌疑)")

    @staticmethod
    def resolve_concealment(obj: Incident) -> str:
        return obj.concealment()


class IncidentDetailOut(IncidentOut):
    description: str
    measures_taken: str
    reporter_name: str
    reporter_phone: str
    steps: list[StepOut]
    reports: list[ReportOut]

    @staticmethod
    def resolve_steps(obj: Incident) -> list[dict]:
        now = timezone.now()
        result = []
        for step in obj.steps.all():
            st, written = step.status(now), step.written_status(now)
            result.append(
                {
                    "from_level": step.from_level,
                    "to_level": step.to_level,
                    "due_at": step.due_at,
                    "written_due_at": step.written_due,
                    "reported_at": step.reported_at,
                    "written_reported_at": step.written_reported_at,
                    "timeliness": str(st.timeliness),
                    "minutes": st.minutes,
                    "written_timeliness": str(written.timeliness),
                    "written_minutes": written.minutes,
                }
            )
        return result

    @staticmethod
    def resolve_reports(obj: Incident) -> list:
        return list(obj.reports.select_related("submitted_by"))


class IncidentIn(InSchema):
    kind: str
    title: str = model_text(Incident, "title")
    occurred_at: datetime
    unit_learned_at: datetime | None = None
    known_source: str = "unit"
    enterprise: Id | None = None
    region: str = ""
    supervision_category: str = ""
    location: str = model_text(Incident, "location")
    longitude: float | None = None
    latitude: float | None = None
    deaths: int = 0
    missing: int = 0
    serious_injuries: int = 0
    minor_injuries: int = 0
    trapped: int = 0
    direct_loss_yuan: float = 0
    description: str = model_text(Incident, "description")
    measures_taken: str = model_text(Incident, "measures_taken", "")
    reporter_name: str = model_text(Incident, "reporter_name")
    reporter_phone: str = model_text(Incident, "reporter_phone")


class FactsIn(InSchema):
    deaths: int
    missing: int
    serious_injuries: int
    minor_injuries: int
    trapped: int
    direct_loss_yuan: float
    description: str = model_text(Incident, "description")
    measures_taken: str = model_text(Incident, "measures_taken", "")
    note: str = model_text(IncidentReport, "note", "")
    final: bool = False


class UnitReportIn(FactsIn):
    learned_at: datetime


class ForwardIn(InSchema):
    note: str = model_text(IncidentReport, "note", "")
    channel: str = Field(
        "written", description="written (meets both limits of the step) or phone (the first only)"
    )


class IncidentTransitionIn(InSchema):
    """The inputs of any incident transition: the facts for a report (unit_report, follow_up,
    supplement, correction, final), the channel for forward_* and written_*."""

    comment: str = model_text(IncidentReport, "note", "", description="the report's note")
    channel: str = Field("written", description="forward_*, written_*: written or phone")
    deaths: int | None = None
    missing: int | None = None
    serious_injuries: int | None = None
    minor_injuries: int | None = None
    trapped: int | None = None
    direct_loss_yuan: float | None = None
    description: str = model_text(Incident, "description", "")
    measures_taken: str = model_text(Incident, "measures_taken", "")
    learned_at: datetime | None = Field(None, description="unit_report: when the unit learned")


FOLLOW_UPS = ("follow_up", "supplement", "correction", "final")


class CompareRow(Schema):
    key: str
    name: str
    now: int
    before: int


class IncidentStatsOut(Schema):
    period: str = Field(..., description="month, quarter, year or range")
    start: date = Field(..., description="the period's first day")
    end: date = Field(..., description="the period's last day, included")
    before_start: date = Field(..., description="the same period last year: its first day")
    before_end: date = Field(..., description="and its last day (29 February: the 28th)")
    totals: dict
    totals_before: dict
    by_grade: list[CompareRow]
    by_kind: list[CompareRow]
    by_town: list[CompareRow]


def _detail(pk: int) -> Incident:
    return Incident.objects.prefetch_related("steps").get(pk=pk)


def _form_data(payload: Schema) -> dict:
    data = payload.model_dump()
    for key, value in list(data.items()):
        if value is None:
            data[key] = ""
        elif isinstance(value, datetime):
            data[key] = timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
        elif isinstance(value, bool):
            data[key] = "on" if value else ""
    return data


class IncidentFilters(FilterSchema):
    grade: str | None = None
    kind: str | None = None
    town: str | None = Field(None, description="a town's code")
    state: str | None = None
    late: bool = Field(False, description="only those with a report late (迟报)")
    enterprise: Id | None = Field(None, description="an enterprise's id")
    due: bool = Field(False, description="only those with a report due, none late")
    since: Day | None = Field(None, description="occurred on or after this (local) day")


class PagedIncidentOut(Schema):
    items: list[IncidentOut]
    count: int


@exposes(List(Incident))
@router.get("/", response=PagedIncidentOut, summary="Incidents in your jurisdiction, newest first")
def list_incidents(request, filters: Query[IncidentFilters], pagination: Query[Pages.Input]):
    require(request.auth, "incidents.view")
    raw = filters.model_dump(exclude_none=True)
    return INCIDENT_LEDGER.api_list(request.auth, raw, pagination)


@exposes(Stats(Incident, total="totals.n"))
@router.get("/stats", response=IncidentStatsOut, summary="By grade, type and town vs a year before")
def incident_stats(request, period: Query[PeriodQuery]):
    require(request.auth, "incidents.view")
    return stats.compare(request.auth, period_or_error(period))


@exposes(NoRecords("a first report: its region and enterprise are validated against the scope"))
@router.post("/", response={201: IncidentDetailOut}, summary="First report (or register)")
def create_incident(request, payload: IncidentIn):
    require(request.auth, "incidents.report")
    form = IncidentForm(_form_data(payload), user=request.auth)
    refuse_locked_fields(form, sent_values(payload))
    if not form.is_valid():
        raise_form_errors(form)
    incident = actions.do_create(form.save(commit=False), actor=request.auth)
    return Status(201, _detail(incident.pk))


@exposes(Object(Incident))
@router.get("/{int:incident_id}", response=IncidentDetailOut, summary="One incident, its chain")
def get_incident(request, incident_id: int):
    require(request.auth, "incidents.view")
    return _detail(access_or_404(Incident.objects, request.auth, incident_id).pk)


@exposes(Object(Incident))
@router.post(
    "/{int:incident_id}/follow-up",
    response=IncidentDetailOut,
    summary="Follow-up (续报), supplementary (补报) or final (终报) report; regrades",
)
def follow_up(request, incident_id: int, payload: FactsIn):
    incident = access_or_404(Incident.objects, request.auth, incident_id)
    form = FactsForm(_form_data(payload))
    if not form.is_valid():
        raise_form_errors(form)
    data = form.cleaned_data
    actions.do_follow_up(
        incident, actor=request.auth, facts=form.facts(), note=data["note"], final=data["final"]
    )
    return _detail(incident.pk)


@exposes(Object(Incident))
@router.post(
    "/{int:incident_id}/unit-report",
    response=IncidentDetailOut,
    summary="The unit's own first report of an incident the county knew of first",
)
def unit_report(request, incident_id: int, payload: UnitReportIn):
    incident = access_or_404(Incident.objects, request.auth, incident_id)
    form = UnitReportForm(_form_data(payload))
    if not form.is_valid():
        raise_form_errors(form)
    actions.do_unit_report(
        incident, actor=request.auth, facts=form.facts(), learned_at=form.cleaned_data["learned_at"]
    )
    return _detail(incident.pk)


@exposes(Object(Incident))
@router.post(
    "/{int:incident_id}/forward",
    response=IncidentDetailOut,
    summary="The county reports to the city, or the city records its report to the province "
    "(by phone, or in writing); again in writing after a phone report",
)
def forward(request, incident_id: int, payload: ForwardIn):
    incident = access_or_404(Incident.objects, request.auth, incident_id)
    form = ForwardForm(_form_data(payload))
    if not form.is_valid():
        raise_form_errors(form)
    data = form.cleaned_data
    actions.do_forward(incident, actor=request.auth, note=data["note"], channel=data["channel"])
    return _detail(incident.pk)


@exposes(Object(Incident, extra={"name": "follow_up"}))
@router.post(
    "/{int:incident_id}/transitions/{name}",
    response=IncidentDetailOut,
    summary="Take a step of the reporting chain: unit_report, forward_city, forward_province, "
    "written_city, written_province, follow_up, supplement, correction, final",
)
def transition(request, incident_id: int, name: str, payload: IncidentTransitionIn):
    incident = access_or_404(Incident.objects, request.auth, incident_id)
    data = _form_data(payload) | {"note": payload.comment, "final": "on" if name == "final" else ""}

    def take(step) -> None:
        if name == "unit_report":
            form = UnitReportForm(data)
            if not form.is_valid():
                raise_form_errors(form)
            actions.do_unit_report(
                incident, actor=request.auth, facts=form.facts(),
                learned_at=form.cleaned_data["learned_at"],
            )  # fmt: skip
        elif name in FOLLOW_UPS:
            form = FactsForm(data)
            if not form.is_valid():
                raise_form_errors(form)
            actions.do_follow_up(
                incident, actor=request.auth, facts=form.facts(), note=payload.comment,
                final=name == "final", name=name,
            )  # fmt: skip
        elif name.startswith(("forward_", "written_")):
            form = ForwardForm(data)
            if not form.is_valid():
                raise_form_errors(form)
            actions.do_forward(
                incident, actor=request.auth, note=payload.comment,
                channel=form.cleaned_data["channel"], name=name,
            )  # fmt: skip
        else:  # the deadline job's flag
            raise PermissionDenied(name)

    transition_or_error(INCIDENT_WORKFLOW, name, take)
    return _detail(incident.pk)
