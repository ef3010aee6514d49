"""One file per enterprise (一企一档): the enterprise page's sections, each figure a ledger's
count for the rows its link lists, scoped like every list (registry/sections.py)."""

import pytest
from django.utils import translation

from anlan.registry import sections
from anlan.registry.sections import EnterpriseSection, Figure, register_enterprise_section
from tests.hazards.factories import report
from tests.incidents.factories import incident

KEYS = ["hazards", "risks", "tasks", "incidents"]


def rows_listed(client, url: str) -> int:
    """The number of rows the ledger page at ``url`` lists (its paginator's count)."""
    response = client.get(url)
    assert response.status_code == 200, url
    if "page" in response.context:
        return response.context["page"].paginator.count
    # The risk register: its events, in the tree of objects and units.
    objects = response.context["objects"]
    return sum(len(unit.events.all()) for obj in objects for unit in obj.units.all())


def figures(response) -> dict:
    """The figures by section, by their English label."""
    with translation.override("en"):
        return {s.key: {str(f.label): f for f in s.figures} for s in response.context["sections"]}


@pytest.mark.parametrize("viewer", ["county", "town-a", "ent-a", "leader"])
def test_every_figure_is_the_number_of_rows_its_link_lists(client_for, personas, viewer):
    ent = personas["ent-a"].enterprise
    report(personas["ent-a"])
    report(personas["ent-a"], level="major")
    incident(personas["ent-a"])
    client = client_for(viewer)
    response = client.get(ent.get_absolute_url())
    assert response.status_code == 200
    assert [s.key for s in response.context["sections"]] == KEYS
    shown = figures(response)
    assert shown["hazards"]["all"].count >= 2 and shown["incidents"]["all"].count >= 1
    for section in shown.values():
        for figure in section.values():
            assert figure.count == rows_listed(client, figure.url), figure
    html = response.content.decode()
    assert 'data-testid="section-hazards"' in html and "隐患" in html


def test_counts_are_the_viewers_scope(client_for, personas):
    """Town A sees no file of an enterprise in town B: no page, no counts."""
    ent_b = personas["ent-b"].enterprise
    report(personas["ent-b"])
    county = figures(client_for("county").get(ent_b.get_absolute_url()))
    assert county["hazards"]["all"].count >= 1
    town_a = client_for("town-a").get(ent_b.get_absolute_url())
    assert town_a.status_code == 404  # not in town A: no page, no counts


def test_a_ledger_opened_from_the_file_says_whose_records_it_lists(client_for, personas):
    ent = personas["ent-a"].enterprise
    page = client_for("county").get(f"/hazards/?enterprise={ent.pk}")
    html = page.content.decode()
    assert 'data-testid="filtered-by-enterprise"' in html and ent.name in html
    assert "查看全部" in html and "返回企业档案" in html
    # An enterprise outside the viewer's scope is not named.
    other = client_for("ent-b").get(f"/incidents/?enterprise={ent.pk}")
    assert other.status_code == 200 and ent.name not in other.content.decode()
    assert other.context["page"].paginator.count == 0


def test_a_later_app_adds_its_section_through_one_registration(client_for, personas):
    def inspections(user, enterprise):
        return EnterpriseSection(
            "inspections", "Inspections", "clipboard-check", [Figure("all", 7, "/x/")]
        )

    register_enterprise_section(inspections, order=50)
    try:
        ent = personas["ent-a"].enterprise
        keys = [s.key for s in client_for("county").get(ent.get_absolute_url()).context["sections"]]
        assert keys == [*KEYS, "inspections"]
    finally:
        sections._PROVIDERS[:] = [p for p in sections._PROVIDERS if p[1] is not inspections]


def test_the_incident_api_filters_by_enterprise(client_for, personas):
    ent = personas["ent-a"].enterprise
    incident(personas["ent-a"])
    listed = client_for("county").get(f"/api/v1/incidents/?enterprise={ent.pk}").json()
    assert listed["count"] >= 1
    assert all(item["enterprise"] == ent.pk for item in listed["items"])
