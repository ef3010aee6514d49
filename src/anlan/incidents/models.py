"""Incidents and their reporting chain (事故信息报送).

An Incident holds the latest known facts and grade. Every report up the chain (首报、续报、补报、
终报) is an immutable IncidentReport with a snapshot of the facts as reported. Each step of the
chain the grade requires (unit → county → city → province) is a ReportStep with its deadline;
the timeline of actions is IncidentEvent.
"""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from anlan.core.models import Event, Located, Numbered, TimeStamped, located_scope
from anlan.core.scoping import Scoped, ScopedQuerySet, ScopeFields
from anlan.incidents import rules
from anlan.incidents.rules import Grade, IncidentKind, Source

SCOPE = located_scope(category="supervision_category__code", enterprise="enterprise_id")
THROUGH_INCIDENT = ScopeFields(
    region="incident__region__code",
    category="incident__supervision_category__code",
    enterprise="incident__enterprise_id",
)


@lru_cache(maxsize=8)
def _limits(text: str, unit: int, level: int) -> rules.LimitTable:
    return rules.parse_limits(text, unit, level)


@lru_cache(maxsize=8)
def _kinds(accident: str, other: str, unit: int, level: int) -> dict[str, rules.KindRule]:
    return rules.parse_kind_rules(accident, other, unit, level)


def limit_table() -> rules.LimitTable:
    """The (grade, hop, channel) limits of the settings (validated at start-up: apps.py)."""
    return _limits(
        settings.ANLAN_INCIDENT_REPORT_LIMITS,
        settings.ANLAN_INCIDENT_UNIT_MINUTES,
        settings.ANLAN_INCIDENT_LEVEL_MINUTES,
    )


def kind_rules() -> dict[str, rules.KindRule]:
    """Each kind's grading and chain from the settings (validated at start-up: apps.py)."""
    return _kinds(
        settings.ANLAN_INCIDENT_ACCIDENT_KINDS,
        settings.ANLAN_INCIDENT_OTHER_KINDS,
        settings.ANLAN_INCIDENT_UNIT_MINUTES,
        settings.ANLAN_INCIDENT_LEVEL_MINUTES,
    )


class IncidentState(models.TextChoices):
    REPORTING = "reporting", _("reporting")
    FINAL = "final", _("final report filed")


