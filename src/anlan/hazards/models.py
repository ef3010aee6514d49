from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from anlan.core.models import (
    Attachment,
    Event,
    LocatedByTown,
    Numbered,
    TimeStamped,
    located_scope,
)
from anlan.core.scoping import Scoped, ScopedQuerySet, ScopeFields
from anlan.hazards import rules


class HazardState(models.TextChoices):
    REPORTED = "reported", _("reported")
    CONFIRMED = "confirmed", _("confirmed")
    REJECTED = "rejected", _("not a hazard")
    RECTIFYING = "rectifying", _("rectifying")
    SUBMITTED = "submitted", _("awaiting acceptance")
    ACCEPTED = "accepted", _("accepted")
    CLOSED = "closed", _("closed")


OPEN_STATES = [
    HazardState.REPORTED,
    HazardState.CONFIRMED,
    HazardState.RECTIFYING,
    HazardState.SUBMITTED,
    HazardState.ACCEPTED,
]
# States in which the rectification deadline runs: from the order (责令限期整改, given when
# the hazard is confirmed) until the rectification is submitted.
DEADLINE_STATES = [HazardState.CONFIRMED, HazardState.RECTIFYING]


class HazardLevel(models.TextChoices):
    GENERAL = "general", _("general hazard")
    MAJOR = "major", _("major hazard")


class HazardSource(models.TextChoices):
    ENTERPRISE_SELF = "enterprise_self", _("enterprise self-check")
    GRID_PATROL = "grid_patrol", _("grid patrol")
    TOWN_PATROL = "town_patrol", _("town patrol")
    COUNTY_CHECK = "county_check", _("county investigation")
    CITY_SUPERVISION = "city_supervision", _("city supervision")
    ENFORCEMENT = "enforcement", _("enforcement inspection")
    TIP_OFF = "tip_off", _("tip-off")
    MONITORING = "monitoring", _("monitoring alarm")


class SiteKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("enterprise")
    ROAD = "road", _("road section")
    BRIDGE = "bridge", _("bridge or culvert")
    HOUSE = "house", _("self-built house")
    SLOPE = "slope", _("slope")
    PUBLIC_PLACE = "public_place", _("public place")
    OTHER = "other", _("other site")


class HazardCategory(models.Model):
    """The configurable hazard taxonomy (隐患类别); data in migration 0002, editable in admin."""

    code = models.SlugField(_("code"), max_length=40, primary_key=True)
    name = models.CharField(_("name"), max_length=50, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=100)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("hazard category")
        verbose_name_plural = _("hazard categories")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class MajorHazardCriterion(models.Model):
    """One criterion for judging a major hazard in an industry (重大事故隐患判定标准), shown
    to users when they grade a hazard. Loaded per supervision category as data."""

    category = models.ForeignKey(
        "registry.SupervisionCategory",
        verbose_name=_("supervision category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("Empty: applies to every category."),
    )
    text = models.TextField(_("criterion"), max_length=1000)
    source = models.CharField(_("source"), max_length=200)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=100)

    class Meta:
        verbose_name = _("major hazard criterion")
        verbose_name_plural = _("major hazard criteria")
        ordering = ["sort_order", "pk"]

    def __str__(self) -> str:
        return self.text[:40]


def deadline_status_of(
    state: str, deadline: date | None, today: date
) -> rules.DeadlineStatus | None:
    """On time, due soon or overdue while the deadline runs (confirmed, rectifying); None
    otherwise."""
    if state not in DEADLINE_STATES:
        return None
    return rules.deadline_status(deadline, today, settings.ANLAN_HAZARD_DUE_SOON_DAYS)


class HazardQuerySet(ScopedQuerySet):
    def open(self):
        return self.filter(state__in=OPEN_STATES)

    def overdue(self, today=None):
        today = today or timezone.localdate()
        return self.filter(state__in=DEADLINE_STATES, deadline__lt=today)


