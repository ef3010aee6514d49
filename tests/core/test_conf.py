"""Per-app settings groups (core.conf): declared once, read by settings.py, checked at start-up."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from anlan.core.conf import GROUPS, check_all

DOCS = Path(__file__).resolve().parents[2] / "docs" / "settings.md"


def test_every_app_with_settings_declares_a_group():
    assert {"accounts", "hazards", "risks", "incidents", "duty"} <= set(GROUPS)


def test_every_setting_of_a_group_is_documented():
    documented = set(re.findall(r"`(ANLAN_[A-Z0-9_]+)`", DOCS.read_text()))
    missing = [name for group in GROUPS.values() for name in group.names if name not in documented]
    assert missing == []


def test_the_defaults_hold(settings):
    for group in GROUPS.values():
        for setting in group.settings:
            if setting.name not in os.environ:
                assert getattr(settings, setting.name) == setting.default, setting.name
    check_all()


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("ANLAN_HAZARD_MAX_EXTENSIONS", -1),
        ("ANLAN_HAZARD_CLOSE_LEVEL_MAJOR", "town"),
        ("ANLAN_DUTY_SHIFT_START", "8.30"),
        ("ANLAN_DUTY_SHIFT_HOURS", 5),
        ("ANLAN_INCIDENT_ACCIDENT_KINDS", "production,fires"),
    ],
)
def test_a_wrong_value_is_named(settings, name, value):
    setattr(settings, name, value)
    with pytest.raises(ImproperlyConfigured, match=name):
        check_all()


@pytest.mark.parametrize(
    ("name", "value"),
    [("ANLAN_DUTY_SHIFT_HOURS", "5"), ("ANLAN_DUTY_SHIFT_START", "25:00")],
)
def test_a_wrong_value_stops_django_setup(name, value, tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={**os.environ, name: value, "DJANGO_SETTINGS_MODULE": "anlan.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and name in result.stderr


def test_a_value_that_does_not_read_stops_at_once():
    result = subprocess.run(
        [sys.executable, "-c", "import anlan.settings"],
        env={**os.environ, "ANLAN_INCIDENT_UNIT_MINUTES": "an hour"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "ANLAN_INCIDENT_UNIT_MINUTES must be an integer" in result.stderr
