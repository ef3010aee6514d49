"""Hazard notifications and the deadline sweep (reminders before, escalation after).

Every notification is keyed (hazard, step or reminder kind, deadline or event), so a sweep
that runs twice, or is retried after a crash, sends nothing twice (core/notifications.py).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.conf import settings
from django.utils import timezone

from anlan.accounts.models import OrganisationKind, User
from anlan.accounts.roles import Role
from anlan.core.jobs import job
from anlan.core.notifications import notify, sent_before
from anlan.core.scoping import scope_of
from anlan.hazards import rules
from anlan.hazards.models import DEADLINE_STATES, Hazard, HazardLevel, HazardState
from anlan.hazards.workflow import close_level
from anlan.regions.rules import level_of

REVIEW_ROLES = [Role.TOWN_STAFF, Role.BUREAU_STAFF, Role.DEPARTMENT_STAFF]
LEVEL_LENGTH = {"city": 4, "county": 6, "town": 9}


def _can_see(user: User, hazard: Hazard) -> bool:
    return scope_of(user).covers(
        region=hazard.region_id,
        category=hazard.supervision_category_id,
        enterprise=hazard.enterprise_id,
    )


def reviewers(hazard: Hazard, level: str) -> list[User]:
    """Government staff at ``level`` whose jurisdiction covers the hazard."""
    code = hazard.region_id[: LEVEL_LENGTH[level]]
    users = User.objects.filter(
        is_active=True,
        role__in=REVIEW_ROLES,
        organisation__region_id=code,
        organisation__kind__in=[
            OrganisationKind.TOWN,
            OrganisationKind.EMERGENCY_BUREAU,
            OrganisationKind.DEPARTMENT,
        ],
    ).select_related("organisation")
    return [u for u in users if _can_see(u, hazard)]


def rectifiers(hazard: Hazard) -> list[User]:
    if hazard.enterprise_id:
        return list(
            User.objects.filter(
                is_active=True, enterprise_id=hazard.enterprise_id, role=Role.ENTERPRISE_MANAGER
            )
        )
    return supervisors(hazard)


def supervisors(hazard: Hazard) -> list[User]:
    if hazard.supervising_unit_id is None:
        return reviewers(hazard, "town")
    users = User.objects.filter(
        is_active=True, organisation_id=hazard.supervising_unit_id, role__in=REVIEW_ROLES
    ).select_related("organisation")
    return [u for u in users if _can_see(u, hazard)]


def deciders(hazard: Hazard) -> list[User]:
    """Who confirms a new hazard: the town, and for a major one at once also the county units
    supervising it (16号令 art. 14: an enterprise reports a major hazard to the supervising
    departments; only they confirm it)."""
    people = reviewers(hazard, "town")
    if hazard.level == HazardLevel.MAJOR:
        people += reviewers(hazard, "county")
    return people


def extension_deciders(hazard: Hazard) -> list[User]:
    """The unit that ordered the rectification; for a major hazard whose order came from a
    town, the county too (only county level and above decide its extensions)."""
    people = supervisors(hazard)
    unit = hazard.supervising_unit
    if hazard.level == HazardLevel.MAJOR and (
        unit is None or not rules.at_or_above(level_of(unit.region_id), rules.MAJOR_LEVEL)
    ):
        people += reviewers(hazard, "county")
    return people


STEP_MESSAGES = {
    "reported": ("新隐患待确认", deciders),
    "referred": ("乡镇提请确认重大隐患", lambda h: reviewers(h, "county")),
    "regraded": (
        "隐患已重新定级，请按新级别制定整改方案",
        lambda h: [*rectifiers(h), *supervisors(h)],
    ),
    "confirmed": ("隐患已确认，请制定整改方案", rectifiers),
    "rejected": ("上报的隐患经核实不属于隐患", lambda h: [h.found_by]),
    "rectifying": ("整改方案已提交，整改中", supervisors),
    "submitted": ("隐患整改已完成，待验收", lambda h: reviewers(h, "county")),
    "returned": ("隐患整改验收未通过，已退回", rectifiers),
    "accepted": ("隐患整改已验收，待销号", lambda h: reviewers(h, close_level(h))),
    "closed": ("隐患已销号", lambda h: [*rectifiers(h), h.found_by]),
    "extension_requested": ("隐患整改延期申请待审批", extension_deciders),
}


def notify_step(hazard: Hazard, step: str) -> int:
    hazard = Hazard.objects.select_related("enterprise", "supervising_unit").get(pk=hazard.pk)
    title, who = STEP_MESSAGES[step]
    last_event = hazard.events.order_by("-pk").values_list("pk", flat=True).first()
    return notify(
        [u for u in who(hazard) if u is not None],
        key=f"hazard:{hazard.pk}:{step}:{last_event}",
        title=f"{title}：{hazard.subject_name}",
        body=f"{hazard.number} {hazard.get_level_display()} {hazard.description[:100]}",
        url=hazard.get_absolute_url(),
    )


@job("hazards.scan_deadlines", periodic=True)
def scan_deadlines(now=None, **_kwargs) -> dict[str, int]:
    """Remind the responsible people before the deadline; escalate to the supervising unit
    after it. One notification per hazard, kind and deadline, however often this runs."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    horizon = today + timedelta(days=settings.ANLAN_HAZARD_DUE_SOON_DAYS)
    running = Hazard.objects.filter(state__in=DEADLINE_STATES, deadline__isnull=False)
    sent = {"due_soon": 0, "overdue": 0}
    for hazard in running.filter(deadline__lte=horizon).select_related("enterprise").iterator():
        if hazard.deadline >= today:
            kind, people = "due_soon", rectifiers(hazard)
            title = f"隐患整改期限将至（{hazard.deadline:%Y-%m-%d}）：{hazard.subject_name}"
        else:
            kind, people = "overdue", [*rectifiers(hazard), *supervisors(hazard)]
            if hazard.level == HazardLevel.MAJOR:
                people += reviewers(hazard, "county")
            title = f"隐患整改已逾期（期限 {hazard.deadline:%Y-%m-%d}）：{hazard.subject_name}"
        sent[kind] += notify(
            people,
            key=f"hazard:{hazard.pk}:{kind}:{hazard.deadline.isoformat()}",
            title=title,
            body=f"{hazard.number} 整改责任人：{hazard.responsible_person}",
            url=hazard.get_absolute_url(),
        )
    sent["review_overdue"] = _chase_reviews(today)
    return sent


def _chase_reviews(today) -> int:
    """A treated major hazard not reviewed on site within ANLAN_HAZARD_MAJOR_REVIEW_DAYS of
    its request (16号令 art. 16): the county units covering it are told, once."""
    days = settings.ANLAN_HAZARD_MAJOR_REVIEW_DAYS
    cutoff = datetime.combine(
        today - timedelta(days=days), time(0), timezone.get_current_timezone()
    )
    waiting = Hazard.objects.filter(
        state=HazardState.SUBMITTED, level=HazardLevel.MAJOR, submitted_at__lt=cutoff
    ).select_related("enterprise")
    sent = 0
    for hazard in waiting.iterator():
        due = hazard.review_due
        key = f"hazard:{hazard.pk}:review_overdue:{due.isoformat()}"
        if sent_before(key):
            continue
        sent += notify(
            [*supervisors(hazard), *reviewers(hazard, "county")],
            key=key,
            title=f"重大隐患治理完成逾期未验收（应于 {due:%Y-%m-%d} 前现场审查）：{hazard.subject_name}",
            body=f"{hazard.number} 整改责任人：{hazard.responsible_person}",
            url=hazard.get_absolute_url(),
        )
    return sent
