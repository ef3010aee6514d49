"""Duty API: the board, rosters and shifts, check-in, the duty log, handovers and swaps.
Same forms, actions and scoping as the pages (the board alone is county-wide)."""

from contextlib import contextmanager
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, FilterSchema, Query, Router, Schema, Status

from anlan.api.base import (
    MAX_ID,
    ApiError,
    ErrorOut,
    Id,
    InSchema,
    Moment,
    PatchSchema,
    model_text,
    raise_form_errors,
    refuse_locked_fields,
    transition_or_error,
)
from anlan.core.pagination import Pages
from anlan.core.permissions import require
from anlan.core.routes import List, NoRecords, Object, Shared, exposes
from anlan.core.scoping import access_or_404
from anlan.duty import actions, rules, services
from anlan.duty.forms import RosterForm, RotaForm, ShiftForm
from anlan.duty.ledger import (
    DUTY_LOG_LEDGER,
    HANDOVER_LEDGER,
    ROSTER_LEDGER,
    SHIFT_LEDGER,
    SWAP_LEDGER,
)
from anlan.duty.models import (
    DutyLogEntry,
    Handover,
    LogKind,
    Roster,
    Shift,
    Swap,
    SwapEvent,
    SwapState,
)
from anlan.duty.workflow import ROSTER_WORKFLOW, SWAP_WORKFLOW

router = Router(tags=["duty"])
DECISIONS = {"approve": "approve_swap", "reject": "reject_swap", "cancel": "cancel_swap"}


class DutyTransitionIn(InSchema):
    comment: str = model_text(SwapEvent, "comment", "")


class DutyPerson(Schema):
    id: int
    name: str = Field(..., alias="display_name")


class RosterOut(Schema):
    id: int
    organisation: int = Field(..., alias="organisation_id")
    organisation_name: str = Field(..., alias="organisation.name")
    month: str
    state: str
    note: str
    published_at: datetime | None
    shift_count: int

    @staticmethod
    def resolve_month(obj: Roster) -> str:
        return f"{obj.month:%Y-%m}"

    @staticmethod
    def resolve_shift_count(obj: Roster) -> int:
        count = getattr(obj, "shift_count", None)
        return count if count is not None else obj.shifts.count()


class ShiftOut(Schema):
    id: int
    roster: int = Field(..., alias="roster_id")
    organisation: int = Field(..., alias="organisation_id")
    start: datetime
    end: datetime
    officer: DutyPerson
    officer_phone: str
    leader: DutyPerson
    leader_phone: str
    note: str
    officer_checked_in_at: datetime | None
    leader_checked_in_at: datetime | None
    missed_checkin_at: datetime | None = Field(
        None, description="When the job flagged the officer's missing check-in"
    )
    officer_status: str = Field("", description="upcoming, due, on_time, late or missed")
    leader_status: str = ""

    @staticmethod
    def resolve_officer_status(obj: Shift) -> str:
        return rules.checkin_status(
            obj.start, obj.officer_checked_in_at, timezone.now(), services.grace()
        ).value

    @staticmethod
    def resolve_leader_status(obj: Shift) -> str:
        return rules.checkin_status(
            obj.start, obj.leader_checked_in_at, timezone.now(), services.grace()
        ).value


class RosterDetailOut(RosterOut):
    shifts: list[ShiftOut]

    @staticmethod
    def resolve_shifts(obj: Roster) -> list:
        return list(obj.shifts.select_related("officer", "leader").order_by("start"))


class RotaIn(InSchema):
    officers: list[Id] = Field(..., description="User ids, in rota order of the unit's staff")
    leaders: list[Id]
    leader_days: int = Field(1, ge=1, le=31)


class RosterIn(RotaIn):
    month: str = Field(..., description="YYYY-MM", examples=["2026-12"])
    note: str = model_text(Roster, "note", "")


class ShiftPatch(PatchSchema):
    start: datetime | None = None
    end: datetime | None = None
    officer: Id | None = None
    officer_phone: str | None = model_text(Shift, "officer_phone", None)
    leader: Id | None = None
    leader_phone: str | None = model_text(Shift, "leader_phone", None)
    note: str | None = model_text(Shift, "note", None)


class OnDutyOut(Schema):
    name: str
    phone: str
    status: str


