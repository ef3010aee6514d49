"""core/ledger.py: one declaration gives the page, the API list, the export and the counts,
and they agree with each other for every persona and filter."""

import io

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from anlan.core.pagination import Pages
from anlan.core.scoping import scope_of
from anlan.hazards.ledger import HAZARD_LEDGER
from anlan.hazards.models import Hazard
from anlan.incidents.ledger import INCIDENT_LEDGER
from tests.hazards.factories import advance, report
from tests.hazards.test_hazard_pages_and_api import api  # noqa: F401 - the fixture

# (persona, filters): tally counts (county, town) and live ones (an enterprise, a text search).
CASES = [
    ("county", {}),
    ("county", {"state": "open"}),
    ("town-a", {"level": "major"}),
    ("town-a", {"q": "防护罩"}),
    ("ent-a", {}),
    ("dept-transport", {"state": "closed"}),
]


@pytest.fixture
def hazards(personas):
    made = [report(personas["ent-a"]) for _ in range(3)]
    made.append(report(personas["ent-a"], level="major"))
    made.append(report(personas["ent-b"]))
    advance(made[0], personas, "closed")
    return made


def export_numbers(client, query: dict) -> list[str]:
    response = client.get(reverse("hazards:export"), query)
    assert response.status_code == 200
    assert response.streaming  # written to a file and streamed, not built in memory
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    rows = list(sheet.values)
    assert rows[0][:3] == ("隐患编号", "发现时间", "来源")
    return [row[0] for row in rows[1:]]


@pytest.mark.parametrize(("persona", "filters"), CASES)
def test_page_api_export_and_counts_of_a_ledger_agree(
    persona,
    filters,
    hazards,
    personas,
    client_for,
    api,  # noqa: F811
):
    user = personas[persona]
    expected = list(
        HAZARD_LEDGER.queryset(user, HAZARD_LEDGER.api_filters(user, filters)).values_list(
            "pk", flat=True
        )
    )
    assert set(expected) <= set(Hazard.objects.visible_to(user).values_list("pk", flat=True))

    page = client_for(persona).get(reverse("hazards:list"), filters)
    assert [h.pk for h in page.context["page"].object_list] == expected
    assert page.context["page"].paginator.count == len(expected)

    body = api(persona).get("/api/v1/hazards/", {**filters, "page_size": 100}).json()
    assert [item["id"] for item in body["items"]] == expected
    assert body["count"] == len(expected)

    numbers = export_numbers(client_for(persona), filters)
    assert numbers == [Hazard.objects.get(pk=pk).number for pk in expected]

    data = HAZARD_LEDGER.api_filters(user, filters)
    assert HAZARD_LEDGER.count(user, data) == len(expected)
    by_level = HAZARD_LEDGER.counts(user, data, by=("level",))
    assert sum(row["n"] for row in by_level) == len(expected)
    levels = list(Hazard.objects.filter(pk__in=expected).values_list("level", flat=True))
    assert {row["level"]: row["n"] for row in by_level} == {
        level: levels.count(level) for level in set(levels)
    }


def test_counts_from_the_tally_equal_live_counts(hazards, personas):
    county = personas["county"]
    data = HAZARD_LEDGER.api_filters(county, {"state": "open"})
    assert HAZARD_LEDGER.count_source.rows(county, data) is not None  # the tally answers
    from_tally = HAZARD_LEDGER.counts(county, data, by=("level", "state"))
    live = list(
        HAZARD_LEDGER.queryset(county, data)
        .order_by()
        .values("level", "state")
        .annotate(n=Count("pk"))
        .order_by("level", "state")
    )
    assert from_tally == live


def test_the_api_page_is_one_statement_with_its_count(hazards, personas):
    county = personas["county"]
    scope_of(county)  # the scope is built once per request, before the ledger
    for filters in ({}, {"state": "open"}, {"q": "防护罩"}):
        with CaptureQueriesContext(connection) as queries:
            page = HAZARD_LEDGER.api_list(county, filters, Pages.Input(page=1))
        assert len(queries) == 1, [q["sql"] for q in queries]
        assert page["count"] == len(page["items"]) > 0
    # A page past the last asks for the count alone.
    with CaptureQueriesContext(connection) as queries:
        past = HAZARD_LEDGER.api_list(county, {}, Pages.Input(page=1000))
    assert past["items"] == [] and past["count"] == len(hazards) and len(queries) == 2


