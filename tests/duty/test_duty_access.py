"""Duty access beyond what tests/test_access_matrix.py checks from the routes' declarations: the
board shows exactly the persona's county (its one deliberate widening), enterprises get no duty
page, and departments see the county's rosters but change only their own."""

import json

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from anlan.accounts.models import Organisation
from anlan.duty import actions
from anlan.duty.models import DUTY_KINDS
from tests.duty.factories import NOW, at, roster, shift_at

UNITS = ["county", "town-a", "town-b", "dept-transport", "city"]  # personas keeping a roster


def board_units(user) -> set[int]:
    """The duty units of the persona's county (a city sees its whole city)."""
    units = Organisation.objects.filter(kind__in=DUTY_KINDS)
    if user.is_superuser:
        return set(units.values_list("pk", flat=True))
    region = user.organisation.region_id
    prefix = region[:6] if len(region) >= 6 else region
    return set(units.filter(region__code__startswith=prefix).values_list("pk", flat=True))


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield NOW


@pytest.fixture
def records(personas):
    """Per unit: its roster, today's shift, yesterday's handover to it, a pending swap, a log."""
    made = {}
    for name in UNITS:
        manager = personas[name]
        unit_roster = roster(manager)
        today = shift_at(unit_roster, NOW)
        yesterday = shift_at(unit_roster, at(2026, 11, 22, 12))
        later, latest = (shift_at(unit_roster, at(2026, 11, d, 12)) for d in (26, 27))
        with time_machine.travel(NOW, tick=False):
            handover = actions.do_hand_over(yesterday, actor=yesterday.officer, open_matters="无")
            swap = actions.do_request_swap(
                later, actor=later.officer, counterpart=latest.officer, counterpart_shift=latest,
                reason="换班",
            )  # fmt: skip
            log = actions.do_log(
                manager.organisation, actor=manager, occurred_at=NOW, kind="event", content=name
            )
        made[name] = {"roster": unit_roster, "shift": today, "handover": handover, "swap": swap,
                      "log": log, "region": manager.organisation.region_id}  # fmt: skip
    return made


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_board_shows_exactly_the_persona_county(personas, records, frozen):
    """The board's one deliberate widening (declared Shared in duty/urls.py and duty/api.py):
    every duty unit of the persona's county (the city: the whole city), whatever the own scope;
    enterprises get none of it."""
    for name, user in personas.items():
        client = logged_in(user)
        if user.enterprise_id:
            assert client.get(reverse("duty:board")).status_code == 403, name
            assert client.get("/api/v1/duty/board").status_code == 403, name
            continue
        web = client.get(reverse("duty:board"))
        assert {r.organisation.pk for r in web.context["rows"]} == board_units(user), name
        board = client.get("/api/v1/duty/board").json()
        assert {r["organisation"] for r in board["rows"]} == board_units(user), name
        on_duty = {r["shift"] for r in board["rows"] if r["shift"]}
        assert on_duty == {
            u["shift"].pk
            for u in records.values()
            if u["roster"].organisation_id in board_units(user)
        }, name


def test_enterprise_users_get_no_duty_page(personas, records, frozen):
    for name in ("ent-a", "ent-b", "worker-a"):
        client = logged_in(personas[name])
        for route in ("duty:rosters", "duty:swaps", "duty:log", "duty:roster_new"):
            assert client.get(reverse(route)).status_code == 403, (name, route)
        for path in ("/rosters", "/shifts", "/log", "/handovers", "/swaps"):
            assert client.get("/api/v1/duty" + path).status_code == 403, (name, path)


def test_departments_see_the_county_but_change_only_their_own(personas, records, frozen):
    transport = logged_in(personas["dept-transport"])
    county = records["county"]
    assert transport.get(county["roster"].get_absolute_url()).status_code == 200
    assert (
        transport.post(reverse("duty:roster_publish", args=[county["roster"].pk])).status_code
        == 403
    )
    url = reverse("duty:shift_edit", args=[county["shift"].pk])
    assert transport.get(url).status_code == 403
    town_b = logged_in(personas["town-b"])
    town_a_shift = records["town-a"]["shift"]
    assert town_b.get(reverse("duty:shift_edit", args=[town_a_shift.pk])).status_code == 404
    assert town_b.get(records["town-a"]["roster"].get_absolute_url()).status_code == 404
    response = town_b.generic("PATCH", f"/api/v1/duty/shifts/{town_a_shift.pk}",
                              json.dumps({"note": "x"}), "application/json")  # fmt: skip
    assert response.status_code == 404
    # A leader sees the bureau's roster but keeps no roster of their own.
    leader = logged_in(personas["leader"])
    assert leader.get(county["roster"].get_absolute_url()).status_code == 200
    assert leader.get(reverse("duty:roster_new")).status_code == 403
