"""Incident notifications and kinds of deadline (report limits, suspected concealment).

Messages go to the people on duty at each level (duty officers and leaders on duty, from the duty
roster); when nobody is on the roster, to the bureau's staff. At the county and the city the
departments supervising the incident's industry at that level are told with the bureau (条例
art. 9), their people on duty or else their staff (core/recipients.py). Every notification is
keyed (incident, step or event, deadline), and the deadlines are scanned by core/deadlines.py's
one job, so a sweep that runs twice or is retried sends nothing twice.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from anlan.accounts.models import OrganisationKind, User
from anlan.accounts.roles import Role
from anlan.core import recipients
from anlan.core.deadlines import DeadlineKind, Stage, register
from anlan.core.jobs import job
from anlan.core.messages import label, message, moment, text
from anlan.core.notifications import notify
from anlan.core.recipients import Place
from anlan.core.workflow import SYSTEM, run_transition
from anlan.incidents.models import Incident, ReportStep
from anlan.incidents.rules import LEVEL_LABELS, Level, Source
from anlan.incidents.workflow import INCIDENT_WORKFLOW


def duty_people(incident: Incident, level: str, now=None) -> list[User]:
    """Who must act at ``level``: the unit's managers, or the people on duty of the bureau and
    of the departments supervising the incident's industry at that level."""
    place = Place.of(incident)
    if level == Level.UNIT:
        if incident.enterprise_id:
            return recipients.enterprise_managers(incident.enterprise_id)
        return recipients.officials(
            place, roles=[Role.TOWN_STAFF], level="town", kinds=[OrganisationKind.TOWN]
        )
    if level not in (Level.COUNTY, Level.CITY):
        return []
    return recipients.on_duty_or_staff(place, level=level, at=now or timezone.now())


BODY = _("{number} {grade}, {deaths} dead, {missing} missing, {serious} seriously injured")
STEPS = {
    "received": message("incidents.received", _("New incident, verify it and report in time: {title}"), BODY),
    "unit_reported": message("incidents.unit_reported", _("The enterprise reported an incident already known: {title}"), BODY),
    "follow_up": message("incidents.follow_up", _("Incident follow-up report: {title}"), BODY),
    "supplement": message("incidents.supplement", _("Incident supplementary report (casualties changed): {title}"), BODY),
    "final": message("incidents.final", _("Incident final report: {title}"), BODY),
    "correction": message("incidents.correction", _("Incident information corrected (casualties changed): {title}"), BODY),
    "regraded": message("incidents.regraded", _("Incident grade changed: {title}"), BODY),
}  # fmt: skip


@job("incidents.notify_step")
def notify_step(incident_id: int, step: str, level: str = Level.COUNTY, **_kwargs) -> int:
    """Tell the levels that have the incident of a new step (queued by the actions' hooks)."""
    incident = Incident.objects.select_related("enterprise").get(pk=incident_id)
    if step == "received":
        people = duty_people(incident, level)
    else:
        # Every level that has the incident hears of new facts; a new grade goes to the city too.
        levels = {Level.COUNTY}
        if (
            step == "regraded"
            or incident.steps.filter(from_level=Level.COUNTY, reported_at__isnull=False).exists()
        ):
            levels.add(Level.CITY)
        people = [u for lvl in sorted(levels) for u in duty_people(incident, lvl)]
    last = incident.events.order_by("-pk").values_list("pk", flat=True).first()
    return notify(
        people,
        key=f"incident:{incident.pk}:{step}:{last}",
        message=STEPS[step],
        params={
            "title": incident.title,
            "number": incident.number,
            "grade": label(incident, "grade"),
            "deaths": incident.deaths,
            "missing": incident.missing,
            "serious": incident.serious_injuries,
        },
        url=incident.get_absolute_url(),
    )


def _soon(now):
    return now + timedelta(minutes=settings.ANLAN_INCIDENT_DUE_SOON_MINUTES)


def _chased(step: ReportStep) -> bool:
    """The unit's own report opened the incident: nothing to chase on its first hop."""
    return not (step.from_level == Level.UNIT and step.incident.known_source == Source.UNIT)


def _phone_open(now):
    steps = ReportStep.objects.filter(reported_at__isnull=True, due_at__lte=_soon(now))
    return (s for s in steps.select_related("incident__enterprise") if _chased(s))


