"""The roster, shift and handover lists of the API on the core ledger: the filters apply, an
invalid one is a 422, and the page of rosters lists the month's through the same ledger."""

import pytest
from django.urls import reverse

from anlan.duty import actions
from anlan.duty.ledger import HANDOVER_LEDGER, ROSTER_LEDGER, SHIFT_LEDGER
from tests.duty.factories import NOW, at, roster, shift_at
from tests.duty.test_pages_and_api import api, frozen  # noqa: F401 - the fixture


@pytest.fixture
def rosters(personas):
    county = roster(personas["county"])
    town = roster(personas["town-a"], publish=False)
    return county, town


def ids(page) -> list[int]:
    return [item["id"] for item in page["items"]]


def test_roster_list_filters(personas, rosters, client_for, frozen):  # noqa: F811
    county, town = rosters
    client = client_for("county")
    status, page = api(client, "GET", "/rosters?month=2026-11")
    assert status == 200 and set(ids(page)) == {county.pk, town.pk} and page["count"] == 2
    assert ids(api(client, "GET", f"/rosters?organisation={town.organisation_id}")[1]) == [town.pk]
    assert ids(api(client, "GET", "/rosters?state=draft")[1]) == [town.pk]
    assert api(client, "GET", "/rosters?month=2026-12")[1] == {"items": [], "count": 0}
    status, error = api(client, "GET", "/rosters?state=bogus")
    assert status == 422 and list(error["error"]["fields"]) == ["state"]
    data = ROSTER_LEDGER.api_filters(personas["county"], {"month": "2026-11", "state": "published"})
    assert list(ROSTER_LEDGER.queryset(personas["county"], data)) == [county]
    # The page of the month's rosters reads the same ledger.
    page = client.get(reverse("duty:rosters") + "?month=2026-11")
    assert {r.pk for r in page.context["rosters"]} == {county.pk, town.pk}


def test_shift_list_filters(personas, rosters, client_for, frozen):  # noqa: F811
    county, town = rosters
    client = client_for("county")
    status, page = api(client, "GET", f"/shifts?roster={town.pk}")
    assert status == 200 and page["count"] == town.shifts.count()
    assert set(ids(page)) <= set(town.shifts.values_list("pk", flat=True))
    current = shift_at(county, NOW)
    window = "start_from=2026-11-23T09:00:00%2B08:00&start_to=2026-11-23T09:30:00%2B08:00"
    status, page = api(client, "GET", f"/shifts?organisation={county.organisation_id}&{window}")
    assert ids(page) == [current.pk]
    mine = api(client, "GET", "/shifts?mine=true&page_size=500")[1]
    assert mine["count"] and {s["officer"]["id"] for s in mine["items"]} == {personas["county"].pk}
    starts = [s["start"] for s in api(client, "GET", "/shifts?page_size=500")[1]["items"]]
    assert starts == sorted(starts)
    status, error = api(client, "GET", "/shifts?roster=0")
    assert status == 422 and list(error["error"]["fields"]) == ["roster"]
    data = SHIFT_LEDGER.api_filters(personas["county"], {"mine": True})
    assert data["person"] == personas["county"].pk


def test_handover_list_filters(personas, rosters, client_for, frozen):  # noqa: F811
    county, town = rosters
    yesterday = shift_at(county, at(2026, 11, 22, 12))
    handover = actions.do_hand_over(yesterday, actor=yesterday.officer, open_matters="无")
    client = client_for("county")
    assert ids(api(client, "GET", "/handovers?open=true")[1]) == [handover.pk]
    assert ids(api(client, "GET", f"/handovers?organisation={town.organisation_id}")[1]) == []
    assert api(client_for("town-a"), "GET", "/handovers")[1] == {"items": [], "count": 0}
    actions.do_receive_handover(handover, actor=personas["county"])
    assert api(client, "GET", "/handovers?open=true")[1]["count"] == 0
    assert ids(api(client, "GET", "/handovers")[1]) == [handover.pk]
    status, error = api(client, "GET", "/handovers?open=maybe")
    assert status == 422 and list(error["error"]["fields"]) == ["open"]
    assert HANDOVER_LEDGER.count(personas["county"], {"open": True}) == 0
