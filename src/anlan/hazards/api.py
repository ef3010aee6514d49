"""Hazard API: the ledger, one hazard, reporting, and one POST per workflow transition.

Reporting and transitions take ``multipart/form-data`` so photos travel with the step, and
validate through the same forms and actions as the web pages.
"""

from datetime import date, datetime
from decimal import Decimal

from django.http import Http404
from django.utils.datastructures import MultiValueDict
from ninja import Field, File, FilterSchema, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from anlan.api.base import (
    Day,
    Id,
    InSchema,
    PeriodQuery,
    json_response,
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
from anlan.hazards import actions, stats
from anlan.hazards.forms import (
    DecisionForm,
    ExtensionForm,
    HazardForm,
    ListingForm,
    PlanForm,
    StepForm,
)
from anlan.hazards.ledger import HAZARD_LEDGER
from anlan.hazards.models import ExtensionRequest, Hazard, HazardEvent, Listing
from anlan.hazards.workflow import EXTENSION_WORKFLOW, HAZARD_WORKFLOW

router = Router(tags=["hazards"])
# The API answers with codes, not names: join only what the output reads (each join costs
# planning time on every request; bench/RESULTS.md).
RELATED = ("enterprise", "listing")


class EventOut(Schema):
    transition: str
    from_state: str
    to_state: str
    actor: str | None = Field(None, alias="actor.username")
    comment: str
    data: dict
    created_at: datetime


class HazardOut(Schema):
    id: int
    number: str
    enterprise: int | None = Field(None, alias="enterprise_id")
    subject_name: str
    site_kind: str
    region: str = Field(..., alias="region_id")
    supervision_category: str = Field(..., alias="supervision_category_id")
    location: str
    longitude: Decimal | None
    latitude: Decimal | None
    source: str
    found_at: datetime
    description: str
    category: str = Field(..., alias="category_id")
    level: str
    state: str
    deadline: date | None
    deadline_status: str | None
    responsible_person: str
    measures: str
    funds: Decimal | None
    notice_number: str
    listed: bool
    closed_at: datetime | None

    @staticmethod
    def resolve_deadline_status(obj: Hazard) -> str | None:
        status = obj.deadline_status()
        return str(status) if status else None

    @staticmethod
    def resolve_listed(obj: Hazard) -> bool:
        listing = getattr(obj, "listing", None)
        return bool(listing and listing.is_active)


class PagedHazardOut(Schema):
    items: list[HazardOut]
    count: int


class HazardDetailOut(HazardOut):
    ordered_deadline: date | None = Field(None, alias="original_deadline")
    confirmed_at: datetime | None
    referred_at: datetime | None
    assessment: str
    review_due: date | None = Field(None, description="a treated major hazard's on-site review by")
    events: list[EventOut]
    available_transitions: list[str]

    @staticmethod
    def resolve_events(obj: Hazard) -> list:
        return list(obj.events.select_related("actor"))


class HazardIn(InSchema):
    enterprise: Id | None = None
    site_kind: str = "enterprise"
    site_name: str = model_text(Hazard, "site_name", "")
    region: str = ""
    supervision_category: str = ""
    location: str = model_text(Hazard, "location", "")
    longitude: Decimal | None = None
    latitude: Decimal | None = None
    source: str = Field("", description="left out by an enterprise: its self-check")
    found_at: datetime | None = None
    description: str = model_text(Hazard, "description")
    category: str
    level: str
    legal_basis: str = model_text(Hazard, "legal_basis", "")
    suggested_measures: str = model_text(Hazard, "suggested_measures", "")


class TransitionIn(InSchema):
    comment: str = model_text(HazardEvent, "comment", "")
    assessment: str = model_text(
        Hazard,
        "assessment",
        "",
        description="submit of a major hazard: who assessed it, conclusion",
    )
    level: str = ""
    responsible_person: str = model_text(Hazard, "responsible_person", "")
    responsible_phone: str = model_text(Hazard, "responsible_phone", "")
    measures: str = model_text(Hazard, "measures", "")
    funds: str = ""
    deadline: str = ""
    plan_goal: str = model_text(Hazard, "plan_goal", "")
    plan_resources: str = model_text(Hazard, "plan_resources", "")
    plan_organisation: str = model_text(Hazard, "plan_organisation", "")
    plan_requirements: str = model_text(Hazard, "plan_requirements", "")
    plan_safety_measures: str = model_text(Hazard, "plan_safety_measures", "")


class HazardFilters(FilterSchema):
    q: str | None = None
    region: str | None = None
    enterprise: Id | None = None
    category: str | None = None
    industry: str | None = None
    level: str | None = None
    state: str | None = Field(None, description="a state, or 'open'")
    source: str | None = None
    overdue: str | None = Field(None, description="1 or 0")
    listed: str | None = Field(None, description="1 or 0")
    found_from: Day | None = Field(None, description="found on or after this local day")
    found_to: Day | None = Field(None, description="found on or before this local day")
    due_soon: str | None = Field(None, description="1: the deadline is within the due-soon days")
    todo: str | None = Field(
        None, description="confirm, accept, close, extension or rectify: awaiting that step"
    )
    mine: str | None = Field(None, description="1: reported by the caller")


def _files(request) -> MultiValueDict:
    # The `photos` parameter documents the field in OpenAPI; the files themselves are read
    # from the request, so an optional list of any length works the same for every client.
    return MultiValueDict({"photos": request.FILES.getlist("photos")})


def _visible(request, hazard_id: int) -> Hazard:
    """The hazard if it lies in the caller's jurisdiction (else 404) and they may view hazards."""
    hazard = access_or_404(Hazard.objects, request.auth, hazard_id)
    require(request.auth, "hazards.view")
    return hazard


def _detail(request, pk: int) -> Hazard:
    hazard = Hazard.objects.select_related(*RELATED).get(pk=pk)
    hazard.available_transitions = [t.name for t in HAZARD_WORKFLOW.available(hazard, request.auth)]
    return hazard


@exposes(List(Hazard))
@router.get("/", response=PagedHazardOut, summary="The hazard ledger in your jurisdiction")
def list_hazards(request, filters: Query[HazardFilters], pagination: Query[Pages.Input]):
    require(request.auth, "hazards.view")
    page = HAZARD_LEDGER.api_list(request.auth, filters.model_dump(exclude_none=True), pagination)
    # Already in PagedHazardOut's shape: rendered as is, without validating each row again.
    return json_response(request, page)


class Figures(Schema):
    found: int
    closed: int
    closure_rate: float
    overdue: int
    major: int


class StatsRow(Figures):
    name: str
    before: Figures | None = Field(None, description="the same period last year")


class StatsOut(Schema):
    period: str = Field(..., description="all, month, quarter, year or range")
    start: date | None = Field(..., description="the period's first day (none: all records)")
    end: date | None = Field(..., description="the period's last day, included")
    before_start: date | None = Field(..., description="the same period last year")
    before_end: date | None
    totals: StatsRow
    by_town: list[StatsRow]
    by_department: list[StatsRow]


@exposes(Stats(Hazard, total="totals.found"))
@router.get("/stats", response=StatsOut, summary="Statistics by town and by department")
def hazard_stats(request, filters: Query[HazardFilters], period: Query[PeriodQuery]):
    """Hazards found in the period (all of them by default), each figure beside the same
    period last year; the other filters are the ledger's."""
    require(request.auth, "hazards.view")
    data = HAZARD_LEDGER.api_filters(request.auth, filters.model_dump(exclude_none=True))
    numbers = stats.compare(request.auth, data, period_or_error(period, "all", allow_all=True))
    numbers["totals"]["name"] = ""
    return numbers


@exposes(Object(Hazard))
@router.get("/{int:hazard_id}", response=HazardDetailOut, summary="One hazard with its timeline")
def get_hazard(request, hazard_id: int):
    hazard = _visible(request, hazard_id)
    return _detail(request, hazard.pk)


@exposes(NoRecords("a report: its enterprise or region is validated against the scope"))
@router.post(
    "/", response={201: HazardDetailOut}, summary="Report a hazard (multipart, photos optional)"
)
def report_hazard(request, payload: Form[HazardIn], photos: File[list[UploadedFile]] = None):
    require(request.auth, "hazards.report")
    data = {k: ("" if v is None else v) for k, v in payload.model_dump().items()}
    if not data["found_at"]:
        data.pop("found_at")
    form = HazardForm(data=data, files=_files(request), user=request.auth)
    refuse_locked_fields(form, sent_values(payload))
    if not form.is_valid():
        raise_form_errors(form)
    hazard = actions.do_report_hazard(
        form.save(commit=False), actor=request.auth, photos=form.cleaned_data["photos"]
    )
    return Status(201, _detail(request, hazard.pk))


@exposes(Object(Hazard, extra={"name": "confirm"}))
@router.post(
    "/{int:hazard_id}/transitions/{name}",
    response=HazardDetailOut,
    summary="Take a workflow step: confirm, reject, refer, regrade, plan, fix_now, submit, "
    "accept, return, close",
)
def transition(
    request,
    hazard_id: int,
    name: str,
    payload: Form[TransitionIn],
    photos: File[list[UploadedFile]] = None,
):
    hazard = _visible(request, hazard_id)

    def take(step) -> None:
        data = payload.model_dump()
        if name == "plan":
            form = PlanForm(data=data, hazard=hazard)
            if not form.is_valid():
                raise_form_errors(form)
            kwargs = {"plan": form.cleaned_data}
        else:
            form = StepForm(data=data, files=_files(request))
            if not form.is_valid():
                raise_form_errors(form)
            kwargs = form.step_inputs()
        actions.do_transition(hazard, name, actor=request.auth, **kwargs)

    transition_or_error(HAZARD_WORKFLOW, name, take)
    return _detail(request, hazard.pk)


class ExtensionIn(Schema):
    new_deadline: str = ""
    reason: str = model_text(ExtensionRequest, "reason", "")


class DecisionIn(Schema):
    approve: str = Field("", description="1 to approve, 0 to refuse")
    comment: str = model_text(ExtensionRequest, "decision_comment", "")


class ExtensionTransitionIn(InSchema):
    comment: str = model_text(ExtensionRequest, "decision_comment", "")


class ListingIn(Schema):
    responsible_leaders: str = model_text(Listing, "responsible_leaders", "")
    deadline: str = ""
    public_exposure: bool = False


def _valid(form):
    if not form.is_valid():
        raise_form_errors(form)
    return form.cleaned_data


@exposes(Object(Hazard))
@router.post(
    "/{int:hazard_id}/extensions",
    response=HazardDetailOut,
    summary="Ask for a later deadline (the rectifying unit)",
)
def request_extension(request, hazard_id: int, payload: Form[ExtensionIn]):
    hazard = _visible(request, hazard_id)
    actions.do_request_extension(
        hazard, actor=request.auth, **_valid(ExtensionForm(data=payload.model_dump()))
    )
    return _detail(request, hazard.pk)


@exposes(Object(ExtensionRequest, url={"hazard_id": "hazard_id", "extension_id": "pk"}))
@router.post(
    "/{int:hazard_id}/extensions/{int:extension_id}/decision",
    response=HazardDetailOut,
    summary="Approve or refuse an extension (the confirming unit, or one above it)",
)
def decide_extension(request, hazard_id: int, extension_id: int, payload: Form[DecisionIn]):
    hazard = _visible(request, hazard_id)
    extension = hazard.extensions.filter(pk=extension_id).first()
    if extension is None:
        raise Http404
    actions.do_decide_extension(
        extension, actor=request.auth, **_valid(DecisionForm(data=payload.model_dump()))
    )
    return _detail(request, hazard.pk)


@exposes(
    Object(
        ExtensionRequest,
        url={"hazard_id": "hazard_id", "extension_id": "pk"},
        extra={"name": "approve_extension"},
    )
)
@router.post(
    "/{int:hazard_id}/extensions/{int:extension_id}/transitions/{name}",
    response=HazardDetailOut,
    summary="Decide an extension request: approve_extension, refuse_extension (the confirming "
    "unit, or one above it; multipart like the hazard's other steps)",
)
def extension_transition(
    request, hazard_id: int, extension_id: int, name: str, payload: Form[ExtensionTransitionIn]
):
    hazard = _visible(request, hazard_id)
    extension = hazard.extensions.filter(pk=extension_id).first()
    if extension is None:
        raise Http404
    transition_or_error(
        EXTENSION_WORKFLOW,
        name,
        lambda step: actions.do_decide_extension(
            extension,
            actor=request.auth,
            approve=step.name == "approve_extension",
            comment=payload.comment.strip(),
        ),  # fmt: skip
    )
    return _detail(request, hazard.pk)


@exposes(Object(Hazard))
@router.post(
    "/{int:hazard_id}/listing",
    response=HazardDetailOut,
    summary="List an open major hazard for supervision (挂牌督办; county, city or province)",
)
def list_hazard(request, hazard_id: int, payload: Form[ListingIn]):
    hazard = _visible(request, hazard_id)
    actions.do_list_hazard(
        hazard, actor=request.auth, **_valid(ListingForm(data=payload.model_dump()))
    )
    return _detail(request, hazard.pk)


@exposes(Object(Listing, url={"hazard_id": "hazard_id"}))
@router.post(
    "/{int:hazard_id}/listing/delist",
    response=HazardDetailOut,
    summary="Delist a closed hazard (the listing unit, or one above it in the same line)",
)
def delist_hazard(request, hazard_id: int):
    hazard = _visible(request, hazard_id)
    if getattr(hazard, "listing", None) is None:
        raise Http404
    actions.do_delist_hazard(hazard, actor=request.auth)
    return _detail(request, hazard.pk)
