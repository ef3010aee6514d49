"""Background jobs with two runners and one registry.

- Embedded default (``ANLAN_TASKS=inline``): a job runs in-process right after the current
  transaction commits, and ``anlan worker`` runs the periodic jobs on a timer. No server.
- Production (``ANLAN_TASKS=celery``): the same functions are Celery tasks on Redis
  (``anlan/celery.py``); Celery beat runs the periodic ones.

Jobs are idempotent (they key their effects), so a retry or a double run is harmless.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from django.conf import settings
from django.db import transaction
from django.utils import timezone

log = logging.getLogger(__name__)
JOBS: dict[str, Callable[..., Any]] = {}
PERIODIC: list[str] = []
Job = TypeVar("Job", bound=Callable[..., Any])


def job(name: str, *, periodic: bool = False) -> Callable[[Job], Job]:
    def register(func: Job) -> Job:
        JOBS[name] = func
        if periodic:
            PERIODIC.append(name)
        return func

    return register


def run(name: str, **kwargs: Any) -> Any:
    return JOBS[name](**kwargs)


def enqueue(name: str, **kwargs: Any) -> None:
    """Run ``name`` after the current transaction commits, in-process or on Celery."""
    if name not in JOBS:
        raise KeyError(f"unknown job {name}")
    if settings.ANLAN_TASKS == "celery":
        from anlan.celery import app

        transaction.on_commit(lambda: app.send_task(name, kwargs=kwargs))
        return

    def run_inline() -> None:
        try:
            run(name, **kwargs)
        except Exception:  # the request that enqueued must not fail for a side job
            log.exception("job %s failed", name)

    transaction.on_commit(run_inline)


def run_periodic(now: datetime | None = None) -> dict[str, Any]:
    """Every periodic job once, with the same "now" (tests freeze it)."""
    now = now or timezone.now()
    return {name: JOBS[name](now=now) for name in PERIODIC}


@job("core.deliver_pending")
def deliver_pending_job(**_kwargs: Any) -> int:
    from anlan.core.notifications import deliver_pending

    return deliver_pending()


@job("core.periodic")
def periodic_job(now: datetime | None = None, **_kwargs: Any) -> dict[str, Any]:
    result = run_periodic(now)
    from anlan.core.notifications import deliver_pending

    result["core.deliver_pending"] = deliver_pending()
    return result
