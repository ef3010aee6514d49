"""Repeated wrong passwords lock the username and the source address (django-axes), on the
login page, the admin's login and the API's token login alike; an administrator unlocks."""

import json
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from anlan.accounts.security import client_ip
from tests.conftest import PASSWORD

LIMIT = 3  # the default is 5 (settings.py); every login attempt hashes a password, slowly


@pytest.fixture(autouse=True)
def limit(settings):
    settings.AXES_FAILURE_LIMIT = LIMIT


LOCKED = "登录失败次数过多"
WRONG = "用户名或密码错误"


def web_login(username, password, ip="10.0.0.1", client=None):
    client = client or Client()
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def api_login(username, password, ip="10.0.0.1"):
    return Client().post(
        "/api/v1/auth/token",
        json.dumps({"username": username, "password": password}),
        content_type="application/json",
        REMOTE_ADDR=ip,
    )


def logged_in(response) -> bool:
    return response.status_code == 302 and "_auth_user_id" in response.client.session


def test_wrong_passwords_lock_the_account_even_with_the_right_password(personas):
    for _ in range(LIMIT - 1):
        response = web_login("demo-town-a", "wrong-password")
        assert response.status_code == 200
        assert WRONG in response.content.decode()
    response = web_login("demo-town-a", "wrong-password")
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert response["Retry-After"] == "1800"

    # The right password no longer logs in, from this address or from another one.
    for ip in ("10.0.0.1", "10.9.9.9"):
        response = web_login("demo-town-a", PASSWORD, ip=ip)
        assert response.status_code == 429
        assert LOCKED in response.content.decode()
        assert not logged_in(response)
    # Another account from another address is not affected.
    assert logged_in(web_login("demo-town-b", PASSWORD, ip="10.9.9.9"))


def test_an_address_trying_many_usernames_is_locked(personas):
    for n in range(LIMIT):
        web_login(f"guess-{n}", "wrong-password", ip="10.0.0.7")
    # A real account with its right password, from that address: locked by the address rule.
    response = web_login("demo-county", PASSWORD, ip="10.0.0.7")
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    # The same account from another address logs in.
    assert logged_in(web_login("demo-county", PASSWORD, ip="10.0.0.8"))


def test_a_success_clears_the_failures(personas):
    for _ in range(LIMIT - 1):
        web_login("demo-town-a", "wrong-password")
    assert logged_in(web_login("demo-town-a", PASSWORD))
    for _ in range(LIMIT - 1):
        web_login("demo-town-a", "wrong-password")
    assert logged_in(web_login("demo-town-a", PASSWORD))


def test_the_lock_ends_after_the_cool_off(personas):
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        for _ in range(LIMIT):
            web_login("demo-town-a", "wrong-password")
    # Attempts during the lock are refused and do not extend it.
    with time_machine.travel(now + timedelta(minutes=20), tick=False):
        assert web_login("demo-town-a", PASSWORD).status_code == 429
        assert web_login("demo-town-a", "wrong-password").status_code == 429
    later = now + timedelta(minutes=30, seconds=1)
    with time_machine.travel(later, tick=False):
        assert logged_in(web_login("demo-town-a", PASSWORD))


def test_an_administrator_unlocks_in_the_admin(personas, client_for):
    for _ in range(LIMIT):
        web_login("demo-town-a", "wrong-password")
    assert web_login("demo-town-a", PASSWORD).status_code == 429

    admin = client_for("admin")
    response = admin.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "unlock_login", "_selected_action": [personas["town-a"].pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert "已解除" in response.content.decode()
    assert logged_in(web_login("demo-town-a", PASSWORD))


def test_an_administrator_unlocks_from_the_command_line(personas):
    for _ in range(LIMIT):
        web_login("demo-town-a", "wrong-password", ip="10.0.0.3")
    call_command("axes_reset_username", "demo-town-a")
    assert logged_in(web_login("demo-town-a", PASSWORD, ip="10.0.0.3"))

    for n in range(LIMIT):
        web_login(f"guess-{n}", "wrong-password", ip="10.0.0.4")
    assert web_login("demo-county", PASSWORD, ip="10.0.0.4").status_code == 429
    call_command("axes_reset_ip", "10.0.0.4")
    assert logged_in(web_login("demo-county", PASSWORD, ip="10.0.0.4"))


def test_the_api_token_login_is_locked_the_same_way(personas):
    for _ in range(LIMIT - 1):
        response = api_login("demo-county", "wrong-password")
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "invalid_credentials"
    response = api_login("demo-county", "wrong-password")
    assert response.status_code == 429
    error = response.json()["error"]
    assert error["code"] == "login_locked"
    assert LOCKED in error["message"]

    response = api_login("demo-county", PASSWORD, ip="10.9.9.9")
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "login_locked"
    assert "token" not in response.json()
    # One counter for every way in: the login page is locked too.
    assert web_login("demo-county", PASSWORD).status_code == 429


@pytest.mark.parametrize(
    "header, meta, expected",
    [
        ("", {"HTTP_X_FORWARDED_FOR": "1.2.3.4"}, "127.0.0.9"),  # not configured: ignored
        ("X-Forwarded-For", {"HTTP_X_FORWARDED_FOR": "6.6.6.6, 1.2.3.4"}, "1.2.3.4"),
        ("X-Real-IP", {"HTTP_X_REAL_IP": "2001:db8::1"}, "2001:db8::1"),
        ("X-Real-IP", {"HTTP_X_REAL_IP": "not-an-address"}, "127.0.0.9"),
        ("X-Real-IP", {}, "127.0.0.9"),
    ],
)
def test_the_source_address_comes_from_the_proxy_header_only_when_configured(
    settings, header, meta, expected
):
    settings.ANLAN_CLIENT_IP_HEADER = header
    request = RequestFactory().post("/accounts/login/", REMOTE_ADDR="127.0.0.9", **meta)
    assert client_ip(request) == expected


def test_behind_a_proxy_each_client_is_counted_apart(personas, settings):
    settings.ANLAN_CLIENT_IP_HEADER = "X-Real-IP"
    for n in range(LIMIT):
        Client().post(
            reverse("login"),
            {"username": f"guess-{n}", "password": "x"},
            REMOTE_ADDR="192.168.0.1",
            HTTP_X_REAL_IP="203.0.113.5",
        )
    other = Client().post(
        reverse("login"),
        {"username": "demo-county", "password": PASSWORD},
        REMOTE_ADDR="192.168.0.1",
        HTTP_X_REAL_IP="203.0.113.6",
    )
    assert logged_in(other)