def _written_open(now):
    """Written reports still owed. While neither report is in and both limits are the same
    (493号令), the phone notices stand for both."""
    steps = ReportStep.objects.filter(
        written_reported_at__isnull=True, written_due_at__lte=_soon(now)
    ).select_related("incident__enterprise")
    return (
        s for s in steps if _chased(s) and (s.reported_at is not None or s.written_due != s.due_at)
    )


def _step_params(step: ReportStep, due) -> dict:
    incident = step.incident
    return {
        "title": incident.title,
        "lower": text(LEVEL_LABELS[step.from_level]),
        "upper": text(LEVEL_LABELS[step.to_level]),
        "due": moment(due),
        "number": incident.number,
        "grade": label(incident, "grade"),
    }


def _this_level(step: ReportStep, now) -> list[User]:
    return duty_people(step.incident, step.from_level, now)


def _both_levels(step: ReportStep, now) -> list[User]:
    """Late (迟报): the level that owes the report and the level it owes it to."""
    return _this_level(step, now) + duty_people(step.incident, step.to_level, now)


def _step_kind(name: str, records, due, prefix: str, what: str) -> DeadlineKind:
    """Remind before one limit of a step (phone or written) and escalate once past it. A final
    report (终报) does not end the chase: a step still not reported is late all the same."""
    soon, late = MESSAGES[what]
    return DeadlineKind(
        name=name,
        key="incident",
        record_key=lambda step: f"{step.incident_id}:{step.from_level}",
        records=records,
        due=due,
        stages=[
            Stage(
                f"{prefix}due_soon",
                before=lambda: timedelta(minutes=settings.ANLAN_INCIDENT_DUE_SOON_MINUTES),
                tell=_this_level,
                message=soon,
            ),
            Stage(f"{prefix}late", after=timedelta(0), tell=_both_levels, message=late),
        ],
        params=_step_params,
        url=lambda step: step.incident.get_absolute_url(),
    )


BRIEF = _("{number} {grade}")
MESSAGES = {
    "phone": (
        message("incidents.report_due_soon", _("Incident report due soon ({lower} \u2192 {upper}, by {due:%H:%M}): {title}"), BRIEF),
        message("incidents.report_late", _("Incident report late ({lower} \u2192 {upper}): {title}"), BRIEF),
    ),
    "written": (
        message("incidents.written_due_soon", _("Written report due soon ({lower} \u2192 {upper}, by {due:%H:%M}): {title}"), BRIEF),
        message("incidents.written_late", _("Written report late ({lower} \u2192 {upper}): {title}"), BRIEF),
    ),
}  # fmt: skip

PHONE = register(_step_kind("incident.report", _phone_open, lambda step: step.due_at, "", "phone"))
WRITTEN = register(
    _step_kind(
        "incident.written", _written_open, lambda step: step.written_due, "written_", "written"
    )
)


def _suspects(now):
    """Incidents known from elsewhere whose unit has still not reported past its limit."""
    suspects = Incident.objects.filter(
        enterprise__isnull=False, unit_reported_at__isnull=True
    ).exclude(known_source=Source.UNIT)
    return (i for i in suspects.select_related("enterprise") if i.concealment(now) == "suspected")


def _record_suspicion(incident: Incident, now) -> None:
    """The timeline shows the suspicion once (a self-transition event)."""
    if incident.events.filter(transition="suspected_concealment").exists():
        return
    with translation.override(settings.LANGUAGE_CODE):  # event text is stored as written
        comment = gettext("{source} reported before the enterprise, which is past its limit")
        comment = comment.format(source=incident.get_known_source_display())
    run_transition(
        INCIDENT_WORKFLOW, incident, "suspected_concealment", actor=SYSTEM, at=now, comment=comment
    )


CONCEALMENT = register(
    DeadlineKind(
        name="incident.concealment",
        key="incident",
        records=_suspects,
        due=lambda incident: incident.unit_due_at(),
        stages=[
            Stage(
                "suspected",
                after=timedelta(0),
                tell=lambda incident, now: duty_people(incident, Level.COUNTY, now),
                message=message(
                    "incidents.suspected",
                    _("Suspected concealment: {enterprise} has not reported an incident in time"),
                    _("{number} {title} ({source})"),
                ),
                effect=_record_suspicion,
            )
        ],
        params=lambda incident, due: {
            "enterprise": incident.enterprise.name,
            "number": incident.number,
            "title": incident.title,
            "source": label(incident, "known_source"),
        },
        url=lambda incident: incident.get_absolute_url(),
    )
)
