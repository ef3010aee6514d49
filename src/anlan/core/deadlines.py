"""One deadline and reminder service: apps register kinds of deadline, one job scans them all.

A kind of deadline says which records may be due at a moment, when each is due, and its
stages: when each stage is reached relative to the due time, who is told then and what
(a message key of core/messages.py, with the kind's parameters)::

    register(DeadlineKind(
        name="hazard.deadline", key="hazard",
        records=lambda now: Hazard.objects.filter(state__in=DEADLINE_STATES, ...),
        due=lambda hazard: hazard.deadline,                  # a date or an instant
        stages=[
            Stage("due_soon", before=lambda: timedelta(days=3), tell=rectifiers, message=DUE_SOON),
            Stage("overdue", after=timedelta(0), tell=escalation, message=OVERDUE),
        ],
        params=lambda hazard, due: {"deadline": day(due), "subject": hazard.subject_name},
        url=lambda hazard: hazard.get_absolute_url(),
    ))

The periodic job ``core.scan_deadlines`` sends, for every record, the latest stage it has
reached (a record first seen after its deadline gets the escalation, not a late reminder;
stages reached at the same time all go). Every notice is keyed
``<key>:<record>:<stage>:<due ISO>`` (plus ``:u<recipient>`` in core.notifications), so it is
sent once however often the job runs, even after a crash midway; a moved deadline is a new due
time and gets its own reminders. A notice already sent is skipped before its recipients are
worked out (core.notifications.sent_before).

Stage timing: ``before=d`` is reached from ``due - d`` on (inclusive); ``after=d`` once the
moment is past ``due + d`` (strictly). Date deadlines are compared with the local date, instants
with the instant. ``before``/``after`` may be callables, read at scan time (settings).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.utils import timezone

from anlan.core.jobs import job
from anlan.core.notifications import notify, sent_before

log = logging.getLogger(__name__)
Offset = timedelta | Callable[[], timedelta]


def _offset(value: Offset) -> timedelta:
    return value() if callable(value) else value


@dataclass(frozen=True)
class Stage:
    """One reminder or escalation of a kind of deadline."""

    name: str
    tell: Callable[[Any, datetime], Iterable[Any]]  # (record, now) -> users
    message: str
    before: Offset | None = None
    after: Offset | None = None
    # Something to record once when the stage is reached, before telling (an event row). It
    # runs again if the job crashed before the notice went out, so it must be idempotent.
    effect: Callable[[Any, datetime], None] | None = None

    def reached(self, due: date | datetime, moment: date | datetime) -> tuple[Any, int] | None:
        """The stage's start, as a sort key, when ``moment`` has reached it; else None."""
        if self.before is not None:
            start = due - _offset(self.before)
            return (start, 0) if moment >= start else None
        start = due + _offset(self.after or timedelta(0))
        return (start, 1) if moment > start else None


@dataclass(frozen=True)
class DeadlineKind:
    """A kind of deadline. ``records(now)`` may return more than is due (the stages decide)
    but should filter in the database what it can."""

    name: str
    records: Callable[[datetime], Iterable[Any]]
    due: Callable[[Any], date | datetime | None]
    stages: Sequence[Stage]
    params: Callable[[Any, Any], dict[str, Any]]
    url: Callable[[Any], str]
    key: str = ""  # the notification keys' prefix; the name by default
    record_key: Callable[[Any], str] = field(default=lambda record: str(record.pk))

    def notice_key(self, record: Any, stage: Stage, due: date | datetime) -> str:
        return deadline_key(self.key or self.name, self.record_key(record), stage.name, due)

    def stages_at(self, due: date | datetime, now: datetime) -> list[Stage]:
        """The latest stages reached at ``now``."""
        moment = now if isinstance(due, datetime) else timezone.localdate(now)
        reached = [(start, s) for s in self.stages if (start := s.reached(due, moment)) is not None]
        if not reached:
            return []
        latest = max(start for start, _s in reached)
        return [s for start, s in reached if start == latest]


def deadline_key(kind: str, record: str | int, stage: str, due: date | datetime | None) -> str:
    """``<kind>:<record>:<stage>:<due ISO>``: the one key scheme of reminders and escalations."""
    key = f"{kind}:{record}:{stage}"
    return f"{key}:{due.isoformat()}" if due is not None else key


KINDS: dict[str, DeadlineKind] = {}


def register(kind: DeadlineKind) -> DeadlineKind:
    """Register a kind of deadline (from an app's tasks.py, imported by its ready())."""
    KINDS[kind.name] = kind
    return kind


def scan_kind(kind: DeadlineKind, now: datetime) -> dict[str, int]:
    """Send what is due for one kind; the number of notices sent per stage."""
    sent = {stage.name: 0 for stage in kind.stages}
    for record in kind.records(now):
        due = kind.due(record)
        if due is None:
            continue
        for stage in kind.stages_at(due, now):
            key = kind.notice_key(record, stage, due)
            if sent_before(key):
                continue
            if stage.effect is not None:
                stage.effect(record, now)
            sent[stage.name] += notify(
                stage.tell(record, now),
                key=key,
                message=stage.message,
                params=kind.params(record, due),
                url=kind.url(record),
            )
    return sent


@job("core.scan_deadlines", periodic=True)
def scan_deadlines(now: datetime | None = None, **_kwargs: Any) -> dict[str, dict[str, int]]:
    """Every registered kind of deadline, with the same "now"; counts per kind and stage.

    A kind that fails does not starve the others: they run, then the first error is raised
    (the job is retried; what was sent is keyed and is not sent again)."""
    now = now or timezone.now()
    result, errors = {}, []
    for name, kind in KINDS.items():
        try:
            result[name] = scan_kind(kind, now)
        except Exception as exc:  # noqa: BLE001 - re-raised below, after the other kinds
            log.exception("deadline kind %s failed", name)
            errors.append(exc)
    if errors:
        raise errors[0]
    return result
