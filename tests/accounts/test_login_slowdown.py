"""Before the lock, repeated wrong passwords slow the logins down: from the 3rd failure of a
username or an address, an attempt sooner than 5 s (then 10 s...) after the last failure is
refused without checking the password and without counting; the lock still comes at the
limit. Login page (the admin's login redirects there) and API token login alike."""

import os
import subprocess
import sys
from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.db.models import Sum
from django.utils import timezone

from tests.accounts.test_login_lockout import LOCKED, WRONG, api_login, logged_in, web_login
from tests.conftest import PASSWORD


@pytest.fixture(autouse=True)
def slowdown(settings):
    settings.AXES_FAILURE_LIMIT = 5
    settings.ANLAN_LOGIN_SLOWDOWN_AFTER = 3
    settings.ANLAN_LOGIN_SLOWDOWN_SECONDS = 5


def wait_message(seconds):
    return f"登录失败次数较多，请 {seconds} 秒后再试"


def failures(username):
    return AccessAttempt.objects.filter(username=username).aggregate(n=Sum("failures_since_start"))[
        "n"
    ]


def test_the_web_login_slows_down_then_locks(personas):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(3):
            response = web_login("demo-town-a", "wrong-password")
            assert WRONG in response.content.decode()
        # Right away, even the right password is refused unchecked, with the wait in seconds.
        response = web_login("demo-town-a", PASSWORD)
        assert response.status_code == 200
        assert wait_message(5) in response.content.decode()
        assert not logged_in(response)
        assert failures("demo-town-a") == 3  # a refused-for-waiting attempt is not a failure
    with time_machine.travel(start + timedelta(seconds=3), tick=False):
        assert wait_message(2) in web_login("demo-town-a", "wrong-password").content.decode()
    # After the wait the password is checked again; the next wait doubles.
    later = start + timedelta(seconds=5)
    with time_machine.travel(later, tick=False):
        assert WRONG in web_login("demo-town-a", "wrong-password").content.decode()
        assert wait_message(10) in web_login("demo-town-a", "wrong-password").content.decode()
        assert failures("demo-town-a") == 4
    # The 5th failure (the limit) locks, as before.
    with time_machine.travel(later + timedelta(seconds=10), tick=False):
        response = web_login("demo-town-a", "wrong-password")
        assert response.status_code == 429
        assert LOCKED in response.content.decode()
    with time_machine.travel(later + timedelta(minutes=5), tick=False):
        assert web_login("demo-town-a", PASSWORD).status_code == 429


def test_a_user_who_waits_logs_in_and_starts_afresh(personas):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(3):
            web_login("demo-town-a", "wrong-password")
        for _ in range(5):  # impatient retries do not push the account into the lock
            assert wait_message(5) in web_login("demo-town-a", PASSWORD).content.decode()
    with time_machine.travel(start + timedelta(seconds=5), tick=False):
        assert logged_in(web_login("demo-town-a", PASSWORD))
        assert not failures("demo-town-a")
        # The success cleared the counters: the next typos are checked at once.
        for _ in range(2):
            assert WRONG in web_login("demo-town-a", "wrong-password").content.decode()


def test_an_address_trying_many_usernames_is_slowed_down(personas):
    with time_machine.travel(timezone.now(), tick=False):
        for n in range(3):
            web_login(f"guess-{n}", "wrong-password", ip="10.0.0.7")
        response = web_login("demo-county", PASSWORD, ip="10.0.0.7")
        assert wait_message(5) in response.content.decode()
        assert logged_in(web_login("demo-county", PASSWORD, ip="10.0.0.8"))


def test_the_api_token_login_slows_down_then_locks(personas):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(3):
            assert api_login("demo-county", "wrong-password").status_code == 401
        response = api_login("demo-county", PASSWORD)
        assert response.status_code == 429
        assert response["Retry-After"] == "5"
        error = response.json()["error"]
        assert error["code"] == "login_slowed"
        assert wait_message(5) in error["message"]
        assert "token" not in response.json()
        assert failures("demo-county") == 3
    later = start + timedelta(seconds=5)
    with time_machine.travel(later, tick=False):
        response = api_login("demo-county", "wrong-password")
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "invalid_credentials"
        response = api_login("demo-county", "wrong-password")
        assert response.json()["error"]["code"] == "login_slowed"
        assert response["Retry-After"] == "10"
    with time_machine.travel(later + timedelta(seconds=10), tick=False):
        response = api_login("demo-county", "wrong-password")
        assert response.status_code == 429
        assert response.json()["error"]["code"] == "login_locked"
    assert failures("demo-county") == 5


def test_the_api_documents_the_429_of_the_token_login(client):
    schema = client.get("/api/v1/openapi.json").json()
    responses = schema["paths"]["/api/v1/auth/token"]["post"]["responses"]
    assert "429" in responses
    assert "login_slowed" in responses["429"]["description"]


@pytest.mark.parametrize(
    "name, value",
    [
        ("ANLAN_LOGIN_SLOWDOWN_AFTER", "-1"),
        ("ANLAN_LOGIN_SLOWDOWN_SECONDS", "0"),
        ("ANLAN_LOGIN_SLOWDOWN_SECONDS", "five"),
    ],
)
def test_a_wrong_slowdown_setting_stops_start_up(name, value):
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={**os.environ, name: value, "DJANGO_SETTINGS_MODULE": "anlan.settings"},
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and name in result.stderr