class BoardRowOut(Schema):
    organisation: int
    organisation_name: str
    kind: str
    region: str
    duty_phone: str
    shift: int | None = Field(None, description="Shift id (open it only within your own scope)")
    start: datetime | None = None
    end: datetime | None = None
    officer: OnDutyOut | None = None
    leader: OnDutyOut | None = None


class BoardOut(Schema):
    at: datetime
    rows: list[BoardRowOut]


class DutyLogIn(InSchema):
    occurred_at: datetime
    kind: str = Field(..., description=", ".join(LogKind.values))
    content: str = model_text(DutyLogEntry, "content")
    counterpart: str = model_text(DutyLogEntry, "counterpart", "")
    phone: str = model_text(DutyLogEntry, "phone", "")
    action_taken: str = model_text(DutyLogEntry, "action_taken", "")


class DutyLogOut(Schema):
    id: int
    organisation: int = Field(..., alias="organisation_id")
    shift: int | None = Field(None, alias="shift_id")
    occurred_at: datetime
    kind: str
    counterpart: str
    phone: str
    content: str
    action_taken: str
    recorded_by: DutyPerson
    created_at: datetime


class HandoverIn(InSchema):
    shift: int = Field(..., ge=1, le=MAX_ID, description="The outgoing shift")
    open_matters: str = model_text(Handover, "open_matters")
    notes: str = model_text(Handover, "notes", "")


class HandoverOut(Schema):
    id: int
    organisation: int = Field(..., alias="organisation_id")
    outgoing_shift: int = Field(..., alias="outgoing_shift_id")
    incoming_shift: int | None = Field(None, alias="incoming_shift_id")
    handed_over_by: DutyPerson
    handed_over_at: datetime
    open_matters: str
    notes: str
    received_by: DutyPerson | None = None
    received_at: datetime | None


class SwapIn(InSchema):
    shift: int = Field(..., ge=1, le=MAX_ID)
    counterpart: int = Field(..., ge=1, le=MAX_ID)
    counterpart_shift: int | None = Field(None, ge=1, le=MAX_ID)
    reason: str = model_text(Swap, "reason")


class SwapEventOut(Schema):
    transition: str
    to_state: str
    actor: DutyPerson | None = None
    comment: str
    created_at: datetime


class SwapOut(Schema):
    id: int
    organisation: int = Field(..., alias="organisation_id")
    shift: int = Field(..., alias="shift_id")
    role: str
    requester: DutyPerson
    counterpart: DutyPerson
    counterpart_shift: int | None = Field(None, alias="counterpart_shift_id")
    reason: str
    state: str
    decided_by: DutyPerson | None = None
    decided_at: datetime | None
    events: list[SwapEventOut]

    @staticmethod
    def resolve_events(obj: Swap) -> list:
        return list(obj.events.select_related("actor"))


class SwapDecisionIn(InSchema):
    decision: str = Field(..., description="approve, reject (needs a comment) or cancel")
    comment: str = model_text(SwapEvent, "comment", "")


def _rota(payload: RotaIn, organisation_id: int, form_class=RotaForm, **extra):
    data = payload.model_dump()
    form = form_class(data, organisation_id=organisation_id, **extra)
    if not form.is_valid():
        raise_form_errors(form)
    return form


# Board -------------------------------------------------------------------------------------


@exposes(Shared("who is on duty now in every unit of the user's county (tests/duty)"))
@router.get(
    "/board",
    response=BoardOut,
    summary="Who is on duty now at every unit of your county (值班表/在岗情况)",
)
def get_board(request):
    require(request.auth, "duty.view")
    now = timezone.now()
    rows = []
    for row in services.board(request.auth, now):
        org, shift = row.organisation, row.shift
        item = {
            "organisation": org.pk,
            "organisation_name": org.name,
            "kind": org.kind,
            "region": org.region_id,
            "duty_phone": org.phone,
        }
        if shift is not None:
            item |= {
                "shift": shift.pk,
                "start": shift.start,
                "end": shift.end,
                "officer": {
                    "name": shift.officer.display_name,
                    "phone": shift.officer_phone or shift.officer.phone,
                    "status": row.officer_status,
                },
                "leader": {
                    "name": shift.leader.display_name,
                    "phone": shift.leader_phone or shift.leader.phone,
                    "status": row.leader_status,
                },
            }
        rows.append(item)
    return {"at": now, "rows": rows}


# Rosters -----------------------------------------------------------------------------------


class RosterFilters(FilterSchema):
    month: str | None = Field(None, description="YYYY-MM")
    organisation: Id | None = None
    state: str | None = Field(None, description="draft or published")


