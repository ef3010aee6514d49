"""The incident reporting chain as data (core/workflow.py runs it).

(first_report | register) reporting ─final→ final
    reporting and final alike, keeping the state (each writes its event):
    unit_report                          the unit's own report of an incident known elsewhere
    forward_city / forward_province      a level's first report to the next (phone or written)
    written_city / written_province      the written report after a phone one
    follow_up / supplement / correction  续报, 补报 (art. 13 window), a correction after it or
                                         after the 终报
    suspected_concealment                the deadline job's flag (system)

Each ReportStep of the chain (unit → county → city → province) is fulfilled by the report and
forward transitions of its incident; its deadlines are data of the step (chain.py).
Who acts at which level: the unit is the enterprise (its users) or, for an incident without one,
the town; the county and the city act through their emergency management bureaus. The
departments supervising the incident's industry at the county or the city act at that level too
(条例 art. 9), for follow-ups only: forwarding up and the final report are the bureau's.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from anlan.accounts.models import OrganisationKind, unit_level
from anlan.core.history import save_with_history
from anlan.core.permissions import can
from anlan.core.workflow import StaleTransition, Transition, Workflow, nobody
from anlan.incidents import rules
from anlan.incidents.chain import (
    apply_facts,
    ensure_step,
    file_report,
    grade_if_ungraded,
    widen,
)
from anlan.incidents.models import (
    Incident,
    IncidentEvent,
    IncidentState,
    ReportChannel,
    ReportKind,
    ReportStep,
)
from anlan.incidents.rules import Level

S = IncidentState
OPEN = (S.REPORTING, S.FINAL)  # a report keeps coming after the 终报 (corrections)


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


def may_report(actor, incident: Incident) -> bool:
    return can(actor, "incidents.report") and level_of(actor, incident) is not None


def is_unit(actor, incident: Incident) -> bool:
    return can(actor, "incidents.report") and level_of(actor, incident) == Level.UNIT


def reports_to(nxt: str):
    """The county forwards to the city, the city to the province."""

    def allowed(actor, incident: Incident) -> bool:
        level = level_of(actor, incident)
        return (
            level in (Level.COUNTY, Level.CITY)
            and rules.CHAIN[rules.CHAIN.index(level) + 1] == nxt
            and can(actor, "incidents.forward")
        )

    return allowed


def may_follow_up(actor, incident: Incident) -> bool:
    level = level_of(actor, incident)
    return level not in (None, Level.PROVINCE) and can(actor, "incidents.follow_up")


def follow_up_kind(incident: Incident, changed: dict, final: bool, now) -> str:
    """终报; after it, a correction; else 续报 (no casualty change), 补报 (a change within the
    window of art. 13) or, after the window, a correction (recorded, not refused)."""
    if final:
        return ReportKind.FINAL
    if incident.state == S.FINAL or (changed and not incident.supplement_window_open(now)):
        return ReportKind.CORRECTION
    return ReportKind.SUPPLEMENT if changed else ReportKind.FOLLOW_UP


# -- apply hooks (inside the transaction, the incident locked) ----------------------------


def _unit_report(incident: Incident, actor, inputs: dict[str, Any]) -> None:
    """The unit's own first report of an incident the county already knew of."""
    now = inputs["at"]
    if incident.unit_reported_at is not None:
        raise StaleTransition(_("The unit has already reported this incident."))
    if inputs["learned_at"] < incident.occurred_at:
        # The 快报 would print the unit learning of it before it happened.
        raise ValidationError({"learned_at": _("Cannot be before the accident happened.")})
    old_grade = incident.grade
    changed = apply_facts(incident, inputs["facts"])
    incident.unit_learned_at = min(inputs["learned_at"], now)
    incident.unit_reported_at = now
    incident.grade = incident.compute_grade()
    step = ensure_step(incident, Level.UNIT, incident.unit_learned_at)
    step.due_at, step.reported_at, step.reported_by = incident.unit_due_at(), now, actor
    step.written_due_at = incident.unit_learned_at + incident.limit(
        Level.UNIT, rules.Channel.WRITTEN
    )
    step.written_reported_at, step.written_reported_by = now, actor  # made in writing
    save_with_history(step, actor=actor, at=now)
    file_report(incident, ReportKind.FIRST, Level.UNIT, actor, at=now)
    # The unit's figures may raise the grade: the chain widens exactly as after a follow-up.
    regraded = widen(incident, old_grade, actor, now)
    inputs["event_data"] = (
        {"concealment": incident.concealment(now)}
        | ({"changes": {k: list(v) for k, v in changed.items()}} if changed else {})
        | ({"grade": [old_grade, incident.grade]} if regraded else {})
    )
    inputs["notify"] = [("unit_reported", Level.COUNTY)] + (
        [("regraded", Level.COUNTY)] if regraded else []
    )


