"""Apps use each other's domain (models, actions, services), never each other's helpers:
shared helpers live in core, regions, accounts or the API package."""

import re
from pathlib import Path

import pytest

from anlan.accounts.models import unit_level
from anlan.core.scoping import Scope
from anlan.regions.models import places_in_scope
from anlan.registry.models import categories_in_scope

SRC = Path(__file__).resolve().parents[2] / "src" / "anlan"
DOMAIN_APPS = ["hazards", "risks", "incidents", "duty", "registry"]
# Modules of an app that hold its helpers, not its domain: nobody else imports them.
PRIVATE = ["workflow", "rules", "forms", "api", "filters", "views", "documents", "conf"]


def test_no_app_imports_another_apps_helpers():
    pattern = re.compile(rf"from anlan\.({'|'.join(DOMAIN_APPS)})\.({'|'.join(PRIVATE)}) import")
    offenders = []
    for app in DOMAIN_APPS:
        for path in (SRC / app).rglob("*.py"):
            for match in pattern.finditer(path.read_text()):
                if match.group(1) != app:
                    offenders.append(f"{path.relative_to(SRC)}: {match.group(0)}")
    assert offenders == []


@pytest.mark.django_db
def test_jurisdiction_choices_follow_the_scope():
    town = Scope(region_code="990102002")
    assert {r.code[:9] for r in places_in_scope(town)} == {"990102002"}
    assert not places_in_scope(Scope.nothing()).exists()
    assert not categories_in_scope(Scope.nothing()).exists()
    department = Scope(region_code="990102", categories=frozenset({"transport"}))
    assert [c.code for c in categories_in_scope(department)] == ["transport"]


def test_unit_level(personas):
    assert unit_level(personas["county"]) == "county"
    assert unit_level(personas["town-a"]) == "town"
    assert unit_level(personas["ent-a"]) is None
