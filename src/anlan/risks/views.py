"""Risk pages: thin views over scoping, forms, actions and the statistics module."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from anlan.core.excel import XLSX_CONTENT_TYPE, ImportFailed, write_workbook
from anlan.core.history import history_of
from anlan.core.permissions import require
from anlan.core.scoping import access_or_404, scope_of
from anlan.core.workflow import StaleTransition
from anlan.regions.models import towns_in_scope
from anlan.registry.models import Enterprise, SupervisionCategory
from anlan.risks import actions, documents, imports, rules, stats
from anlan.risks.forms import (
    ArchiveForm,
    AssessmentForm,
    CheckForm,
    ControlMeasureForm,
    RiskEventForm,
    RiskObjectForm,
    RiskUnitForm,
)
from anlan.risks.ledger import OBJECT_LEDGER, TASK_LEDGER
from anlan.risks.models import (
    ControlMeasure,
    InvestigationTask,
    RiskEvent,
    RiskObject,
    RiskUnit,
    TaskState,
)


@dataclass(frozen=True)
class Kind:
    """One level of the register: its model, its form, and the level it hangs from."""

    model: type
    form: type
    parent_model: type
    parent_field: str
    title: str


KINDS = {
    "object": Kind(RiskObject, RiskObjectForm, Enterprise, "enterprise", "risk analysis object"),
    "unit": Kind(RiskUnit, RiskUnitForm, RiskObject, "risk_object", "risk unit"),
    "event": Kind(RiskEvent, RiskEventForm, RiskUnit, "unit", "risk event"),
    "measure": Kind(ControlMeasure, ControlMeasureForm, RiskEvent, "event", "control measure"),
}


def _kind(name: str) -> Kind:
    if name not in KINDS:
        raise Http404
    return KINDS[name]


def _enterprise_id(record) -> int:
    return record.pk if isinstance(record, Enterprise) else record.enterprise_id


def _landing(record) -> str:
    """Where to go after saving a record: its own page, or its enterprise's register."""
    if isinstance(record, RiskObject):
        return f"{_register_url(record.enterprise_id)}#object-{record.pk}"
    if isinstance(record, ControlMeasure):
        return record.event.get_absolute_url()
    return record.get_absolute_url()


def _register_url(enterprise_id: int) -> str:
    from django.urls import reverse

    return reverse("risks:enterprise", args=[enterprise_id])


def _filters(request) -> dict:
    town = request.GET.get("town", "")
    category = request.GET.get("category", "")
    level = request.GET.get("level", "")
    towns = towns_in_scope(scope_of(request.user))
    return {
        "town": town if any(t.code == town for t in towns) else "",
        "category": category if SupervisionCategory.objects.filter(pk=category).exists() else "",
        "level": level if level in [*stats.LEVELS, stats.UNGRADED] else "",
        "towns": towns,
        "categories": SupervisionCategory.objects.all(),
    }


def index(request):
    """Enterprise users land on their own register; government users on the overview."""
    require(request.user, "risks.view")
    if request.user.enterprise_id:
        return redirect("risks:enterprise", request.user.enterprise_id)
    return redirect("risks:overview")


SHORT_LIST = 20  # rows of the major-risk and 运行成效 lists before "show all"


def overview(request):
    """The government view: levels by town and industry, major risks, 运行成效."""
    require(request.user, "risks.view")
    f = _filters(request)
    where = {"town": f["town"], "category": f["category"]}
    try:
        days = min(max(int(request.GET.get("days", 30)), 1), 366)
    except ValueError:
        days = 30
    show_all = request.GET.get("all") == "1"
    major = list(stats.major_risks(request.user, **where))
    effect = stats.effectiveness(request.user, days=days, **where)
    context = {
        **f,
        "days": days,
        "levels": stats.levels_by_town_and_industry(request.user, **where),
        "major": major if show_all else major[:SHORT_LIST],
        "major_count": len(major),
        "effectiveness": effect if show_all else effect[:SHORT_LIST],
        "effectiveness_count": len(effect),
        "show_all": show_all,
        "level_choices": rules.RiskLevel.choices,
        "colours": {k: v[2] for k, v in rules.COLOURS.items()},
        "period_choices": [7, 30, 90, 365],
    }
    return render(request, "risks/overview.html", context)


