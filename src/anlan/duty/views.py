"""Duty pages: thin views over scoping, forms and actions.

The board is the one page that shows other units' duty (county-wide, see services.board);
every other page fetches through ``visible_to`` / ``access_or_404``.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from anlan.accounts.models import OrganisationKind
from anlan.core.excel import XLSX_CONTENT_TYPE, write_workbook
from anlan.core.history import history_of
from anlan.core.permissions import require
from anlan.core.scoping import access_or_404
from anlan.core.workflow import StaleTransition
from anlan.duty import actions, documents, rules, services
from anlan.duty.forms import (
    DecisionForm,
    HandoverForm,
    LogEntryForm,
    RosterForm,
    RotaForm,
    ShiftForm,
    SwapForm,
)
from anlan.duty.ledger import DUTY_LOG_LEDGER, ROSTER_LEDGER, SWAP_LEDGER
from anlan.duty.models import Handover, Roster, Shift, Swap
from anlan.duty.workflow import SWAP_WORKFLOW

KIND_ORDER = {
    OrganisationKind.EMERGENCY_BUREAU: 0,
    OrganisationKind.DEPARTMENT: 1,
    OrganisationKind.TOWN: 2,
}


def form_error(form, error: ValidationError) -> None:
    """Put an action's ValidationError on the form: on its field when the form has one."""
    if hasattr(error, "error_dict"):
        for name, messages_ in error.message_dict.items():
            form.add_error(name if name in form.fields else None, messages_)
    else:
        form.add_error(None, error.messages)


def _flash(request, error: Exception) -> None:
    for message in getattr(error, "messages", None) or [str(error)]:
        messages.error(request, message)


def _back(request, default):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return redirect(target)
    return redirect(default)


def _my_shifts(user, now):
    """The user's shifts in progress or about to start, with what they may do on them."""
    shifts = list(services.shifts_of(user, now))
    for shift in shifts:
        role = shift.role_of(user)
        shift.my_role = rules.DutyRole(role).label
        shift.my_checked_in_at = getattr(shift, f"{role}_checked_in_at")
        shift.may_check_in = (
            shift.my_checked_in_at is None
            and rules.checkin_problem(shift.start, shift.end, now, services.early()) is None
        )
    return shifts


