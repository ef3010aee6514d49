"""Incident notifications and the deadline sweep.

Messages go to the people on duty at each level (duty officers and leaders on duty, from the duty
roster); when nobody is on the roster, to the bureau's staff. At the county and the city the
departments supervising the incident's industry at that level are told with the bureau (条例
art. 9), their people on duty or else their staff. Every notification is keyed
(incident, step or event, deadline), so a sweep that runs twice or is retried sends nothing twice.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from anlan.accounts.models import Organisation, OrganisationKind, User
from anlan.accounts.roles import Role
from anlan.core.jobs import job
from anlan.core.notifications import notify, sent_before
from anlan.core.scoping import scope_of
from anlan.core.workflow import SYSTEM, run_transition
from anlan.duty.services import on_duty
from anlan.incidents.models import Incident, ReportStep
from anlan.incidents.rules import LEVEL_LABELS, Level, Source
from anlan.incidents.workflow import INCIDENT_WORKFLOW

LEVEL_LENGTH = {Level.COUNTY: 6, Level.CITY: 4}
STAFF_ROLE = {
    OrganisationKind.EMERGENCY_BUREAU: Role.BUREAU_STAFF,
    OrganisationKind.DEPARTMENT: Role.DEPARTMENT_STAFF,
}


def _sees(user: User, incident: Incident) -> bool:
    return scope_of(user).covers(
        region=incident.region_id,
        category=incident.supervision_category_id,
        enterprise=incident.enterprise_id,
    )


def duty_people(incident: Incident, level: str, now=None) -> list[User]:
    """Who must act at ``level``: the unit's managers, or the people on duty of the bureau and
    of the departments supervising the incident's industry at that level."""
    if level == Level.UNIT:
        if incident.enterprise_id:
            return list(
                User.objects.filter(
                    is_active=True, enterprise_id=incident.enterprise_id,
                    role=Role.ENTERPRISE_MANAGER,
                )
            )  # fmt: skip
        users = User.objects.filter(
            is_active=True,
            role=Role.TOWN_STAFF,
            organisation__kind=OrganisationKind.TOWN,
            organisation__region_id=incident.region_id[:9],
        )
        return [u for u in users if _sees(u, incident)]
    if level not in LEVEL_LENGTH:
        return []
    told = Q(kind=OrganisationKind.EMERGENCY_BUREAU)
    if incident.supervision_category_id:
        told |= Q(
            kind=OrganisationKind.DEPARTMENT,
            supervised_categories=incident.supervision_category_id,
        )
    organisations = Organisation.objects.filter(
        told, region_id=incident.region_id[: LEVEL_LENGTH[level]]
    ).distinct()
    people: list[User] = []
    for org in organisations.order_by("kind", "pk"):
        on_roster = on_duty(org, now or timezone.now())
        people += on_roster or list(
            User.objects.filter(is_active=True, organisation=org, role=STAFF_ROLE[org.kind])
        )
    seen: set[int] = set()
    return [u for u in people if _sees(u, incident) and not (u.pk in seen or seen.add(u.pk))]


TITLES = {
    "received": "新事故信息，请核实并按时限上报",
    "unit_reported": "企业已报告此前掌握的事故",
    "follow_up": "事故续报",
    "supplement": "事故补报（伤亡人数变化）",
    "final": "事故终报",
    "correction": "事故信息更正（伤亡人数变化）",
    "regraded": "事故等级变化",
}


def notify_step(incident_id: int, step: str, level: str = Level.COUNTY) -> int:
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
        title=f"{TITLES[step]}：{incident.title}",
        body=(
            f"{incident.number} {incident.get_grade_display()} 死亡 {incident.deaths} 人，失踪 "
            f"{incident.missing} 人，重伤 {incident.serious_injuries} 人"
        ),
        url=incident.get_absolute_url(),
    )


def _chase(step: ReportStep, now, soon, written: bool) -> tuple[str, int] | None:
    """Remind before one limit of a step (phone or written) and escalate once past it; keyed
    by the limit, so each is sent once."""
    incident = step.incident
    due = step.written_due if written else step.due_at
    if due > soon:
        return None
    label = f"{LEVEL_LABELS[step.from_level]}→{LEVEL_LABELS[step.to_level]}"
    what = "书面报告" if written else "事故信息报送"
    kind = "due_soon" if due >= now else "late"
    prefix = "written_" if written else ""
    key = f"incident:{incident.pk}:{step.from_level}:{prefix}{kind}:{due.isoformat()}"
    if sent_before(key):
        return None
    if kind == "due_soon":
        people = duty_people(incident, step.from_level, now)
        title = f"{what}即将到期（{label}，{timezone.localtime(due):%H:%M} 前）"
    else:
        people = duty_people(incident, step.from_level, now) + duty_people(
            incident, step.to_level, now
        )
        title = f"{what}已超时（迟报，{label}）"
    return f"{prefix}{kind}", notify(
        people,
        key=key,
        title=f"{title}：{incident.title}",
        body=f"{incident.number} {incident.get_grade_display()}",
        url=incident.get_absolute_url(),
    )


@job("incidents.scan_deadlines", periodic=True)
def scan_deadlines(now=None, **_kwargs) -> dict[str, int]:
    """Warn before a report is due, escalate once it is late (迟报), for the phone report and
    the written one alike; flag suspected concealment. A final report (终报) does not end the
    chase: a step still not reported is late all the same, and so is a unit that never
    reported. While neither report is in and both limits are the same (493号令), the phone
    notices stand for both."""
    now = now or timezone.now()
    soon = now + timedelta(minutes=settings.ANLAN_INCIDENT_DUE_SOON_MINUTES)
    sent = {"due_soon": 0, "late": 0, "written_due_soon": 0, "written_late": 0, "suspected": 0}
    open_steps = ReportStep.objects.filter(
        Q(reported_at__isnull=True, due_at__lte=soon)
        | Q(written_reported_at__isnull=True, written_due_at__lte=soon)
    ).select_related("incident__enterprise")
    for step in open_steps:
        incident = step.incident
        if step.from_level == Level.UNIT and incident.known_source == Source.UNIT:
            continue  # the unit's own report opened the incident: nothing to chase
        if step.reported_at is None:
            done = _chase(step, now, soon, written=False)
            if done:
                sent[done[0]] += done[1]
        if step.written_reported_at is None and (
            step.reported_at is not None or step.written_due != step.due_at
        ):
            done = _chase(step, now, soon, written=True)
            if done:
                sent[done[0]] += done[1]
    suspects = Incident.objects.filter(
        enterprise__isnull=False,
        unit_reported_at__isnull=True,
    ).exclude(known_source=Source.UNIT)
    for incident in suspects.select_related("enterprise"):
        if incident.concealment(now) != "suspected" or sent_before(
            f"incident:{incident.pk}:suspected"
        ):
            continue
        if not incident.events.filter(transition="suspected_concealment").exists():
            run_transition(
                INCIDENT_WORKFLOW, incident, "suspected_concealment", actor=SYSTEM, at=now,
                comment=f"{incident.get_known_source_display()}先于企业报告，企业逾期未报",
            )  # fmt: skip
        sent["suspected"] += notify(
            duty_people(incident, Level.COUNTY, now),
            key=f"incident:{incident.pk}:suspected",
            title=f"瞒报嫌疑：{incident.enterprise.name}逾期未报告事故",
            body=f"{incident.number} {incident.title}（{incident.get_known_source_display()}）",
            url=incident.get_absolute_url(),
        )
    return sent
