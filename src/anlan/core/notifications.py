"""Notifications: an in-app inbox plus outside channels (email, webhook) through an outbox.

``notify()`` is idempotent on its key: calling it twice for the same (record, kind, due time)
creates nothing new. ``deliver_pending()`` sends outbox rows, each claimed by a conditional
UPDATE first so concurrent or repeated workers never send one row twice.
"""

from __future__ import annotations

import json
import logging
import urllib.request
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation

from anlan.core.messages import MESSAGES, language_of
from anlan.core.models import Delivery, Notification

log = logging.getLogger(__name__)
LEASE = timedelta(minutes=10)


def notify(
    recipients: Iterable[Any],
    *,
    key: str,
    message: str,
    params: dict[str, Any] | None = None,
    url: str = "",
) -> int:
    """Create one inbox message per recipient (and its outbox rows); returns how many were new.

    ``message`` is a key registered in core/messages.py and ``params`` its parameters: the text
    is rendered in the reader's language when read or sent. Keyed by ``key`` and recipient: a
    second call with the same key creates nothing.
    """
    if message not in MESSAGES:
        raise KeyError(f"unknown message {message}")
    params = params or {}
    users = {u.pk: u for u in recipients if u is not None and u.is_active}
    keys = {f"{key}:u{pk}": user for pk, user in users.items()}
    with transaction.atomic():
        existing = set(Notification.objects.filter(key__in=keys).values_list("key", flat=True))
        new = [k for k in keys if k not in existing]
        Notification.objects.bulk_create(
            [
                Notification(recipient=keys[k], key=k, message=message, params=params, url=url)
                for k in new
            ],
            ignore_conflicts=True,  # a concurrent run created it first: fine
        )
        rows = []
        for notification in Notification.objects.filter(key__in=new, deliveries__isnull=True):
            if keys[notification.key].email:
                rows.append(Delivery(notification=notification, channel=Delivery.Channel.EMAIL))
            if settings.ANLAN_WEBHOOK_URL:
                rows.append(Delivery(notification=notification, channel=Delivery.Channel.WEBHOOK))
        Delivery.objects.bulk_create(rows, ignore_conflicts=True)
    if rows:
        from anlan.core.jobs import enqueue

        enqueue("core.deliver_pending")
    return len(new)


def sent_before(key: str) -> bool:
    """Whether anyone was told under ``key``: a periodic scan checks this before it works out
    who to tell, so an escalation already sent costs one indexed query, not a recipients
    lookup on every run."""
    return Notification.objects.filter(key__startswith=f"{key}:u").exists()


def unread_count(user: Any) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def _claim(delivery_id: int, now: datetime) -> bool:
    """Take a pending (or abandoned) row; True when this worker won it."""
    claimable = Q(status=Delivery.Status.PENDING) | Q(
        status=Delivery.Status.SENDING, claimed_at__lt=now - LEASE
    )
    return bool(
        Delivery.objects.filter(claimable, pk=delivery_id).update(
            status=Delivery.Status.SENDING, claimed_at=now
        )
    )


def _send(delivery: Delivery) -> None:
    """Send one outbox row, its text rendered now in the recipient's language."""
    n = delivery.notification
    with translation.override(language_of(n.recipient)):
        title, body = n.render()
    if delivery.channel == Delivery.Channel.EMAIL:
        send_mail(title, f"{body}\n\n{settings.ANLAN_BASE_URL}{n.url}", None, [n.recipient.email])
        return
    payload = json.dumps(
        {
            "key": n.key,
            "recipient": n.recipient.username,
            "message": n.message,
            "params": n.params,
            "title": title,
            "body": body,
            "url": f"{settings.ANLAN_BASE_URL}{n.url}",
            "created_at": n.created_at.isoformat(),
        },
        ensure_ascii=False,
    ).encode()
    request = urllib.request.Request(
        settings.ANLAN_WEBHOOK_URL,
        data=payload,
        headers={"Content-Type": "application/json", "Idempotency-Key": n.key},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (configured URL)
        if response.status >= 300:
            raise OSError(f"webhook answered {response.status}")


def deliver_pending(limit: int = 500) -> int:
    """Send what is waiting in the outbox; returns the number sent."""
    now = timezone.now()
    ids = list(
        Delivery.objects.filter(
            Q(status=Delivery.Status.PENDING)
            | Q(status=Delivery.Status.SENDING, claimed_at__lt=now - LEASE)
        ).values_list("pk", flat=True)[:limit]
    )
    sent = 0
    for delivery_id in ids:
        if not _claim(delivery_id, now):
            continue
        delivery = Delivery.objects.select_related("notification__recipient").get(pk=delivery_id)
        try:
            _send(delivery)
        except Exception as exc:  # noqa: BLE001 - any channel failure is recorded and retried
            log.warning("delivery %s failed: %s", delivery_id, exc)
            failed = delivery.attempts + 1 >= settings.ANLAN_DELIVERY_ATTEMPTS
            Delivery.objects.filter(pk=delivery_id).update(
                status=Delivery.Status.FAILED if failed else Delivery.Status.PENDING,
                attempts=delivery.attempts + 1,
                last_error=str(exc)[:1000],
            )
            continue
        Delivery.objects.filter(pk=delivery_id).update(
            status=Delivery.Status.SENT, sent_at=timezone.now(), attempts=delivery.attempts + 1
        )
        sent += 1
    return sent
