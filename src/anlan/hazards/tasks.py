"""Hazard notifications and kinds of deadline (reminders before, escalation after).

Who is told comes from core/recipients.py; the deadlines are scanned by core/deadlines.py's one
job. Every notification is keyed (hazard, step or stage, event or deadline), so a sweep that
runs twice, or is retried after a crash, sends nothing twice (core/notifications.py).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anlan.accounts.models import User
from anlan.accounts.roles import Role
from anlan.core import recipients
from anlan.core.deadlines import DeadlineKind, Stage, register
from anlan.core.jobs import job
from anlan.core.messages import day, label, message
from anlan.core.notifications import notify
from anlan.core.recipients import Place
from anlan.hazards import rules
from anlan.hazards.models import DEADLINE_STATES, Hazard, HazardLevel, HazardState
from anlan.hazards.workflow import close_level
from anlan.regions.rules import level_of

REVIEW_ROLES = [Role.TOWN_STAFF, Role.BUREAU_STAFF, Role.DEPARTMENT_STAFF]


def reviewers(hazard: Hazard, level: str) -> list[User]:
    """Government staff at ``level`` whose jurisdiction covers the hazard."""
    return recipients.officials(Place.of(hazard), roles=REVIEW_ROLES, level=level)


def rectifiers(hazard: Hazard) -> list[User]:
    if hazard.enterprise_id:
        return recipients.enterprise_managers(hazard.enterprise_id)
    return supervisors(hazard)


def supervisors(hazard: Hazard) -> list[User]:
    if hazard.supervising_unit_id is None:
        return reviewers(hazard, "town")
    return recipients.unit_staff(Place.of(hazard), hazard.supervising_unit_id, roles=REVIEW_ROLES)


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


def _escalation(hazard: Hazard, now) -> list[User]:
    """Past the deadline: the rectifiers, the supervising unit, and for a major hazard the
    county units covering it."""
    people = [*rectifiers(hazard), *supervisors(hazard)]
    if hazard.level == HazardLevel.MAJOR:
        people += reviewers(hazard, "county")
    return people


STEPS = {
    "reported": (
        message("hazard.reported", _("New hazard to confirm: {subject}"), _("{number} {level} {description}")),
        deciders,
    ),
    "referred": (
        message("hazard.referred", _("Town asks to confirm a major hazard: {subject}"), _("{number} {level} {description}")),
        lambda h: reviewers(h, "county"),
    ),
    "regraded": (
        message("hazard.regraded", _("Hazard regraded, plan its rectification for the new level: {subject}"), _("{number} {level} {description}")),
        lambda h: [*rectifiers(h), *supervisors(h)],
    ),
    "confirmed": (
        message("hazard.confirmed", _("Hazard confirmed, plan its rectification: {subject}"), _("{number} {level} {description}")),
        rectifiers,
    ),
    "rejected": (
        message("hazard.rejected", _("The reported hazard was found not to be a hazard: {subject}"), _("{number} {level} {description}")),
        lambda h: [h.found_by],
    ),
    "rectifying": (
        message("hazard.rectifying", _("Rectification plan submitted, rectifying: {subject}"), _("{number} {level} {description}")),
        supervisors,
    ),
    "submitted": (
        message("hazard.submitted", _("Rectification done, awaiting acceptance: {subject}"), _("{number} {level} {description}")),
        lambda h: reviewers(h, "county"),
    ),
    "returned": (
        message("hazard.returned", _("Rectification not accepted, returned: {subject}"), _("{number} {level} {description}")),
        rectifiers,
    ),
    "accepted": (
        message("hazard.accepted", _("Rectification accepted, awaiting closing: {subject}"), _("{number} {level} {description}")),
        lambda h: reviewers(h, close_level(h)),
    ),
    "closed": (
        message("hazard.closed", _("Hazard closed: {subject}"), _("{number} {level} {description}")),
        lambda h: [*rectifiers(h), h.found_by],
    ),
    "extension_requested": (
        message("hazard.extension_requested", _("Extension of a rectification deadline to decide: {subject}"), _("{number} {level} {description}")),
        extension_deciders,
    ),
}  # fmt: skip


@job("hazards.notify_step")
def notify_step(hazard_id: int, step: str, **_kwargs) -> int:
    """Tell who acts next after a step (queued by the workflow's and actions' hooks)."""
    hazard = Hazard.objects.select_related("enterprise", "supervising_unit").get(pk=hazard_id)
    key, who = STEPS[step]
    last_event = hazard.events.order_by("-pk").values_list("pk", flat=True).first()
    return notify(
        recipients.unique(who(hazard)),
        key=f"hazard:{hazard.pk}:{step}:{last_event}",
        message=key,
        params={
            "subject": hazard.subject_name,
            "number": hazard.number,
            "level": label(hazard, "level"),
            "description": hazard.description[:100],
        },
        url=hazard.get_absolute_url(),
    )


def _deadline_params(hazard: Hazard, due) -> dict:
    return {
        "deadline": day(due),
        "subject": hazard.subject_name,
        "number": hazard.number,
        "responsible": hazard.responsible_person,
    }


def _running(now) -> object:
    """Hazards being rectified whose deadline is within the reminder horizon or past."""
    horizon = timezone.localdate(now) + timedelta(days=settings.ANLAN_HAZARD_DUE_SOON_DAYS)
    return (
        Hazard.objects.filter(
            state__in=DEADLINE_STATES, deadline__isnull=False, deadline__lte=horizon
        )
        .select_related("enterprise")
        .iterator()
    )


def _waiting_review(now) -> object:
    """Treated major hazards whose on-site review is past due (16号令 art. 16)."""
    days = settings.ANLAN_HAZARD_MAJOR_REVIEW_DAYS
    today = timezone.localdate(now)
    cutoff = datetime.combine(
        today - timedelta(days=days), time(0), timezone.get_current_timezone()
    )
    return (
        Hazard.objects.filter(
            state=HazardState.SUBMITTED, level=HazardLevel.MAJOR, submitted_at__lt=cutoff
        )
        .select_related("enterprise")
        .iterator()
    )


DEADLINE = register(
    DeadlineKind(
        name="hazard.deadline",
        key="hazard",
        records=_running,
        due=lambda hazard: hazard.deadline,
        stages=[
            # Before the deadline the responsible people are reminded; after it the
            # supervising unit (and the county for a major hazard) is told too.
            Stage(
                "due_soon",
                before=lambda: timedelta(days=settings.ANLAN_HAZARD_DUE_SOON_DAYS),
                tell=lambda hazard, now: rectifiers(hazard),
                message=message(
                    "hazard.due_soon",
                    _("Rectification deadline approaching ({deadline}): {subject}"),
                    _("{number} Responsible person: {responsible}"),
                ),
            ),
            Stage(
                "overdue",
                after=timedelta(0),
                tell=_escalation,
                message=message(
                    "hazard.overdue",
                    _("Rectification overdue (deadline {deadline}): {subject}"),
                    _("{number} Responsible person: {responsible}"),
                ),
            ),
        ],
        params=_deadline_params,
        url=lambda hazard: hazard.get_absolute_url(),
    )
)

REVIEW = register(
    DeadlineKind(
        name="hazard.review",
        key="hazard",
        records=_waiting_review,
        due=lambda hazard: hazard.review_due,
        stages=[
            Stage(
                "review_overdue",
                after=timedelta(0),
                tell=lambda hazard, now: [*supervisors(hazard), *reviewers(hazard, "county")],
                message=message(
                    "hazard.review_overdue",
                    _(
                        "Treated major hazard not accepted in time (on-site review due by "
                        "{deadline}): {subject}"
                    ),
                    _("{number} Responsible person: {responsible}"),
                ),
            )
        ],
        params=_deadline_params,
        url=lambda hazard: hazard.get_absolute_url(),
    )
)
