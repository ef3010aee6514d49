"""API tokens: listed and revoked by their owner or an administrator (never by another user:
404), revoking marks and keeps the row; a password change revokes all of a user's tokens."""

import json

from django.test import Client
from django.urls import reverse

from anlan.accounts.models import ApiToken, TokenRevocation
from tests.conftest import PASSWORD


def token_for(username: str) -> str:
    response = Client().post(
        "/api/v1/auth/token",
        json.dumps({"username": username, "password": PASSWORD}),
        content_type="application/json",
    )
    assert response.status_code == 200
    return response.json()["token"]


def api(key: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def row(key: str) -> ApiToken:
    return ApiToken.objects.get(prefix=key[:8])


def test_a_user_lists_only_their_own_tokens(personas):
    county, town = token_for("demo-county"), token_for("demo-town-a")
    listed = api(county).get("/api/v1/auth/tokens").json()
    assert [t["prefix"] for t in listed] == [county[:8]]
    assert listed[0]["status"] == "active" and listed[0]["username"] == "demo-county"
    # Asking for another user's tokens shows none of them.
    assert api(county).get("/api/v1/auth/tokens?username=demo-town-a").json() == []
    assert town[:8] not in json.dumps(api(county).get("/api/v1/auth/tokens").json())


def test_another_users_token_cannot_be_revoked(personas):
    county, town = token_for("demo-county"), token_for("demo-town-a")
    response = api(county).post(f"/api/v1/auth/tokens/{row(town).pk}/revoke")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert row(town).revoked_at is None
    assert api(town).get("/api/v1/auth/me").status_code == 200


def test_the_owner_revokes_a_token_which_is_kept_but_stops_working(personas):
    key, other = token_for("demo-county"), token_for("demo-county")
    response = api(other).post(f"/api/v1/auth/tokens/{row(key).pk}/revoke")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "revoked" and body["revoked_by"] == "demo-county"
    assert body["revoked_because"] == "revoked"
    assert api(key).get("/api/v1/auth/me").status_code == 401
    assert api(other).get("/api/v1/auth/me").status_code == 200
    kept = row(key)
    assert kept.revoked_at is not None and kept.revoked_by == personas["county"]
    # Twice: a clear conflict, nothing changed.
    again = api(other).post(f"/api/v1/auth/tokens/{kept.pk}/revoke")
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "already_revoked"
    assert row(key).revoked_at == kept.revoked_at


def test_an_administrator_lists_and_revokes_anyones_token(personas):
    town, admin = token_for("demo-town-a"), token_for("demo-admin")
    listed = api(admin).get("/api/v1/auth/tokens?username=demo-town-a").json()
    assert [t["prefix"] for t in listed] == [town[:8]]
    everyone = {t["username"] for t in api(admin).get("/api/v1/auth/tokens").json()}
    assert {"demo-town-a", "demo-admin"} <= everyone
    response = api(admin).post(f"/api/v1/auth/tokens/{row(town).pk}/revoke")
    assert response.status_code == 200
    assert row(town).revoked_by == personas["admin"]
    assert api(town).get("/api/v1/auth/me").status_code == 401


def test_the_token_page_shows_and_revokes_own_tokens_only(personas, client_for):
    county, town = token_for("demo-county"), token_for("demo-town-a")
    page = client_for("county")
    html = page.get(reverse("accounts:tokens")).content.decode()
    assert county[:8] in html and town[:8] not in html
    assert "API 令牌" in html and "吊销" in html

    assert page.post(reverse("accounts:token_revoke", args=[row(town).pk])).status_code == 404
    assert row(town).revoked_at is None
    response = page.post(reverse("accounts:token_revoke", args=[row(county).pk]), follow=True)
    assert response.status_code == 200
    assert row(county).revoked_by == personas["county"]
    assert "已吊销" in response.content.decode()
    # A GET never revokes.
    assert page.get(reverse("accounts:token_revoke", args=[row(town).pk])).status_code == 405


def test_the_administrators_token_page_shows_everyone(personas, client_for):
    town = token_for("demo-town-a")
    page = client_for("admin")
    assert town[:8] in page.get(reverse("accounts:tokens")).content.decode()
    page.post(reverse("accounts:token_revoke", args=[row(town).pk]))
    assert row(town).revoked_by == personas["admin"]


def test_a_password_change_on_the_web_revokes_all_tokens(personas, client_for):
    first, second = token_for("demo-town-a"), token_for("demo-town-b")
    page = client_for("town-a")
    response = page.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a-new-pass-2026",
            "new_password2": "a-new-pass-2026",
        },
    )
    assert response.status_code == 302
    mine = row(first)
    assert mine.revoked_at is not None
    assert mine.revoked_because == TokenRevocation.PASSWORD_CHANGED
    assert mine.revoked_by == personas["town-a"]
    assert api(first).get("/api/v1/auth/me").status_code == 401
    assert row(second).revoked_at is None  # someone else's token
    # Still logged in on the web after the change.
    assert page.get(reverse("accounts:tokens")).status_code == 200


def test_a_wrong_old_password_changes_nothing(personas, client_for):
    key = token_for("demo-town-a")
    response = client_for("town-a").post(
        reverse("accounts:password_change"),
        {
            "old_password": "nope",
            "new_password1": "a-new-pass-2026",
            "new_password2": "a-new-pass-2026",
        },
    )
    assert response.status_code == 200
    assert "旧密码" in response.content.decode()
    assert row(key).revoked_at is None


def test_an_administrator_setting_a_password_revokes_all_tokens(personas, client_for):
    key = token_for("demo-town-a")
    user = personas["town-a"]
    response = client_for("admin").post(
        reverse("admin:auth_user_password_change", args=[user.pk]),
        {"password1": "admin-set-2026x", "password2": "admin-set-2026x", "usable_password": "true"},
    )
    assert response.status_code == 302
    token = row(key)
    assert token.revoked_because == TokenRevocation.PASSWORD_CHANGED
    assert token.revoked_by == personas["admin"]


def test_the_command_line_password_change_revokes_all_tokens(personas):
    key = token_for("demo-town-a")
    user = personas["town-a"]
    user.set_password("from-the-shell-2026")
    user.save()
    assert row(key).revoked_because == TokenRevocation.PASSWORD_CHANGED
    assert row(key).revoked_by is None


def test_a_login_that_upgrades_the_password_hash_keeps_tokens(personas):
    key = token_for("demo-town-a")
    user = personas["town-a"]
    user.full_name = "改名"
    user.save()
    assert user.check_password(PASSWORD)
    assert row(key).revoked_at is None


def test_the_token_admin_revokes_and_never_deletes(personas, client_for):
    key = token_for("demo-town-a")
    admin = client_for("admin")
    assert admin.get(reverse("admin:accounts_apitoken_changelist")).status_code == 200
    admin.post(
        reverse("admin:accounts_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [row(key).pk]},
    )
    assert row(key).revoked_by == personas["admin"]
    assert (
        admin.get(reverse("admin:accounts_apitoken_delete", args=[row(key).pk])).status_code == 403
    )
