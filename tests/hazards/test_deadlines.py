"""Deadlines, extensions, reminders and escalation, with frozen time."""

import datetime as dt
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from anlan.core import deadlines
from anlan.core.models import Delivery, Notification
from anlan.core.notifications import deliver_pending
from anlan.hazards import actions
from anlan.hazards.models import HazardState
from tests.hazards.factories import advance, report
from tests.notices import scan_hazards, titles

TZ = dt.timezone(dt.timedelta(hours=8))


def at(day: dt.date, hour=9):
    return dt.datetime.combine(day, dt.time(hour), tzinfo=TZ)


@pytest.fixture
def rectifying(personas):
    hazard = advance(report(personas["ent-a"]), personas, "rectifying")
    assert hazard.deadline == timezone.localdate() + dt.timedelta(days=10)
    return hazard


def test_status_moves_from_on_time_to_due_soon_to_overdue(rectifying):
    deadline = rectifying.deadline
    assert rectifying.deadline_status(deadline - dt.timedelta(days=4)) == "on_time"
    assert rectifying.deadline_status(deadline - dt.timedelta(days=3)) == "due_soon"
    assert rectifying.deadline_status(deadline) == "due_soon"
    assert rectifying.deadline_status(deadline + dt.timedelta(days=1)) == "overdue"


def test_reminder_before_and_escalation_after_each_once(personas, rectifying):
    deadline = rectifying.deadline
    manager, town = personas["ent-a"], personas["town-a"]
    Notification.objects.all().delete()
    with time_machine.travel(at(deadline - dt.timedelta(days=5)), tick=False):
        assert scan_hazards(now=timezone.now()) == {
            "due_soon": 0,
            "overdue": 0,
            "review_overdue": 0,
        }
    with time_machine.travel(at(deadline - dt.timedelta(days=2)), tick=False):
        assert scan_hazards(now=timezone.now())["due_soon"] == 1
        assert scan_hazards(now=timezone.now())["due_soon"] == 0  # the job ran twice
    assert [t for t in titles(manager) if "将至" in t] and not titles(town)
    with time_machine.travel(at(deadline + dt.timedelta(days=1)), tick=False):
        first = scan_hazards(now=timezone.now())
        again = scan_hazards(now=timezone.now())
    assert first["overdue"] == 2 and again["overdue"] == 0  # manager + the supervising unit
    assert len([t for t in titles(town) if "逾期" in t]) == 1
    assert len([t for t in titles(manager) if "逾期" in t]) == 1
    assert not titles(personas["town-b"])


def test_a_crash_midway_does_not_send_twice(personas, monkeypatch):
    first = advance(report(personas["ent-a"]), personas, "rectifying")
    second = advance(report(personas["ent-a"], description="配电箱门未关"), personas, "rectifying")
    Notification.objects.all().delete()
    real_notify, calls = deadlines.notify, []

    def flaky(*args, **kwargs):
        calls.append(kwargs["key"])
        if len(calls) == 2:
            raise RuntimeError("worker killed")
        return real_notify(*args, **kwargs)

    monkeypatch.setattr(deadlines, "notify", flaky)
    with time_machine.travel(at(first.deadline - dt.timedelta(days=1)), tick=False):
        with pytest.raises(RuntimeError):
            scan_hazards(now=timezone.now())
        monkeypatch.setattr(deadlines, "notify", real_notify)
        scan_hazards(now=timezone.now())
        scan_hazards(now=timezone.now())
    keys = Notification.objects.values_list("key", flat=True)
    assert sorted(keys) == sorted(
        f"hazard:{h.pk}:due_soon:{h.deadline}:u{personas['ent-a'].pk}" for h in (first, second)
    )


def test_extension_is_approved_by_the_confirming_unit_and_moves_the_reminders(personas, rectifying):
    manager = personas["ent-a"]
    new_deadline = rectifying.deadline + dt.timedelta(days=20)
    request = actions.do_request_extension(
        rectifying, actor=manager, new_deadline=new_deadline, reason="设备到货延迟"
    )
    with pytest.raises(ValidationError):  # one pending request at a time
        actions.do_request_extension(
            rectifying, actor=manager, new_deadline=new_deadline, reason="再等等"
        )
    with pytest.raises(PermissionDenied):  # town B did not confirm it
        actions.do_decide_extension(request, actor=personas["town-b"], approve=True)
    with pytest.raises(PermissionDenied):
        actions.do_decide_extension(request, actor=manager, approve=True)
    actions.do_decide_extension(request, actor=personas["town-a"], approve=True, comment="同意")
    rectifying.refresh_from_db()
    assert rectifying.deadline == new_deadline and rectifying.extensions_used == 1
    assert rectifying.original_deadline == new_deadline - dt.timedelta(days=20)
    with time_machine.travel(at(new_deadline - dt.timedelta(days=1)), tick=False):
        assert scan_hazards(now=timezone.now())["due_soon"] == 1


