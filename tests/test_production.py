"""Production mode as docs/deploy.md deploys it: collectstatic with the production storage,
`check --deploy`, gunicorn serving pages and hashed static files behind a TLS proxy; and the
compiled translations a wheel carries, so the API answers in Chinese under the default.

These run in the normal suite (and so in CI through `.ci/run`): nothing here is skipped.
"""

import gettext
import http.client
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
from html import unescape
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from django.db import connection

from tests.conftest import PASSWORD, ensure_world

ROOT = Path(__file__).resolve().parent.parent
HASHED_CSS = re.compile(r"/static/vendor/tabler/css/tabler\.min\.[0-9a-f]{12}\.css")
# One page per app, as the county's emergency bureau sees them.
PAGES = ["/", "/enterprises/", "/hazards/", "/risks/overview/", "/duty/", "/incidents/", "/inbox/"]
LEAFLET_CSS = re.compile(r"/static/vendor/leaflet/leaflet\.[0-9a-f]{12}\.css")


def database_url() -> str:
    """The test database (migrated by pytest-django, the small world committed) as a URL."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    assert connection.vendor == "postgresql", connection.vendor
    user = quote(db["USER"] or "", safe="")
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    return (
        f"postgres://{user}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )


def production_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ANLAN_", "DJANGO_"))}
    env.update(
        ANLAN_PRODUCTION="1",
        ANLAN_SECRET_KEY=secrets.token_urlsafe(50),
        ANLAN_ALLOWED_HOSTS="127.0.0.1,localhost",
        ANLAN_CLIENT_IP_HEADER="X-Forwarded-For",  # behind nginx, as docs/deploy.md says
        ANLAN_DATA_DIR=str(tmp_path / "data"),
        ANLAN_STATIC_ROOT=str(tmp_path / "static"),
        DATABASE_URL=database_url(),
    )
    return env


def anlan(env, *args, timeout=120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "anlan.cli", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Site:
    """Requests to gunicorn as nginx passes them: X-Forwarded-Proto https unless told not to."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method, path, body=None, headers=None, https=True):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        sent = dict(headers or {})
        if https:
            sent["X-Forwarded-Proto"] = "https"
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            conn.request(method, path, body=body, headers=sent)
            response = conn.getresponse()
            content = response.read()
        finally:
            conn.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response, content

    def wait_until_up(self, process, seconds=30):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            assert process.poll() is None, "gunicorn exited: " + process.stdout.read()
            try:
                response, _ = self.request("GET", "/healthz", https=False)
                if response.status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)  # waiting for a server to listen, not for time-dependent logic
        pytest.fail("gunicorn did not answer /healthz")


