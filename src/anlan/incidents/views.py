"""Incident pages: thin views over scoping, forms, actions and statistics."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from anlan.core.periods import asked_period
from anlan.core.permissions import can, require
from anlan.core.scoping import access_or_404
from anlan.core.workflow import StaleTransition
from anlan.incidents import actions, documents, stats
from anlan.incidents.forms import FactsForm, ForwardForm, IncidentForm, UnitReportForm
from anlan.incidents.ledger import INCIDENT_LEDGER, with_status
from anlan.incidents.models import Incident, IncidentState
from anlan.incidents.rules import Level

RELATED = ("enterprise", "region", "supervision_category")


def _access(request, pk: int) -> Incident:
    incident = access_or_404(Incident.objects.select_related(*RELATED), request.user, pk)
    require(request.user, "incidents.view")
    return incident


def incident_list(request):
    require(request.user, "incidents.view")
    return INCIDENT_LEDGER.page(request)


@require_http_methods(["GET", "POST"])
def incident_new(request):
    require(request.user, "incidents.report")
    form = IncidentForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            incident = actions.do_create(form.save(commit=False), actor=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Reported: %(number)s.") % {"number": incident.number})
            return redirect(incident)
    context = {"form": form}
    return render(request, "incidents/new.html", context, status=400 if form.errors else 200)


def _detail(request, incident: Incident, status: int = 200, **forms):
    user = request.user
    now = timezone.now()
    level = actions.level_of(user, incident)
    steps = list(incident.steps.select_related("reported_by", "written_reported_by"))
    own_step = next(
        (
            s
            for s in steps
            if s.from_level == level and (s.reported_at is None or s.written_reported_at is None)
        ),
        None,
    )
    after_final = incident.state == IncidentState.FINAL
    context = {
        "incident": incident,
        "level": level,
        "steps": with_status(steps, now),
        "reports": incident.reports.select_related("submitted_by"),
        "events": incident.events.select_related("actor"),
        "concealment": incident.concealment(now),
        "may_follow_up": level is not None
        and can(user, "incidents.follow_up")
        and not (level == Level.UNIT and incident.unit_reported_at is None),
        # 终报 is the county's or the city's bureau's; after it, changed figures are corrections.
        "may_final": level in (Level.COUNTY, Level.CITY)
        and not after_final
        and not actions.supervises(user.organisation, incident),
        "after_final": after_final,
        "may_unit_report": level == Level.UNIT
        and incident.unit_reported_at is None
        and can(user, "incidents.report"),
        "may_forward": own_step is not None
        and level in (Level.COUNTY, Level.CITY)
        and can(user, "incidents.forward"),
        "own_step": own_step,
        "facts_form": forms.get("facts_form") or FactsForm.for_incident(incident),
        "unit_form": forms.get("unit_form") or UnitReportForm.for_incident(incident),
        "forward_form": forms.get("forward_form") or ForwardForm(step=own_step),
        "now": now,
    }
    return render(request, "incidents/detail.html", context, status=status)


def incident_detail(request, pk: int):
    return _detail(request, _access(request, pk))


def _act(request, incident, form, key, action, done):
    if not form.is_valid():
        messages.error(request, _("Please correct the form."))
        return _detail(request, incident, status=400, **{key: form})
    try:
        action(form)
    except StaleTransition as error:
        messages.error(request, str(error))
        return redirect(incident)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return _detail(request, incident, status=400, **{key: form})
    messages.success(request, done)
    return redirect(incident)


@require_POST
def follow_up(request, pk: int):
    incident = _access(request, pk)
    form = FactsForm(request.POST)
    return _act(
        request, incident, form, "facts_form",
        lambda f: actions.do_follow_up(incident, actor=request.user, facts=f.facts(),
                                       note=f.cleaned_data["note"], final=f.cleaned_data["final"]),
        _("Report sent."),
    )  # fmt: skip


@require_POST
def unit_report(request, pk: int):
    incident = _access(request, pk)
    form = UnitReportForm(request.POST)
    return _act(
        request, incident, form, "unit_form",
        lambda f: actions.do_unit_report(incident, actor=request.user, facts=f.facts(),
                                         learned_at=f.cleaned_data["learned_at"]),
        _("Report sent."),
    )  # fmt: skip


@require_POST
def forward(request, pk: int):
    incident = _access(request, pk)
    form = ForwardForm(request.POST)
    return _act(
        request, incident, form, "forward_form",
        lambda f: actions.do_forward(incident, actor=request.user, note=f.cleaned_data["note"],
                                     channel=f.cleaned_data["channel"]),
        _("Reported to the next level."),
    )  # fmt: skip


def express_pdf(request, pk: int):
    incident = _access(request, pk)
    response = HttpResponse(documents.express_report(incident), content_type="application/pdf")
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{incident.number}.pdf"
    return response


def incident_stats(request):
    require(request.user, "incidents.view")
    asked = asked_period(request.GET, timezone.localdate())
    assert asked.period is not None  # incidents always have a period (no "all records")
    numbers = stats.compare(request.user, asked.period)
    blocks = [
        {"key": "grade", "title": _("By grade"), "rows": numbers["by_grade"]},
        {"key": "kind", "title": _("By type"), "rows": numbers["by_kind"]},
        {"key": "town", "title": _("By town"), "rows": numbers["by_town"]},
    ]
    context = {
        "s": numbers,
        "blocks": blocks,
        "chart_data": {b["key"]: b["rows"] for b in blocks},
        **asked.context(),
    }
    status = 400 if asked.error else 200
    return render(request, "incidents/stats.html", context, status=status)
