"""The incident ledger: the page and the API list, declared once (core/ledger.py)."""

from django.utils import timezone

from anlan.core.ledger import Ledger
from anlan.core.permissions import can
from anlan.incidents.filters import IncidentFilterForm
from anlan.incidents.models import Incident, IncidentState, ReportStep
from anlan.incidents.rules import Grade, IncidentKind


def with_status(steps, now) -> list[tuple]:
    """(step, first report's status, written report's status or None when it is the same)."""
    return [(s, s.status(now), s.written_status(now) if s.written_apart else None) for s in steps]


def _page_context(request, page, form) -> dict:
    """Each incident's reporting chain, read for the page's incidents in one query."""
    steps: dict[int, list] = {}
    for step in ReportStep.objects.filter(incident__in=[i.pk for i in page.object_list]):
        steps.setdefault(step.incident_id, []).append(step)
    now = timezone.now()
    for incident in page.object_list:
        incident.step_list = with_status(steps.get(incident.pk, []), now)
    return {
        "towns": form.towns,
        "chosen": {
            k: request.GET.get(k, "")
            for k in ("q", "grade", "kind", "town", "state", "late", "due", "since")
        },
        "grades": Grade.choices,
        "kinds": IncidentKind.choices,
        "states": IncidentState.choices,
        "may_report": can(request.user, "incidents.report"),
    }


INCIDENT_LEDGER = Ledger(
    model=Incident,
    form=IncidentFilterForm,
    columns=(),
    ordering=("-occurred_at", "-pk"),
    template="incidents/list.html",
    related=("region", "enterprise"),
    page_size=25,
    page_context=_page_context,
    export_name="incidents",
)


def enterprise_section(user, enterprise):
    """The enterprise page's incidents (registry/sections.py)."""
    from django.utils.translation import gettext_lazy

    from anlan.registry.sections import EnterpriseSection, ledger_figure

    if not can(user, "incidents.view"):
        return None
    figures = [
        ledger_figure(INCIDENT_LEDGER, user, gettext_lazy("all"), "incidents:list",
                      {"enterprise": enterprise.pk}),
    ]  # fmt: skip
    return EnterpriseSection("incidents", gettext_lazy("Incidents"), "urgent", figures)