@pytest.mark.parametrize(
    ("days", "message"),
    [(0, "必须晚于"), (61, "累计延期不得超过 60 天")],
)
def test_extension_limits(personas, rectifying, days, message):
    new = rectifying.deadline + dt.timedelta(days=days)
    with pytest.raises(ValidationError, match=message):
        actions.do_request_extension(
            rectifying, actor=personas["ent-a"], new_deadline=new, reason="理由充分"
        )


def test_extension_count_is_capped(personas, rectifying, settings):
    settings.ANLAN_HAZARD_MAX_EXTENSIONS = 1
    request = actions.do_request_extension(
        rectifying,
        actor=personas["ent-a"],
        new_deadline=rectifying.deadline + dt.timedelta(days=5),
        reason="缺少配件",
    )
    actions.do_decide_extension(request, actor=personas["town-a"], approve=True)
    rectifying.refresh_from_db()
    with pytest.raises(ValidationError, match="延期次数已达上限"):
        actions.do_request_extension(
            rectifying,
            actor=personas["ent-a"],
            new_deadline=rectifying.deadline + dt.timedelta(days=5),
            reason="还缺",
        )


def test_workflow_steps_notify_the_next_actor(personas):
    Notification.objects.all().delete()
    hazard = report(personas["ent-a"])
    assert any("新隐患待确认" in t for t in titles(personas["town-a"]))
    assert not titles(personas["town-b"])
    advance(hazard, personas, "confirmed")
    assert any("请制定整改方案" in t for t in titles(personas["ent-a"]))
    advance(hazard, personas, "submitted")
    assert any("待验收" in t for t in titles(personas["county"]))
    assert not titles(personas["dept-transport"])  # not its category


def test_email_goes_once(personas, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    town = personas["town-a"]
    town.email = "town-a@example.org"
    town.save()
    report(personas["ent-a"])
    assert Delivery.objects.filter(notification__recipient=town, channel="email").count() == 1
    deliver_pending()
    deliver_pending()
    assert [m.to for m in mail.outbox] == [["town-a@example.org"]]
    assert "新隐患待确认" in mail.outbox[0].subject


class Receiver(BaseHTTPRequestHandler):
    received: list = []

    def do_POST(self):  # noqa: N802 - http.server's naming
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Receiver.received.append((self.headers["Idempotency-Key"], json.loads(body)))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def webhook(settings):
    server = HTTPServer(("127.0.0.1", 0), Receiver)
    Receiver.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.ANLAN_WEBHOOK_URL = f"http://127.0.0.1:{server.server_port}/hook"
    yield Receiver.received
    server.shutdown()


def test_webhook_goes_once_with_an_idempotency_key(personas, webhook):
    Notification.objects.all().delete()
    report(personas["ent-a"])
    deliver_pending()
    deliver_pending()
    keys = [key for key, _body in webhook]
    assert keys and len(keys) == len(set(keys))
    assert all(body["title"].startswith("新隐患待确认") for _key, body in webhook)
    assert not Delivery.objects.exclude(status="sent").exists()


def test_a_claimed_delivery_is_left_alone_until_its_lease_expires(personas, webhook):
    Notification.objects.all().delete()
    report(personas["ent-a"])
    Delivery.objects.update(status="sending", claimed_at=timezone.now())
    assert deliver_pending() == 0
    Delivery.objects.update(claimed_at=timezone.now() - dt.timedelta(minutes=11))
    assert deliver_pending() == Delivery.objects.count() > 0


def test_a_failing_channel_is_retried_then_given_up(personas, settings):
    settings.ANLAN_WEBHOOK_URL = "http://127.0.0.1:9/closed"  # nothing listens on the discard port
    settings.ANLAN_DELIVERY_ATTEMPTS = 2
    Notification.objects.all().delete()
    report(personas["ent-a"])  # the in-process job makes the first attempt on commit
    assert set(Delivery.objects.values_list("status", "attempts")) == {("pending", 1)}
    deliver_pending()
    assert set(Delivery.objects.values_list("status", "attempts")) == {("failed", 2)}
    assert "Connection refused" in Delivery.objects.first().last_error


def test_closed_hazards_get_no_reminders(personas, rectifying):
    closed = advance(rectifying, personas, "closed")
    assert closed.state == HazardState.CLOSED
    Notification.objects.all().delete()
    with time_machine.travel(at(closed.deadline + dt.timedelta(days=3)), tick=False):
        assert scan_hazards(now=timezone.now()) == {
            "due_soon": 0,
            "overdue": 0,
            "review_overdue": 0,
        }
