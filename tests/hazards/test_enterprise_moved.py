"""The registry announces that an enterprise moved; hazards follow it in their own code."""

import pytest
from django.test import Client
from django.urls import reverse

from anlan.hazards.models import HazardEvent
from anlan.registry import actions
from anlan.registry.forms import EnterpriseForm
from anlan.registry.signals import enterprise_moved
from tests.hazards.factories import report
from tests.registry.test_views import post_data

NEW_VILLAGE = "990102003001"


def move(personas, enterprise, **changes):
    data = post_data(
        name=enterprise.name, uscc=enterprise.uscc, region=enterprise.region_id,
        category=enterprise.category_id, industry=enterprise.industry,
    )  # fmt: skip
    form = EnterpriseForm(data={**data, **changes}, instance=enterprise, user=personas["county"])
    assert form.is_valid(), form.errors
    return actions.do_update_enterprise(form, actor=personas["county"])


def test_a_moved_enterprise_is_announced_and_its_hazard_timeline_says_so(personas):
    enterprise = personas["ent-a"].enterprise
    old_region = enterprise.region_id
    hazard = report(personas["ent-a"])
    heard = []
    enterprise_moved.connect(lambda **kw: heard.append(kw), weak=False, dispatch_uid="t")
    try:
        move(personas, enterprise, region=NEW_VILLAGE)
    finally:
        enterprise_moved.disconnect(dispatch_uid="t")
    assert [(h["old_region_id"], h["enterprise"].region_id) for h in heard] == [
        (old_region, NEW_VILLAGE)
    ]
    hazard.refresh_from_db()
    assert hazard.region_id == NEW_VILLAGE
    event = hazard.events.get(transition="enterprise_moved")
    assert event.actor == personas["county"]
    assert (event.data["old_region"], event.data["new_region"]) == (old_region, NEW_VILLAGE)
    assert event.from_state == event.to_state == hazard.state
    row = hazard.history.latest("history_id")
    assert (row.region_id, row.history_user) == (NEW_VILLAGE, personas["county"])
    client = Client()
    client.force_login(personas["town-b"])
    page = client.get(reverse("hazards:detail", args=[hazard.pk])).content.decode()
    assert "企业所在地变更" in page


def test_an_unmoved_enterprise_announces_nothing(personas):
    enterprise = personas["ent-a"].enterprise
    hazard = report(personas["ent-a"])
    move(personas, enterprise, employees=enterprise.employees + 1)
    assert not HazardEvent.objects.filter(hazard=hazard, transition__startswith="enterprise_")


def test_a_failing_receiver_rolls_the_move_back(personas):
    enterprise = personas["ent-a"].enterprise
    old_region = enterprise.region_id
    hazard = report(personas["ent-a"])

    def refuse(**kwargs):
        raise RuntimeError("refused")

    enterprise_moved.connect(refuse, weak=False, dispatch_uid="refuse")
    try:
        with pytest.raises(RuntimeError):
            move(personas, enterprise, region=NEW_VILLAGE)
    finally:
        enterprise_moved.disconnect(dispatch_uid="refuse")
    enterprise.refresh_from_db()
    hazard.refresh_from_db()
    assert enterprise.region_id == hazard.region_id == old_region
    assert not hazard.events.filter(transition="enterprise_moved").exists()