class PagedRosterOut(Schema):
    items: list[RosterOut]
    count: int


@exposes(List(Roster))
@router.get("/rosters", response=PagedRosterOut, summary="Duty rosters in your scope")
def list_rosters(request, filters: Query[RosterFilters], pagination: Query[Pages.Input]):
    require(request.auth, "duty.view")
    raw = filters.model_dump(exclude_none=True)
    return ROSTER_LEDGER.api_list(request.auth, raw, pagination)


@exposes(NoRecords("a roster for the user's own unit"))
@router.post(
    "/rosters",
    response={201: RosterDetailOut},
    summary="Create your unit's roster for a month, scheduled from a rota (a draft)",
)
def create_roster(request, payload: RosterIn):
    require(request.auth, "duty.view")
    unit = actions.roster_unit(request.auth)
    if unit is None:
        raise ApiError(403, "forbidden", _("You are not allowed to do this."))
    form = _rota(payload, unit.pk, RosterForm)
    with transaction.atomic():
        roster = actions.do_create_roster(
            unit, form.cleaned_data["month"], actor=request.auth, note=form.cleaned_data["note"]
        )
        actions.do_generate(roster, actor=request.auth, **form.rota_kwargs())
    return Status(201, Roster.objects.select_related("organisation").get(pk=roster.pk))


@exposes(Object(Roster))
@router.get("/rosters/{int:roster_id}", response=RosterDetailOut, summary="One roster, its shifts")
def get_roster(request, roster_id: int):
    roster = access_or_404(Roster.objects.select_related("organisation"), request.auth, roster_id)
    require(request.auth, "duty.view")
    return roster


@exposes(Object(Roster, body={"officers": [1], "leaders": [1]}))
@router.post(
    "/rosters/{int:roster_id}/generate",
    response=RosterDetailOut,
    summary="Schedule a draft roster again from a rota (shifts not started are reassigned)",
)
def generate_roster(request, roster_id: int, payload: RotaIn):
    roster = access_or_404(Roster.objects.select_related("organisation"), request.auth, roster_id)
    actions.require_manage(request.auth, roster.organisation_id)
    form = _rota(payload, roster.organisation_id)
    actions.do_generate(roster, actor=request.auth, **form.rota_kwargs())
    return roster


@contextmanager
def _uncovered_hours():
    """A roster change that would leave hours without anyone on duty: 422 ``uncovered_hours``,
    naming the gaps (publishing, and editing a shift of a published roster)."""
    try:
        yield
    except ValidationError as error:
        if getattr(error, "code", None) != "uncovered":
            raise
        message = " ".join(error.messages)
        raise ApiError(422, "uncovered_hours", message, {"__all__": [message]}) from error


@exposes(Object(Roster))
@router.post(
    "/rosters/{int:roster_id}/publish",
    response=RosterDetailOut,
    summary="Publish a draft roster (its people are told; it counts for the board)",
)
def publish_roster(request, roster_id: int):
    roster = access_or_404(Roster.objects.select_related("organisation"), request.auth, roster_id)
    actions.require_manage(request.auth, roster.organisation_id)
    with _uncovered_hours():
        actions.do_publish(roster, actor=request.auth)
    return Roster.objects.select_related("organisation").get(pk=roster.pk)


# Shifts ------------------------------------------------------------------------------------


class ShiftFilters(FilterSchema):
    roster: Id | None = None
    organisation: Id | None = None
    start_from: Moment | None = Field(None, description="Shifts still running after this time")
    start_to: Moment | None = Field(None, description="Shifts starting before this time")
    mine: bool = Field(False, description="Only your own")


class PagedShiftOut(Schema):
    items: list[ShiftOut]
    count: int


@exposes(List(Shift))
@router.get("/shifts", response=PagedShiftOut, summary="Shifts in your scope")
def list_shifts(request, filters: Query[ShiftFilters], pagination: Query[Pages.Input]):
    require(request.auth, "duty.view")
    raw = filters.model_dump(exclude_none=True)
    return SHIFT_LEDGER.api_list(request.auth, raw, pagination)


@exposes(Object(Shift))
@router.get("/shifts/{int:shift_id}", response=ShiftOut, summary="One shift")
def get_shift(request, shift_id: int):
    shift = access_or_404(Shift.objects.select_related("officer", "leader"), request.auth, shift_id)
    require(request.auth, "duty.view")
    return shift