@pytest.mark.production
def test_production_mode_collects_checks_and_serves_pages(transactional_db, tmp_path):
    ensure_world()
    env = production_env(tmp_path)

    collected = anlan(env, "collectstatic", "--noinput")
    assert collected.returncode == 0, collected.stdout + collected.stderr
    manifest = (tmp_path / "static" / "staticfiles.json").read_text()
    assert "vendor/tabler/css/tabler.min.css" in manifest

    checked = anlan(env, "check", "--deploy", "--fail-level", "WARNING")
    assert checked.returncode == 0, checked.stdout + checked.stderr

    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "anlan.cli", "serve", "--bind", f"127.0.0.1:{port}"]
        + ["--workers", "1"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        site = Site(port)
        site.wait_until_up(server)

        # Plain HTTP is sent to HTTPS; behind the proxy the page says HSTS.
        response, _ = site.request("GET", "/accounts/login/", https=False)
        assert response.status == 301
        assert response.headers["Location"] == f"https://127.0.0.1:{port}/accounts/login/"
        response, page = site.request("GET", "/accounts/login/")
        assert response.status == 200, page[:2000]
        hsts = response.headers["Strict-Transport-Security"]
        assert hsts == "max-age=31536000; includeSubDomains; preload"
        assert "Secure" in response.headers["Set-Cookie"]

        # The page names the hashed vendor stylesheet; WhiteNoise serves it from STATIC_ROOT.
        html = page.decode()
        css = HASHED_CSS.search(html)
        assert css, "the login page does not link the hashed Tabler stylesheet"
        response, body = site.request("GET", css.group(0))
        assert response.status == 200 and b"sourceMappingURL" not in body
        assert "immutable" in response.headers["Cache-Control"]

        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        origin = f"https://127.0.0.1:{port}"
        response, body = site.request(
            "POST",
            "/accounts/login/",
            body=urlencode(
                {"csrfmiddlewaretoken": unescape(token), "username": "demo-county"}
                | {"password": PASSWORD}
            ),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": origin,
                "Referer": f"{origin}/accounts/login/",
            },
        )
        assert response.status == 302, body[:2000]
        assert "sessionid" in site.cookies

        for path in PAGES:
            response, body = site.request("GET", path)
            assert response.status == 200, f"{path}: {response.status} {body[:2000]!r}"
            assert HASHED_CSS.search(body.decode()), path

        # The map's stylesheet names its images by their hashed names, and they are served.
        response, body = site.request("GET", "/risks/map/")
        assert response.status == 200, body[:2000]
        leaflet = LEAFLET_CSS.search(body.decode()).group(0)
        response, body = site.request("GET", leaflet)
        assert response.status == 200
        image = re.search(r'url\("?(images/layers\.[0-9a-f]{12}\.png)"?\)', body.decode()).group(1)
        response, _ = site.request("GET", "/static/vendor/leaflet/" + image)
        assert response.status == 200

        # The API answers in Chinese under the default language.
        response, body = site.request("GET", "/api/v1/hazards/999999999")
        assert response.status == 404
        assert "未找到" in body.decode(), body
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    assert "Traceback" not in output, output


def test_api_errors_are_chinese_under_the_default_language(client_for):
    client = client_for("county")
    response = client.get("/api/v1/hazards/999999999")
    assert response.status_code == 404
    assert response.json()["error"]["message"] == "未找到。"
    response = client.get("/api/v1/hazards/", {"enterprise": "first"})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["message"] == "请求中有字段不符合要求。"
    assert error["fields"]["enterprise"] == ["请输入整数。"], error


def test_a_built_package_carries_the_compiled_translations(tmp_path):
    """Built from a clean checkout (no .mo, as git has it), the package gets the .mo."""
    checkout = tmp_path / "checkout"
    checkout.mkdir()
    for name in ("setup.py", "pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, checkout / name)
    ignore = shutil.ignore_patterns("*.mo", "__pycache__", "vendor", "*.egg-info")
    shutil.copytree(ROOT / "src", checkout / "src", ignore=ignore)
    assert not list((checkout / "src").rglob("*.mo"))

    built = subprocess.run(
        [sys.executable, "setup.py", "-q", "build_py", "--build-lib", str(tmp_path / "lib")],
        cwd=checkout,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert built.returncode == 0, built.stdout + built.stderr
    mo = tmp_path / "lib" / "anlan" / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.mo"
    assert mo.exists(), "the built package has no compiled Chinese translations"
    with mo.open("rb") as handle:
        translations = gettext.GNUTranslations(handle)
    assert translations.gettext("Not found.") == "未找到。"
    assert translations.gettext("The request has invalid fields.") == "请求中有字段不符合要求。"


def test_the_system_check_refuses_uncompiled_translations(settings, tmp_path):
    from anlan.core.checks import translations_are_compiled

    messages = tmp_path / "zh_Hans" / "LC_MESSAGES"
    messages.mkdir(parents=True)
    (messages / "django.po").write_text('msgid ""\nmsgstr ""\n')
    settings.LOCALE_PATHS = [tmp_path]
    assert [e.id for e in translations_are_compiled()] == ["anlan.E010"]
    (messages / "django.mo").write_bytes(b"")
    assert translations_are_compiled() == []


def test_deploy_check_warns_when_lockouts_would_count_the_proxys_address(tmp_path):
    env = production_env(tmp_path)
    del env["ANLAN_CLIENT_IP_HEADER"]
    result = anlan(env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0 and "anlan.W011" in result.stderr + result.stdout
