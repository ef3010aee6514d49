"""The demo county looks like a county: registers that fit each trade, about one rated
enterprise in twenty red, hazards with varied findings and people, and every step of the
hazard loop taken by the person the rules name (replayed through the workflow engine)."""

import os
import random
import subprocess
import sys
from collections import defaultdict

import pytest
from django.db.models import Max

from anlan.accounts.models import unit_level
from anlan.accounts.roles import Role
from anlan.demo.hazards import build_hazards
from anlan.demo.registers import KINDS, P, kind_of
from anlan.demo.risks import build_risks
from anlan.hazards.models import HazardEvent, HazardLevel, HazardSource
from anlan.hazards.workflow import HAZARD_WORKFLOW
from anlan.registry.models import Enterprise
from anlan.risks.models import RiskEvent

DUST = ("粉尘", "除尘")
NO_DUST = ("kindergarten", "school", "ktv")


def test_no_dust_points_in_kindergartens_schools_or_ktvs():
    for kind in NO_DUST:
        names = KINDS[kind][3]
        assert not any(word in f"{P[n].obj}{P[n].unit}{P[n].event}" for n in names for word in DUST)
    assert kind_of("清河县宏达幼儿园") == "kindergarten" and kind_of("清河县鑫盛KTV") == "ktv"
    assert kind_of("清河县恒泰化工有限公司") == "chemical_plant"


@pytest.fixture
def registers(personas):
    users = {f"demo-{name}": user for name, user in personas.items()}
    build_risks(Enterprise.objects.count(), random.Random(7), users)


def test_registers_fit_the_trade(registers):
    events = RiskEvent.objects.select_related("enterprise")
    by_kind = defaultdict(set)
    for event in events:
        by_kind[kind_of(event.enterprise.name)].add(event.name)
    quiet = [k for k in NO_DUST if k in by_kind]
    assert quiet, "the small world has a school, a kindergarten or a KTV with a register"
    for kind in quiet:
        assert not [name for name in by_kind[kind] if any(w in name for w in DUST)], kind
    if "ktv" in by_kind:
        assert {"包厢火灾致人员群死群伤", "人员拥挤踩踏"} & by_kind["ktv"]
    assert len({name for names in by_kind.values() for name in names}) >= 12  # varied


def test_about_one_rated_enterprise_in_twenty_is_red(registers):
    ranks = dict(
        RiskEvent.objects.values("enterprise")
        .annotate(top=Max("level_rank"))
        .values_list("enterprise", "top")
    )
    red = [pk for pk, top in ranks.items() if top == 4]
    assert 0.03 <= len(red) / len(ranks) <= 0.08, (len(red), len(ranks))
    levels = {top for top in ranks.values()}
    assert levels == {1, 2, 3, 4}  # blue, yellow, orange and red all show on the map
    # Red comes from the grading: only points that may kill several people score it.
    for event in RiskEvent.objects.filter(level="major").exclude(unit__name="甲类仓库"):
        assert any(
            word in event.name for word in ("爆", "群死", "坍塌", "中毒", "泄漏", "漫坝", "侧翻")
        )


