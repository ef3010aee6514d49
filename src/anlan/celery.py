"""Celery application for production (ANLAN_TASKS=celery, REDIS_URL set).

Every job registered in ``anlan.core.jobs`` becomes a Celery task of the same name; beat
runs the periodic sweep every ANLAN_PERIODIC_SECONDS.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anlan.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

from anlan.core.jobs import JOBS  # noqa: E402

app = Celery("anlan", broker=settings.REDIS_URL, backend=settings.REDIS_URL)
app.conf.update(
    task_acks_late=True,  # a worker that dies mid-job leaves it for another (jobs are idempotent)
    worker_prefetch_multiplier=1,
    timezone=settings.TIME_ZONE,
    beat_schedule={
        "periodic": {"task": "core.periodic", "schedule": float(settings.ANLAN_PERIODIC_SECONDS)}
    },
)
for _name, _func in JOBS.items():
    app.task(name=_name)(_func)