@exposes(Object(Shift))
@router.patch(
    "/shifts/{int:shift_id}",
    response=ShiftOut,
    summary="Change a shift's times, people or phones (the unit's duty managers)",
)
def update_shift(request, shift_id: int, payload: ShiftPatch):
    shift = access_or_404(Shift.objects.select_related("roster"), request.auth, shift_id)
    actions.require_manage(request.auth, shift.organisation_id)
    data = {
        "start": shift.start, "end": shift.end, "officer": shift.officer_id,
        "officer_phone": shift.officer_phone, "leader": shift.leader_id,
        "leader_phone": shift.leader_phone, "note": shift.note,
    } | payload.model_dump(exclude_unset=True, exclude_none=True)  # fmt: skip
    form = ShiftForm(data, shift=shift)
    refuse_locked_fields(form, payload.model_dump(exclude_unset=True))
    if not form.is_valid():
        raise_form_errors(form)
    sent = payload.model_dump(exclude_unset=True, exclude_none=True)
    changes = {k: v for k, v in form.changes().items() if k in sent}
    with _uncovered_hours():
        actions.do_update_shift(shift, actor=request.auth, **changes)
    return access_or_404(Shift.objects.select_related("officer", "leader"), request.auth, shift_id)


@exposes(Object(Shift))
@router.post(
    "/shifts/{int:shift_id}/check-in",
    response=ShiftOut,
    summary="Check in to your shift (签到); a repeated call changes nothing",
)
def check_in(request, shift_id: int):
    shift = access_or_404(Shift.objects, request.auth, shift_id)
    require(request.auth, "duty.view")
    actions.do_check_in(shift, actor=request.auth)
    return access_or_404(Shift.objects.select_related("officer", "leader"), request.auth, shift_id)


# Duty log ----------------------------------------------------------------------------------


class DutyLogFilters(FilterSchema):
    organisation: Id | None = None
    shift: Id | None = None
    kind: str | None = None
    since: Moment | None = None


class PagedDutyLogOut(Schema):
    items: list[DutyLogOut]
    count: int


@exposes(List(DutyLogEntry))
@router.get(
    "/log", response=PagedDutyLogOut, summary="Duty log entries in your scope, newest first"
)
def list_log(request, filters: Query[DutyLogFilters], pagination: Query[Pages.Input]):
    require(request.auth, "duty.view")
    raw = filters.model_dump(exclude_none=True)
    return DUTY_LOG_LEDGER.api_list(request.auth, raw, pagination)


@exposes(NoRecords("an entry in the user's own unit's log"))
@router.post(
    "/log",
    response={201: DutyLogOut},
    summary="Record a call, event or instruction in your unit's duty log",
)
def create_log_entry(request, payload: DutyLogIn):
    require(request.auth, "duty.view")
    unit = request.auth.organisation
    if unit is None:
        raise ApiError(403, "forbidden", _("You are not allowed to do this."))
    entry = actions.do_log(unit, actor=request.auth, **payload.model_dump())
    return Status(201, entry)


# Handovers ---------------------------------------------------------------------------------


class HandoverFilters(FilterSchema):
    organisation: Id | None = None
    open: bool = Field(False, description="Only those not yet received")


class PagedHandoverOut(Schema):
    items: list[HandoverOut]
    count: int


@exposes(List(Handover))
@router.get("/handovers", response=PagedHandoverOut, summary="Handovers in your scope")
def list_handovers(request, filters: Query[HandoverFilters], pagination: Query[Pages.Input]):
    require(request.auth, "duty.view")
    raw = filters.model_dump(exclude_none=True)
    return HANDOVER_LEDGER.api_list(request.auth, raw, pagination)


@exposes(Object(Shift, field="shift", body={"open_matters": "x"}))
@router.post(
    "/handovers",
    response={201: HandoverOut, 404: ErrorOut},
    summary="Hand over a shift (交班) with its open matters",
)
def create_handover(request, payload: HandoverIn):
    shift = access_or_404(Shift.objects, request.auth, payload.shift)
    require(request.auth, "duty.view")
    handover = actions.do_hand_over(
        shift, actor=request.auth, open_matters=payload.open_matters, notes=payload.notes
    )
    return Status(201, handover)