def risk_map(request):
    require(request.user, "risks.view")
    f = _filters(request)
    return render(
        request,
        "risks/map.html",
        {**f, "level_choices": rules.RiskLevel.choices},
    )


def map_data(request):
    require(request.user, "risks.view")
    f = _filters(request)
    points = stats.map_points(
        request.user, town=f["town"], category=f["category"], level=f["level"]
    )
    return JsonResponse({"points": points})


def _register_tree(user, enterprise: Enterprise):
    measures = ControlMeasure.objects.active().select_related("responsible")
    events = (
        RiskEvent.objects.active()
        .order_by("-level_rank", "pk")
        .prefetch_related(Prefetch("measures", queryset=measures))
    )
    units = RiskUnit.objects.active().prefetch_related(Prefetch("events", queryset=events))
    objects = OBJECT_LEDGER.queryset(user, {"enterprise": enterprise.pk})
    return objects.prefetch_related(Prefetch("units", queryset=units))


def four_colour_by_area(objects) -> list[dict]:
    """Units grouped by area, each area coloured by its highest risk (区域四色分布)."""
    areas: dict[str, dict] = {}
    for obj in objects:
        for unit in obj.units.all():
            levels = [e.level for e in unit.events.all()]
            unit.level = rules.highest(levels)
            area = areas.setdefault(unit.area, {"area": unit.area, "units": [], "levels": []})
            area["units"].append(unit)
            area["levels"].extend(levels)
    result = []
    for area in sorted(areas.values(), key=lambda a: a["area"]):
        level = rules.highest(area["levels"])
        area["level"] = level
        area["colour"] = rules.COLOURS[level] if level else None
        result.append(area)
    result.sort(key=lambda a: -rules.LEVEL_RANK.get(a["level"], 0))
    return result


def enterprise_register(request, pk: int):
    enterprise = access_or_404(Enterprise.objects.select_related("region"), request.user, pk)
    require(request.user, "risks.view")
    objects = list(_register_tree(request.user, enterprise))
    now = timezone.now()
    context = {
        "enterprise": enterprise,
        "objects": objects,
        "areas": four_colour_by_area(objects),
        "profile": stats.profile(enterprise),
        "colours": rules.COLOURS,
        "may_manage": actions.may_manage(request.user, enterprise.pk),
        "effect": (stats.effectiveness(request.user, days=30, now=now, enterprise_id=pk) or [None])[
            0
        ],
        "open_tasks": TASK_LEDGER.count(request.user, {"state": TaskState.OPEN, "enterprise": pk}),
    }
    return render(request, "risks/register.html", context)


@require_http_methods(["GET", "POST"])
def create(request, kind: str, parent_pk: int):
    spec = _kind(kind)
    parent = access_or_404(spec.parent_model.objects, request.user, parent_pk)
    enterprise_id = _enterprise_id(parent)
    actions.require_manage(request.user, enterprise_id)
    extra = {"enterprise_id": enterprise_id} if spec.form is ControlMeasureForm else {}
    instance = spec.model(**{spec.parent_field: parent, "enterprise_id": enterprise_id})
    form = spec.form(request.POST or None, instance=instance, **extra)
    if request.method == "POST" and form.is_valid():
        record = actions.do_save(form.save(commit=False), actor=request.user)
        messages.success(request, _("Saved."))
        return redirect(_landing(record))
    return render(
        request,
        "risks/form.html",
        {"form": form, "title": _(spec.title), "parent": parent, "cancel": _cancel_url(parent)},
    )


