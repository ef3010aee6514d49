"""Abstract bases every business model shares: timestamps, archiving (no hard delete), a place
(Located, LocatedByTown) and an uploaded image with its thumbnail (Attachment)."""

import posixpath
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar, NoReturn, Self

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anlan.core.scoping import ScopeFields
from anlan.core.validators import LATITUDE_VALIDATORS, LONGITUDE_VALIDATORS
from anlan.regions.rules import CODE_LENGTHS, Level

if TYPE_CHECKING:
    from anlan.core.uploads import CleanImage


class TimeStamped(models.Model):
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class Numbered(models.Model):
    """A register record with the number people quote (YH2026-0001): the prefix, the local year
    of ``number_date_field`` and the next number of that year, from the same counters as
    official documents (``core.documents.reserve_numbers``). Given once, when the record is
    first saved, so it never reveals or depends on the database id."""

    number_prefix: ClassVar[str]
    number_date_field: ClassVar[str]

    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.number:
            super().save(*args, **kwargs)
            return
        # The counter and the record commit together: a failed save gives the number back.
        try:
            with transaction.atomic():
                type(self).assign_numbers([self])
                super().save(*args, **kwargs)
        except BaseException:
            self.number = ""
            raise

    @classmethod
    def number_kind(cls) -> str:
        """The counter's kind: the model's label (``hazards.hazard``)."""
        return cls._meta.label_lower

    @classmethod
    def assign_numbers(cls, records: "list[Self]") -> None:
        """Number new records in the order of their dates (a bulk creation: the demo)."""
        from anlan.core.documents import (
            REGISTER_ISSUER,
            format_register_number,
            register_year,
            reserve_numbers,
        )

        by_year: dict[int, list[Self]] = {}
        for record in sorted(records, key=lambda r: getattr(r, cls.number_date_field)):
            if not record.number:
                year = register_year(getattr(record, cls.number_date_field))
                by_year.setdefault(year, []).append(record)
        for year, batch in by_year.items():
            numbers = reserve_numbers(REGISTER_ISSUER, cls.number_kind(), year, len(batch))
            for record, n in zip(batch, numbers, strict=True):
                record.number = format_register_number(cls.number_prefix, year, n)


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
    archive_reason = models.TextField(
        _("archive reason"), max_length=500, blank=True, editable=False
    )

    class Meta:
        abstract = True

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise ValidationError(_("Records are archived with a reason, never deleted."))


class Located(models.Model):
    """A record that happens somewhere: the town or village it lies in (what scoping compares),
    a description of the place, and optionally its coordinates.

    A subclass may redefine a field (an enterprise's region has its own label and reverse
    name; an incident's location is required) or drop one (``location = None``)."""

    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    location = models.CharField(_("location"), max_length=300, blank=True)
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=LONGITUDE_VALIDATORS,
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=LATITUDE_VALIDATORS,
    )

    class Meta:
        abstract = True


# The town column: the first characters of the region code, which scoping and the region
# filter compare with an equality (core.scoping.region_q).
TOWN_PREFIX = ((CODE_LENGTHS[Level.TOWN], "town"),)


class LocatedByTown(Located):
    """A located record with a large ledger: the town's code kept in a column of its own.

    The database keeps it (a generated column): a town's ledger is read off an index on
    ``(town, …)`` in the ledger's order, where a prefix of region_id would walk the whole
    county's rows (docs/architecture.md, "How a request is scoped"). For queries only: an
    instance's value is not refreshed when its region changes (nor kept in history), so code
    that decides in memory reads region (Scope.covers does)."""

    town = models.GeneratedField(
        expression=Substr("region_id", 1, CODE_LENGTHS[Level.TOWN]),
        output_field=models.CharField(max_length=CODE_LENGTHS[Level.TOWN]),
        db_persist=True,
        verbose_name=_("town"),
    )

    class Meta:
        abstract = True


def located_scope(
    *, category: str | None, enterprise: str | None, by_town: bool = False
) -> ScopeFields:
    """The scope fields of a located record: its region (and town column, for a
    LocatedByTown), its supervision category and its enterprise lookups."""
    return ScopeFields(
        region="region__code",
        category=category,
        enterprise=enterprise,
        region_prefixes=TOWN_PREFIX if by_town else (),
    )


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
    comment = models.TextField(_("comment"), max_length=2000, blank=True)
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


def attachment_path(instance: "Attachment", filename: str) -> str:
    """``<upload_folder>/<year>/<month>/<name>``: where an attachment's files are stored (what
    ``upload_to="hazards/%Y/%m/"`` wrote before the base existed)."""
    return posixpath.join(datetime.now().strftime(f"{instance.upload_folder}/%Y/%m"), filename)


class Attachment(models.Model):
    """An uploaded photo kept with its thumbnail, both checked and re-encoded by
    ``core.uploads.clean_image`` (a real image, within the size limit, upright, without
    location metadata). Files are never public: a view serves them through scoping
    (``core.uploads.serve_attachment``)."""

    upload_folder: ClassVar[str] = "attachments"

    image = models.ImageField(_("photo"), upload_to=attachment_path)
    thumbnail = models.ImageField(upload_to=attachment_path)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True

    @classmethod
    def attach(cls, photo: "CleanImage", *, uploaded_by: Any, **fields: Any) -> Self:
        """Store one checked photo (``clean_image``'s result) with the record's own fields."""
        return cls._default_manager.create(
            image=photo.image, thumbnail=photo.thumbnail, uploaded_by=uploaded_by, **fields
        )
