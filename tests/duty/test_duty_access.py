"""Every duty route × every persona: out of scope is 404, lists show exactly the scope, and the
board shows exactly the persona's county (its one deliberate widening).

What a persona should see is stated from the world's facts: duty records belong to a unit at a
region, and a government user sees the units whose region lies in their own unit's region
(every category: departments too); enterprises see none."""

import json

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from anlan.accounts.models import Organisation
from anlan.duty import actions
from anlan.duty.models import DUTY_KINDS, DutyLogEntry, Handover, Roster, Shift, Swap
from tests.duty import routes
from tests.duty.factories import NOW, at, roster, shift_at

UNITS = ["county", "town-a", "town-b", "dept-transport", "city"]  # personas keeping a roster


def sees(user, region: str) -> bool:
    if user.is_superuser:
        return True
    return user.organisation_id is not None and region.startswith(user.organisation.region_id)


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


def snapshot(unit) -> list:
    return [
        list(Roster.objects.filter(pk=unit["roster"].pk).values()),
        list(Shift.objects.filter(roster=unit["roster"]).order_by("pk").values()),
        list(Handover.objects.filter(pk=unit["handover"].pk).values()),
        list(Swap.objects.filter(pk=unit["swap"].pk).values()),
        DutyLogEntry.objects.filter(organisation=unit["roster"].organisation_id).count(),
    ]


def test_every_duty_route_is_in_this_test():
    assert (
        routes.WEB == set(routes.OBJECT_WEB) | routes.LIST_WEB | routes.BOARD_WEB | routes.FORM_WEB
    )


def test_duty_records_out_of_scope_are_404(personas, records, frozen):
    for name, user in personas.items():
        client = logged_in(user)
        for unit_name, unit in records.items():
            seen = sees(user, unit["region"])
            before = snapshot(unit)
            for route, (methods, kind, extra) in routes.OBJECT_WEB.items():
                url = reverse(route, kwargs={"pk": unit[kind].pk, **extra})
                for method in methods:
                    response = client.get(url) if method == "GET" else client.post(url, {})
                    where = f"{name} {method} {url} ({unit_name})"
                    assert response.status_code != 500, where
                    assert (response.status_code == 404) is not seen, where
            for (method, path), kind in routes.OBJECT_API.items():
                url = "/api/v1" + path.replace(f"{{int:{kind}_id}}", str(unit[kind].pk))
                url = url.replace(
                    "{name}", {"roster": "publish", "swap": "approve_swap"}.get(kind, "")
                )
                body = {"decision": "approve", "officers": [user.pk], "leaders": [user.pk]}
                body = {} if method == "PATCH" else body  # a PATCH refuses unknown fields
                response = client.generic(method, url, json.dumps(body), "application/json")
                where = f"{name} {method} {url} ({unit_name})"
                assert response.status_code != 500, where
                assert (response.status_code == 404) is not seen, where
            bodies = {"/duty/handovers": {"shift": unit["shift"].pk, "open_matters": "x"},
                      "/duty/swaps": {"shift": unit["shift"].pk, "counterpart": user.pk,
                                      "reason": "x"}}  # fmt: skip
            for method, path in routes.BODY_API:
                response = client.generic(method, "/api/v1" + path, json.dumps(bodies[path]),
                                          "application/json")  # fmt: skip
                where = f"{name} {method} {path} ({unit_name})"
                assert response.status_code != 500, where
                assert (response.status_code == 404) is not seen, where
            if not seen:
                assert snapshot(unit) == before, f"{name} changed {unit_name}'s duty records"


def test_duty_lists_show_exactly_the_scope(personas, records, frozen):
    for name, user in personas.items():
        client = logged_in(user)
        want = {kind: {unit[kind].pk for unit in records.values() if sees(user, unit["region"])}
                for kind in ("roster", "shift", "handover", "swap", "log")}  # fmt: skip
        if user.enterprise_id:
            for route in routes.LIST_WEB | routes.BOARD_WEB | routes.FORM_WEB:
                assert client.get(reverse(route)).status_code == 403, (name, route)
            for method, path in routes.LIST_API | routes.BOARD_API:
                assert client.generic(method, "/api/v1" + path).status_code == 403, (name, path)
            continue
        page = client.get(reverse("duty:rosters") + "?month=2026-11")
        assert {r.pk for r in page.context["rosters"]} == want["roster"], name
        page = client.get(reverse("duty:swaps") + "?show=all")
        assert {s.pk for s in page.context["swaps"]} == want["swap"], name
        page = client.get(reverse("duty:log"))
        assert {e.pk for e in page.context["entries"]} == want["log"], name

        def ids(path: str, client=client, name=name) -> set[int]:
            response = client.get("/api/v1/duty" + path)
            assert response.status_code == 200, (name, path)
            return {item["id"] for item in response.json()["items"]}

        assert ids("/rosters") == want["roster"], name
        window = "start_from=2026-11-23T09:00:00%2B08:00&start_to=2026-11-23T09:00:01%2B08:00"
        assert ids(f"/shifts?{window}") == want["shift"], name
        assert ids("/handovers") == want["handover"], name
        assert ids("/swaps") == want["swap"], name
        assert ids("/log") == want["log"], name
        # The board: the whole county (the city: the whole city), whatever the own scope.
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
