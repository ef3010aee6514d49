"""The dual-prevention chain (双重预防机制) of one enterprise:

风险分析对象 (RiskObject) → 风险单元 (RiskUnit) → 风险事件 (RiskEvent, graded by Assessment)
→ 管控措施 (ControlMeasure) → 排查任务 (InvestigationTask, checked item by item in CheckResult)
→ 隐患 (hazards.Hazard, opened by a failed item).

Every row carries its enterprise, so scoping is the enterprise's (region, category, itself)
and counts per enterprise need no deep joins.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from anlan.core.models import Archivable, Event, TimeStamped
from anlan.core.scoping import Scoped, ScopedQuerySet, ScopeFields
from anlan.risks.rules import (
    ACCIDENT_TYPES,
    COLOURS,
    CONTROL_LEVELS,
    INTERVAL_HOURS,
    LEVEL_RANK,
    FactorKind,
    Frequency,
    RiskLevel,
    frequency_label,
    plain,
)

ENTERPRISE_SCOPE = ScopeFields(
    region="enterprise__region__code",
    category="enterprise__category__code",
    enterprise="enterprise_id",
)


class RiskQuerySet(ScopedQuerySet):
    def active(self):
        return self.filter(archived_at__isnull=True)


class ObjectKind(models.TextChoices):
    SITE = "site", _("site or area")
    DEVICE = "device", _("device or facility")
    OPERATION = "operation", _("operation")


class RiskObject(Scoped, TimeStamped, Archivable):
    """风险分析对象: a site, a device or an operation the enterprise analyses."""

    scope_fields = ENTERPRISE_SCOPE
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="risk_objects",
    )
    kind = models.CharField(_("object type"), max_length=12, choices=ObjectKind.choices)
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), max_length=1000, blank=True)

    objects = RiskQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("risk analysis object")
        verbose_name_plural = _("risk analysis objects")
        ordering = ["enterprise_id", "kind", "name", "pk"]

    def __str__(self) -> str:
        return self.name


class RiskUnit(Scoped, TimeStamped, Archivable):
    """风险单元: a part of an object that is graded and controlled, with its notice card."""

    scope_fields = ENTERPRISE_SCOPE
    enterprise = models.ForeignKey(
        "registry.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT
    )
    risk_object = models.ForeignKey(
        RiskObject,
        verbose_name=_("risk analysis object"),
        on_delete=models.PROTECT,
        related_name="units",
    )
    name = models.CharField(_("name"), max_length=100)
    area = models.CharField(
        _("area"), max_length=100, help_text=_("Where it is, as the four-colour list groups it.")
    )
    emergency_actions = models.TextField(_("emergency actions"), max_length=2000, blank=True)
    emergency_phones = models.CharField(
        _("emergency phone numbers"),
        max_length=200,
        blank=True,
        help_text=_("For example: 企业应急值班 0571-00000000；火警 119；急救 120"),
    )
    # The notice card's QR code opens /r/<public_token>/: unguessable, shows only the card.
    public_token = models.CharField(max_length=32, unique=True, editable=False)

    objects = RiskQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("risk unit")
        verbose_name_plural = _("risk units")
        ordering = ["area", "name", "pk"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if not self.public_token:
            self.public_token = secrets.token_urlsafe(16)
        if self.risk_object_id and not self.enterprise_id:
            self.enterprise_id = self.risk_object.enterprise_id
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("risks:unit", args=[self.pk])

    def public_path(self) -> str:
        return reverse("risk_card_public", args=[self.public_token])


class RiskEvent(Scoped, TimeStamped, Archivable):
    """风险事件: what may go wrong in a unit, why (hazardous factor) and how badly (grade)."""

    scope_fields = ENTERPRISE_SCOPE
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="risk_events",
    )
    unit = models.ForeignKey(
        RiskUnit, verbose_name=_("risk unit"), on_delete=models.PROTECT, related_name="events"
    )
    name = models.CharField(_("risk event"), max_length=200)
    factor_kind = models.CharField(
        _("hazardous factor class"), max_length=12, choices=FactorKind.choices
    )
    factor = models.TextField(_("hazardous factors"), max_length=2000)
    accident_types = models.JSONField(
        _("possible accident types"), default=list, help_text=_("GB 6441 accident types.")
    )
    # Grades, kept from the latest assessments (Assessment rows keep every one).
    inherent_score = models.DecimalField(
        _("inherent risk score"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    inherent_level = models.CharField(
        _("inherent risk"), max_length=10, choices=RiskLevel.choices, blank=True
    )
    residual_score = models.DecimalField(
        _("residual risk score"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    residual_level = models.CharField(
        _("residual risk"), max_length=10, choices=RiskLevel.choices, blank=True
    )
    # The level that governs control: residual once assessed, else inherent.
    level = models.CharField(_("risk level"), max_length=10, choices=RiskLevel.choices, blank=True)
    level_rank = models.PositiveSmallIntegerField(default=0, db_index=True)
    company_person = models.CharField(_("company-level responsible"), max_length=50, blank=True)
    workshop_person = models.CharField(_("workshop-level responsible"), max_length=50, blank=True)
    team_person = models.CharField(_("team-level responsible"), max_length=50, blank=True)
    post_person = models.CharField(_("post-level responsible"), max_length=50, blank=True)

    objects = RiskQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at", "level_rank"])

    class Meta:
        verbose_name = _("risk event")
        verbose_name_plural = _("risk events")
        ordering = ["-level_rank", "pk"]
        indexes = [models.Index(fields=["enterprise", "level_rank"], name="risk_event_ent_rank")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if self.unit_id and not self.enterprise_id:
            self.enterprise_id = self.unit.enterprise_id
        self.level = self.residual_level or self.inherent_level
        self.level_rank = LEVEL_RANK.get(self.level, 0) if self.level else 0
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("risks:event", args=[self.pk])

    @property
    def colour(self) -> str:
        return COLOURS[self.level][0] if self.level else ""

    @property
    def control_levels(self) -> tuple[str, ...]:
        return CONTROL_LEVELS.get(self.level, ())

    def responsible(self) -> list[tuple[str, str]]:
        """(control level, person) for each level that controls this risk."""
        from anlan.risks.rules import ControlLevel

        return [
            (ControlLevel(level).label, getattr(self, f"{level}_person"))
            for level in self.control_levels
        ]

    @staticmethod
    def history_display(name: str, value):
        if name == "accident_types":
            return "、".join(ACCIDENT_TYPES.get(code, code) for code in value)
        return None

    def accident_type_names(self) -> list[str]:
        return [ACCIDENT_TYPES.get(code, code) for code in self.accident_types]


class AssessmentKind(models.TextChoices):
    INHERENT = "inherent", _("inherent risk")
    RESIDUAL = "residual", _("residual risk")


class Method(models.TextChoices):
    LEC = "lec", _("LEC (working condition hazard evaluation)")
    LS = "ls", _("risk matrix (LS)")


class Assessment(models.Model):
    """One grading of a risk event (immutable; the event keeps the latest of each kind)."""

    scope_fields = ENTERPRISE_SCOPE
    enterprise = models.ForeignKey("registry.Enterprise", on_delete=models.PROTECT)
    event = models.ForeignKey(RiskEvent, on_delete=models.PROTECT, related_name="assessments")
    kind = models.CharField(_("assessment of"), max_length=10, choices=AssessmentKind.choices)
    method = models.CharField(_("method"), max_length=5, choices=Method.choices)
    l_value = models.DecimalField("L", max_digits=5, decimal_places=2)
    e_value = models.DecimalField("E", max_digits=5, decimal_places=2, null=True, blank=True)
    c_value = models.DecimalField("C", max_digits=5, decimal_places=2, null=True, blank=True)
    s_value = models.DecimalField("S", max_digits=5, decimal_places=2, null=True, blank=True)
    score = models.DecimalField(_("score"), max_digits=8, decimal_places=2)
    level = models.CharField(_("risk level"), max_length=10, choices=RiskLevel.choices)
    note = models.TextField(_("note"), max_length=1000, blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assessed_at = models.DateTimeField(_("assessed at"), default=timezone.now)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("risk assessment")
        verbose_name_plural = _("risk assessments")
        ordering = ["-assessed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.event_id} {self.kind} {self.level}"

    def factors(self) -> str:
        if self.method == Method.LEC:
            return f"L={plain(self.l_value)} E={plain(self.e_value)} C={plain(self.c_value)}"
        return f"L={plain(self.l_value)} S={plain(self.s_value)}"


class MeasureKind(models.TextChoices):
    ENGINEERING = "engineering", _("engineering")
    MANAGEMENT = "management", _("management")
    TRAINING = "training", _("training and education")
    PROTECTION = "protection", _("personal protection")
    EMERGENCY = "emergency", _("emergency response")


# The hazard category a failed check of each measure kind opens (the town may correct it).
HAZARD_CATEGORY_OF_MEASURE: dict[str, str] = {
    MeasureKind.ENGINEERING: "equipment",
    MeasureKind.MANAGEMENT: "management",
    MeasureKind.TRAINING: "behaviour",
    MeasureKind.PROTECTION: "behaviour",
    MeasureKind.EMERGENCY: "management",
}


class ControlMeasure(Scoped, TimeStamped, Archivable):
    """管控措施 of a risk event, checked by its responsible person at its frequency."""

    scope_fields = ENTERPRISE_SCOPE
    enterprise = models.ForeignKey(
        "registry.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT
    )
    event = models.ForeignKey(
        RiskEvent, verbose_name=_("risk event"), on_delete=models.PROTECT, related_name="measures"
    )
    kind = models.CharField(_("measure type"), max_length=12, choices=MeasureKind.choices)
    description = models.TextField(_("control measure"), max_length=2000)
    check_items = models.TextField(
        _("check items"),
        max_length=2000,
        blank=True,
        help_text=_("One item per line; empty: the measure itself is the one item."),
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("measure owner"),
        on_delete=models.PROTECT,
        related_name="risk_measures",
    )
    frequency = models.CharField(
        _("investigation frequency"), max_length=12, choices=Frequency.choices
    )
    interval_hours = models.PositiveSmallIntegerField(
        _("every how many hours"),
        null=True,
        blank=True,
        help_text=_(
            "Only for every N hours: 1, 2, 3, 4, 6, 8 or 12; the windows start at midnight."
        ),
    )
    # The schedule: tasks start from the first fair window after schedule_from (reset when the
    # frequency changes); scheduled_until is the end of the last window given a task, so the
    # job never rereads the task table to know where it stopped.
    schedule_from = models.DateTimeField(default=timezone.now, editable=False)
    scheduled_until = models.DateTimeField(null=True, blank=True, editable=False)

    objects = RiskQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("control measure")
        verbose_name_plural = _("control measures")
        ordering = ["event_id", "kind", "pk"]

    def __str__(self) -> str:
        return self.description[:60]

    def save(self, *args, **kwargs):
        if self.event_id and not self.enterprise_id:
            self.enterprise_id = self.event.enterprise_id
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.frequency != Frequency.HOURS:
            self.interval_hours = None
        elif self.interval_hours not in INTERVAL_HOURS:
            raise ValidationError(
                {
                    "interval_hours": _(
                        "Every N hours needs N among 1, 2, 3, 4, 6, 8 and 12 "
                        "(it divides the day, so the windows start at midnight)."
                    )
                }
            )

    @property
    def frequency_label(self) -> str:
        return frequency_label(self.frequency, self.interval_hours)

    def items(self) -> list[str]:
        lines = [line.strip() for line in self.check_items.splitlines() if line.strip()]
        return lines or [self.description.strip()]


class TaskState(models.TextChoices):
    OPEN = "open", _("to do")
    DONE = "done", _("done")
    MISSED = "missed", _("missed")
    CANCELLED = "cancelled", _("cancelled (measure changed or archived)")


class InvestigationTask(Scoped, models.Model):
    """排查任务: one check of one measure in one window of its frequency (every N hours, shift,
    half day, day, week, month, quarter, half-year or year)."""

    scope_fields = ENTERPRISE_SCOPE
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="risk_tasks",
    )
    measure = models.ForeignKey(
        ControlMeasure,
        verbose_name=_("control measure"),
        on_delete=models.PROTECT,
        related_name="tasks",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        on_delete=models.PROTECT,
        related_name="risk_tasks",
    )
    frequency = models.CharField(_("frequency"), max_length=12, choices=Frequency.choices)
    interval_hours = models.PositiveSmallIntegerField(
        _("every how many hours"), null=True, blank=True, editable=False
    )
    window_start = models.DateTimeField(_("from"))
    window_end = models.DateTimeField(_("until"))
    state = models.CharField(
        _("status"), max_length=10, choices=TaskState.choices, default=TaskState.OPEN
    )
    passed = models.BooleanField(_("all items passed"), null=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("done by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("investigation task")
        verbose_name_plural = _("investigation tasks")
        ordering = ["window_end", "pk"]
        # One live task per window (a schedule changed back and forth gets a new task beside
        # the cancelled one); the job relies on it to be idempotent. A window is its start and
        # its end: a new schedule's first window may start where a finished (done or missed)
        # task of the old one started (hourly 12–13 missed, then every 12 hours: 12–24) and
        # still needs its own task. So an insert the job drops on conflict is always a window
        # that already has its live task, never one left without.
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "frequency", "window_start", "window_end"],
                condition=~models.Q(state="cancelled"),
                name="one_live_task_per_window",
            )
        ]
        indexes = [
            models.Index(fields=["state", "window_end"], name="risk_task_state_end"),
            models.Index(fields=["enterprise", "window_end"], name="risk_task_ent_end"),
        ]

    def __str__(self) -> str:
        return f"{self.measure_id} {timezone.localtime(self.window_start):%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("risks:task", args=[self.pk])

    @property
    def frequency_label(self) -> str:
        return frequency_label(self.frequency, self.interval_hours)


class TaskEvent(Event):
    """A task's timeline: checked, missed, cancelled (core.workflow writes these rows)."""

    task = models.ForeignKey(InvestigationTask, on_delete=models.PROTECT, related_name="events")

    class Meta(Event.Meta):
        verbose_name = _("investigation task event")
        verbose_name_plural = _("investigation task events")


class CheckResult(models.Model):
    """One item of a done task; a failed item opens a hazard in the hazard loop."""

    task = models.ForeignKey(InvestigationTask, on_delete=models.PROTECT, related_name="results")
    position = models.PositiveSmallIntegerField()
    item = models.TextField(_("check item"), max_length=2000)
    ok = models.BooleanField(_("passed"))
    note = models.TextField(_("finding"), max_length=1000, blank=True)
    hazard = models.ForeignKey(
        "hazards.Hazard",
        verbose_name=_("hazard"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="risk_checks",
    )

    class Meta:
        verbose_name = _("check result")
        verbose_name_plural = _("check results")
        ordering = ["task_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["task", "position"], name="one_result_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.task_id}.{self.position} {'✓' if self.ok else '✗'}"
