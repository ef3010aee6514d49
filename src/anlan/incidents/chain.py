"""The reporting chain's steps and reports (事故信息报送): the helpers the incident workflow's
transitions use (workflow.py) to open and tighten ReportSteps and file IncidentReports. They
change no state field: the engine does (core/workflow.py)."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from anlan.core.history import save_with_history
from anlan.incidents import rules
from anlan.incidents.models import (
    CASUALTY_FIELDS,
    FACT_FIELDS,
    Incident,
    IncidentReport,
    ReportChannel,
    ReportStep,
)
from anlan.incidents.rules import Grade, Level


def ensure_step(incident: Incident, from_level: str, start) -> ReportStep | None:
    """Create the step from ``from_level`` if the kind and grade require it and it does not
    exist; its limits run from ``start`` (when that level learned of the incident)."""
    wanted = incident.required_steps()
    if from_level not in wanted:
        return None
    step, _created = ReportStep.objects.get_or_create(
        incident=incident,
        from_level=from_level,
        defaults={
            "to_level": wanted[from_level],
            "due_at": start + incident.limit(from_level, rules.Channel.PHONE),
            "written_due_at": start + incident.limit(from_level, rules.Channel.WRITTEN),
        },
    )
    return step


def widen(incident: Incident, old_grade: str, actor, now) -> bool:
    """After the facts changed (a follow-up, or the unit's own late report): a worse grade adds
    the steps it requires from the levels that already have the incident, starting now, and
    tightens the open steps whose new limit ends sooner (a province's shorter limit for the
    worse grade counts from when the level learned of it). Returns whether the grade changed."""
    if incident.grade == old_grade:
        return False
    if rules.worse(incident.grade, old_grade):
        open_steps = incident.steps.filter(
            Q(reported_at__isnull=True) | Q(written_reported_at__isnull=True)
        )
        for step in open_steps:
            due = now + incident.limit(step.from_level, rules.Channel.PHONE)
            written = now + incident.limit(step.from_level, rules.Channel.WRITTEN)
            tighter = step.reported_at is None and due < step.due_at
            tighter_written = step.written_reported_at is None and written < step.written_due
            if tighter:
                step.due_at = due
            if tighter_written:
                step.written_due_at = written
            if tighter or tighter_written:
                save_with_history(step, actor=actor)
        for level in (Level.COUNTY, Level.CITY):
            fulfilled = incident.steps.filter(
                to_level=level, reported_at__isnull=False
            ).exists()  # the level has it: its own step starts now if the grade requires it
            if fulfilled:
                ensure_step(incident, level, now)
    return True


def file_report(
    incident: Incident,
    kind: str,
    from_level: str,
    actor,
    note: str = "",
    at=None,
    channel: str = ReportChannel.WRITTEN,
) -> IncidentReport:
    return IncidentReport.objects.create(
        incident=incident,
        kind=kind,
        channel=channel,
        from_level=from_level,
        to_level=rules.CHAIN[rules.CHAIN.index(from_level) + 1],
        submitted_by=actor,
        submitted_at=at or timezone.now(),
        grade=incident.grade,
        note=note,
        **incident.facts(),
    )


def casualty_changes(incident: Incident, facts: dict) -> dict:
    """The casualty fields ``facts`` change {name: (old, new)}."""
    return {
        name: (getattr(incident, name), facts[name])
        for name in CASUALTY_FIELDS
        if facts.get(name) is not None and getattr(incident, name) != facts[name]
    }


def apply_facts(incident: Incident, facts: dict) -> dict:
    """Set the facts; returns the casualty fields that changed {name: (old, new)}."""
    changed = casualty_changes(incident, facts)
    for name in FACT_FIELDS:
        if name in facts and facts[name] is not None:
            setattr(incident, name, facts[name])
    return changed


def grade_if_ungraded(incident: Incident, actor, now) -> bool:
    """An incident stored as ``ungraded`` whose kind was since moved into the accident kinds is
    graded by art. 3 at its next report, and the chain widens as after a follow-up."""
    if incident.grade != Grade.UNGRADED or not incident.kind_rule.graded:
        return False
    old_grade, incident.grade = incident.grade, incident.compute_grade()
    return widen(incident, old_grade, actor, now)