@exposes(Object(Handover))
@router.post(
    "/handovers/{int:handover_id}/receive",
    response=HandoverOut,
    summary="Confirm a handover as the incoming shift (接班)",
)
def receive_handover(request, handover_id: int):
    handover = access_or_404(Handover.objects, request.auth, handover_id)
    require(request.auth, "duty.view")
    actions.do_receive_handover(handover, actor=request.auth)
    return access_or_404(
        Handover.objects.select_related("handed_over_by", "received_by"), request.auth, handover_id
    )


# Swaps -------------------------------------------------------------------------------------


def _swaps(request):
    return Swap.objects.visible_to(request.auth).select_related(
        "requester", "counterpart", "decided_by"
    )


class SwapFilters(FilterSchema):
    state: str | None = Field(None, description=", ".join(SwapState.values))
    mine: bool = False
    organisation: Id | None = None


class PagedSwapOut(Schema):
    items: list[SwapOut]
    count: int


@exposes(List(Swap))
@router.get("/swaps", response=PagedSwapOut, summary="Swap requests in your scope")
def list_swaps(request, filters: Query[SwapFilters], pagination: Query[Pages.Input]):
    require(request.auth, "duty.view")
    raw = filters.model_dump(exclude_none=True)
    return SWAP_LEDGER.api_list(request.auth, raw, pagination)


@exposes(Object(Shift, field="shift", body={"counterpart": 1, "reason": "x"}))
@router.post(
    "/swaps",
    response={201: SwapOut, 404: ErrorOut},
    summary="Ask to swap your place on a shift (换班 with counterpart_shift, else 替班)",
)
def request_swap(request, payload: SwapIn):
    shift = access_or_404(Shift.objects, request.auth, payload.shift)
    require(request.auth, "duty.view")
    staff = services.members(shift.organisation_id)
    counterpart = staff.filter(pk=payload.counterpart).first()
    other = None
    if payload.counterpart_shift:
        other = access_or_404(Shift.objects, request.auth, payload.counterpart_shift)
    swap = actions.do_request_swap(
        shift, actor=request.auth, counterpart=counterpart, counterpart_shift=other,
        reason=payload.reason,
    )  # fmt: skip
    return Status(201, _swaps(request).get(pk=swap.pk))


@exposes(Object(Swap))
@router.post(
    "/swaps/{int:swap_id}/decide",
    response=SwapOut,
    summary="Approve or reject a swap (the unit's duty managers and leaders), or withdraw yours",
)
def decide_swap(request, swap_id: int, payload: SwapDecisionIn):
    swap = access_or_404(Swap.objects, request.auth, swap_id)
    require(request.auth, "duty.view")
    if payload.decision not in DECISIONS:
        raise ApiError(
            422, "validation_error", _("The request has invalid fields."),
            {"decision": [_("Choose approve, reject or cancel.")]},
        )  # fmt: skip
    actions.do_decide_swap(
        swap, DECISIONS[payload.decision], actor=request.auth, comment=payload.comment
    )
    return _swaps(request).get(pk=swap_id)


@exposes(Object(Roster, extra={"name": "publish"}))
@router.post(
    "/rosters/{int:roster_id}/transitions/{name}",
    response=RosterDetailOut,
    summary="Take a step of a roster: publish (its people are told; it counts for the board)",
)
def roster_transition(request, roster_id: int, name: str, payload: DutyTransitionIn):
    roster = access_or_404(Roster.objects.select_related("organisation"), request.auth, roster_id)
    actions.require_manage(request.auth, roster.organisation_id)

    def take(step) -> None:
        with _uncovered_hours():
            actions.do_publish(roster, actor=request.auth)

    transition_or_error(ROSTER_WORKFLOW, name, take)
    return Roster.objects.select_related("organisation").get(pk=roster.pk)


@exposes(Object(Swap, extra={"name": "approve_swap"}))
@router.post(
    "/swaps/{int:swap_id}/transitions/{name}",
    response=SwapOut,
    summary="Take a step of a swap: approve_swap, reject_swap (the unit's duty managers and "
    "leaders; a rejection needs a comment) or cancel_swap (the requester)",
)
def swap_transition(request, swap_id: int, name: str, payload: DutyTransitionIn):
    swap = access_or_404(Swap.objects, request.auth, swap_id)
    require(request.auth, "duty.view")
    transition_or_error(
        SWAP_WORKFLOW,
        name,
        lambda step: actions.do_decide_swap(
            swap, step.name, actor=request.auth, comment=payload.comment
        ),
    )
    return _swaps(request).get(pk=swap_id)