class Hazard(Scoped, TimeStamped, LocatedByTown, Numbered):
    """A hidden hazard (事故隐患) and its rectification plan (五到位 / 治理方案).

    Where it is (region, location) is kept apart from who supervises it (supervision
    category): a hazard on a road section has no enterprise but the transport department
    still supervises it.
    """

    scope_fields = located_scope(
        category="supervision_category__code", enterprise="enterprise_id", by_town=True
    )
    # YH2026-0001: numbered in the local year the hazard was found (core.models.Numbered).
    number_prefix = "YH"
    number_date_field = "found_at"

    # What and where
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name=_("enterprise"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hazards",
    )
    site_kind = models.CharField(
        _("site"), max_length=20, choices=SiteKind.choices, default=SiteKind.ENTERPRISE
    )
    site_name = models.CharField(_("site name"), max_length=200, blank=True)
    # region, town, location, longitude, latitude: LocatedByTown
    supervision_category = models.ForeignKey(
        "registry.SupervisionCategory",
        verbose_name=_("supervision category"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Finding
    source = models.CharField(_("source"), max_length=20, choices=HazardSource.choices)
    found_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("found by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    found_at = models.DateTimeField(_("found at"), default=timezone.now)
    description = models.TextField(_("description"), max_length=2000)
    category = models.ForeignKey(
        HazardCategory, verbose_name=_("hazard category"), on_delete=models.PROTECT
    )
    level = models.CharField(_("hazard level"), max_length=10, choices=HazardLevel.choices)
    legal_basis = models.TextField(_("legal basis or standard clause"), max_length=1000, blank=True)
    suggested_measures = models.TextField(_("suggested measures"), max_length=2000, blank=True)
    # Workflow
    state = models.CharField(
        _("status"), max_length=20, choices=HazardState.choices, default=HazardState.REPORTED
    )
    supervising_unit = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("supervising unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The government unit that confirmed the hazard; it approves extensions."),
    )
    notice_number = models.CharField(_("rectification notice number"), max_length=80, blank=True)
    referred_at = models.DateTimeField(
        _("referred to the county at"),
        null=True,
        blank=True,
        help_text=_("A town referred the hazard up (a major one): the county confirms it."),
    )
    confirmed_at = models.DateTimeField(
        _("confirmed at"),
        null=True,
        blank=True,
        help_text=_("When the rectification was ordered: the notice's date."),
    )
    # Rectification plan: 五到位 for all, 治理方案 (16号令 art. 15) for major hazards
    responsible_person = models.CharField(_("responsible person"), max_length=50, blank=True)
    responsible_phone = models.CharField(_("responsible person phone"), max_length=30, blank=True)
    measures = models.TextField(_("rectification measures"), max_length=2000, blank=True)
    funds = models.DecimalField(
        _("funds (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    deadline = models.DateField(_("rectification deadline"), null=True, blank=True, db_index=True)
    original_deadline = models.DateField(_("original deadline"), null=True, blank=True)
    extensions_used = models.PositiveSmallIntegerField(_("extensions granted"), default=0)
    plan_goal = models.TextField(_("goal and tasks"), max_length=2000, blank=True)
    plan_resources = models.TextField(_("funds and materials"), max_length=2000, blank=True)
    plan_organisation = models.TextField(_("organisation and people"), max_length=2000, blank=True)
    plan_requirements = models.TextField(
        _("time limits and requirements"), max_length=2000, blank=True
    )
    plan_safety_measures = models.TextField(
        _("safety measures and emergency plan"), max_length=2000, blank=True
    )
    rectification_note = models.TextField(_("rectification result"), max_length=2000, blank=True)
    assessment = models.TextField(
        _("assessment after treatment"),
        max_length=2000,
        blank=True,
        help_text=_(
            "Major hazards: who assessed the treatment (experts or a qualified body) "
            "and their conclusion."
        ),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    objects = HazardQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at", "town"])

    class Meta:
        verbose_name = _("hazard")
        verbose_name_plural = _("hazards")
        ordering = ["-found_at", "-pk"]
        indexes = [
            # The ledger's order: a first page is read off this index, filters applied on the way.
            models.Index(fields=["-found_at", "-id"], name="hazard_found_desc"),
            # The same order for the two views officials filter by most: open hazards, and
            # major hazards (a few per cent of rows, otherwise scanned past by the thousand).
            models.Index(
                fields=["-found_at", "-id"],
                condition=models.Q(state__in=OPEN_STATES),
                name="hazard_open_found_desc",
            ),
            models.Index(
                fields=["-found_at", "-id"],
                condition=models.Q(level=HazardLevel.MAJOR),
                name="hazard_major_found_desc",
            ),
            # The same three orders within a town: town users, and a county user's town filter.
            models.Index(fields=["town", "-found_at", "-id"], name="hazard_town_found_desc"),
            models.Index(
                fields=["town", "-found_at", "-id"],
                condition=models.Q(state__in=OPEN_STATES),
                name="hazard_town_open_found_desc",
            ),
            models.Index(
                fields=["town", "-found_at", "-id"],
                condition=models.Q(level=HazardLevel.MAJOR),
                name="hazard_town_major_found_desc",
            ),
            # Overdue counts read only running rectifications (from the index alone, the
            # town included for a town user's scope).
            models.Index(
                fields=["deadline", "region", "supervision_category", "town"],
                condition=models.Q(state__in=DEADLINE_STATES),
                name="hazard_running_deadline",
            ),
            models.Index(fields=["state", "deadline"], name="hazard_state_deadline"),
            models.Index(fields=["supervision_category", "region"], name="hazard_category_region"),
            models.Index(fields=["enterprise", "state"], name="hazard_enterprise_state"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.subject_name}"

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._tally_key = instance.tally_key()
        return instance

    def tally_key(self) -> tuple | None:
        values = (self.region_id, self.supervision_category_id, self.level, self.state)
        return None if None in values else values

    def save(self, *args, **kwargs):
        """Saving keeps HazardTally in step, in the same transaction (see HazardTally)."""
        from django.db import transaction

        with transaction.atomic():
            super().save(*args, **kwargs)
            old, new = getattr(self, "_tally_key", None), self.tally_key()
            if old != new:
                HazardTally.move(old, new)
                self._tally_key = new

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("hazards:detail", args=[self.pk])

    @property
    def subject_name(self) -> str:
        if self.enterprise_id:
            return self.enterprise.name
        return self.site_name or self.get_site_kind_display()

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def review_due(self) -> date | None:
        """The day by which a treated major hazard's acceptance is reviewed on site: the
        request's local date plus ANLAN_HAZARD_MAJOR_REVIEW_DAYS (16号令 art. 16)."""
        if self.level != HazardLevel.MAJOR or self.submitted_at is None:
            return None
        return rules.review_due(
            timezone.localdate(self.submitted_at), settings.ANLAN_HAZARD_MAJOR_REVIEW_DAYS
        )

    def deadline_status(self, today=None):
        return deadline_status_of(self.state, self.deadline, today or timezone.localdate())


class HazardTally(models.Model):
    """How many hazards there are per village, supervision category, level and state.

    A read model for counts and statistics: summing a few thousand tally rows answers what a
    GROUP BY over a million hazards would (bench/RESULTS.md). ``Hazard.save()`` moves a
    hazard between tallies in the same transaction; bulk writes (the demo, the benchmark
    generator) call :meth:`rebuild` afterwards. A consistency test compares it with a live
    count. The same scope fields apply, so counts are scoped exactly like the ledger.
    """

    scope_fields = ScopeFields(
        region="region__code", category="supervision_category__code", enterprise=None
    )

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    supervision_category = models.ForeignKey(
        "registry.SupervisionCategory", on_delete=models.PROTECT, related_name="+"
    )
    level = models.CharField(max_length=10, choices=HazardLevel.choices)
    state = models.CharField(max_length=20, choices=HazardState.choices)
    n = models.IntegerField(default=0)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["region", "supervision_category", "level", "state"], name="hazard_tally_key"
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.region_id} {self.supervision_category_id} {self.level} {self.state}: {self.n}"
        )

    @classmethod
    def move(cls, old: tuple | None, new: tuple | None) -> None:
        names = ("region_id", "supervision_category_id", "level", "state")
        if old is not None:
            cls.objects.filter(**dict(zip(names, old, strict=True))).update(n=models.F("n") - 1)
        if new is not None:
            key = dict(zip(names, new, strict=True))
            if not cls.objects.filter(**key).update(n=models.F("n") + 1):
                from django.db import IntegrityError, transaction

                try:
                    with transaction.atomic():
                        cls.objects.create(**key, n=1)
                except IntegrityError:  # created concurrently
                    cls.objects.filter(**key).update(n=models.F("n") + 1)

    @classmethod
    def rebuild(cls) -> int:
        """Recount from the hazards table (after bulk writes)."""
        from django.db import transaction
        from django.db.models import Count

        with transaction.atomic():
            cls.objects.all().delete()
            rows = (
                Hazard.objects.order_by()
                .values("region_id", "supervision_category_id", "level", "state")
                .annotate(count=Count("pk"))
            )
            cls.objects.bulk_create(
                [
                    cls(
                        region_id=r["region_id"],
                        supervision_category_id=r["supervision_category_id"],
                        level=r["level"],
                        state=r["state"],
                        n=r["count"],
                    )
                    for r in rows
                ],
                batch_size=2000,
            )
        return cls.objects.count()


class HazardEvent(Event):
    hazard = models.ForeignKey(Hazard, on_delete=models.PROTECT, related_name="events")

    class Meta(Event.Meta):
        verbose_name = _("hazard event")
        verbose_name_plural = _("hazard events")


class PhotoKind(models.TextChoices):
    BEFORE = "before", _("before rectification")
    AFTER = "after", _("after rectification")


class HazardPhoto(Attachment):
    upload_folder = "hazards"

    hazard = models.ForeignKey(Hazard, on_delete=models.PROTECT, related_name="photos")
    event = models.ForeignKey(
        HazardEvent, null=True, blank=True, on_delete=models.PROTECT, related_name="photos"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=PhotoKind.choices)
    # image, thumbnail, uploaded_by, created_at: Attachment

    class Meta:
        verbose_name = _("hazard photo")
        verbose_name_plural = _("hazard photos")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.hazard_id} {self.kind}"


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    APPROVED = "approved", _("approved")
    REFUSED = "refused", _("refused")


class ExtensionRequest(models.Model):
    hazard = models.ForeignKey(Hazard, on_delete=models.PROTECT, related_name="extensions")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(_("reason"), max_length=1000)
    current_deadline = models.DateField(_("current deadline"))
    new_deadline = models.DateField(_("requested deadline"))
    status = models.CharField(
        max_length=10, choices=ExtensionStatus.choices, default=ExtensionStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_comment = models.TextField(max_length=1000, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["hazard"],
                condition=models.Q(status="pending"),
                name="one_pending_extension",
            )
        ]

    def __str__(self) -> str:
        return f"{self.hazard_id} → {self.new_deadline}"


class Listing(models.Model):
    """挂牌督办 of a major hazard by a city or county authority (安全生产法 art. 41)."""

    hazard = models.OneToOneField(Hazard, on_delete=models.PROTECT, related_name="listing")
    authority = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("listing authority"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    document_number = models.CharField(_("document number"), max_length=60)
    responsible_leaders = models.CharField(_("responsible leaders"), max_length=200)
    deadline = models.DateField(_("supervision deadline"))
    public_exposure = models.BooleanField(_("publicly exposed"), default=False)
    listed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    listed_at = models.DateTimeField(default=timezone.now)
    delisted_at = models.DateTimeField(null=True, blank=True)
    delisted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("listed supervision")
        verbose_name_plural = _("listed supervisions")

    def __str__(self) -> str:
        return self.document_number

    @property
    def is_active(self) -> bool:
        return self.delisted_at is None