def _actor_fits(event: HazardEvent) -> bool:
    """The role the rules name for each step (hazards/workflow.py, hazards/rules.py)."""
    hazard, actor = event.hazard, event.actor
    level = unit_level(actor)
    county_or_above = level in ("province", "city", "county")
    own = hazard.enterprise_id is not None and actor.enterprise_id == hazard.enterprise_id
    match event.transition:
        case "report":
            return {
                HazardSource.ENTERPRISE_SELF: own,
                HazardSource.GRID_PATROL: actor.role == Role.GRID_WORKER,
                HazardSource.TOWN_PATROL: actor.role == Role.TOWN_STAFF,
                HazardSource.TIP_OFF: actor.role == Role.TOWN_STAFF,
                HazardSource.COUNTY_CHECK: level == "county",
                HazardSource.ENFORCEMENT: level == "county",
                HazardSource.CITY_SUPERVISION: level == "city",
            }[hazard.source]
        case "confirm" | "reject":
            if hazard.level == HazardLevel.MAJOR or hazard.referred_at:
                return county_or_above and actor.role == Role.BUREAU_STAFF
            return actor.role == Role.TOWN_STAFF and hazard.region_id.startswith(
                actor.organisation.region_id
            )
        case "refer":
            return actor.role == Role.TOWN_STAFF
        case "plan" | "submit":
            if hazard.enterprise_id:
                return own and actor.role == Role.ENTERPRISE_MANAGER
            return actor.role == Role.TOWN_STAFF
        case "accept" | "return":
            return level == "county" and actor.role in (
                Role.BUREAU_STAFF, Role.DEPARTMENT_STAFF,
            )  # fmt: skip
        case "close":
            wanted = "city" if hazard.level == HazardLevel.MAJOR else "county"
            return level == wanted and actor.role == Role.BUREAU_STAFF
    return False


def test_each_hazard_step_is_taken_by_the_person_the_rules_name(personas):
    assert build_hazards(60, random.Random(11)) == 60
    events = list(
        HazardEvent.objects.select_related(
            "hazard", "actor__organisation", "actor__enterprise"
        ).order_by("pk")
    )
    assert {e.transition for e in events} >= {
        "report", "confirm", "plan", "submit", "accept", "close",
    }  # fmt: skip
    wrong = [
        (e.hazard.description, e.transition, e.actor and e.actor.username)
        for e in events
        if e.actor is None or e.actor.is_superuser or not _actor_fits(e)
    ]
    assert wrong == []
    # The engine took each step: every event is one of the loop's transitions.
    assert {e.transition for e in events} <= set(HAZARD_WORKFLOW.by_name)
    hazards = {e.hazard for e in events}
    assert len({h.description for h in hazards}) >= 20
    assert len({h.responsible_person for h in hazards if h.responsible_person}) >= 10
    assert len({h.measures for h in hazards if h.measures}) >= 10
    assert len({h.deadline for h in hazards if h.deadline}) >= 10
    assert {h.state for h in hazards} >= {"closed", "rectifying"}
    assert len({e.actor for e in events if e.transition == "report"}) >= 8


def test_the_demo_builds_on_sqlite(tmp_path):
    """The management command builds a (small) county into a fresh SQLite database."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {"ANLAN_DATA_DIR": str(tmp_path), "ANLAN_DEMO_PASSWORD": "built-on-sqlite"}
    result = subprocess.run(
        [sys.executable, "-m", "anlan.cli", "demo", "--no-serve", "--towns", "3",
         "--villages-per-town", "2", "--enterprises", "60", "--hazards", "30",
         "--risk-registers", "20"],
        env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    assert "built-on-sqlite" in result.stdout and (tmp_path / "anlan.sqlite3").exists()


def test_each_incident_step_is_taken_by_the_unit_or_the_bureau(personas):
    from anlan.demo.incidents import build_incidents
    from anlan.incidents.models import IncidentEvent

    build_incidents(random.Random(5), {f"demo-{k}": v for k, v in personas.items()})
    events = list(
        IncidentEvent.objects.select_related("incident", "actor__organisation").order_by("pk")
    )
    assert {e.transition for e in events} >= {"first_report", "forward_city", "final"}
    for event in events:
        incident, actor = event.incident, event.actor
        if event.transition == "first_report":  # the unit itself
            if incident.enterprise_id:
                assert actor.enterprise_id == incident.enterprise_id
            else:
                assert actor.role == Role.TOWN_STAFF
                assert incident.region_id.startswith(actor.organisation.region_id)
        else:  # forwarded up, registered and closed by the emergency bureaus
            wanted = "city" if event.transition == "forward_province" else "county"
            assert (actor.role, unit_level(actor)) == (Role.BUREAU_STAFF, wanted), event
