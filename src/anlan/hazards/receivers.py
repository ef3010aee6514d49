"""What hazards do when another app announces a change (connected in HazardsConfig.ready)."""

from django.utils.translation import gettext as _

from anlan.core.history import save_with_history
from anlan.hazards.models import OPEN_STATES, Hazard, HazardEvent
from anlan.regions.models import Region
from anlan.registry.models import SupervisionCategory


def follow_enterprise(sender, *, enterprise, actor, old_region_id, old_category_id, **kwargs):
    """Open hazards move with an enterprise that moves town or supervision category, so the
    unit now responsible sees them and the old one no longer does (closed ones keep the
    place and category they were closed under). Each moved hazard's timeline says so."""
    moved = old_region_id != enterprise.region_id
    names = {
        **Region.objects.in_bulk([old_region_id, enterprise.region_id]),
        **SupervisionCategory.objects.in_bulk([old_category_id, enterprise.category_id]),
    }
    changes = []
    if moved:
        changes.append(f"{names[old_region_id]} → {names[enterprise.region_id]}")
    if old_category_id != enterprise.category_id:
        changes.append(f"{names[old_category_id]} → {names[enterprise.category_id]}")
    hazards = Hazard.objects.filter(enterprise=enterprise, state__in=OPEN_STATES)
    for hazard in hazards.select_for_update().order_by("pk"):
        hazard.region_id = enterprise.region_id
        hazard.supervision_category_id = enterprise.category_id
        save_with_history(
            hazard, actor=actor, reason=_("The enterprise moved or changed supervision category")
        )
        HazardEvent.objects.create(
            hazard=hazard,
            transition="enterprise_moved" if moved else "enterprise_recategorised",
            from_state=hazard.state,
            to_state=hazard.state,
            actor=actor,
            comment="\n".join(changes),
            data={
                "old_region": old_region_id,
                "new_region": enterprise.region_id,
                "old_category": old_category_id,
                "new_category": enterprise.category_id,
            },
        )
