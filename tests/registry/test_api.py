import json

import pytest
from django.test import Client

from anlan.registry.models import Enterprise
from tests.conftest import PASSWORD
from tests.registry.test_views import uscc


def token_for(username: str) -> str:
    response = Client().post(
        "/api/v1/auth/token",
        json.dumps({"username": username, "password": PASSWORD}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    return response.json()["token"]


@pytest.fixture
def api(db):
    def make(persona: str) -> Client:
        return Client(HTTP_AUTHORIZATION=f"Bearer {token_for('demo-' + persona)}")

    return make


def payload(**overrides):
    data = {
        "name": "清河县接口测试有限公司",
        "uscc": uscc(101),
        "address": "白沙镇 1 号",
        "region": "990102003001",
        "longitude": "117.6",
        "latitude": "29.7",
        "industry": "G",
        "category": "transport",
        "scale": "small",
        "employees": 25,
        "is_key": False,
        "legal_representative": "钱七",
        "safety_manager": "孙八",
        "safety_manager_phone": "13700000000",
    }
    data.update(overrides)
    return data


def post(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def test_token_with_wrong_password_is_a_structured_401(db):
    response = Client().post(
        "/api/v1/auth/token",
        json.dumps({"username": "demo-county", "password": "wrong"}),
        content_type="application/json",
    )
    assert response.status_code == 401
    assert response.json() == {
        "error": {"code": "invalid_credentials", "message": "用户名或密码错误。"}
    }


def test_no_credentials_is_a_structured_401(db):
    response = Client().get("/api/v1/enterprises/")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"
    bad = Client(HTTP_AUTHORIZATION="Bearer nonsense").get("/api/v1/enterprises/")
    assert bad.status_code == 401


def test_me(api):
    body = api("dept-transport").get("/api/v1/auth/me").json()
    assert body["role"] == "department_staff" and "registry.create" in body["actions"]


def test_list_is_scoped_and_filtered(api):
    client = api("town-b")
    body = client.get("/api/v1/enterprises/", {"category": "transport"}).json()
    expected = Enterprise.objects.filter(region__code__startswith="990102003", category="transport")
    assert body["count"] == expected.count() > 0
    assert {item["id"] for item in body["items"]} == set(expected.values_list("pk", flat=True))
    assert all(item["region"].startswith("990102003") for item in body["items"])


def test_list_rejects_a_bad_filter(api):
    response = api("county").get("/api/v1/enterprises/", {"region": "abc"})
    assert response.status_code == 422
    assert response.json()["error"]["fields"]["region"] == ["区划代码只能是数字。"]


def test_detail_out_of_scope_is_404(api, personas):
    other = personas["ent-b"].enterprise_id
    response = api("town-a").get(f"/api/v1/enterprises/{other}")
    assert response.status_code == 404
    assert response.json() == {"error": {"code": "not_found", "message": "未找到。"}}


def test_create_update_archive_history(api, personas):
    client = api("dept-transport")
    created = post(client, "/api/v1/enterprises/", payload())
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["category_name"] == "交通运输"

    patched = client.patch(
        f"/api/v1/enterprises/{pk}", json.dumps({"employees": 80}), content_type="application/json"
    )
    assert patched.status_code == 200 and patched.json()["employees"] == 80

    archived = post(client, f"/api/v1/enterprises/{pk}/archive", {"reason": "迁出本县"})
    assert archived.status_code == 200 and archived.json()["archive_reason"] == "迁出本县"
    again = client.patch(
        f"/api/v1/enterprises/{pk}", json.dumps({"employees": 81}), content_type="application/json"
    )
    assert again.status_code == 409

    history = client.get(f"/api/v1/enterprises/{pk}/history").json()
    assert [h["kind"] for h in history] == ["修改", "修改", "新建"]
    assert history[1]["changes"] == [
        {"field": "employees", "label": "从业人员数", "old": "25", "new": "80"}
    ]
    assert all(h["who"] == "demo-dept-transport" for h in history)


def test_create_validation_errors_are_per_field_in_chinese(api):
    client = api("dept-transport")
    response = post(
        client,
        "/api/v1/enterprises/",
        payload(uscc="91350100M000100Y44", category="hazardous_chemicals"),
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert "校验位" in error["fields"]["uscc"][0]
    assert "本部门监管" in error["fields"]["category"][0]

    missing = post(client, "/api/v1/enterprises/", {"name": "x", "employees": "many"})
    fields = missing.json()["error"]["fields"]
    assert missing.status_code == 422
    assert fields["uscc"] == ["此项为必填项。"] and fields["employees"] == ["请输入整数。"]


def test_roles_without_the_action_get_403(api, personas):
    response = post(api("leader"), "/api/v1/enterprises/", payload())
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    own = personas["ent-a"].enterprise_id
    assert (
        post(api("ent-a"), f"/api/v1/enterprises/{own}/archive", {"reason": "不想被管"}).status_code
        == 403
    )


def test_session_auth_needs_csrf(personas):
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas["county"])
    assert client.get("/api/v1/enterprises/").status_code == 200
    assert post(client, "/api/v1/enterprises/", payload()).status_code in (401, 403)


def test_openapi_schema_and_docs_are_served(client_for):
    c = client_for("county")
    schema = c.get("/api/v1/openapi.json").json()
    assert "/api/v1/enterprises/" in schema["paths"]
    assert "/api/v1/auth/token" in schema["paths"]
    docs = c.get("/api/v1/docs")
    assert docs.status_code == 200
    assert b"cdn" not in docs.content.lower()