@pytest.mark.parametrize(
    ("path", "field", "value"),
    [
        ("/api/v1/hazards/", "level", "bogus"),
        ("/api/v1/hazards/", "enterprise", "0"),
        ("/api/v1/hazards/stats", "state", "bogus"),
        ("/api/v1/incidents/", "grade", "bogus"),
        ("/api/v1/risks/tasks", "state", "bogus"),
        ("/api/v1/duty/swaps", "state", "bogus"),
        ("/api/v1/duty/log", "kind", "bogus"),
        ("/api/v1/duty/rosters", "month", "November"),
        ("/api/v1/duty/rosters", "state", "bogus"),
        ("/api/v1/duty/shifts", "start_from", "bogus"),
        ("/api/v1/duty/handovers", "organisation", "0"),
        ("/api/v1/risks/objects", "enterprise", "0"),
        ("/api/v1/risks/units", "include_archived", "maybe"),
        ("/api/v1/risks/events", "level", "bogus"),
        ("/api/v1/risks/measures", "event", "0"),
    ],
)
def test_invalid_filters_are_a_structured_422_in_the_api(path, field, value, api):  # noqa: F811
    response = api("county").get(path, {field: value})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert error["message"] == "请求中有字段不符合要求。"
    assert list(error["fields"]) == [field] and error["fields"][field][0]


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("hazards:list", {"level": "bogus"}),
        ("incidents:list", {"grade": "bogus"}),
        ("risks:tasks", {"state": "bogus"}),
        ("duty:swaps", {"state": "bogus"}),
        ("duty:log", {"days": "999"}),
    ],
)
def test_invalid_filters_are_told_in_chinese_on_the_page(name, query, client_for):
    response = client_for("county").get(reverse(name), query)
    assert response.status_code == 200
    text = response.content.decode()
    assert 'data-testid="filter-errors"' in text
    assert "筛选条件有误，未按任何条件筛选：" in text
    # Django's messages as our catalog words them (test_wording.py)
    assert "不在可选范围内，请重新选择。" in text or "不能大于 " in text


def test_an_htmx_request_gets_only_the_rows(hazards, client_for):
    client = client_for("town-a")
    full = client.get(reverse("hazards:list"), {"state": "open"})
    partial = client.get(reverse("hazards:list"), {"state": "open"}, HTTP_HX_REQUEST="true")
    full_names = [t.name for t in full.templates]
    partial_names = [t.name for t in partial.templates]
    assert "hazards/list.html" in full_names and "hazards/_rows.html" in full_names
    assert "hazards/list.html" not in partial_names and partial_names[0] == "hazards/_rows.html"
    assert "<html" not in partial.content.decode()
    assert [h.pk for h in partial.context["page"].object_list] == [
        h.pk for h in full.context["page"].object_list
    ]


def test_the_incident_ledger_page_api_and_counts_agree(personas, client_for, api):  # noqa: F811
    from tests.incidents.factories import incident

    for _ in range(2):
        incident(personas["ent-a"])
    user = personas["county"]
    body = api("county").get("/api/v1/incidents/").json()
    page = client_for("county").get(reverse("incidents:list"))
    assert body["count"] == page.context["page"].paginator.count == 2
    assert [i["id"] for i in body["items"]] == [i.pk for i in page.context["page"].object_list]
    counts = INCIDENT_LEDGER.counts(user, {}, by=("grade",))
    assert sum(row["n"] for row in counts) == 2


def test_every_api_list_is_a_ledgers():
    """Every API route that exposes a list (``@exposes(List(...))``) answers from a ledger's
    ``api_list`` (core/ledger.py), never from a queryset it filtered and paged itself."""
    from pathlib import Path

    import anlan

    root = Path(anlan.__file__).parent
    by_hand, lists = [], 0
    for path in sorted(root.glob("*/api*.py")) + sorted(root.glob("*/api/*.py")):
        for route in path.read_text(encoding="utf-8").split("@exposes(")[1:]:
            if route.startswith("List("):
                lists += 1
                if ".api_list(" not in route or "@paginate" in route:
                    by_hand.append(f"{path.relative_to(root)}: {route.split(chr(10))[0]}")
    assert lists >= 13 and by_hand == []
