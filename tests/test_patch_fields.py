"""API honesty (issue 10, point 7): a PATCH naming a field that does not exist, that is
read-only, or that this caller may not change answers 422 naming the field; nothing is
written. Every PATCH operation of the API is covered (the first test fails when one is added
without a case here)."""

import json

import pytest
import time_machine
from django.test import Client

from anlan.accounts.models import ApiToken
from anlan.api.site import api as ninja_api
from tests.duty.factories import at, roster, shift_at
from tests.risks.factories import register

PATCH_ROUTES = {
    "/api/v1/enterprises/{enterprise_id}",
    "/api/v1/risks/objects/{object_id}",
    "/api/v1/risks/units/{unit_id}",
    "/api/v1/risks/events/{event_id}",
    "/api/v1/risks/measures/{measure_id}",
    "/api/v1/duty/shifts/{shift_id}",
}


@pytest.fixture
def api(personas):
    def make(persona: str) -> Client:
        _, key = ApiToken.objects.issue(personas[persona])
        return Client(HTTP_AUTHORIZATION=f"Bearer {key}")

    return make


def patch(client, url: str, body: dict):
    return client.patch(url, json.dumps(body), content_type="application/json")


def refused(response, *names: str, message: str) -> None:
    assert response.status_code == 422, response.content
    fields = response.json()["error"]["fields"]
    assert set(fields) == set(names), fields
    for name in names:
        assert fields[name] == [message]


UNKNOWN = "未知字段。"
LOCKED = "您无权修改此字段。"


def test_every_patch_route_is_covered():
    schema = ninja_api.get_openapi_schema()
    assert {path for path, ops in schema["paths"].items() if "patch" in ops} == PATCH_ROUTES


def test_enterprise_patch_refuses_unknown_read_only_and_locked_fields(api, personas):
    own = personas["ent-a"].enterprise
    url = f"/api/v1/enterprises/{own.pk}"
    county = api("county")
    refused(patch(county, url, {"nmae": "错字有限公司"}), "nmae", message=UNKNOWN)
    refused(patch(county, url, {"id": 1, "created_at": "2026-01-01T00:00:00Z"}), "id",
            "created_at", message=UNKNOWN)  # fmt: skip
    # An enterprise user may keep its contacts up to date, not its name, region or category.
    company = api("ent-a")
    response = patch(company, url, {"name": "改名有限公司", "address": "新地址 1 号"})
    refused(response, "name", message=LOCKED)
    refused(patch(company, url, {"is_key": False, "category": "transport"}), "is_key",
            "category", message=LOCKED)  # fmt: skip
    own.refresh_from_db()
    assert own.name != "改名有限公司" and own.address != "新地址 1 号"
    # What it may change still changes; the county may change the name.
    assert patch(company, url, {"address": "新地址 1 号"}).json()["address"] == "新地址 1 号"
    assert patch(county, url, {"name": "改名有限公司"}).json()["name"] == "改名有限公司"


@pytest.mark.parametrize(
    "kind,index,read_only,text",
    [
        ("objects", 0, "enterprise", "name"),
        ("units", 1, "risk_object", "name"),
        ("events", 2, "level", "name"),
        ("measures", 3, "event", "description"),
    ],
)
def test_risk_register_patches_refuse_unknown_and_read_only_fields(
    api, personas, kind, index, read_only, text
):
    record = register(personas["ent-a"])[index]
    url = f"/api/v1/risks/{kind}/{record.pk}"
    company = api("ent-a")
    before = company.get(url).json()
    refused(patch(company, url, {"nmae": "x"}), "nmae", message=UNKNOWN)
    refused(patch(company, url, {read_only: 1, text: "新名称"}), read_only, message=UNKNOWN)
    refused(patch(company, url, {"archived": True}), "archived", message=UNKNOWN)
    assert company.get(url).json() == before
    assert patch(company, url, {text: "新名称"}).json()[text] == "新名称"


def test_shift_patch_refuses_unknown_and_read_only_fields(api, personas):
    made = roster(personas["county"])
    future = shift_at(made, at(2026, 11, 25, 12))
    url = f"/api/v1/duty/shifts/{future.pk}"
    county = api("county")
    with time_machine.travel(at(2026, 11, 23, 9), tick=False):
        refused(patch(county, url, {"notes": "x"}), "notes", message=UNKNOWN)
        refused(patch(county, url, {"roster": 1, "officer_checked_in_at": None}), "roster",
                "officer_checked_in_at", message=UNKNOWN)  # fmt: skip
        assert patch(county, url, {"note": "加强值守"}).json()["note"] == "加强值守"
    future.refresh_from_db()
    assert future.officer_checked_in_at is None
