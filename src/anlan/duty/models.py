"""24-hour duty (应急值守): monthly rosters of shifts, check-ins, the duty log, handovers, swaps.

A Roster is one organisation's month; its Shifts each name a duty officer (值班员) and a leader on
duty (带班领导) with their phones. Every row carries its organisation, so scoping is the
organisation's region, for every category (ANY_CATEGORY): all government users of the region see
duty records, departments included, and enterprises see none. Who is on duty *now* is shared
county-wide through the duty board (services.board), which widens the scope on purpose.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from anlan.accounts.models import OrganisationKind
from anlan.core.models import Event, TimeStamped
from anlan.core.scoping import ANY_CATEGORY, Scoped, ScopedQuerySet, ScopeFields
from anlan.duty.rules import DutyRole

DUTY_SCOPE = ScopeFields(
    region="organisation__region__code", category=ANY_CATEGORY, enterprise=None
)
# The units that keep a roster: emergency bureaus (county and city), towns, departments.
DUTY_KINDS = (OrganisationKind.EMERGENCY_BUREAU, OrganisationKind.TOWN, OrganisationKind.DEPARTMENT)


def _organisation(related_name: str) -> models.ForeignKey:
    return models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name=related_name,
    )


def _user(verbose_name, *, null: bool = False) -> models.ForeignKey:
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        null=null,
        blank=null,
        on_delete=models.PROTECT,
        related_name="+",
    )


class RosterState(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")


class Roster(Scoped, TimeStamped):
    """值班表: one organisation's shifts of one month."""

    scope_fields = DUTY_SCOPE
    organisation = _organisation("duty_rosters")
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    state = models.CharField(
        _("status"), max_length=10, choices=RosterState.choices, default=RosterState.DRAFT
    )
    note = models.TextField(_("note"), max_length=1000, blank=True)
    created_by = _user(_("created by"))
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = _user(_("published by"), null=True)

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("duty roster")
        verbose_name_plural = _("duty rosters")
        ordering = ["-month", "organisation__region_id", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "month"], name="one_roster_per_month")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.month:%Y-%m}"

    def get_absolute_url(self) -> str:
        return reverse("duty:roster", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.state == RosterState.PUBLISHED


class ShiftQuerySet(ScopedQuerySet):
    def published(self):
        return self.filter(roster__state=RosterState.PUBLISHED)

    def covering(self, moment):
        """Shifts in progress at ``moment`` (start inclusive, end exclusive)."""
        return self.filter(start__lte=moment, end__gt=moment)


class Shift(Scoped, TimeStamped):
    """班次: a duty officer and a leader on duty from ``start`` to ``end``."""

    scope_fields = DUTY_SCOPE
    roster = models.ForeignKey(
        Roster, verbose_name=_("duty roster"), on_delete=models.PROTECT, related_name="shifts"
    )
    organisation = _organisation("duty_shifts")
    start = models.DateTimeField(_("starts at"))
    end = models.DateTimeField(_("ends at"))
    officer = _user(_("duty officer"))
    officer_phone = models.CharField(_("duty officer's phone"), max_length=30, blank=True)
    leader = _user(_("leader on duty"))
    leader_phone = models.CharField(_("leader's phone"), max_length=30, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    officer_checked_in_at = models.DateTimeField(_("officer checked in at"), null=True, blank=True)
    leader_checked_in_at = models.DateTimeField(_("leader checked in at"), null=True, blank=True)
    # Set once by the periodic job when the officer had not checked in within the grace period;
    # kept after a late check-in (the flag is the record that the post was unattended).
    missed_checkin_at = models.DateTimeField(_("missed check-in flagged at"), null=True, blank=True)

    objects = ShiftQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        ordering = ["start", "organisation_id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "start"], name="one_shift_per_start"),
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="shift_ends_after_start"
            ),
            models.CheckConstraint(
                condition=~models.Q(officer=models.F("leader")), name="shift_officer_not_leader"
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "start", "end"], name="shift_org_start"),
            models.Index(fields=["start", "end"], name="shift_start_end"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {timezone.localtime(self.start):%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("duty:shift", args=[self.pk])

    def holder(self, role: str):
        return self.officer if role == DutyRole.OFFICER else self.leader

    def holder_id(self, role: str) -> int:
        return self.officer_id if role == DutyRole.OFFICER else self.leader_id

    def role_of(self, user) -> str | None:
        if user.pk == self.officer_id:
            return DutyRole.OFFICER
        if user.pk == self.leader_id:
            return DutyRole.LEADER
        return None


class LogKind(models.TextChoices):
    CALL_IN = "call_in", _("incoming call")
    CALL_OUT = "call_out", _("outgoing call")
    EVENT = "event", _("event or situation")
    INSTRUCTION = "instruction", _("instruction given")
    NOTICE = "notice", _("notice from above")
    OTHER = "other", _("other")


class DutyLogEntry(Scoped, models.Model):
    """值班日志: one call, event or instruction, as it happened. Entries are not edited: a
    correction is a new entry (the log is the record of what the post knew and did when)."""

    scope_fields = DUTY_SCOPE
    organisation = _organisation("duty_log")
    shift = models.ForeignKey(
        Shift,
        verbose_name=_("shift"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="log_entries",
    )
    occurred_at = models.DateTimeField(_("time"))
    kind = models.CharField(_("kind"), max_length=12, choices=LogKind.choices)
    counterpart = models.CharField(
        _("caller or party"), max_length=100, blank=True, help_text=_("Who called, or whom.")
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    content = models.TextField(_("content"), max_length=2000)
    action_taken = models.TextField(_("action taken"), max_length=2000, blank=True)
    recorded_by = _user(_("recorded by"))
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("duty log entry")
        verbose_name_plural = _("duty log entries")
        ordering = ["-occurred_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "occurred_at"], name="duty_log_org_time")]

    def __str__(self) -> str:
        return f"{timezone.localtime(self.occurred_at):%Y-%m-%d %H:%M} {self.content[:40]}"


class Handover(Scoped, TimeStamped):
    """交接班: the outgoing shift hands over its open matters; the incoming one confirms."""

    scope_fields = DUTY_SCOPE
    organisation = _organisation("duty_handovers")
    outgoing_shift = models.OneToOneField(
        Shift, verbose_name=_("outgoing shift"), on_delete=models.PROTECT, related_name="handover"
    )
    incoming_shift = models.ForeignKey(
        Shift,
        verbose_name=_("incoming shift"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="handovers_received",
    )
    handed_over_by = _user(_("handed over by"))
    handed_over_at = models.DateTimeField(_("handed over at"))
    open_matters = models.TextField(_("open matters"), max_length=2000)
    notes = models.TextField(_("notes"), max_length=2000, blank=True)
    received_by = _user(_("received by"), null=True)
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("handover")
        verbose_name_plural = _("handovers")
        ordering = ["-handed_over_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.outgoing_shift} → {self.incoming_shift or '—'}"


class SwapState(models.TextChoices):
    PENDING = "pending", _("awaiting approval")
    APPROVED = "approved", pgettext_lazy("swap", "approved")
    REJECTED = "rejected", _("rejected")
    CANCELLED = "cancelled", _("withdrawn")


class Swap(Scoped, TimeStamped):
    """换班/替班: a scheduled person gives their place on a shift to another person of the
    unit; with ``counterpart_shift`` they take the other person's place there in exchange."""

    scope_fields = DUTY_SCOPE
    organisation = _organisation("duty_swaps")
    shift = models.ForeignKey(
        Shift, verbose_name=_("shift"), on_delete=models.PROTECT, related_name="swaps"
    )
    role = models.CharField(_("duty role"), max_length=10, choices=DutyRole.choices)
    requester = _user(_("requested by"))
    counterpart = _user(_("swap with"))
    counterpart_shift = models.ForeignKey(
        Shift,
        verbose_name=_("in exchange for the shift"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.TextField(_("reason"), max_length=1000)
    state = models.CharField(
        _("status"), max_length=10, choices=SwapState.choices, default=SwapState.PENDING
    )
    decided_by = _user(_("decided by"), null=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("shift swap")
        verbose_name_plural = _("shift swaps")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["shift", "role"],
                condition=models.Q(state="pending"),
                name="one_pending_swap_per_place",
            )
        ]

    def __str__(self) -> str:
        return f"{self.shift} {self.get_role_display()} {self.requester} → {self.counterpart}"


class SwapEvent(Event):
    swap = models.ForeignKey(Swap, on_delete=models.PROTECT, related_name="events")

    class Meta(Event.Meta):
        verbose_name = _("swap event")
        verbose_name_plural = _("swap events")


class RosterEvent(Event):
    """The roster's timeline: created, published (core.workflow writes these rows)."""

    roster = models.ForeignKey(Roster, on_delete=models.PROTECT, related_name="events")

    class Meta(Event.Meta):
        verbose_name = _("roster event")
        verbose_name_plural = _("roster events")