def _cancel_url(record) -> str:
    if isinstance(record, (Enterprise, RiskObject)):
        return _register_url(_enterprise_id(record))
    return record.get_absolute_url()


@require_http_methods(["GET", "POST"])
def edit(request, kind: str, pk: int):
    spec = _kind(kind)
    record = access_or_404(spec.model.objects.active(), request.user, pk)
    actions.require_manage(request.user, record.enterprise_id)
    extra = {"enterprise_id": record.enterprise_id} if spec.form is ControlMeasureForm else {}
    form = spec.form(request.POST or None, instance=record, **extra)
    if request.method == "POST" and form.is_valid():
        actions.do_save(form.save(commit=False), actor=request.user)
        messages.success(request, _("Saved."))
        return redirect(_landing(record))
    return render(
        request,
        "risks/form.html",
        {
            "form": form,
            "title": _(spec.title),
            "record": record,
            "kind": kind,
            "cancel": _landing(record),
        },
    )


@require_POST
def archive(request, kind: str, pk: int):
    spec = _kind(kind)
    record = access_or_404(spec.model.objects, request.user, pk)
    actions.require_manage(request.user, record.enterprise_id)
    form = ArchiveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a reason for archiving."))
        return redirect(_landing(record))
    actions.do_archive(record, actor=request.user, reason=form.cleaned_data["reason"])
    messages.success(request, _("Archived."))
    return redirect(_register_url(record.enterprise_id))


def unit_detail(request, pk: int):
    unit = access_or_404(
        RiskUnit.objects.select_related("enterprise", "risk_object"), request.user, pk
    )
    require(request.user, "risks.view")
    return render(
        request,
        "risks/unit.html",
        {
            "unit": unit,
            "card": documents.card_content(unit),
            "may_manage": actions.may_manage(request.user, unit.enterprise_id),
            "public_url": _public_url(request, unit),
            "history": history_of(unit),
        },
    )


def _public_url(request, unit: RiskUnit) -> str:
    """Where the card's QR code points: the public address when one is configured (the card
    hangs at the site and is scanned from the internet), else the address in use."""
    if settings.ANLAN_PUBLIC_URL:
        return settings.ANLAN_PUBLIC_URL.rstrip("/") + unit.public_path()
    return request.build_absolute_uri(unit.public_path())


def card_pdf(request, pk: int):
    unit = access_or_404(RiskUnit.objects.select_related("enterprise"), request.user, pk)
    require(request.user, "risks.view")
    content = documents.risk_card(unit, _public_url(request, unit))
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f"inline; filename*=UTF-8''risk-card-{unit.pk}.pdf"
    return response


def public_card(request, token: str):
    """The page the card's QR code opens: public, and only what the posted card shows."""
    unit = get_object_or_404(
        RiskUnit.objects.select_related("enterprise"), public_token=token, archived_at__isnull=True
    )
    return render(request, "risks/public_card.html", {"card": documents.card_content(unit)})


def event_detail(request, pk: int, assess_form=None):
    event = access_or_404(
        RiskEvent.objects.select_related("enterprise", "unit__risk_object"), request.user, pk
    )
    require(request.user, "risks.view")
    context = {
        "event": event,
        "assessments": event.assessments.select_related("assessed_by"),
        "measures": event.measures.active().select_related("responsible"),
        "may_manage": actions.may_manage(request.user, event.enterprise_id),
        "assess_form": assess_form or AssessmentForm(initial={"kind": "inherent", "method": "lec"}),
        "missing": [
            label
            for level, (label, person) in zip(
                event.control_levels, event.responsible(), strict=True
            )
            if not person
        ],
        "history": history_of(event),
        "colours": rules.COLOURS,
    }
    return render(request, "risks/event.html", context, status=400 if assess_form else 200)


