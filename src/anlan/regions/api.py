from ninja import Router, Schema

from anlan.core.routes import Map, Public, exposes
from anlan.core.scoping import scope_of
from anlan.regions.models import LevelChoices, Region, towns_drawn_for

router = Router(tags=["regions"])


class RegionOut(Schema):
    code: str
    name: str
    level: str
    parent_id: str | None


@exposes(Public("division codes (reference data)"))
@router.get("/", response=list[RegionOut], summary="Administrative divisions (reference data)")
def list_regions(request, parent: str | None = None, level: str | None = None, prefix: str = ""):
    """Division codes are public reference data; enterprises and records are scoped."""
    queryset = Region.objects.all()
    if parent:
        queryset = queryset.filter(parent_id=parent)
    if level:
        queryset = queryset.filter(level=level)
    if prefix:
        queryset = queryset.subtree(prefix)
    return list(queryset.order_by("code")[:2000])


@exposes(
    Map(Region, where={"level": LevelChoices.TOWN, "boundary__isnull": False}, points="features")
)
@router.get("/boundaries", summary="Outlines of the towns in the caller's jurisdiction (GeoJSON)")
def town_boundaries(request):
    """A GeoJSON FeatureCollection, one feature per town the maps draw for the caller (a town
    official: their town; the county: every town), with its division code and name."""
    towns = towns_drawn_for(scope_of(request.auth)).order_by("code")
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": town.code,
                "properties": {"code": town.code, "name": town.name},
                "geometry": town.boundary,
            }
            for town in towns.only("code", "name", "boundary")
        ],
    }
