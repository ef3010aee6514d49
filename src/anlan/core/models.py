"""Abstract bases every business model shares: timestamps and archiving (no hard delete)."""

from typing import Any, NoReturn

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TimeStamped(models.Model):
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class Archivable(models.Model):
    """Business records are archived with a reason, never deleted (ARCHITECTURE.md)."""

    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True, editable=False)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("archived by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    archive_reason = models.TextField(_("archive reason"), blank=True, editable=False)

    class Meta:
        abstract = True

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise ValidationError(_("Records are archived with a reason, never deleted."))


class Event(models.Model):
    """An immutable workflow event: who took which transition when, from and to which state.

    Concrete apps add a foreign key to their record (e.g. ``HazardEvent.hazard``). Rows are
    the audit trail and the timeline the UI shows; they are never changed or deleted.
    """

    transition = models.CharField(_("action"), max_length=40)
    from_state = models.CharField(_("from"), max_length=30, blank=True)
    to_state = models.CharField(_("to"), max_length=30)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    comment = models.TextField(_("comment"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    class Meta:
        abstract = True
        ordering = ["created_at", "pk"]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValidationError(_("Events are immutable."))
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise ValidationError(_("Events are immutable."))


class Notification(models.Model):
    """One message in a user's inbox. ``key`` makes creation idempotent: a job that runs
    twice (or is retried after a crash) finds the row and sends nothing new."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    key = models.CharField(max_length=200, unique=True)
    # What to say, not the words: a key of core.messages and its parameters, rendered in the
    # reader's language when read (see core/messages.py).
    message = models.CharField(_("message"), max_length=100)
    params = models.JSONField(default=dict, blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return self.title

    def render(self) -> tuple[str, str]:
        """(title, body) in the active language."""
        from anlan.core.messages import render

        return render(self.message, self.params)

    @property
    def title(self) -> str:
        return self.render()[0]

    @property
    def body(self) -> str:
        return self.render()[1]


class Delivery(models.Model):
    """A notification sent through one outside channel (email, webhook): the outbox row.

    A sender claims a row with a conditional UPDATE before sending, so two workers never
    send the same row; a claim older than the lease is retried (webhook receivers dedupe
    on the ``Idempotency-Key`` header, which is the notification key).
    """

    class Channel(models.TextChoices):
        EMAIL = "email", _("email")
        WEBHOOK = "webhook", _("webhook")

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(max_length=10, choices=Channel.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["notification", "channel"], name="delivery_once")
        ]
        indexes = [models.Index(fields=["status", "claimed_at"], name="delivery_pending")]

    def __str__(self) -> str:
        return f"{self.channel}:{self.notification_id}"


class DocumentCounter(models.Model):
    """Official document numbers, consecutive per issuing unit, kind and year."""

    issuer = models.CharField(max_length=100)
    kind = models.CharField(max_length=40)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["issuer", "kind", "year"], name="document_counter_key")
        ]

    def __str__(self) -> str:
        return f"{self.issuer} {self.kind} {self.year}: {self.last}"
