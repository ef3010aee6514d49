from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from anlan.core.models import Archivable, Located, TimeStamped
from anlan.core.scoping import Scoped, ScopedQuerySet, ScopeFields
from anlan.registry.enums import IndustrySection, Scale


class SupervisionCategory(models.Model):
    """A supervision category (危险化学品, 建筑施工, ...): which department supervises an
    enterprise follows from it. Loaded as data (migration 0002) and editable in admin."""

    code = models.SlugField(_("code"), max_length=40, primary_key=True)
    name = models.CharField(_("name"), max_length=50, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=100)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("supervision category")
        verbose_name_plural = _("supervision categories")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


def categories_in_scope(scope) -> models.QuerySet[SupervisionCategory]:
    """The supervision categories a user may place a record in: a department's own, every one
    for other government users, none for a user without a jurisdiction."""
    if scope.is_empty:
        return SupervisionCategory.objects.none()
    if scope.categories is not None:
        return SupervisionCategory.objects.filter(code__in=scope.categories)
    return SupervisionCategory.objects.all()


class EnterpriseQuerySet(ScopedQuerySet):
    def active(self):
        return self.filter(archived_at__isnull=True)

    def search(self, text: str):
        text = (text or "").strip()
        if not text:
            return self
        return self.filter(
            models.Q(name__icontains=text)
            | models.Q(uscc__iexact=text)
            | models.Q(address__icontains=text)
            | models.Q(safety_manager__icontains=text)
        )


class Enterprise(Scoped, TimeStamped, Archivable, Located):
    """A production and business unit (生产经营单位)."""

    scope_fields = ScopeFields(region="region__code", category="category__code", enterprise="pk")

    uscc = models.CharField(_("unified social credit code"), max_length=18)
    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=300)
    location = None  # the address says where it is
    # longitude, latitude: Located; the region has its own label and reverse name
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("town or village"),
        on_delete=models.PROTECT,
        related_name="enterprises",
    )
    industry = models.CharField(
        _("industry (GB/T 4754 section)"), max_length=1, choices=IndustrySection.choices
    )
    category = models.ForeignKey(
        SupervisionCategory,
        verbose_name=_("supervision category"),
        on_delete=models.PROTECT,
        related_name="enterprises",
    )
    scale = models.CharField(_("scale"), max_length=10, choices=Scale.choices)
    employees = models.PositiveIntegerField(_("employees"))
    is_key = models.BooleanField(_("key supervision"), default=False)
    legal_representative = models.CharField(_("legal representative"), max_length=50)
    legal_representative_phone = models.CharField(
        _("legal representative phone"), max_length=30, blank=True
    )
    safety_manager = models.CharField(_("safety manager"), max_length=50)
    safety_manager_phone = models.CharField(_("safety manager phone"), max_length=30)

    objects = EnterpriseQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["uscc"],
                condition=models.Q(archived_at__isnull=True),
                name="enterprise_unique_active_uscc",
            )
        ]
        indexes = [
            models.Index(fields=["category", "region"], name="enterprise_category_region"),
            models.Index(fields=["uscc"], name="enterprise_uscc"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("registry:detail", args=[self.pk])
