"""Statistics pages and API routes over a period against the same days last year
(core/periods.py): local midnights, quarters, 29 February, wrong periods refused."""

from datetime import datetime
from zoneinfo import ZoneInfo

import time_machine

from tests.hazards.factories import report
from tests.incidents.factories import incident

TZ = ZoneInfo("Asia/Shanghai")
Q1 = "period=range&start=2026-01-01&end=2026-03-31"


def found(moments, person) -> None:
    for moment in moments:
        report(person, found_at=datetime(*moment, tzinfo=TZ))


def test_hazards_found_in_the_period_and_a_year_before(personas, client_for):
    county = client_for("county")
    with time_machine.travel(datetime(2026, 4, 2, 10, tzinfo=TZ), tick=False):
        first = county.get(f"/api/v1/hazards/stats?{Q1}").json()
        first_page = county.get("/hazards/stats/?period=quarter").context
        found(
            [
                (2025, 3, 10, 9, 0),  # the same quarter last year
                (2025, 12, 31, 23, 50),  # last year, after it
                (2026, 1, 1, 0, 10),  # the first minutes of the quarter, local time
                (2026, 3, 31, 23, 50),  # its last minutes
                (2026, 4, 1, 0, 10),  # the next quarter (this quarter: 1 to 2 April)
            ],
            personas["ent-a"],
        )
        then = county.get(f"/api/v1/hazards/stats?{Q1}").json()
        page = county.get("/hazards/stats/?period=quarter")
    dates = [then[k] for k in ("period", "start", "end", "before_start", "before_end")]
    assert dates == ["range", "2026-01-01", "2026-03-31", "2025-01-01", "2025-03-31"]
    assert then["totals"]["found"] - first["totals"]["found"] == 2
    assert then["totals"]["before"]["found"] - first["totals"]["before"]["found"] == 1
    town_a = {row["name"]: row for row in then["by_town"]}["青石镇"]
    assert town_a["before"] is not None
    # This quarter (1 to 2 April) on the page, against 1 to 2 April 2025.
    context = page.context
    assert (context["period"].start.isoformat(), context["before"].end.isoformat()) == (
        "2026-04-01",
        "2025-04-02",
    )
    assert context["totals"]["found"] - first_page["totals"]["found"] == 1
    html = page.content.decode()
    assert (
        "本季度：2026-04-01 至 2026-04-02" in html and "去年同期：2025-04-01 至 2025-04-02" in html
    )
    # The figure's link lists exactly the hazards it counts.
    with time_machine.travel(datetime(2026, 4, 2, 10, tzinfo=TZ), tick=False):
        ledger = county.get(f"/hazards/?{context['ledger_query']}")
    assert ledger.context["page"].paginator.count == context["totals"]["found"]


def test_hazard_statistics_default_to_every_record(client_for):
    county = client_for("county")
    page = county.get("/hazards/stats/")
    assert page.context["period"] is None and page.context["totals"].get("before") is None
    assert (
        page.context["totals"]["found"] == county.get("/hazards/").context["page"].paginator.count
    )
    assert county.get("/api/v1/hazards/stats").json()["period"] == "all"


def test_incidents_on_29_february_compare_with_28_february(personas, client_for):
    ent = personas["ent-a"]
    for moment in [(2027, 2, 28, 12, 0), (2028, 2, 29, 0, 30), (2028, 2, 29, 23, 50)]:
        with time_machine.travel(datetime(*moment, tzinfo=TZ), tick=False):
            incident(ent)  # occurred 20 minutes before
    with time_machine.travel(datetime(2028, 3, 10, 9, tzinfo=TZ), tick=False):
        county = client_for("county")  # logged in then: a session of 2026 has expired
        leap = county.get("/api/v1/incidents/stats?start=2028-02-29&end=2028-02-29").json()
        page = county.get("/incidents/stats/?period=range&start=2028-02-29&end=2028-02-29")
    assert (leap["before_start"], leap["before_end"]) == ("2027-02-28", "2027-02-28")
    # 00:10 and 23:30 on the 29th count; the one at 11:40 on 28 February 2027 is last year's.
    assert (leap["totals"]["n"], leap["totals_before"]["n"]) == (2, 1)
    assert page.context["s"]["totals"]["n"] == 2
    html = page.content.decode()
    assert "+1 (+100%)" in html  # two against one


def test_wrong_periods_are_refused_with_the_parameter_named(client_for):
    county = client_for("county")
    for url, field in [
        ("/api/v1/incidents/stats?period=range&start=2999-03-01", "end"),  # today is before
        ("/api/v1/incidents/stats?start=2026-03-02&end=2026-03-01", "end"),
        ("/api/v1/hazards/stats?period=range&end=2026-03-01", "start"),
    ]:
        response = county.get(url)
        assert response.status_code == 422, url
        assert field in response.json()["error"]["fields"], url
    assert county.get("/api/v1/incidents/stats?period=week").status_code == 422
    assert county.get("/api/v1/incidents/stats?period=all").status_code == 422
    page = county.get("/incidents/stats/?period=range&start=2026-03-02&end=2026-03-01")
    assert page.status_code == 400
    assert "截止日期不能早于起始日期" in page.content.decode()
    assert page.context["period"].kind == "year"  # the default period is shown meanwhile
    hazards = county.get("/hazards/stats/?period=range&start=2026-02-30&end=2026-03-01")
    assert hazards.status_code == 400 and "请输入日期" in hazards.content.decode()
