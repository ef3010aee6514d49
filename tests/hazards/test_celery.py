"""The same jobs on Celery with the real Redis (production mode), not a mock of either."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from anlan.core.jobs import enqueue
from anlan.core.models import Delivery, Notification
from anlan.hazards.models import Hazard
from tests.conftest import ensure_world
from tests.notices import titles

REDIS = "redis://127.0.0.1:6379/15"


@pytest.fixture
def celery_worker(settings, transactional_db):
    from celery.contrib.testing.worker import start_worker

    from anlan.celery import app

    ensure_world()
    app.conf.update(broker_url=REDIS, result_backend=REDIS, task_always_eager=False)
    settings.ANLAN_TASKS = "celery"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        yield app


def test_sweep_and_delivery_run_on_celery_with_redis(celery_worker, settings):
    from anlan.accounts.models import User
    from tests.hazards.factories import advance, report

    people = {u.username.removeprefix("demo-"): u for u in User.objects.all()}
    manager = people["ent-a"]
    manager.email = "ent-a@example.org"
    manager.save()
    settings.ANLAN_TASKS = "inline"  # the steps' notices now, not racing the sweep below
    hazard = advance(report(manager), people, "rectifying")
    settings.ANLAN_TASKS = "celery"
    Hazard.objects.filter(pk=hazard.pk).update(deadline=timezone.localdate() + dt.timedelta(days=1))
    Notification.objects.all().delete()
    mail.outbox.clear()

    result = celery_worker.send_task("core.scan_deadlines")
    assert result.get(timeout=60)["hazard.deadline"] == {"due_soon": 1, "overdue": 0}
    again = celery_worker.send_task("core.scan_deadlines")
    assert again.get(timeout=60)["hazard.deadline"] == {"due_soon": 0, "overdue": 0}
    assert len([t for t in titles(manager) if "期限将至" in t]) == 1

    # notify() queued the outbox delivery on Celery; run it once more by hand: still one mail.
    delivered = celery_worker.send_task("core.deliver_pending")
    delivered.get(timeout=60)
    enqueue("core.deliver_pending")  # outside a transaction: sent to the broker at once
    celery_worker.send_task("core.deliver_pending").get(timeout=60)
    assert Delivery.objects.get(channel="email").status == "sent"
    assert [m.to for m in mail.outbox] == [["ent-a@example.org"]]
