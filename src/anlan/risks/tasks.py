"""Investigation tasks on schedule: generate each measure's task per window, mark the tasks
whose window passed undone as missed, and tell the town when a measure is missed repeatedly.

Idempotent: one task per (measure, window start) is a unique constraint, the missed update
only touches open tasks, and the repeated-miss notice is keyed by the streak's first task.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Max
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from anlan.accounts.models import OrganisationKind, User
from anlan.accounts.roles import Role
from anlan.core.jobs import job
from anlan.core.notifications import notify
from anlan.core.scoping import scope_of
from anlan.risks import rules
from anlan.risks.models import ControlMeasure, InvestigationTask, TaskState


def live_measures():
    """Measures whose whole chain (event, unit, object, enterprise) is in use."""
    return ControlMeasure.objects.filter(
        archived_at__isnull=True,
        event__archived_at__isnull=True,
        event__unit__archived_at__isnull=True,
        event__unit__risk_object__archived_at__isnull=True,
        enterprise__archived_at__isnull=True,
    )


def generate(now) -> int:
    local_now = timezone.localtime(now)
    last_end = dict(
        InvestigationTask.objects.values_list("measure_id").annotate(Max("window_end")).order_by()
    )
    shifts = settings.ANLAN_RISK_SHIFT_STARTS
    new = []
    for measure in live_measures().iterator():
        since = max(filter(None, [measure.created_at, last_end.get(measure.pk)]))
        if since > now:
            continue
        for start, end in rules.windows_between(
            measure.frequency, timezone.localtime(since), local_now, shifts
        ):
            new.append(
                InvestigationTask(
                    enterprise_id=measure.enterprise_id,
                    measure=measure,
                    assignee_id=measure.responsible_id,
                    frequency=measure.frequency,
                    window_start=start,
                    window_end=end,
                )
            )
    created = InvestigationTask.objects.bulk_create(new, batch_size=1000, ignore_conflicts=True)
    return len(created)


def mark_missed(now) -> set[int]:
    """Open tasks whose window has ended become missed; returns the measures concerned."""
    expired = list(
        InvestigationTask.objects.filter(state=TaskState.OPEN, window_end__lte=now).only(
            "pk", "measure_id", "state"
        )
    )
    for task in expired:
        task.state = TaskState.MISSED
    bulk_update_with_history(
        expired, InvestigationTask, ["state"], batch_size=1000,
        default_change_reason="窗口期结束未排查",
    )  # fmt: skip
    return {task.measure_id for task in expired}


def town_staff(enterprise) -> list[User]:
    users = User.objects.filter(
        is_active=True,
        role=Role.TOWN_STAFF,
        organisation__kind=OrganisationKind.TOWN,
        organisation__region_id=enterprise.region_id[:9],
    )
    return [
        u
        for u in users
        if scope_of(u).covers(
            region=enterprise.region_id, category=enterprise.category_id, enterprise=enterprise.pk
        )
    ]


def warn_repeated_misses(measure_ids: set[int]) -> int:
    threshold = settings.ANLAN_RISK_MISSED_ALERT
    sent = 0
    for measure in ControlMeasure.objects.filter(pk__in=measure_ids).select_related(
        "enterprise", "event__unit"
    ):
        finished = measure.tasks.exclude(state=TaskState.OPEN).order_by("-window_start")
        recent = list(finished.values_list("pk", "state")[: max(threshold, 1) * 20])
        if not rules.repeated_misses([state for _pk, state in recent], threshold):
            continue
        streak = []
        for pk, state in recent:
            if state != TaskState.MISSED:
                break
            streak.append(pk)
        enterprise = measure.enterprise
        managers = User.objects.filter(
            is_active=True, enterprise=enterprise, role=Role.ENTERPRISE_MANAGER
        )
        sent += notify(
            [*town_staff(enterprise), *managers],
            key=f"risk-missed:{measure.pk}:{streak[-1]}",
            title=f"排查任务连续未完成：{enterprise.name}",
            body=(
                f"{measure.event.unit.name}·{measure.event.name}：管控措施“{measure.description[:60]}”"
                f"已连续 {len(streak)} 次未按期排查（责任人 {measure.responsible}）。"
            ),
            url=f"/risks/enterprises/{enterprise.pk}/",
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
