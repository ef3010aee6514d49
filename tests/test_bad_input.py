"""No 500 from bad input (issue 10, point 9): each input below was a 500 and is now a 422 with a
Chinese message, in the API's error shape or on a page. The fuzzer (test_api_fuzz.py) covers
the whole OpenAPI; these are the cases found by it and by hand, named."""

import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from anlan.accounts.models import ApiToken
from anlan.api.site import api as ninja_api
from anlan.registry.models import Enterprise
from tests.incidents.factories import incident as make_incident
from tests.registry.xlsx import good_row, workbook_bytes

HUGE = 10**20  # page x size beyond a 64-bit OFFSET
INVALID = "请求中有字段不符合要求。"
NUL_MESSAGE = "内容不能包含空字符（\\0）。"
DATE_MESSAGE = "请输入 1900 年至 2999 年之间的日期。"


@pytest.fixture
def api(personas):
    def make(persona: str) -> Client:
        _, key = ApiToken.objects.issue(personas[persona])
        return Client(HTTP_AUTHORIZATION=f"Bearer {key}")

    return make


def send(client, method: str, url: str, data) -> object:
    return getattr(client, method)(url, json.dumps(data), content_type="application/json")


def refused(response, *fields: str, message: str | None = None) -> dict:
    assert response.status_code == 422, response.content
    error = response.json()["error"]
    assert error["code"] == "validation_error" and error["message"] == INVALID
    for name in fields:
        assert name in error["fields"], error
        if message:
            assert error["fields"][name] == [message]
    return error


def list_paths() -> list[str]:
    schema = ninja_api.get_openapi_schema()
    return [
        path
        for path, operations in schema["paths"].items()
        if "get" in operations
        and any(p["name"] == "page" for p in operations["get"].get("parameters", []))
    ]


# Page numbers ------------------------------------------------------------------------------


def test_every_list_endpoint_refuses_a_page_beyond_the_bound(api):
    paths = list_paths()
    assert len(paths) >= 12  # every paginated list of every app
    client = api("county")
    for path in paths:
        refused(client.get(path, {"page": HUGE}), "page", message="数值过大。")
        assert client.get(path, {"page": 1_000_000}).status_code == 200, path


@pytest.mark.parametrize(
    "name",
    ["registry:list", "hazards:list", "incidents:list", "risks:tasks", "duty:swaps"],
)
def test_ledger_pages_take_any_page_number(client_for, name):
    client = client_for("county")
    for page in (HUGE, -1, "x", "1\x00"):
        assert client.get(reverse(name), {"page": page}).status_code in (200, 422), page


# NUL characters ----------------------------------------------------------------------------


def test_nul_in_an_api_body_names_the_field(api):
    client = api("county")
    response = send(client, "post", "/api/v1/enterprises/", {"name": "清河\x00", "uscc": "x"})
    refused(response, "name", message=NUL_MESSAGE)
    response = send(
        api("ent-a"), "post", "/api/v1/risks/tasks/1/complete", {"results": [{"note": "\x00"}]}
    )
    refused(response, "results.0.note")


def test_nul_in_a_query_filter_is_refused(api):
    client = api("county")
    for path in ("/api/v1/enterprises/", "/api/v1/hazards/", "/api/v1/hazards/stats"):
        refused(client.get(path, {"q": "青石\x00"}), "q", message=NUL_MESSAGE)
    refused(client.get("/api/v1/regions/", {"prefix": "\x00"}), "prefix")
    refused(client.get("/api/v1/incidents/", {"kind": "\x00"}), "kind")


def test_nul_in_a_multipart_api_form_is_refused(api):
    response = api("county").post(
        "/api/v1/hazards/", {"source": "inspection", "description": "漏电\x00", "category": "x"}
    )
    refused(response, "description")


def test_nul_in_a_page_form_or_filter_is_a_page_with_the_message(client_for, client):
    c = client_for("county")
    for response in (
        c.get(reverse("registry:list"), {"q": "\x00"}),
        c.get(reverse("hazards:list"), {"region": "\x00"}),
        c.post(reverse("registry:create"), {"name": "\x00"}),
        client.post(reverse("login"), {"username": "demo-county\x00", "password": "x"}),
    ):
        assert response.status_code == 422
        assert NUL_MESSAGE in response.content.decode()


