from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from anlan.regions.rules import CODE_LENGTHS, ORDER, Level


class LevelChoices(models.TextChoices):
    PROVINCE = Level.PROVINCE.value, _("province")
    CITY = Level.CITY.value, _("city")
    COUNTY = Level.COUNTY.value, _("county")
    TOWN = Level.TOWN.value, _("town / street")
    VILLAGE = Level.VILLAGE.value, _("village / community")
    GRID = Level.GRID.value, _("grid")


class RegionQuerySet(models.QuerySet):
    def subtree(self, code: str):
        """The division and everything under it: an indexed prefix match on the key."""
        return self.filter(code__startswith=code)


class Region(models.Model):
    """An administrative division or grid. The code is the key, so a foreign key to a
    region stores the code itself and "in this subtree" is a prefix match on the
    referencing table, with no join."""

    code = models.CharField(_("division code"), max_length=15, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=10, choices=LevelChoices.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # The division's outline as a GeoJSON geometry (Polygon or MultiPolygon, WGS 84 / CGCS2000
    # degrees), drawn on the maps; set by `anlan load_boundaries` (regions/boundaries.py).
    boundary = models.JSONField(_("boundary"), null=True, blank=True)

    objects = RegionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def path(self) -> list["Region"]:
        """Ancestors from the top down, this region last (one query)."""
        prefixes = [
            self.code[: CODE_LENGTHS[level]]
            for level in ORDER
            if CODE_LENGTHS[level] <= len(self.code)
        ]
        return list(Region.objects.filter(code__in=prefixes).order_by("code"))

    def full_name(self, below: str = "") -> str:
        """Names from the county (or this region, if above) down, e.g. 清河县青石镇东村."""
        names = [r.name for r in self.path() if len(r.code) >= 6 or r.code == self.code]
        return "".join(names) + below


def towns_in_scope(scope) -> list[Region]:
    """The towns a user may filter by: those in (or around) their jurisdiction; none for an
    enterprise user, who sees one enterprise."""
    if scope.is_enterprise or scope.is_empty:
        return []
    towns = Region.objects.filter(level=LevelChoices.TOWN)
    if not scope.everything:
        towns = towns.filter(code__startswith=scope.region_code[:9])
    return list(towns.order_by("code"))


def places_in_scope(scope) -> models.QuerySet[Region]:
    """The towns and villages a user may place a record in (the region field of a form): their
    own jurisdiction only, and none for a user without one (deny by default)."""
    places = Region.objects.filter(level__in=[LevelChoices.TOWN, LevelChoices.VILLAGE])
    if scope.is_empty:
        return places.none()
    if not scope.everything and scope.region_code:
        places = places.filter(code__startswith=scope.region_code)
    return places.order_by("code")


def towns_drawn_for(scope) -> models.QuerySet[Region]:
    """The towns whose outlines a user's maps draw: every town of their jurisdiction (a county
    official's all, a town official's own), the town of a grid worker's village, the town of
    an enterprise user's enterprise; none for a user without a scope (deny by default)."""
    towns = Region.objects.filter(level=LevelChoices.TOWN, boundary__isnull=False)
    if scope.everything:
        return towns
    if scope.is_enterprise:
        home = Region.objects.filter(enterprises=scope.enterprise_id).values_list("code", flat=True)
        code = home.first()
    else:
        code = scope.region_code
    if not code:
        return towns.none()
    town_length = CODE_LENGTHS[Level.TOWN]
    if len(code) >= town_length:
        return towns.filter(code=code[:town_length])
    return towns.filter(code__startswith=code)
