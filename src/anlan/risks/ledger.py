"""The risk ledgers (core/ledger.py): the register's lists (objects, units, events, measures)
for the API, and the investigation tasks (排查任务) for their page and the API."""

from django.utils.translation import gettext as _

from anlan.core.ledger import Ledger
from anlan.risks.filters import (
    EventFilterForm,
    MeasureFilterForm,
    RegisterFilterForm,
    TaskFilterForm,
    task_ordering,
)
from anlan.risks.models import ControlMeasure, InvestigationTask, RiskEvent, RiskObject, RiskUnit


def _register(model, form, ordering, name) -> Ledger:
    return Ledger(
        model=model,
        form=form,
        columns=(),
        ordering=ordering,
        api_page_size=100,
        export_name=name,
    )


OBJECT_LEDGER = _register(
    RiskObject, RegisterFilterForm, ("enterprise_id", "kind", "name", "pk"), "risk-objects"
)
UNIT_LEDGER = _register(RiskUnit, RegisterFilterForm, ("area", "name", "pk"), "risk-units")
EVENT_LEDGER = _register(RiskEvent, EventFilterForm, ("-level_rank", "pk"), "risk-events")
MEASURE_LEDGER = _register(
    ControlMeasure, MeasureFilterForm, ("event_id", "kind", "pk"), "control-measures"
)


def _page_context(request, page, form) -> dict:
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    return {
        "tasks": page.object_list,
        "show": data.get("show") or "",
        "enterprise": data.get("enterprise") or "",
        "days": data.get("days") or "",
        "tabs": [
            ("current", _("Due now")),
            ("mine", _("Mine")),
            ("missed", _("Missed")),
            ("done", _("Done")),
        ],
    }


TASK_LEDGER = Ledger(
    model=InvestigationTask,
    form=TaskFilterForm,
    columns=(),
    ordering=task_ordering,
    template="risks/tasks.html",
    related=("measure__event__unit", "assignee", "enterprise"),
    page_size=50,
    page_context=_page_context,
    api_page_size=100,
    export_name="tasks",
)


def register_section(user, enterprise):
    """The enterprise page's risk register (registry/sections.py): its risk events, the rows
    the register page lists (the event ledger's filter: active ones of this enterprise)."""
    from django.urls import reverse
    from django.utils.translation import gettext_lazy

    from anlan.core.permissions import can
    from anlan.registry.sections import EnterpriseSection, Figure

    if not can(user, "risks.view"):
        return None
    register = reverse("risks:enterprise", args=[enterprise.pk])
    data = EVENT_LEDGER.cleaned(EVENT_LEDGER.bind(user, {"enterprise": enterprise.pk}))
    events = Figure(gettext_lazy("risk events"), EVENT_LEDGER.count(user, data), register)
    return EnterpriseSection(
        "risks", gettext_lazy("Risk register"), "shield-check", [events], url=register
    )


def task_section(user, enterprise):
    """The enterprise page's investigation tasks: due now, missed, done (the task page's tabs)."""
    from django.utils.translation import gettext_lazy

    from anlan.core.permissions import can
    from anlan.registry.sections import EnterpriseSection, ledger_figure

    if not can(user, "risks.view"):
        return None
    figures = [
        ledger_figure(
            TASK_LEDGER, user, label, "risks:tasks", {"show": show, "enterprise": enterprise.pk}
        )
        for show, label in (
            ("current", gettext_lazy("Due now")),
            ("missed", gettext_lazy("Missed")),
            ("done", gettext_lazy("Done")),
        )
    ]
    return EnterpriseSection("tasks", gettext_lazy("Investigation tasks"), "checklist", figures)