def board(request):
    """值班表/在岗情况: who is on duty now at every unit of the county."""
    require(request.user, "duty.view")
    now = timezone.now()
    rows = sorted(
        services.board(request.user, now),
        key=lambda r: (KIND_ORDER.get(r.organisation.kind, 9), r.organisation.region_id),
    )
    context = {
        "rows": rows,
        "now": now,
        "mine": _my_shifts(request.user, now),
        "staffed": sum(1 for r in rows if r.shift),
        "missed": sum(1 for r in rows if r.officer_status == rules.CheckInStatus.MISSED),
        "grace": int(services.grace().total_seconds() // 60),
    }
    if request.htmx:
        return render(request, "duty/_board.html", context)
    return render(request, "duty/board.html", context)


def _month(request):
    try:
        return rules.parse_month(request.GET.get("month", ""))
    except ValueError:
        return rules.first_of_month(timezone.localdate())


def roster_list(request):
    require(request.user, "duty.view")
    month = _month(request)
    rosters = (
        ROSTER_LEDGER.queryset(request.user, {"month": month})
        .select_related("organisation")
        .order_by("organisation__region_id", "organisation__kind", "organisation__name")
    )
    unit = actions.roster_unit(request.user)
    context = {
        "rosters": rosters,
        "month": month,
        "previous": rules.add_months(month, -1),
        "next": rules.add_months(month, 1),
        "unit": unit,
        "own": rosters.filter(organisation=unit).first() if unit else None,
    }
    return render(request, "duty/rosters.html", context)


@require_http_methods(["GET", "POST"])
def roster_new(request):
    require(request.user, "duty.view")
    unit = actions.roster_unit(request.user)
    if unit is None:
        raise PermissionDenied("duty.manage")
    month = _month(request)
    initial = {"month": f"{month:%Y-%m}", "leader_days": 1}
    form = RosterForm(request.POST or None, organisation_id=unit.pk, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                roster = actions.do_create_roster(
                    unit, form.cleaned_data["month"], actor=request.user,
                    note=form.cleaned_data["note"],
                )  # fmt: skip
                counts = actions.do_generate(roster, actor=request.user, **form.rota_kwargs())
        except ValidationError as error:
            form_error(form, error)
        else:
            messages.success(
                request,
                _("Roster created with %(n)s shifts; check it and publish.")
                % {"n": counts["created"]},
            )
            return redirect(roster)
    return render(
        request,
        "duty/roster_form.html",
        {"form": form, "unit": unit},
        status=400 if form.errors else 200,
    )


def roster_detail(request, pk: int):
    roster = access_or_404(
        Roster.objects.select_related("organisation", "created_by", "published_by"),
        request.user,
        pk,
    )
    require(request.user, "duty.view")
    now = timezone.now()
    shifts = list(documents.roster_shifts(roster))
    for shift in shifts:
        shift.officer_status = rules.checkin_status(
            shift.start, shift.officer_checked_in_at, now, services.grace()
        )
        shift.current = shift.start <= now < shift.end
        shift.editable = shift.end > now
        shift.local_start = timezone.localtime(shift.start)
        shift.weekday = documents.WEEKDAYS[shift.local_start.weekday()]
    may_manage = actions.may_manage(request.user, roster.organisation_id)
    rota = None
    if may_manage and not roster.is_published:
        last = shifts[0] if shifts else None
        rota = RotaForm(
            organisation_id=roster.organisation_id,
            initial={
                "leader_days": 1,
                "officers": sorted({s.officer_id for s in shifts}) if last else [],
                "leaders": sorted({s.leader_id for s in shifts}) if last else [],
            },
        )
    gaps = actions.roster_gaps(roster) if shifts and not roster.is_published else []
    context = {
        "roster": roster,
        "shifts": shifts,
        "gaps": rules.gaps_message(gaps, timezone.get_current_timezone()) if gaps else "",
        "may_manage": may_manage,
        "rota": rota,
        "history": history_of(roster),
    }
    return render(request, "duty/roster.html", context)


@require_POST
def roster_generate(request, pk: int):
    roster = access_or_404(Roster.objects, request.user, pk)
    actions.require_manage(request.user, roster.organisation_id)
    form = RotaForm(request.POST, organisation_id=roster.organisation_id)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect(roster)
    try:
        counts = actions.do_generate(roster, actor=request.user, **form.rota_kwargs())
    except ValidationError as error:
        _flash(request, error)
    else:
        messages.success(
            request,
            _("Scheduled: %(created)s shifts created, %(changed)s reassigned, %(kept)s kept.")
            % counts,
        )
    return redirect(roster)


@require_POST
def roster_publish(request, pk: int):
    roster = access_or_404(Roster.objects, request.user, pk)
    actions.require_manage(request.user, roster.organisation_id)
    try:
        actions.do_publish(roster, actor=request.user)
    except (ValidationError, StaleTransition) as error:
        _flash(request, error)
    else:
        messages.success(request, _("Published: everyone on the roster has been told."))
    return redirect(roster)


def roster_pdf(request, pk: int):
    roster = access_or_404(
        Roster.objects.select_related("organisation", "created_by"), request.user, pk
    )
    require(request.user, "duty.view")
    response = HttpResponse(documents.roster_pdf(roster), content_type="application/pdf")
    response["Content-Disposition"] = f"inline; filename=duty-roster-{roster.pk}.pdf"
    return response


def roster_export(request, pk: int):
    roster = access_or_404(Roster.objects.select_related("organisation"), request.user, pk)
    require(request.user, "duty.view")
    with translation.override("zh-hans"):
        content = write_workbook(
            documents.title(roster),
            documents.HEADERS,
            documents.rows(documents.roster_shifts(roster)),
        )
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = (
        f"attachment; filename=duty-roster-{roster.pk}-{roster.month:%Y%m}.xlsx"
    )
    return response


def _shift(request, pk: int) -> Shift:
    shift = access_or_404(
        Shift.objects.select_related("roster", "organisation", "officer", "leader"),
        request.user,
        pk,
    )
    require(request.user, "duty.view")
    return shift


def shift_detail(request, pk: int):
    shift = _shift(request, pk)
    user, now = request.user, timezone.now()
    role = shift.role_of(user)
    may_manage = actions.may_manage(user, shift.organisation_id)
    handover = (
        Handover.objects.visible_to(user)
        .filter(outgoing_shift=shift)
        .select_related("handed_over_by", "received_by", "incoming_shift")
        .first()
    )
    received = list(
        Handover.objects.visible_to(user)
        .filter(incoming_shift=shift)
        .select_related("handed_over_by", "received_by", "outgoing_shift")
    )
    for h in received:
        h.may_receive = (role is not None or may_manage) and h.received_at is None
    swaps = list(
        shift.swaps.select_related("requester", "counterpart", "counterpart_shift", "decided_by")
    )
    for swap in swaps:
        swap.actions = SWAP_WORKFLOW.available(swap, user)
    published = shift.roster.is_published
    context = {
        "shift": shift,
        "role": rules.DutyRole(role).label if role else "",
        "may_manage": may_manage,
        "officer_status": rules.CheckInStatus(
            rules.checkin_status(shift.start, shift.officer_checked_in_at, now, services.grace())
        ),
        "leader_status": rules.CheckInStatus(
            rules.checkin_status(shift.start, shift.leader_checked_in_at, now, services.grace())
        ),
        "may_check_in": bool(
            published
            and role
            and getattr(shift, f"{role}_checked_in_at") is None
            and rules.checkin_problem(shift.start, shift.end, now, services.early()) is None
        ),
        "may_edit": may_manage and shift.end > now,
        "may_swap": bool(published and role and shift.start > now),
        "may_hand_over": bool(
            published
            and (role or may_manage)
            and handover is None
            and shift.start <= now <= shift.end + actions.HANDOVER_WINDOW
        ),
        "handover": handover,
        "handover_form": HandoverForm(),
        "received": received,
        "log_entries": shift.log_entries.select_related("recorded_by"),
        "swaps": swaps,
        "history": history_of(shift),
    }
    return render(request, "duty/shift.html", context)


@require_http_methods(["GET", "POST"])
def shift_edit(request, pk: int):
    shift = _shift(request, pk)
    actions.require_manage(request.user, shift.organisation_id)
    form = ShiftForm(request.POST or None, shift=shift)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_update_shift(shift, actor=request.user, **form.changes())
        except ValidationError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("duty:shift", shift.pk)
    return render(
        request,
        "duty/form.html",
        {
            "form": form,
            "title": _("Edit shift"),
            "subtitle": f"{shift.organisation} {timezone.localtime(shift.start):%Y-%m-%d %H:%M}",
            "cancel": shift.get_absolute_url(),
        },
        status=400 if form.errors else 200,
    )


@require_POST
def check_in(request, pk: int):
    shift = _shift(request, pk)
    try:
        _shift_after, new = actions.do_check_in(shift, actor=request.user)
    except ValidationError as error:
        _flash(request, error)
    else:
        if new:
            messages.success(request, _("Checked in at %(time)s.") % {
                "time": timezone.localtime().strftime("%H:%M")
            })  # fmt: skip
        else:
            messages.info(request, _("You have already checked in."))
    return _back(request, shift)


@require_http_methods(["GET", "POST"])
def hand_over(request, pk: int):
    shift = _shift(request, pk)
    if shift.role_of(request.user) is None and not actions.may_manage(
        request.user, shift.organisation_id
    ):
        raise PermissionDenied("duty.hand_over")
    form = HandoverForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_hand_over(shift, actor=request.user, **form.cleaned_data)
        except StaleTransition as error:
            _flash(request, error)
            return redirect(shift)
        except ValidationError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Handed over; the next shift has been told."))
            return redirect(shift)
    return render(
        request,
        "duty/form.html",
        {
            "form": form,
            "title": _("Hand over the shift"),
            "subtitle": f"{shift.organisation} {timezone.localtime(shift.start):%Y-%m-%d %H:%M}",
            "cancel": shift.get_absolute_url(),
        },
        status=400 if form.errors else 200,
    )


@require_POST
def receive_handover(request, pk: int):
    handover = access_or_404(
        Handover.objects.select_related("incoming_shift", "outgoing_shift"), request.user, pk
    )
    require(request.user, "duty.view")
    try:
        actions.do_receive_handover(handover, actor=request.user)
    except StaleTransition as error:
        _flash(request, error)
    else:
        messages.success(request, _("Handover received."))
    return redirect(handover.incoming_shift or handover.outgoing_shift)


@require_http_methods(["GET", "POST"])
def swap_request(request, pk: int):
    shift = _shift(request, pk)
    if shift.role_of(request.user) is None:
        raise PermissionDenied("duty.swap")
    form = SwapForm(request.POST or None, shift=shift)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_request_swap(shift, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Swap requested; it takes effect once approved."))
            return redirect("duty:swaps")
    return render(
        request,
        "duty/form.html",
        {
            "form": form,
            "title": _("Request a swap"),
            "subtitle": f"{shift.organisation} {timezone.localtime(shift.start):%Y-%m-%d %H:%M} · "
            f"{rules.DutyRole(shift.role_of(request.user)).label}",
            "cancel": shift.get_absolute_url(),
        },
        status=400 if form.errors else 200,
    )


def swap_list(request):
    require(request.user, "duty.view")
    data = request.GET.copy()
    data.setdefault("show", "pending")  # the page opens on the swaps awaiting approval
    return SWAP_LEDGER.page(request, data)


@require_POST
def swap_decide(request, pk: int, name: str):
    swap = access_or_404(Swap.objects, request.user, pk)
    require(request.user, "duty.view")
    form = DecisionForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    try:
        actions.do_decide_swap(swap, name, actor=request.user, comment=comment)
    except (StaleTransition, ValidationError) as error:
        _flash(request, error)
    else:
        messages.success(request, _("Done."))
    return _back(request, "duty:swaps")


@require_http_methods(["GET", "POST"])
def duty_log(request):
    require(request.user, "duty.view")
    user, now = request.user, timezone.now()
    unit = getattr(user, "organisation", None)
    may_record = unit is not None and actions.may_record(user, unit.pk, now)
    form = LogEntryForm(request.POST or None)
    if request.method == "POST":
        if not may_record:
            raise PermissionDenied("duty.log")
        if form.is_valid():
            try:
                actions.do_log(unit, actor=user, **form.cleaned_data)
            except ValidationError as error:
                form_error(form, error)
            else:
                messages.success(request, _("Entry recorded."))
                return redirect("duty:log")
    return DUTY_LOG_LEDGER.page(
        request,
        status=400 if form.errors else 200,
        form=form if may_record else None,
        unit=unit,
    )
