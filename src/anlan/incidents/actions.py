"""Every write to an incident goes through these functions (pages and API call them); the
state and the timeline are the incident workflow's (workflow.py, run by core/workflow.py)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from anlan.core.permissions import require
from anlan.core.workflow import StaleTransition, create, run_transition
from anlan.incidents import rules
from anlan.incidents.chain import casualty_changes, ensure_step, file_report
from anlan.incidents.models import (
    Incident,
    IncidentReport,
    IncidentState,
    ReportChannel,
    ReportKind,
    ReportStep,
)
from anlan.incidents.rules import Level, Source
from anlan.incidents.workflow import (  # noqa: F401 (level_of, supervises: pages use them)
    INCIDENT_WORKFLOW,
    follow_up_kind,
    level_of,
    supervises,
)


@transaction.atomic
def do_create(incident: Incident, *, actor, now=None) -> Incident:
    """A first report from the unit, a unit's report taken down by the county, or (from a
    government user with another source) an incident the unit has not reported yet."""
    require(actor, "incidents.report")
    now = now or timezone.now()
    if incident.enterprise is not None:
        incident.region_id = incident.enterprise.region_id
        incident.supervision_category_id = incident.enterprise.category_id
    level = level_of(actor, incident)
    if level is None:
        raise PermissionDenied("incidents.report")
    from_unit = incident.known_source == Source.UNIT
    if level == Level.UNIT and not from_unit:
        raise ValidationError({"known_source": _("A unit reports its own accident.")})
    incident.known_at = now
    if from_unit:
        incident.unit_learned_at = incident.unit_learned_at or now
        incident.unit_reported_at = now
    else:
        incident.unit_learned_at = None
        incident.unit_reported_at = None
    incident.grade = incident.compute_grade()
    incident.created_at = now
    create(
        INCIDENT_WORKFLOW, incident, "first_report" if from_unit else "register", actor=actor,
        at=now, inputs={
            "event_data": {"grade": incident.grade, "source": incident.known_source},
            "notify": [("received", Level.COUNTY)],
        },
    )  # fmt: skip
    unit_step = ensure_step(incident, Level.UNIT, incident.unit_learned_at or incident.occurred_at)
    assert unit_step is not None  # every chain starts at the unit
    if from_unit:  # a report made in the platform is a written one: both limits are met
        unit_step.reported_at, unit_step.reported_by = now, actor
        unit_step.written_reported_at, unit_step.written_reported_by = now, actor
        unit_step.save()
        file_report(incident, ReportKind.FIRST, Level.UNIT, actor, at=now)
    # The county has it from now on: its two hours to the city start.
    ensure_step(incident, Level.COUNTY, now)
    return incident


def do_unit_report(incident: Incident, *, actor, facts: dict, learned_at, now=None) -> Incident:
    """The unit's own first report of an incident the county already knew of."""
    run_transition(
        INCIDENT_WORKFLOW, incident, "unit_report", actor=actor, at=now,
        inputs={"facts": facts, "learned_at": learned_at},
    )  # fmt: skip
    return incident


@transaction.atomic
def do_forward(
    incident: Incident,
    *,
    actor,
    note: str = "",
    channel: str = ReportChannel.WRITTEN,
    now=None,
    name: str | None = None,
) -> ReportStep:
    """The county reports to the city (in the platform), or the city records its report to the
    province (sent outside it). ``channel`` written (the default; every report in the platform
    is one) fulfils both limits of the step, phone only the first; the written report then
    follows as its own action. ``name`` (the API's transition route) names the step asked for:
    refused as stale if it is not the one due."""
    if channel not in ReportChannel.values:
        raise ValidationError({"channel": _("Choose by phone or in writing.")})
    level = level_of(actor, incident)
    if level not in (Level.COUNTY, Level.CITY):
        raise PermissionDenied("incidents.forward")
    step = ReportStep.objects.filter(incident=incident, from_level=level).first()
    first = step is None or step.reported_at is None
    nxt = rules.CHAIN[rules.CHAIN.index(level) + 1]
    name = name or (f"forward_{nxt}" if first else f"written_{nxt}")
    run_transition(
        INCIDENT_WORKFLOW, incident, name, actor=actor, comment=note, at=now,
        inputs={"channel": channel},
    )  # fmt: skip
    return ReportStep.objects.get(incident=incident, from_level=level)


@transaction.atomic
def do_follow_up(
    incident: Incident,
    *,
    actor,
    facts: dict,
    note: str = "",
    final: bool = False,
    now=None,
    name: str | None = None,
) -> IncidentReport:
    """续报 (new facts), 补报 (casualties changed, within the window of art. 13), a correction
    (casualties changed after it, or any change of the figures after the 终报: a missing person
    found, figures fixed by the investigation) or 终报 (filed by the county or the city, not by
    the unit). The kind is chosen here and checked again under the lock (workflow._follow_up)."""
    now = now or timezone.now()
    current = Incident.objects.get(pk=incident.pk)
    if final and current.state == IncidentState.FINAL:
        raise StaleTransition(_("The final report has been filed."))
    name = name or follow_up_kind(current, casualty_changes(current, facts), final, now)
    run_transition(
        INCIDENT_WORKFLOW, incident, name, actor=actor, comment=note, at=now,
        inputs={"facts": facts},
    )  # fmt: skip
    report = incident.reports.order_by("-pk").first()
    assert report is not None  # the transition filed one
    return report