def _forward(nxt: str, first: bool):
    """The county reports to the city (in the platform), or the city records its report to the
    province (sent outside it): written fulfils both limits of the step, phone only the first."""

    def apply(incident: Incident, actor, inputs: dict[str, Any]) -> None:
        now, channel = inputs["at"], inputs.get("channel") or ReportChannel.WRITTEN
        level = rules.CHAIN[rules.CHAIN.index(nxt) - 1]
        old_grade = incident.grade
        regraded = grade_if_ungraded(incident, actor, now)
        step = ReportStep.objects.select_for_update().filter(incident=incident, from_level=level)
        step = step.first()
        if step is None:
            raise ValidationError(_("This grade of accident is not reported beyond your level."))
        written = channel == ReportChannel.WRITTEN
        if step.written_reported_at is not None or (step.reported_at is not None and not written):
            raise StaleTransition(_("Already reported to the next level."))
        if first != (step.reported_at is None):
            raise StaleTransition()
        if first:
            step.reported_at, step.reported_by = now, actor
        if written:
            step.written_reported_at, step.written_reported_by = now, actor
        save_with_history(step, actor=actor, at=now)
        kind = ReportKind.FINAL if incident.state == S.FINAL else ReportKind.FIRST
        note = inputs.get("comment") or ""
        file_report(incident, kind, level, actor, note, at=now, channel=channel)
        if first:  # the next level has it from the first report: its own limits start now
            ensure_step(incident, nxt, now)
        inputs["event_data"] = {"channel": channel} | (
            {"grade": [old_grade, incident.grade]} if regraded else {}
        )
        inputs["notify"] = ([("received", Level.CITY)] if first and nxt == Level.CITY else []) + (
            [("regraded", level)] if regraded else []
        )

    return apply


def _follow_up(kind: str):
    """续报, 补报, a correction or 终报 (filed by the county or the city, not by the unit). The
    grade is recomputed; a worse grade adds the steps it requires and tells the city."""

    def apply(incident: Incident, actor, inputs: dict[str, Any]) -> None:
        now, final = inputs["at"], kind == ReportKind.FINAL
        level = level_of(actor, incident)
        if level == Level.UNIT and incident.unit_reported_at is None:
            raise ValidationError(_("Make the first report first."))
        if final and level not in (Level.COUNTY, Level.CITY):
            raise ValidationError(
                {"final": _("The final report is filed by the county or a higher level.")}
            )
        if final and supervises(actor.organisation, incident):
            raise ValidationError(
                {"final": _("The final report is filed by the emergency management bureau.")}
            )
        after_final = incident.state == S.FINAL
        old_grade, old_loss = incident.grade, incident.direct_loss_yuan
        changed = apply_facts(incident, inputs["facts"])
        loss_changed = incident.direct_loss_yuan != old_loss
        if after_final and not (changed or loss_changed):
            raise StaleTransition(
                _("The final report has been filed: only changed casualties or loss are recorded.")
            )
        if follow_up_kind(incident, changed, final, now) != kind:
            raise StaleTransition()  # the facts changed meanwhile: the page is out of date
        incident.grade = incident.compute_grade()
        if final:
            incident.final_at = now
        file_report(incident, kind, level, actor, inputs.get("comment") or "", at=now)
        regraded = widen(incident, old_grade, actor, now)
        inputs["event_data"] = (
            {"changes": {k: list(v) for k, v in changed.items()}}
            | ({"loss": [str(old_loss), str(incident.direct_loss_yuan)]} if loss_changed else {})
            | ({"grade": [old_grade, incident.grade]} if regraded else {})
        )
        inputs["notify"] = [("regraded" if regraded else kind, level)]

    return apply


def _notify(incident: Incident, actor, inputs: dict[str, Any]) -> None:
    from anlan.core.jobs import enqueue

    for step, level in inputs.get("notify", ()):
        enqueue("incidents.notify_step", incident_id=incident.pk, step=step, level=level)


def _reported(kind: str, label, allowed, apply) -> Transition:
    return Transition(kind, OPEN, None, label, allowed, apply=apply, after_commit=_notify)


INCIDENT_WORKFLOW = Workflow(
    name="incident",
    model=Incident,
    event_model=IncidentEvent,
    event_fk="incident",
    transitions=[
        Transition("first_report", (), S.REPORTING, _("first report"), may_report,
                   after_commit=_notify),
        Transition("register", (), S.REPORTING, _("registered from another source"), may_report,
                   after_commit=_notify),
        _reported("unit_report", _("first report"), is_unit, _unit_report),
        _reported("forward_city", _("reported to the city"), reports_to(Level.CITY),
                  _forward(Level.CITY, first=True)),
        _reported("forward_province", _("reported to the province"),
                  reports_to(Level.PROVINCE), _forward(Level.PROVINCE, first=True)),
        _reported("written_city", _("written report to the city"), reports_to(Level.CITY),
                  _forward(Level.CITY, first=False)),
        _reported("written_province", _("written report to the province"),
                  reports_to(Level.PROVINCE), _forward(Level.PROVINCE, first=False)),
        _reported("follow_up", _("follow-up report"), may_follow_up,
                  _follow_up(ReportKind.FOLLOW_UP)),
        _reported("supplement", _("supplementary report"), may_follow_up,
                  _follow_up(ReportKind.SUPPLEMENT)),
        _reported("correction", _("correction"), may_follow_up,
                  _follow_up(ReportKind.CORRECTION)),
        Transition("final", (S.REPORTING,), S.FINAL, _("final report"), may_follow_up,
                   apply=_follow_up(ReportKind.FINAL), after_commit=_notify, style="success"),
        Transition("suspected_concealment", OPEN, None, _("suspected concealment"), nobody,
                   system=True),
    ],
)  # fmt: skip