def test_text_without_nul_passes(api):
    assert api("county").get("/api/v1/enterprises/", {"q": "青石 \\u0000"}).status_code == 200


# Dates, times and offsets ------------------------------------------------------------------


def incident(**overrides) -> dict:
    return {
        "kind": "production",
        "title": "青石镇某厂机械伤害",
        "occurred_at": "2026-11-20T10:00:00+08:00",
        "location": "青石镇",
        "region": "990102002001",
        "supervision_category": "industry",
        "description": "一人受伤",
        "reporter_name": "张三",
        "reporter_phone": "13800000000",
    } | overrides


@pytest.mark.parametrize(
    "moment",
    ["9999-12-31T23:59:00+08:00", "0001-01-01T00:00:00+00:00", "0001-01-01T00:00:00+08:00"],
)
def test_a_datetime_in_year_1_or_9999_is_refused(api, moment):
    response = send(api("county"), "post", "/api/v1/incidents/", incident(occurred_at=moment))
    refused(response, "occurred_at", message=DATE_MESSAGE)
    response = api("county").get("/api/v1/duty/shifts", {"start_from": moment})
    refused(response, "start_from", message=DATE_MESSAGE)


@pytest.mark.parametrize("offset", ["+16:00", "-16:00", "+23:59"])
def test_a_utc_offset_beyond_15_59_is_refused(api, offset):
    moment = f"2026-11-20T10:00:00{offset}"
    response = send(api("county"), "post", "/api/v1/incidents/", incident(occurred_at=moment))
    refused(response, "occurred_at", message="时区偏移须在 ±15:59 以内。")
    refused(api("county").get("/api/v1/duty/log", {"since": moment}), "since")
    entry = {"occurred_at": moment, "kind": "call", "content": "来电"}
    refused(send(api("county"), "post", "/api/v1/duty/log", entry), "occurred_at")


def test_offsets_within_15_59_are_taken(api):
    response = api("county").get("/api/v1/duty/shifts", {"start_from": "2026-11-20T10:00-15:59"})
    assert response.status_code == 200


@pytest.mark.parametrize("start", ["0001-01-01", "9999-12-30"])
def test_statistics_for_a_period_starting_in_year_1_or_9999(api, start):
    response = api("county").get("/api/v1/incidents/stats", {"start": start})
    refused(response, "start", message=DATE_MESSAGE)
    response = api("county").get("/api/v1/incidents/stats", {"end": "9999-12-31"})
    refused(response, "end")


def test_statistics_for_a_period_in_range_still_answer(api):
    response = api("county").get("/api/v1/incidents/stats", {"start": "1900-01-01"})
    assert response.status_code == 200


# Ids beyond the database's integers --------------------------------------------------------


@pytest.mark.parametrize("value", [2**63, 2**63 - 1, 2**31, 10**30])
def test_id_filters_are_bounded(api, value):
    client = api("county")
    for path, name in [
        ("/api/v1/hazards/", "enterprise"),
        ("/api/v1/hazards/stats", "enterprise"),
        ("/api/v1/risks/objects", "enterprise"),
        ("/api/v1/duty/shifts", "organisation"),
    ]:
        refused(client.get(path, {name: value}), name, message="数值过大。")
    body = {"enterprise": value, "kind": "site", "name": "x"}
    refused(send(client, "post", "/api/v1/risks/objects", body), "enterprise")


def test_path_ids_beyond_the_database_are_not_found(api):
    client = api("county")
    for path in ("/api/v1/enterprises/", "/api/v1/hazards/", "/api/v1/incidents/"):
        assert client.get(f"{path}{2**63}").status_code == 404
        assert client.get(f"{path}{10**30}").status_code == 404


def test_id_filters_of_the_ledger_page_are_bounded(client_for):
    response = client_for("county").get(reverse("hazards:list"), {"enterprise": 2**63})
    assert response.status_code == 200


# Excel files -------------------------------------------------------------------------------