@require_POST
def assess(request, pk: int):
    event = access_or_404(RiskEvent.objects.active(), request.user, pk)
    actions.require_manage(request.user, event.enterprise_id)
    form = AssessmentForm(request.POST)
    if not form.is_valid():
        return event_detail(request, pk, assess_form=form)
    assessment = actions.do_assess(event, actor=request.user, **form.action_kwargs())
    messages.success(
        request,
        _("Graded %(score)s: %(level)s.")
        % {"score": rules.plain(assessment.score), "level": assessment.get_level_display()},
    )
    return redirect(event)


def task_list(request):
    require(request.user, "risks.view")
    data = request.GET.copy()
    data.setdefault("show", "current")  # the page opens on the tasks due now
    return TASK_LEDGER.page(request, data)


@require_http_methods(["GET", "POST"])
def task_detail(request, pk: int):
    task = access_or_404(
        InvestigationTask.objects.select_related(
            "measure__event__unit", "assignee", "enterprise", "done_by"
        ),
        request.user,
        pk,
    )
    require(request.user, "risks.view")
    may_check = actions.may_check(request.user, task) and task.state == TaskState.OPEN
    form = None
    if may_check:
        form = CheckForm(request.POST or None, request.FILES or None, items=task.measure.items())
        if request.method == "POST":
            if form.is_valid():
                try:
                    actions.do_complete_task(task, actor=request.user, results=form.results())
                except (StaleTransition, ValidationError) as error:
                    for message in getattr(error, "messages", [str(error)]):
                        messages.error(request, message)
                    return redirect(task)
                failed = task.results.filter(ok=False).count()
                if failed:
                    messages.warning(
                        request,
                        _("Check recorded; %(n)s failed item(s) reported as hazards.")
                        % {"n": failed},
                    )
                else:
                    messages.success(request, _("Check recorded; every item passed."))
                return redirect(task)
            messages.error(request, _("Please correct the form."))
    elif request.method == "POST":
        if task.state != TaskState.OPEN:
            messages.error(request, str(StaleTransition()))
            return redirect(task)
        raise PermissionDenied("risks.check")
    context = {
        "task": task,
        "form": form,
        "results": task.results.select_related("hazard"),
        "not_started": task.window_start > timezone.now(),
    }
    return render(request, "risks/task.html", context, status=400 if form and form.errors else 200)


def register_export(request, pk: int):
    enterprise = access_or_404(Enterprise.objects, request.user, pk)
    require(request.user, "risks.export")
    with translation.override("zh-hans"):
        content = write_workbook("风险辨识清单", imports.HEADERS, imports.export_rows(enterprise))
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    stamp = timezone.localtime().strftime("%Y%m%d")
    response["Content-Disposition"] = f"attachment; filename=risk-register-{pk}-{stamp}.xlsx"
    return response


@require_http_methods(["GET", "POST"])
def register_import(request, pk: int):
    enterprise = access_or_404(Enterprise.objects, request.user, pk)
    require(request.user, "risks.import")
    actions.require_manage(request.user, enterprise.pk)
    errors, created = [], None
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            errors = [_("Choose an .xlsx file.")]
        else:
            try:
                created = imports.import_register(upload, enterprise=enterprise, actor=request.user)
            except ImportFailed as failure:
                errors = [str(e) for e in failure.errors]
        if created is not None:
            messages.success(
                request,
                _("Imported: %(objects)s objects, %(units)s units, %(events)s risk events, "
                  "%(measures)s measures; %(updated)s records updated.") % created,
            )  # fmt: skip
            return redirect("risks:enterprise", enterprise.pk)
    return render(
        request,
        "risks/import.html",
        {"enterprise": enterprise, "errors": errors, "columns": imports.COLUMNS},
        status=400 if errors else 200,
    )


def import_template(request):
    require(request.user, "risks.import")
    with translation.override("zh-hans"):
        content = write_workbook(
            "风险辨识清单",
            imports.HEADERS,
            imports.EXAMPLE_ROWS,
            required=[c.header for c in imports.COLUMNS if c.required],
        )
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = "attachment; filename=risk-register-template.xlsx"
    return response
