"""Every incident route × every persona: out of scope is 404, lists show exactly the scope."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from anlan.incidents.models import Incident
from tests.incidents import routes
from tests.incidents.factories import incident
from tests.test_access_matrix import TOWN_B, expected


@pytest.fixture
def incidents(personas):
    return [
        incident(personas["ent-a"]),
        incident(personas["ent-b"]),
        incident(
            personas["town-a"], region_id="990102002001", kind="road_traffic", title="货车侧翻"
        ),
        incident(
            personas["county"],
            region_id=f"{TOWN_B}001",
            kind="natural_disaster",
            title="山洪",
            supervision_category_id=None,
        ),  # fmt: skip
    ]


def visible(name, user, item) -> bool:
    return expected(name, user, item.region_id, item.supervision_category_id, item.enterprise_id)


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_incident_routes_hide_what_is_out_of_scope(personas, incidents):
    body = {"deaths": 9, "missing": 0, "serious_injuries": 0, "minor_injuries": 0, "trapped": 0,
            "direct_loss_yuan": 0, "description": "x", "learned_at": "2026-01-01T00:00:00+08:00"}  # fmt: skip
    for name, user in personas.items():
        client = logged_in(user)
        for item in incidents:
            seen = visible(name, user, item)
            before = Incident.objects.filter(pk=item.pk).values().get()
            for route, method in routes.OBJECT_WEB.items():
                url = reverse(route, args=[item.pk])
                response = client.get(url) if method == "GET" else client.post(url, body)
                where = f"{name} {method} {url}"
                assert (response.status_code == 404) is not seen, where
                assert response.status_code != 500, where
            for method, path in routes.OBJECT_API:
                url = "/api/v1" + path.replace("{int:incident_id}", str(item.pk))
                url = url.replace("{name}", "follow_up")
                response = client.generic(method, url, json.dumps(body), "application/json")
                where = f"{name} {method} {url}"
                assert (response.status_code == 404) is not seen, where
                assert response.status_code != 500, where
            if not seen:
                assert Incident.objects.filter(pk=item.pk).values().get() == before, name


def test_incident_lists_and_statistics_show_exactly_the_scope(personas, incidents):
    for name, user in personas.items():
        client = logged_in(user)
        want = {i.pk for i in incidents if visible(name, user, i)}
        page = client.get(reverse("incidents:list"))
        assert {i.pk for i in page.context["page"].object_list} == want, name
        items = client.get("/api/v1/incidents/").json()["items"]
        assert {i["id"] for i in items} == want, name
        stats = client.get("/api/v1/incidents/stats").json()
        assert stats["totals"]["n"] == len(want), name
        assert client.get(reverse("incidents:stats")).context["s"]["totals"]["n"] == len(want)
        form = client.get(reverse("incidents:new"))
        assert form.status_code in (200, 403), name
