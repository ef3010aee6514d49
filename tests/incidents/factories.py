"""Incidents through the real actions."""

from django.utils import timezone

from anlan.incidents import actions
from anlan.incidents.models import Incident


def incident(actor, *, enterprise=None, region_id=None, known_source="unit", **facts) -> Incident:
    """A first report by ``actor`` (or a registration, with another known_source)."""
    now = timezone.now()
    data = {
        "kind": "production",
        "title": "车间机械伤害事故",
        "occurred_at": now - timezone.timedelta(minutes=20),
        "unit_learned_at": now - timezone.timedelta(minutes=10) if known_source == "unit" else None,
        "known_source": known_source,
        "location": "二号车间",
        "description": "工人清理冲床时被压伤",
        "measures_taken": "已停机并送医",
        "reporter_name": "王强",
        "reporter_phone": "13800000001",
        "deaths": 1,
        "serious_injuries": 1,
    } | facts
    if enterprise is None and actor.enterprise_id:
        enterprise = actor.enterprise
    item = Incident(enterprise=enterprise, region_id=region_id, **data)
    if enterprise is None:
        item.supervision_category_id = data.get("supervision_category_id", "transport")
    return actions.do_create(item, actor=actor)


def facts(item: Incident, **changes) -> dict:
    return item.facts() | changes