def with_doctype(content: bytes, member: str, declaration: bytes, use: bool) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            if name == member:
                start = data.index(b"?>") + 2 if data.startswith(b"<?xml") else 0
                data = data[:start] + declaration + data[start:]
                if use:  # the entity used inside the root element
                    end = data.index(b">", data.index(b"<", start + len(declaration) + 1)) + 1
                    data = data[:end] + b"&e;" + data[end:]
            target.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize(
    "member", ["xl/workbook.xml", "xl/worksheets/sheet1.xml", "[Content_Types].xml"]
)
@pytest.mark.parametrize(
    "declaration,use",
    [
        (b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>', True),
        (b'<!DOCTYPE x [<!ENTITY e "boom">]>', True),
        (b'<!DOCTYPE x [<!ENTITY e "boom">]>', False),
    ],
)
def test_an_xlsx_with_a_doctype_is_a_file_error(client_for, member, declaration, use):
    content = workbook_bytes([good_row("91990102MA0000001X", "实体声明有限公司")])
    upload = SimpleUploadedFile("x.xlsx", with_doctype(content, member, declaration, use))
    response = client_for("county").post(reverse("registry:import"), {"file": upload})
    assert response.status_code == 400
    assert "DOCTYPE" in str(response.context["errors"][0])
    assert not Enterprise.objects.filter(name="实体声明有限公司").exists()


def test_the_risk_register_import_refuses_a_doctype_too(client_for, personas):
    from anlan.risks.imports import COLUMNS

    headers = [c.header for c in COLUMNS]
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(headers)
    buffer = io.BytesIO()
    book.save(buffer)
    content = with_doctype(
        buffer.getvalue(), "xl/workbook.xml", b'<!DOCTYPE x [<!ENTITY e "boom">]>', True
    )
    enterprise = personas["ent-a"].enterprise
    url = reverse("risks:import", args=[enterprise.pk])
    response = client_for("ent-a").post(url, {"file": SimpleUploadedFile("r.xlsx", content)})
    assert response.status_code in (200, 400)
    assert "DOCTYPE" in response.content.decode()


@pytest.mark.parametrize(
    "period",
    [{"from": "0001-01-01"}, {"to": "9999-12-31"}, {"from": "0001-01-01", "to": "0001-01-02"}],
)
def test_the_statistics_page_for_a_period_in_year_1_or_9999(client_for, period):
    response = client_for("county").get(reverse("incidents:stats"), period)
    assert response.status_code == 200  # out-of-range dates read as the default period


# Bodies that are not JSON --------------------------------------------------------------------

NOT_JSON = "请求体须为 JSON（Content-Type: application/json）。"


FORM = "application/x-www-form-urlencoded"


@pytest.mark.parametrize("login", ["token", "session"])
@pytest.mark.parametrize("encoding", ["multipart", "urlencoded"])
def test_a_form_body_to_a_json_route_is_refused(api, client_for, personas, login, encoding):
    """A multipart POST to an operation taking a JSON body was a 500 (RawPostDataException:
    the form was parsed before ninja read request.body); a url-encoded one a JSON syntax
    error. Both are a 415 saying the body must be JSON."""
    client = api("county") if login == "token" else client_for("county")
    reported = make_incident(personas["ent-a"])
    for path in (
        f"/api/v1/incidents/{reported.pk}/transitions/follow_up",
        "/api/v1/enterprises/",
    ):
        if encoding == "multipart":
            response = client.post(path, {"comment": "跟进", "deaths": "1"})
        else:
            response = client.post(path, "comment=%E8%B7%9F%E8%BF%9B&deaths=1", FORM)
        assert response.status_code == 415, (path, response.content)
        assert response.json() == {"error": {"code": "unsupported_media_type", "message": NOT_JSON}}


def test_the_same_route_still_takes_json(api, personas):
    """JSON is read as before, also when sent with a form's type (``curl -d``)."""
    client = api("county")
    path = f"/api/v1/incidents/{make_incident(personas['ent-a']).pk}/transitions/follow_up"
    refused(send(client, "post", path, {"comment": "跟进", "deaths": "x"}), "deaths")
    refused(client.post(path, json.dumps({"comment": "跟进", "deaths": "x"}), FORM), "deaths")


def test_the_json_routes_document_the_415():
    schema = ninja_api.get_openapi_schema()
    follow_up = schema["paths"]["/api/v1/incidents/{incident_id}/transitions/{name}"]["post"]
    assert "415" in follow_up["responses"] or 415 in follow_up["responses"]
    report = schema["paths"]["/api/v1/hazards/"]["post"]  # multipart: a form with photos
    assert "415" not in report["responses"] and 415 not in report["responses"]
