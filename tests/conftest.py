"""Shared fixtures: the demo county at a small size, and its persona accounts.

The world is built once per test session (committed), and every `db` test runs inside a
transaction rolled back at its end. Tests that need a live server (`transactional_db`)
run last (pytest-django orders them so) and rebuild the world if a flush removed it.
"""

import importlib
import os

import pytest
from django.db import connection

from anlan.accounts.models import User
from anlan.demo.world import COUNTY, PERSONAS, build_world
from anlan.regions.models import Region

PASSWORD = "test-pass-2026"
SMALL_WORLD = {
    "towns": 3,
    "villages_per_town": 2,
    "enterprises": 60,
}  # 16 categories x 3 towns + 12


DATA_MIGRATIONS = [
    "anlan.registry.migrations.0002_default_supervision_categories",
    "anlan.hazards.migrations.0002_default_categories_and_criteria",
]


def ensure_world() -> None:
    """The small world; after a flush (live-server tests) also the data migrations' rows."""
    if not Region.objects.filter(code=COUNTY[0]).exists():
        from django.apps import apps

        for module in DATA_MIGRATIONS:
            importlib.import_module(module).load(apps, None)
        build_world(password=PASSWORD, **SMALL_WORLD)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        if os.environ.get("ANLAN_REQUIRE_POSTGRES") == "1":
            assert connection.vendor == "postgresql", (
                "CI requires PostgreSQL: set DATABASE_URL=postgres://…"
            )
        ensure_world()


@pytest.fixture
def personas(db) -> dict[str, User]:
    users = User.objects.select_related("organisation", "enterprise").in_bulk(
        [p.username for p in PERSONAS], field_name="username"
    )
    return {name.removeprefix("demo-"): user for name, user in users.items()}


@pytest.fixture
def client_for(client, personas):
    """A logged-in test client for a persona name such as "town-a"."""
    from django.test import Client

    def make(name: str) -> Client:
        c = Client()
        c.force_login(personas[name])
        return c

    return make
