"""Every write to an incident goes through these functions (pages and API call them).

Who acts at which level of the chain: the unit is the enterprise (its users) or, for an incident
without one, the town; the county and the city act through their emergency management bureaus.
The departments supervising the incident's industry at the county or the city act at that level
too (条例 art. 9), for follow-ups only: forwarding up and the final report are the bureau's.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from anlan.accounts.models import OrganisationKind, unit_level
from anlan.core.history import save_with_history
from anlan.core.permissions import can, require
from anlan.core.workflow import StaleTransition
from anlan.incidents import rules
from anlan.incidents.models import (
    CASUALTY_FIELDS,
    FACT_FIELDS,
    Incident,
    IncidentEvent,
    IncidentReport,
    IncidentState,
    ReportChannel,
    ReportKind,
    ReportStep,
)
from anlan.incidents.rules import Grade, Level, Source


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
    if level not in (Level.COUNTY, Level.CITY) or org is None:
        return None
    if org.kind == OrganisationKind.EMERGENCY_BUREAU or (supervises(org, incident)):
        return Level(level)
    return None


def supervises(org, incident: Incident) -> bool:
    """Whether ``org`` is a department supervising the incident's industry."""
    return (
        org is not None
        and org.kind == OrganisationKind.DEPARTMENT
        and incident.supervision_category_id is not None
        and org.supervised_categories.filter(pk=incident.supervision_category_id).exists()
    )


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
                _ensure_step(incident, level, now)
    return True


def _report(
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
    save_with_history(incident, actor=actor, at=now)
    unit_step = _ensure_step(incident, Level.UNIT, incident.unit_learned_at or incident.occurred_at)
    if from_unit:  # a report made in the platform is a written one: both limits are met
        unit_step.reported_at, unit_step.reported_by = now, actor
        unit_step.written_reported_at, unit_step.written_reported_by = now, actor
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
    save_with_history(locked, actor=actor, at=now)
    step = _ensure_step(locked, Level.UNIT, locked.unit_learned_at)
    step.due_at, step.reported_at, step.reported_by = locked.unit_due_at(), now, actor
    step.written_due_at = locked.unit_learned_at + locked.limit(Level.UNIT, rules.Channel.WRITTEN)
    step.written_reported_at, step.written_reported_by = now, actor  # made in writing
    save_with_history(step, actor=actor)
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


def _grade_if_ungraded(incident: Incident, actor, now) -> bool:
    """An incident stored as ``ungraded`` whose kind was since moved into the accident kinds is
    graded by art. 3 at its next report, and the chain widens as after a follow-up."""
    if incident.grade != Grade.UNGRADED or not incident.kind_rule.graded:
        return False
    old_grade, incident.grade = incident.grade, incident.compute_grade()
    save_with_history(incident, actor=actor, at=now)
    return _widen(incident, old_grade, actor, now)


@transaction.atomic
def do_forward(
    incident: Incident, *, actor, note: str = "", channel: str = ReportChannel.WRITTEN, now=None
) -> ReportStep:
    """The county reports to the city (in the platform), or the city records its report to the
    province (sent outside it). ``channel`` written (the default; every report in the platform
    is one) fulfils both limits of the step, phone only the first; the written report then
    follows as its own action."""
    now = now or timezone.now()
    if channel not in ReportChannel.values:
        raise ValidationError({"channel": _("Choose by phone or in writing.")})
    locked = Incident.objects.select_for_update().get(pk=incident.pk)
    level = level_of(actor, locked)
    if level not in (Level.COUNTY, Level.CITY) or not can(actor, "incidents.forward"):
        raise PermissionDenied("incidents.forward")
    old_grade = locked.grade
    regraded = _grade_if_ungraded(locked, actor, now)
    step = ReportStep.objects.select_for_update().filter(incident=locked, from_level=level).first()
    if step is None:
        raise ValidationError(_("This grade of accident is not reported beyond your level."))
    written = channel == ReportChannel.WRITTEN
    if step.written_reported_at is not None or (step.reported_at is not None and not written):
        raise StaleTransition(_("Already reported to the next level."))
    first = step.reported_at is None
    if first:
        step.reported_at, step.reported_by = now, actor
    if written:
        step.written_reported_at, step.written_reported_by = now, actor
    save_with_history(step, actor=actor, at=now)
    kind = ReportKind.FINAL if locked.state == IncidentState.FINAL else ReportKind.FIRST
    _report(locked, kind, level, actor, note, at=now, channel=channel)
    nxt = rules.CHAIN[rules.CHAIN.index(level) + 1]
    if first:  # the next level has it from the first report: its own limits start now
        _ensure_step(locked, nxt, now)
    _event(
        locked,
        f"forward_{nxt}" if first else f"written_{nxt}",
        actor,
        comment=note,
        data={"channel": channel} | ({"grade": [old_grade, locked.grade]} if regraded else {}),
        at=now,
    )
    if first and nxt == Level.CITY:
        _after(locked, "received", level=Level.CITY)
    if regraded:
        _after(locked, "regraded", level=level)
    return step


@transaction.atomic
def do_follow_up(
    incident: Incident, *, actor, facts: dict, note: str = "", final: bool = False, now=None
) -> IncidentReport:
    """续报 (new facts), 补报 (casualties changed, within the window of art. 13), a correction
    (casualties changed after it, or any change of the figures after the 终报: a missing person
    found, figures fixed by the investigation) or 终报 (filed by the county or the city, not by
    the unit). The grade is recomputed; a worse grade adds the steps it requires and tells the
    city."""
    now = now or timezone.now()
    locked = Incident.objects.select_for_update().get(pk=incident.pk)
    level = level_of(actor, locked)
    if level is None or level == Level.PROVINCE or not can(actor, "incidents.follow_up"):
        raise PermissionDenied("incidents.follow_up")
    if level == Level.UNIT and locked.unit_reported_at is None:
        raise ValidationError(_("Make the first report first."))
    if final and level not in (Level.COUNTY, Level.CITY):
        raise ValidationError(
            {"final": _("The final report is filed by the county or a higher level.")}
        )
    if final and supervises(actor.organisation, locked):
        raise ValidationError(
            {"final": _("The final report is filed by the emergency management bureau.")}
        )
    after_final = locked.state == IncidentState.FINAL
    if after_final and final:
        raise StaleTransition(_("The final report has been filed."))
    old_grade, old_loss = locked.grade, locked.direct_loss_yuan
    changed = _apply_facts(locked, facts)
    loss_changed = locked.direct_loss_yuan != old_loss
    if after_final and not (changed or loss_changed):
        raise StaleTransition(
            _("The final report has been filed: only changed casualties or loss are recorded.")
        )
    locked.grade = locked.compute_grade()
    if final:
        locked.state, locked.final_at = IncidentState.FINAL, now
    save_with_history(locked, actor=actor, at=now)
    if final:
        kind = ReportKind.FINAL
    elif after_final:  # recorded as a correction of the final report, not refused
        kind = ReportKind.CORRECTION
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
        | ({"loss": [str(old_loss), str(locked.direct_loss_yuan)]} if loss_changed else {})
        | ({"grade": [old_grade, locked.grade]} if regraded else {}),
        state=locked.state,
        at=now,
    )
    _after(locked, "regraded" if regraded else kind, level=level)
    return report
