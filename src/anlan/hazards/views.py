"""Hazard pages: thin views over scoping, forms, actions and the workflow table."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from anlan.core.excel import stream_workbook
from anlan.core.history import history_of
from anlan.core.ledger import workbook_response
from anlan.core.periods import ALL, asked_period
from anlan.core.permissions import require
from anlan.core.scoping import access_or_404
from anlan.core.uploads import serve_attachment
from anlan.core.workflow import StaleTransition
from anlan.hazards import actions, documents, exports, stats
from anlan.hazards.forms import (
    DecisionForm,
    ExtensionForm,
    HazardForm,
    ListingForm,
    PlanForm,
    StepForm,
)
from anlan.hazards.ledger import HAZARD_LEDGER
from anlan.hazards.models import (
    DEADLINE_STATES,
    ExtensionStatus,
    Hazard,
    HazardLevel,
    HazardPhoto,
    HazardState,
    Listing,
    MajorHazardCriterion,
)
from anlan.hazards.workflow import HAZARD_WORKFLOW, rectifier

LIST_RELATED = ("enterprise", "region", "supervision_category", "category", "listing")


def _access(request, pk: int, queryset=None) -> Hazard:
    hazard = access_or_404(
        queryset if queryset is not None else Hazard.objects.select_related(*LIST_RELATED),
        request.user,
        pk,
    )
    require(request.user, "hazards.view")
    return hazard


def hazard_list(request):
    require(request.user, "hazards.view")
    return HAZARD_LEDGER.page(request)


def hazard_stats(request):
    require(request.user, "hazards.view")
    form = HAZARD_LEDGER.bind(request.user, request.GET)
    asked = asked_period(request.GET, timezone.localdate(), default=ALL, allow_all=True)
    data = HAZARD_LEDGER.cleaned(form)
    numbers = stats.compare(request.user, data, asked.period)
    # The ledger's rows behind a figure: the same filters and the period's found dates.
    query = request.GET.copy()
    for name in ("period", "start", "end", "found_from", "found_to", "page"):
        query.pop(name, None)
    if asked.period:
        query.update(
            {"found_from": asked.period.start.isoformat(), "found_to": asked.period.end.isoformat()}
        )
    context = {
        "filter_form": form,
        "totals": numbers["totals"],
        "towns": numbers["by_town"],
        "departments": numbers["by_department"],
        "ledger_query": query.urlencode(),
        "period_keep": [(k, v) for k, v in request.GET.items() if k not in PERIOD_PARAMS],
        **asked.context(),
    }
    status = 400 if asked.error else 200
    return render(request, "hazards/stats.html", context, status=status)


PERIOD_PARAMS = ("period", "start", "end", "page")


@require_http_methods(["GET", "POST"])
def hazard_report(request):
    require(request.user, "hazards.report")
    form = HazardForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        hazard = actions.do_report_hazard(
            form.save(commit=False), actor=request.user, photos=form.cleaned_data["photos"]
        )
        messages.success(request, _("Hazard %(number)s reported.") % {"number": hazard.number})
        return redirect(hazard)
    criteria = MajorHazardCriterion.objects.select_related("category")
    return render(request, "hazards/report.html", {"form": form, "criteria": criteria})


def _detail_context(request, hazard: Hazard, **forms) -> dict:
    user = request.user
    listing = getattr(hazard, "listing", None)
    pending = hazard.extensions.filter(status=ExtensionStatus.PENDING).first()
    transitions = HAZARD_WORKFLOW.available(hazard, user)
    context = {
        "hazard": hazard,
        "events": hazard.events.select_related("actor").prefetch_related("photos"),
        "photos": hazard.photos.all(),
        "history": history_of(hazard),
        "transitions": transitions,
        "step_form": forms.get("step_form") or StepForm(),
        "plan_form": forms.get("plan_form") or PlanForm(hazard=hazard),
        "extension_form": forms.get("extension_form") or ExtensionForm(),
        "listing_form": forms.get("listing_form") or ListingForm(),
        "decision_form": forms.get("decision_form") or DecisionForm(),
        "pending_extension": pending,
        "may_decide": pending is not None and actions.may_decide_extension(user, hazard),
        "may_request_extension": hazard.state in DEADLINE_STATES
        and hazard.deadline is not None
        and pending is None
        and rectifier(user, hazard),
        "listing": listing,
        "may_list": listing is None
        and hazard.level == HazardLevel.MAJOR
        and hazard.is_open
        and actions.may_list(user, hazard),
        "may_delist": listing is not None
        and listing.is_active
        and hazard.state == HazardState.CLOSED
        and actions.may_delist(user, listing),
        "deadline_status": hazard.deadline_status(),
        "risk_check": hazard.risk_checks.select_related("task__measure__event__unit").first(),
    }
    return context


def hazard_detail(request, pk: int):
    hazard = _access(request, pk)
    return render(request, "hazards/detail.html", _detail_context(request, hazard))


def _fail(request, hazard: Hazard, error: Exception, **forms):
    if isinstance(error, StaleTransition):
        messages.error(request, str(error))
        return redirect(hazard)
    if isinstance(error, ValidationError):
        for message in error.messages:
            messages.error(request, message)
    context = _detail_context(request, hazard, **forms)
    return render(request, "hazards/detail.html", context, status=400)


@require_POST
def hazard_transition(request, pk: int, name: str):
    hazard = _access(request, pk)
    if name not in HAZARD_WORKFLOW.by_name:
        raise Http404
    plan_form = step_form = None
    if name == "plan":
        plan_form = PlanForm(request.POST, hazard=hazard)
        if not plan_form.is_valid():
            return _fail(
                request, hazard, ValidationError(_("Please correct the plan.")), plan_form=plan_form
            )
        kwargs = {"plan": plan_form.cleaned_data}
    else:
        step_form = StepForm(request.POST, request.FILES)
        if not step_form.is_valid():
            return _fail(
                request, hazard, ValidationError(_("Please correct the form.")), step_form=step_form
            )
        kwargs = step_form.step_inputs()
    try:
        actions.do_transition(hazard, name, actor=request.user, **kwargs)
    except (StaleTransition, ValidationError) as error:
        forms = {"plan_form": plan_form} if name == "plan" else {"step_form": step_form}
        return _fail(request, hazard, error, **forms)
    messages.success(request, _("Done: %(step)s.") % {"step": HAZARD_WORKFLOW.get(name).label})
    return redirect(hazard)


def _form_step(request, hazard: Hazard, form, form_key: str, action, done: str, **extra):
    """Validate a side form of the detail page, run its action, and come back to the hazard
    (with the form's errors, or the action's message, when it fails)."""
    if not form.is_valid():
        return _fail(
            request, hazard, ValidationError(_("Please correct the form.")), **{form_key: form}
        )
    try:
        action(actor=request.user, **extra, **form.cleaned_data)
    except (StaleTransition, ValidationError) as error:
        return _fail(request, hazard, error, **{form_key: form})
    messages.success(request, done)
    return redirect(hazard)


@require_POST
def extension_request(request, pk: int):
    hazard = _access(request, pk)
    return _form_step(
        request, hazard, ExtensionForm(request.POST), "extension_form",
        lambda **kw: actions.do_request_extension(hazard, **kw), _("Extension requested."),
    )  # fmt: skip


@require_POST
def extension_decide(request, pk: int, extension_pk: int):
    hazard = _access(request, pk)
    extension = hazard.extensions.filter(pk=extension_pk).first()
    if extension is None:
        raise Http404
    return _form_step(
        request, hazard, DecisionForm(request.POST), "decision_form",
        lambda **kw: actions.do_decide_extension(extension, **kw), _("Decision recorded."),
    )  # fmt: skip


@require_POST
def listing_create(request, pk: int):
    hazard = _access(request, pk)
    return _form_step(
        request, hazard, ListingForm(request.POST), "listing_form",
        lambda **kw: actions.do_list_hazard(hazard, **kw), _("Listed for supervision."),
    )  # fmt: skip


@require_POST
def listing_remove(request, pk: int):
    hazard = _access(request, pk)
    if getattr(hazard, "listing", None) is None:
        raise Http404
    try:
        actions.do_delist_hazard(hazard, actor=request.user)
    except (StaleTransition, ValidationError) as error:
        return _fail(request, hazard, error)
    messages.success(request, _("Delisted."))
    return redirect(hazard)


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{filename}"
    return response


def notice_pdf(request, pk: int):
    hazard = _access(
        request, pk, Hazard.objects.select_related("enterprise", "region", "supervising_unit")
    )
    if not hazard.notice_number:
        raise Http404  # issued when the hazard is confirmed
    return _pdf(documents.rectification_notice(hazard), f"notice-{hazard.number}.pdf")


def listing_pdf(request, pk: int):
    hazard = _access(
        request, pk, Hazard.objects.select_related("enterprise", "region", "listing__authority")
    )
    if getattr(hazard, "listing", None) is None:
        raise Http404
    return _pdf(documents.listing_notice(hazard), f"listing-{hazard.number}.pdf")


def photo(request, pk: int, photo_pk: int, size: str):
    """Photos are served through scoping, never from a public media folder."""
    hazard = _access(request, pk, Hazard.objects)
    item = HazardPhoto.objects.filter(hazard=hazard, pk=photo_pk).first()
    if item is None:
        raise Http404
    return serve_attachment(item, size)


def hazard_export(request):
    """The ledger (隐患排查治理台账) of the filtered set, streamed in constant memory."""
    require(request.user, "hazards.export")
    return HAZARD_LEDGER.export(request)


def listings(request):
    """Listed major hazards in the user's scope; `?public=1` the publicly exposed list."""
    require(request.user, "hazards.view")
    queryset = (
        Listing.objects.filter(hazard__in=Hazard.objects.visible_to(request.user))
        .select_related("hazard__enterprise", "hazard__region", "authority")
        .order_by("-listed_at")
    )
    if request.GET.get("public") == "1":
        queryset = queryset.filter(public_exposure=True)
    if request.GET.get("format") == "xlsx":
        require(request.user, "hazards.export")
        with translation.override("zh-hans"):
            path = stream_workbook(
                "重大隐患挂牌督办", exports.LISTING_HEADERS, exports.listing_rows(queryset)
            )
        return workbook_response(path, "listed-hazards.xlsx")
    return render(
        request,
        "hazards/listings.html",
        {"listings": queryset, "public": request.GET.get("public") == "1"},
    )
