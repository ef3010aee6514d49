"""The workbench (工作台): each persona sees exactly what waits for them, counted by the
ledgers the items link to, and nothing from outside their scope."""

from collections import Counter
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from anlan.core import workbench
from anlan.core.workbench import Item, Urgency, items_for
from anlan.hazards import actions
from anlan.hazards.models import Hazard
from anlan.incidents.models import ReportStep
from anlan.registry.models import Enterprise
from tests.hazards.factories import photos, plan, report
from tests.incidents.factories import incident

T0 = datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
NAMES = ["county", "leader", "town-a", "town-b", "dept-transport", "grid-a", "ent-a", "ent-b",
         "worker-a"]  # fmt: skip


@pytest.fixture
def frozen():
    with time_machine.travel(T0, tick=False):
        yield


def counts(user) -> Counter:
    return Counter({item.key: item.count for item in items_for(user, timezone.now())})


def step(hazard, name, actor, **kwargs):
    with TestCase.captureOnCommitCallbacks(execute=True):
        actions.do_transition(hazard, name, actor=actor, **kwargs)
    hazard.refresh_from_db()
    return hazard


def hazards_of(ent, town, county) -> dict[str, Hazard]:
    """One general hazard of ``ent`` at each point the workbench shows."""
    made = {name: report(ent) for name in
            ("reported", "submitted", "accepted", "overdue", "due_soon", "extension")}  # fmt: skip
    for name in ("submitted", "accepted", "overdue", "due_soon", "extension"):
        days = 1 if name == "due_soon" else 10
        step(made[name], "confirm", town, deadline=timezone.localdate() + timedelta(days=days))
    for name in ("submitted", "accepted"):
        step(made[name], "plan", ent, plan=plan())
        step(made[name], "submit", ent, comment="已整改", photos=photos(1))
    step(made["accepted"], "accept", county)
    Hazard.objects.filter(pk=made["overdue"].pk).update(
        deadline=timezone.localdate() - timedelta(days=1)
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        actions.do_request_extension(
            made["extension"], actor=ent, reason="设备到货推迟",
            new_deadline=timezone.localdate() + timedelta(days=20),
        )  # fmt: skip
    return made


def late_and_due_incidents(ent):
    due = incident(ent, title="待报送的事故")
    late = incident(ent, title="迟报的事故")
    ReportStep.objects.filter(incident=late, reported_at__isnull=True).update(
        due_at=timezone.now() - timedelta(minutes=5)
    )
    return due, late


def expected_delta(name: str, user, ent, manager) -> Counter:
    """What one enterprise's set of fixtures adds to ``name``'s workbench."""
    from anlan.core.scoping import scope_of

    scope = scope_of(user)
    if not scope.covers(region=ent.region_id, category=ent.category_id, enterprise=ent.pk):
        return Counter()
    hazards = Counter({"hazards.overdue": 1, "hazards.due_soon": 1, "hazards.confirm": 1,
                       "hazards.extension": 1, "incidents.late": 1})  # fmt: skip
    if name == "county":  # the county step of the incident still due is the bureau's
        return hazards + Counter({"hazards.accept": 1, "hazards.close": 1, "incidents.due": 1})
    if name == "dept-transport":  # files follow-ups, reports no step
        return hazards + Counter({"hazards.accept": 1, "hazards.close": 1})
    if name.startswith("town-"):  # a town neither accepts nor closes; the unit reported
        return hazards
    if name == "leader":
        return Counter({"hazards.overdue": 1, "incidents.month": 2, "incidents.late": 1})
    if name.startswith("ent-"):
        return Counter({"hazards.overdue": 1, "hazards.due_soon": 1, "hazards.rectify": 3,
                        "hazards.open": 6, "incidents.late": 1})  # fmt: skip
    if name == "worker-a":  # staff see the hazards, but neither rectify nor report incidents
        return Counter({"hazards.overdue": 1, "hazards.due_soon": 1, "hazards.open": 6})
    return Counter()  # the grid worker: not their reports


def test_each_persona_sees_exactly_its_items(personas, frozen):
    before = {name: counts(personas[name]) for name in NAMES}
    fixtures = [("ent-a", "town-a"), ("ent-b", "town-b")]
    for ent_name, town_name in fixtures:
        manager = personas[ent_name]
        hazards_of(manager, personas[town_name], personas["county"])
        late_and_due_incidents(manager)
    grid = personas["grid-a"]
    village_enterprise = Enterprise.objects.filter(
        region__code__startswith=grid.organisation.region_id
    ).first()
    report(grid, enterprise=village_enterprise)
    for name in NAMES:
        user = personas[name]
        expected = Counter()
        for ent_name, _town in fixtures:
            ent = personas[ent_name].enterprise
            expected += expected_delta(name, user, ent, personas[ent_name])
        if name == "grid-a":
            expected["hazards.mine_open"] += 1
        if name in ("county", "town-a") or (
            name == "dept-transport" and village_enterprise.category_id == "transport"
        ):
            expected["hazards.confirm"] += 1
        after = counts(user)
        delta = Counter({key: after[key] - before[name][key] for key in after | before[name]})
        delta = Counter({key: n for key, n in delta.items() if n})
        assert delta == +expected, name


def test_each_count_is_the_number_of_rows_its_link_shows(client_for, personas, frozen):
    for ent, town in (("ent-a", "town-a"), ("ent-b", "town-b")):
        hazards_of(personas[ent], personas[town], personas["county"])
        late_and_due_incidents(personas[ent])
    for name in NAMES:
        client = client_for(name)
        page = client.get(reverse("home"))
        assert page.status_code == 200
        assert "工作台" in page.content.decode()
        items: list[Item] = page.context["items"]
        checked = 0
        for item in items:
            if "?" not in item.url:
                continue  # the duty board, a shift: not a ledger
            listed = client.get(item.url)
            assert listed.status_code == 200, item.url
            assert listed.context["page"].paginator.count == item.count, (name, item.key)
            assert f'data-count="{item.count}"' in page.content.decode()
            checked += 1
        # The transport department has none of these fixtures in its industry.
        assert checked or name == "dept-transport", name


def test_items_are_sorted_most_urgent_first_and_empty_ones_dropped(personas, frozen):
    def provider(user, now):
        return [
            Item("t.info", "figure", 0, "/", Urgency.INFO, always=True),
            Item("t.none", "nothing", 0, "/", Urgency.LATE),
            Item("t.wait", "waiting", 2, "/", Urgency.WAITING),
            Item("t.late", "late", 1, "/", Urgency.LATE),
        ]

    workbench.register(provider)
    try:
        keys = [i.key for i in items_for(personas["county"]) if i.key.startswith("t.")]
    finally:
        workbench._PROVIDERS.pop(f"{provider.__module__}.{provider.__qualname__}")
    assert keys == ["t.late", "t.wait", "t.info"]


def test_only_those_who_may_decide_see_decisions(personas, frozen):
    keys = {name: set(counts(personas[name])) for name in NAMES}
    hazards_of(personas["ent-a"], personas["town-a"], personas["county"])
    for name in ("leader", "grid-a", "ent-a", "worker-a"):
        seen = {i.key for i in items_for(personas[name])}
        assert not seen & {"hazards.confirm", "hazards.accept", "hazards.close"}, name
    town = {i.key for i in items_for(personas["town-a"])}
    assert "hazards.confirm" in town and not town & {"hazards.accept", "hazards.close"}
    assert keys  # every persona's workbench was built


def test_the_page_needs_few_queries(client_for, frozen, django_assert_max_num_queries):
    client = client_for("county")
    with django_assert_max_num_queries(40):
        assert client.get(reverse("home")).status_code == 200


def test_the_api_answers_the_same_items(client_for, personas, frozen):
    report(personas["ent-a"])
    late_and_due_incidents(personas["ent-a"])
    client = client_for("county")
    page = client.get(reverse("home")).context["items"]
    answer = client.get("/api/v1/workbench/")
    assert answer.status_code == 200
    items = answer.json()["items"]
    assert [(i["key"], i["count"], i["url"]) for i in items] == [
        (i.key, i.count, i.url) for i in page
    ]
    assert len(items) >= 3
    assert [i["urgency"] for i in items][:2] == ["late", "due"]
    assert items[0]["examples"][0]["text"].endswith("迟报的事故")
