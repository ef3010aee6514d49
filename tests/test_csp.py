"""Content-Security-Policy: on every page, and no template needs what it forbids (inline
scripts, event-handler attributes, style attributes). The browser check is in
tests/e2e/test_csp_browser.py."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from anlan.risks.rules import COLOURS

SRC = Path(__file__).resolve().parent.parent / "src" / "anlan"
TEMPLATES = sorted((SRC / "templates").rglob("*.html"))


def policy(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in header.split(";"))


@pytest.mark.parametrize(
    "url", ["/", "/hazards/", "/risks/map/", "/duty/", "/incidents/", "/admin/", "/api/v1/docs"]
)
def test_every_page_carries_the_policy(client_for, url):
    response = client_for("admin").get(url, follow=True)
    assert response.status_code == 200
    csp = policy(response)
    assert csp["default-src"] == "'self'"
    assert csp["script-src"] == "'self'"
    assert "unsafe" not in response["Content-Security-Policy"]
    assert csp["object-src"] == "'none'"
    assert csp["frame-ancestors"] == "'none'"
    assert csp["base-uri"] == "'self'"
    assert csp["form-action"] == "'self'"


def test_public_pages_and_errors_carry_the_policy(db, client):
    assert "Content-Security-Policy" in client.get(reverse("login"))
    assert "Content-Security-Policy" in client.get("/api/v1/auth/me")  # 401
    assert "Content-Security-Policy" in client.get("/r/no-such-card/")  # 404


def test_map_tiles_are_the_one_outside_image_source(client_for, settings):
    settings.ANLAN_MAP_TILES = "https://t{s}.tianditu.gov.cn/img_w/wmts?x={x}&y={y}&l={z}"
    csp = policy(client_for("county").get("/risks/map/"))
    assert csp["img-src"] == "'self' data: https://*.tianditu.gov.cn"
    settings.ANLAN_MAP_TILES = "/tiles/{z}/{x}/{y}.png"  # same site
    assert policy(client_for("county").get("/risks/map/"))["img-src"] == "'self' data:"
    # A base layer and a label layer, from two servers: both hosts, once each.
    settings.ANLAN_MAP_TILES = (
        "https://t{s}.tianditu.gov.cn/DataServer?T=vec_w&x={x}&y={y}&l={z}&tk=k "
        "https://t{s}.tianditu.gov.cn/DataServer?T=cva_w&x={x}&y={y}&l={z}&tk=k\n"
        "http://tiles.example.gov.cn/labels/{z}/{x}/{y}.png"
    )
    assert policy(client_for("county").get("/risks/map/"))["img-src"] == (
        "'self' data: https://*.tianditu.gov.cn http://tiles.example.gov.cn"
    )


def test_violations_can_be_reported(client_for, settings):
    settings.ANLAN_CSP_REPORT_URI = "https://csp.example.gov.cn/report"
    csp = policy(client_for("county").get("/"))
    assert csp["report-uri"] == "https://csp.example.gov.cn/report"


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(SRC)))
def test_templates_have_no_inline_script_or_style(template):
    text = template.read_text()
    for tag in re.findall(r"<script\b[^>]*>", text):
        assert "src=" in tag or 'type="application/json"' in tag, f"inline script: {tag}"
    assert not re.search(r"\son[a-z]+\s*=", text), "event-handler attribute"
    assert not re.search(r"\sstyle\s*=", text), "style attribute"
    assert "<style" not in text
    assert "javascript:" not in text


def test_risk_colours_in_the_style_sheet_match_the_rules():
    css = (SRC / "static" / "anlan" / "anlan.css").read_text()
    for level, (_key, _name, colour) in COLOURS.items():
        assert re.search(rf"\.risk-bg-{level} {{ background: {colour}; }}", css), level
        assert re.search(rf"\.risk-border-{level} {{ border-left-color: {colour}; }}", css)