class Incident(Scoped, TimeStamped, Located, Numbered):
    scope_fields = SCOPE
    # SG2026-0001: numbered in the local year the incident occurred (core.models.Numbered; 1
    # January 00:30 in Beijing is still 31 December in UTC).
    number_prefix = "SG"
    number_date_field = "occurred_at"

    kind = models.CharField(_("type"), max_length=20, choices=IncidentKind.choices)
    supervision_category = models.ForeignKey(
        "registry.SupervisionCategory",
        verbose_name=_("industry"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField(_("title"), max_length=200)
    occurred_at = models.DateTimeField(_("occurred at"))
    # region, longitude, latitude: Located; the place is required for an incident
    location = models.CharField(_("location"), max_length=300)
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name=_("enterprise"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="incidents",
    )
    # The latest known facts (every report keeps its own snapshot).
    deaths = models.PositiveIntegerField(_("deaths"), default=0)
    missing = models.PositiveIntegerField(_("missing"), default=0)
    serious_injuries = models.PositiveIntegerField(
        _("serious injuries (incl. acute industrial poisoning)"), default=0
    )
    minor_injuries = models.PositiveIntegerField(_("minor injuries"), default=0)
    trapped = models.PositiveIntegerField(_("trapped"), default=0)
    direct_loss_yuan = models.DecimalField(
        _("estimated direct economic loss (yuan)"), max_digits=14, decimal_places=2, default=0
    )
    description = models.TextField(_("what happened"), max_length=2000)
    measures_taken = models.TextField(_("measures taken"), max_length=2000, blank=True)
    reporter_name = models.CharField(_("reporter"), max_length=50)
    reporter_phone = models.CharField(_("reporter phone"), max_length=30)
    grade = models.CharField(_("grade"), max_length=20, choices=Grade.choices)
    state = models.CharField(
        _("status"), max_length=12, choices=IncidentState.choices, default=IncidentState.REPORTING
    )
    # How the government first learned of it, and when the unit did (concealment aid).
    known_source = models.CharField(
        _("first known from"), max_length=12, choices=Source.choices, default=Source.UNIT
    )
    known_at = models.DateTimeField(_("government first knew at"))
    unit_learned_at = models.DateTimeField(_("unit learned at"), null=True, blank=True)
    unit_reported_at = models.DateTimeField(_("unit reported at"), null=True, blank=True)
    final_at = models.DateTimeField(_("final report at"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-occurred_at", "-pk"]
        indexes = [
            models.Index(fields=["-occurred_at", "-id"], name="incident_occurred_desc"),
            models.Index(fields=["region", "occurred_at"], name="incident_region_time"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("incidents:detail", args=[self.pk])

    @property
    def kind_rule(self) -> rules.KindRule:
        return kind_rules()[self.kind]

    def compute_grade(self) -> Grade:
        """The art. 3 grade of a 生产安全事故; other kinds are not graded on that scale."""
        if not self.kind_rule.graded:
            return Grade.UNGRADED
        return rules.grade_accident(
            self.deaths, self.serious_injuries, self.direct_loss_yuan, missing=self.missing
        )

    def chain_grade(self) -> str:
        """The grade the chain follows. An incident stored as ``ungraded`` whose kind was since
        moved into ANLAN_INCIDENT_ACCIDENT_KINDS is graded by art. 3 (its next report records
        that grade: chain.grade_if_ungraded)."""
        if self.grade == Grade.UNGRADED and self.kind_rule.graded:
            return self.compute_grade()
        return self.grade

    def required_steps(self) -> dict[str, str]:
        """{from level: to level} of the chain this incident's kind and grade require."""
        rule = self.kind_rule
        return dict(rules.steps_for(self.chain_grade(), None if rule.graded else rule.top))

    def limit(self, hop: str, channel: str = rules.Channel.PHONE) -> timezone.timedelta:
        """The time limit of one hop of the chain (phone: the first report; written)."""
        minutes = rules.hop_limit(self.kind_rule, self.chain_grade(), hop, channel, limit_table())
        return timezone.timedelta(minutes=minutes)

    def unit_due_at(self):
        """The unit must report within the limit of learning of it (art. 9); before it says
        when it learned, the accident's own time stands in."""
        return (self.unit_learned_at or self.occurred_at) + self.limit(rules.Level.UNIT)

    def supplement_window_open(self, now) -> bool:
        """Casualty changes are 补报 within the days of art. 13, counted in local dates."""
        return rules.in_supplementary_window(
            self.kind,
            self.occurred_at,
            now,
            tz=timezone.get_current_timezone(),
            road_and_fire_days=settings.ANLAN_INCIDENT_SUPPLEMENT_DAYS_ROAD_FIRE,
            other_days=settings.ANLAN_INCIDENT_SUPPLEMENT_DAYS,
        )

    def concealment(self, now=None) -> str:
        """'' / 'late' (迟报) / 'suspected' (瞒报嫌疑) for an incident first known elsewhere."""
        if self.known_source == Source.UNIT or not self.enterprise_id:
            return ""
        return rules.concealment(
            self.known_at, self.unit_due_at(), self.unit_reported_at, now or timezone.now()
        )

    def facts(self) -> dict:
        return {name: getattr(self, name) for name in FACT_FIELDS}


FACT_FIELDS = (
    "deaths",
    "missing",
    "serious_injuries",
    "minor_injuries",
    "trapped",
    "direct_loss_yuan",
    "description",
    "measures_taken",
)
CASUALTY_FIELDS = ("deaths", "missing", "serious_injuries", "minor_injuries", "trapped")


class ReportKind(models.TextChoices):
    FIRST = "first", _("first report")
    FOLLOW_UP = "follow_up", _("follow-up report")
    SUPPLEMENT = "supplement", _("supplementary report")
    FINAL = "final", _("final report")
    # A casualty change after the window of art. 13 (a missing person found, figures fixed by
    # the investigation): recorded, not refused (DOMAIN.md §1).
    CORRECTION = "correction", _("correction")


class ReportChannel(models.TextChoices):
    """How a report went up: a written report (书面报告; every report made in the platform)
    satisfies both limits of its step, a phone report (电话快报) only the phone one."""

    WRITTEN = rules.Channel.WRITTEN.value, _("in writing")
    PHONE = rules.Channel.PHONE.value, _("by phone")


class IncidentReport(models.Model):
    """One report up the chain, as sent (immutable)."""

    scope_fields = THROUGH_INCIDENT
    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="reports")
    kind = models.CharField(_("report"), max_length=12, choices=ReportKind.choices)
    channel = models.CharField(
        _("channel"), max_length=10, choices=ReportChannel.choices, default=ReportChannel.WRITTEN
    )
    from_level = models.CharField(_("from"), max_length=10)
    to_level = models.CharField(_("to"), max_length=10)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    grade = models.CharField(_("grade"), max_length=20, choices=Grade.choices)
    deaths = models.PositiveIntegerField(default=0)
    missing = models.PositiveIntegerField(default=0)
    serious_injuries = models.PositiveIntegerField(default=0)
    minor_injuries = models.PositiveIntegerField(default=0)
    trapped = models.PositiveIntegerField(default=0)
    direct_loss_yuan = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    description = models.TextField(max_length=2000)
    measures_taken = models.TextField(max_length=2000, blank=True)
    note = models.TextField(_("note"), max_length=2000, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("incident report")
        verbose_name_plural = _("incident reports")
        ordering = ["submitted_at", "pk"]

    def __str__(self) -> str:
        return f"{self.incident_id} {self.kind} {self.from_level}→{self.to_level}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            from django.core.exceptions import ValidationError

            raise ValidationError(_("Reports are immutable."))
        super().save(*args, **kwargs)


class ReportStep(models.Model):
    """One step of the chain the grade requires, with its two deadlines: the first (phone)
    report by ``due_at``, the written report by ``written_due_at``. A written report fulfils
    both (``reported_at`` and ``written_reported_at``); a phone report only the first."""

    scope_fields = THROUGH_INCIDENT
    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="steps")
    from_level = models.CharField(max_length=10)
    to_level = models.CharField(max_length=10)
    due_at = models.DateTimeField(_("due at"))
    # The written report's limit (the phone report's is due_at); equal under 493号令.
    written_due_at = models.DateTimeField(_("written report due at"), null=True, blank=True)
    reported_at = models.DateTimeField(_("reported at"), null=True, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    written_reported_at = models.DateTimeField(_("written report at"), null=True, blank=True)
    written_reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["incident_id", "due_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["incident", "from_level"], name="one_step_per_level")
        ]
        indexes = [
            models.Index(
                fields=["due_at"],
                condition=models.Q(reported_at__isnull=True),
                name="step_open_due",
            )
        ]

    def __str__(self) -> str:
        return f"{self.incident_id} {self.from_level}→{self.to_level} by {self.due_at}"

    def status(self, now=None) -> rules.Status:
        """The first (phone) report's timeliness."""
        return rules.status(self.due_at, self.reported_at, now or timezone.now())

    @property
    def written_due(self):
        return self.written_due_at or self.due_at

    def written_status(self, now=None) -> rules.Status:
        """The written report's timeliness."""
        return rules.status(self.written_due, self.written_reported_at, now or timezone.now())

    @property
    def written_apart(self) -> bool:
        """Whether the written report needs its own line: its limit differs from the phone
        report's, or only the phone report is in."""
        return self.written_due != self.due_at or self.written_reported_at != self.reported_at

    @property
    def label(self) -> str:
        return f"{rules.LEVEL_LABELS[self.from_level]} → {rules.LEVEL_LABELS[self.to_level]}"


def late_q(now) -> models.Q:
    """Incidents with a step late by phone or in writing (filter, then distinct())."""
    return models.Q(steps__reported_at__isnull=True, steps__due_at__lt=now) | models.Q(
        steps__written_reported_at__isnull=True, steps__written_due_at__lt=now
    )


def due_q(now, level: str | None = None) -> models.Q:
    """Incidents with a step still to report, by phone or in writing, within its limit; with
    ``level``, only a step reported from that level (filter, then distinct())."""
    due = models.Q(steps__reported_at__isnull=True, steps__due_at__gte=now) | models.Q(
        steps__written_reported_at__isnull=True, steps__written_due_at__gte=now
    )
    return due & models.Q(steps__from_level=level) if level else due


class IncidentEvent(Event):
    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="events")

    class Meta(Event.Meta):
        verbose_name = _("incident event")
        verbose_name_plural = _("incident events")
