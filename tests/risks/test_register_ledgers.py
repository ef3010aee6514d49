"""The register's API lists (objects, units, events, measures) on the core ledger: the filters
apply, archived records only when asked for, an invalid filter is a 422."""

import pytest

from anlan.risks import actions
from anlan.risks.ledger import EVENT_LEDGER, OBJECT_LEDGER
from tests.risks.factories import register


@pytest.fixture
def registers(personas):
    kept = register(personas["ent-a"])
    low = register(personas["ent-a"], lec=(1, 1, 1))
    actions.do_archive(low[0], actor=personas["ent-a"], reason="停用")
    other = register(personas["ent-b"])
    return kept, low, other


def ids(response) -> list[int]:
    assert response.status_code == 200
    return [item["id"] for item in response.json()["items"]]


@pytest.mark.parametrize(("path", "index"), [("objects", 0), ("units", 1), ("events", 2),
                                             ("measures", 3)])  # fmt: skip
def test_register_lists_filter_by_enterprise_and_archive(path, index, registers, client_for):
    kept, low, other = registers
    client = client_for("county")
    url = f"/api/v1/risks/{path}"
    enterprise = kept[0].enterprise_id
    assert ids(client.get(url, {"enterprise": enterprise})) == [kept[index].pk]
    both = ids(client.get(url, {"enterprise": enterprise, "include_archived": "true"}))
    assert sorted(both) == sorted([kept[index].pk, low[index].pk])
    everything = client.get(url).json()
    assert {kept[index].pk, other[index].pk} <= set(ids(client.get(url)))
    assert low[index].pk not in set(ids(client.get(url))) and everything["count"] >= 2
    assert ids(client_for("ent-b").get(url)) == [other[index].pk]
    response = client.get(url, {"enterprise": "0"})
    assert response.status_code == 422 and list(response.json()["error"]["fields"]) == [
        "enterprise"
    ]


def test_event_and_measure_lists_filter_by_level_and_event(registers, client_for, personas):
    kept, low, other = registers
    client = client_for("ent-a")
    assert ids(client.get("/api/v1/risks/events", {"level": "major"})) == [kept[2].pk]
    archived = {"level": "low", "include_archived": "true"}
    assert ids(client.get("/api/v1/risks/events", archived)) == [low[2].pk]
    response = client.get("/api/v1/risks/events", {"level": "bogus"})
    assert response.status_code == 422 and list(response.json()["error"]["fields"]) == ["level"]
    assert ids(client.get("/api/v1/risks/measures", {"event": kept[2].pk})) == [kept[3].pk]
    assert ids(client.get("/api/v1/risks/measures", {"event": other[2].pk})) == []
    # Highest risk first: the major event before the archived low one.
    everything = {"include_archived": "true"}
    assert ids(client.get("/api/v1/risks/events", everything)) == [kept[2].pk, low[2].pk]
    data = EVENT_LEDGER.api_filters(personas["ent-a"], {"level": "major"})
    assert list(EVENT_LEDGER.queryset(personas["ent-a"], data)) == [kept[2]]
    assert OBJECT_LEDGER.count(personas["ent-a"], {}) == 1
