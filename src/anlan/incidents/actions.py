"""Every write to an incident goes through these functions (pages and API call them).

Who acts at which level of the chain: the unit is the enterprise (its users) or, for an incident
without one, the town; the county and the city act through their emergency management bureaus.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from anlan.accounts.models import OrganisationKind
from anlan.core.permissions import can, require
from anlan.core.workflow import StaleTransition
from anlan.hazards.workflow import unit_level
from anlan.incidents import rules
from anlan.incidents.models import (
    CASUALTY_FIELDS,
    FACT_FIELDS,
    Incident,
    IncidentEvent,
    IncidentReport,
    IncidentState,
    ReportKind,
    ReportStep,
)
from anlan.incidents.rules import Level, Source


def level_of(actor, incident: Incident) -> str | None:
    """The level of the chain at which ``actor`` acts for this incident (None: no part)."""
    if actor.is_superuser:
        return Level.COUNTY
    if actor.enterprise_id:
        return Level.UNIT if actor.enterprise_id == incident.enterprise_id else None
    org = actor.organisation
    level = unit_level(actor)
    if level == "town" and not incident.enterprise_id:
        return Level.UNIT
    if org is not None and org.kind == OrganisationKind.EMERGENCY_BUREAU:
        if level in (Level.COUNTY, Level.CITY):
            return Level(level)
    return None


def _ensure_step(incident: Incident, from_level: str, start) -> ReportStep | None:
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


def _widen(incident: Incident, old_grade: str, actor, now) -> bool:
    """After the facts changed (a follow-up, or the unit's own late report): a worse grade adds
    the steps it requires from the levels that already have the incident, starting now, and
    tightens the open steps whose new limit ends sooner (a province's shorter limit for the
    worse grade counts from when the level learned of it). Returns whether the grade changed."""
    if incident.grade == old_grade:
        return False
    if rules.worse(incident.grade, old_grade):
        for step in incident.steps.filter(reported_at__isnull=True):
            due = now + incident.limit(step.from_level, rules.Channel.PHONE)
            written = now + incident.limit(step.from_level, rules.Channel.WRITTEN)
            if due < step.due_at or (step.written_due_at and written < step.written_due_at):
                step.due_at = min(step.due_at, due)
                step.written_due_at = min(step.written_due_at or written, written)
                step._history_user = actor
                step.save()
        for level in (Level.COUNTY, Level.CITY):
            fulfilled = incident.steps.filter(
                to_level=level, reported_at__isnull=False
            ).exists()  # the level has it: its own step starts now if the grade requires it
            if fulfilled:
                _ensure_step(incident, level, now)
    return True


def _report(
    incident: Incident, kind: str, from_level: str, actor, note: str = "", at=None
) -> IncidentReport:
    return IncidentReport.objects.create(
        incident=incident,
        kind=kind,
        from_level=from_level,
        to_level=rules.CHAIN[rules.CHAIN.index(from_level) + 1],
        submitted_by=actor,
        submitted_at=at or timezone.now(),
        grade=incident.grade,
        note=note,
        **incident.facts(),
    )


def _event(incident, name, actor, comment="", data=None, state=None, at=None):
    IncidentEvent.objects.create(
        incident=incident,
        created_at=at or timezone.now(),
        transition=name,
        from_state=incident.state,
        to_state=state or incident.state,
        actor=actor,
        comment=comment,
        data=data or {},
    )


def _after(incident: Incident, step: str, **kwargs) -> None:
    def run() -> None:
        from anlan.incidents.tasks import notify_step

        notify_step(incident.pk, step, **kwargs)

    transaction.on_commit(run)


@transaction.atomic
def do_create(incident: Incident, *, actor, now=None) -> Incident:
    """A first report from the unit, a unit's report taken down by the county, or (from a
    government user with another source) an incident the unit has not reported yet."""
    require(actor, "incidents.report")
    now = now or timezone.now()
    if incident.enterprise_id:
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
    incident.state = IncidentState.REPORTING
    incident.created_at = now
    incident._history_user = actor
    incident._history_date = now
    incident.save()
    unit_step = _ensure_step(incident, Level.UNIT, incident.unit_learned_at or incident.occurred_at)
    if from_unit:
        unit_step.reported_at, unit_step.reported_by = now, actor
        unit_step.save()
        _report(incident, ReportKind.FIRST, Level.UNIT, actor, at=now)
    # The county has it from now on: its two hours to the city start.
    _ensure_step(incident, Level.COUNTY, now)
    _event(
        incident,
        "first_report" if from_unit else "register",
        actor,
        data={"grade": incident.grade, "source": incident.known_source},
        at=now,
    )
    _after(incident, "received", level=Level.COUNTY)
    return incident


@transaction.atomic
def do_unit_report(incident: Incident, *, actor, facts: dict, learned_at, now=None) -> Incident:
    """The unit's own first report of an incident the county already knew of."""
    now = now or timezone.now()
    locked = Incident.objects.select_for_update().get(pk=incident.pk)
    if level_of(actor, locked) != Level.UNIT or not can(actor, "incidents.report"):
        raise PermissionDenied("incidents.report")
    if locked.unit_reported_at is not None:
        raise StaleTransition(_("The unit has already reported this incident."))
    old_grade = locked.grade
    changed = _apply_facts(locked, facts)
    locked.unit_learned_at = min(learned_at, now)
    locked.unit_reported_at = now
    locked.grade = locked.compute_grade()
    locked._history_user = actor
    locked._history_date = now
    locked.save()
    step = _ensure_step(locked, Level.UNIT, locked.unit_learned_at)
    step.due_at, step.reported_at, step.reported_by = locked.unit_due_at(), now, actor
    step.written_due_at = locked.unit_learned_at + locked.limit(Level.UNIT, rules.Channel.WRITTEN)
    step._history_user = actor
    step.save()
    _report(locked, ReportKind.FIRST, Level.UNIT, actor, at=now)
    # The unit's figures may raise the grade: the chain widens exactly as after a follow-up.
    regraded = _widen(locked, old_grade, actor, now)
    _event(
        locked,
        "first_report",
        actor,
        data={"concealment": locked.concealment(now)}
        | ({"changes": {k: list(v) for k, v in changed.items()}} if changed else {})
        | ({"grade": [old_grade, locked.grade]} if regraded else {}),
        at=now,
    )
    _after(locked, "unit_reported", level=Level.COUNTY)
    if regraded:
        _after(locked, "regraded", level=Level.COUNTY)
    return locked


