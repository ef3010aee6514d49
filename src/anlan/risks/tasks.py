"""Investigation tasks on schedule: generate each measure's task per window, mark the tasks
whose window passed undone as missed, and tell the town when a measure is missed repeatedly.

Idempotent: one live task per (measure, frequency, window start and end) is a unique constraint,
the missed update only touches open tasks, and the repeated-miss notice is keyed by the streak's
first window. An insert dropped on that conflict is a window that already has its live task (the
same start and end), so advancing scheduled_until past it leaves no window without a task.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anlan.accounts.models import OrganisationKind, User
from anlan.accounts.roles import Role
from anlan.core import recipients
from anlan.core.deadlines import deadline_key
from anlan.core.jobs import job
from anlan.core.messages import message
from anlan.core.notifications import notify
from anlan.core.recipients import Place
from anlan.core.workflow import run_bulk
from anlan.risks import rules
from anlan.risks.models import ControlMeasure, InvestigationTask, TaskState
from anlan.risks.workflow import TASK_WORKFLOW


def live_measures():
    """Measures whose whole chain (event, unit, object, enterprise) is in use."""
    return ControlMeasure.objects.filter(
        archived_at__isnull=True,
        event__archived_at__isnull=True,
        event__unit__archived_at__isnull=True,
        event__unit__risk_object__archived_at__isnull=True,
        enterprise__archived_at__isnull=True,
    )


def _assignee(measure, managers: dict) -> int | None:
    """The measure's owner while they work for the enterprise, else its safety manager."""
    owner = measure.responsible
    if owner.is_active and owner.enterprise_id == measure.enterprise_id:
        return owner.pk
    if measure.enterprise_id not in managers:
        managers[measure.enterprise_id] = (
            User.objects.filter(
                is_active=True, enterprise_id=measure.enterprise_id, role=Role.ENTERPRISE_MANAGER
            )
            .order_by("pk")
            .values_list("pk", flat=True)
            .first()
        )
    return managers[measure.enterprise_id]


def schedule_options(measure) -> dict:
    """The keyword arguments of rules.window for a measure: its hours and the settings."""
    return {
        "shift_starts": settings.ANLAN_RISK_SHIFT_STARTS,
        "twice_daily_starts": settings.ANLAN_RISK_TWICE_DAILY_STARTS,
        "hours": measure.interval_hours,
    }


def generate(now) -> int:
    """One task per window for every live measure with a schedule (not ad hoc), from where its
    schedule stopped."""
    local_now = timezone.localtime(now)
    new, advanced, managers = [], [], {}
    measures = live_measures().filter(frequency__in=rules.SCHEDULED)
    for measure in measures.select_related("responsible").iterator():
        options = schedule_options(measure)
        if measure.scheduled_until is not None:
            since = measure.scheduled_until
        else:
            since = rules.first_window(
                measure.frequency, timezone.localtime(measure.schedule_from), **options
            )[0]
        if since > now:
            continue
        windows = rules.windows_between(
            measure.frequency, timezone.localtime(since), local_now, **options
        )
        assignee = _assignee(measure, managers)
        if not windows or assignee is None:
            continue
        new += [
            InvestigationTask(
                enterprise_id=measure.enterprise_id, measure=measure, assignee_id=assignee,
                frequency=measure.frequency, interval_hours=measure.interval_hours,
                window_start=start, window_end=end,
            )
            for start, end in windows
        ]  # fmt: skip
        measure.scheduled_until = windows[-1][1]
        advanced.append(measure)
    with transaction.atomic():
        # Conflicts are windows that already have their live task (see the module docstring).
        created = InvestigationTask.objects.bulk_create(new, batch_size=1000, ignore_conflicts=True)
        ControlMeasure.objects.bulk_update(advanced, ["scheduled_until"], batch_size=1000)
    return len(created)


def mark_missed(now) -> set[int]:
    """Open tasks whose window has ended become missed (one event each, by the system);
    returns the measures concerned. A check being submitted holds its row and is skipped,
    then finds its window passed."""
    expired = InvestigationTask.objects.filter(window_end__lte=now)
    ids = run_bulk(TASK_WORKFLOW, expired, "miss", at=now)
    return set(InvestigationTask.objects.filter(pk__in=ids).values_list("measure_id", flat=True))


def town_staff(enterprise) -> list[User]:
    return recipients.officials(
        Place.of(enterprise), roles=[Role.TOWN_STAFF], level="town", kinds=[OrganisationKind.TOWN]
    )


MISSED_STREAK = message(
    "risks.missed_streak",
    _("Investigation checks missed repeatedly: {enterprise}"),
    _(
        "{unit} · {event}: control measure \u201c{measure}\u201d has missed {count} checks in a "
        "row (responsible: {responsible})."
    ),
)


def warn_repeated_misses(measure_ids: set[int]) -> int:
    """Tell the town (and the enterprise's managers) when a measure's latest checks were all
    missed: once per streak, keyed by the streak's first missed window (the deadline key
    scheme of core/deadlines.py)."""
    threshold = settings.ANLAN_RISK_MISSED_ALERT
    sent = 0
    towns: dict[tuple, list[User]] = {}
    for measure in ControlMeasure.objects.filter(pk__in=measure_ids).select_related(
        "enterprise", "event__unit", "responsible"
    ):
        finished = measure.tasks.filter(state__in=[TaskState.DONE, TaskState.MISSED])
        recent = list(
            finished.order_by("-window_start").values_list("state", flat=True)[:threshold]
        )
        if not rules.repeated_misses(recent, threshold):
            continue
        last_done = (
            finished.filter(state=TaskState.DONE)
            .order_by("-window_start")
            .values_list("window_start", flat=True)
            .first()
        )
        streak = finished.filter(state=TaskState.MISSED)
        if last_done is not None:
            streak = streak.filter(window_start__gt=last_done)
        started = streak.order_by("window_start").values_list("window_start", flat=True).first()
        enterprise = measure.enterprise
        key = (enterprise.region_id, enterprise.category_id, enterprise.pk)
        if key not in towns:
            towns[key] = town_staff(enterprise)
        sent += notify(
            [*towns[key], *recipients.enterprise_managers(enterprise.pk)],
            key=deadline_key("risk-missed", measure.pk, "streak", started),
            message=MISSED_STREAK,
            params={
                "enterprise": enterprise.name,
                "unit": measure.event.unit.name,
                "event": measure.event.name,
                "measure": measure.description[:60],
                "count": streak.count(),
                "responsible": str(measure.responsible),
            },
            url=reverse("risks:enterprise", args=[enterprise.pk]),
        )
    return sent


@job("risks.investigation_tasks", periodic=True)
def investigation_tasks(now=None, **_kwargs) -> dict[str, int]:
    now = now or timezone.now()
    missed_before = mark_missed(now)
    created = generate(now)
    missed = missed_before | mark_missed(now)  # windows that ended before this run
    return {
        "created": created,
        "missed_measures": len(missed),
        "warned": warn_repeated_misses(missed),
    }
