from ninja import Router, Schema

from anlan.core.routes import Public, exposes
from anlan.regions.models import Region

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