def _apply_facts(incident: Incident, facts: dict) -> dict:
    """Set the facts; returns the casualty fields that changed {name: (old, new)}."""
    changed = {}
    for name in FACT_FIELDS:
        if name in facts and facts[name] is not None:
            old = getattr(incident, name)
            if name in CASUALTY_FIELDS and old != facts[name]:
                changed[name] = (old, facts[name])
            setattr(incident, name, facts[name])
    return changed


@transaction.atomic
def do_forward(incident: Incident, *, actor, note: str = "", now=None) -> ReportStep:
    """The county reports to the city (in the platform), or the city records its report to the
    province (sent outside it): the step from the actor's level is fulfilled."""
    now = now or timezone.now()
    locked = Incident.objects.select_for_update().get(pk=incident.pk)
    level = level_of(actor, locked)
    if level not in (Level.COUNTY, Level.CITY) or not can(actor, "incidents.forward"):
        raise PermissionDenied("incidents.forward")
    step = ReportStep.objects.select_for_update().filter(incident=locked, from_level=level).first()
    if step is None:
        raise ValidationError(_("This grade of accident is not reported beyond your level."))
    if step.reported_at is not None:
        raise StaleTransition(_("Already reported to the next level."))
    step.reported_at, step.reported_by = now, actor
    step._history_user = actor
    step._history_date = now
    step.save()
    kind = ReportKind.FINAL if locked.state == IncidentState.FINAL else ReportKind.FIRST
    _report(locked, kind, level, actor, note, at=now)
    nxt = rules.CHAIN[rules.CHAIN.index(level) + 1]
    _ensure_step(locked, nxt, now)
    _event(locked, f"forward_{nxt}", actor, comment=note, at=now)
    if nxt == Level.CITY:
        _after(locked, "received", level=Level.CITY)
    return step


@transaction.atomic
def do_follow_up(
    incident: Incident, *, actor, facts: dict, note: str = "", final: bool = False, now=None
) -> IncidentReport:
    """续报 (new facts), 补报 (casualties changed, within the window of art. 13), a correction
    (casualties changed after it) or 终报. The grade is recomputed; a worse grade adds the steps
    it requires and tells the city."""
    now = now or timezone.now()
    locked = Incident.objects.select_for_update().get(pk=incident.pk)
    level = level_of(actor, locked)
    if level is None or level == Level.PROVINCE or not can(actor, "incidents.report"):
        raise PermissionDenied("incidents.report")
    if locked.state == IncidentState.FINAL:
        raise StaleTransition(_("The final report has been filed."))
    if level == Level.UNIT and locked.unit_reported_at is None:
        raise ValidationError(_("Make the first report first."))
    old_grade = locked.grade
    changed = _apply_facts(locked, facts)
    locked.grade = locked.compute_grade()
    if final:
        locked.state, locked.final_at = IncidentState.FINAL, now
    locked._history_user = actor
    locked._history_date = now
    locked.save()
    if final:
        kind = ReportKind.FINAL
    elif not changed:
        kind = ReportKind.FOLLOW_UP
    elif locked.supplement_window_open(now):
        kind = ReportKind.SUPPLEMENT
    else:  # after the window of art. 13: recorded as a correction, not refused
        kind = ReportKind.CORRECTION
    report = _report(locked, kind, level, actor, note, at=now)
    regraded = _widen(locked, old_grade, actor, now)
    _event(
        locked,
        kind,
        actor,
        comment=note,
        data={"changes": {k: list(v) for k, v in changed.items()}}
        | ({"grade": [old_grade, locked.grade]} if regraded else {}),
        state=locked.state,
        at=now,
    )
    _after(locked, "regraded" if regraded else kind, level=level)
    return report
