"""The API package and the apps' routers import in any order (no circle between them)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "anlan"
ROUTER_MODULES = sorted(f"anlan.{path.parent.name}.api" for path in SRC.glob("*/api.py"))


def test_every_app_router_is_found():
    assert "anlan.hazards.api" in ROUTER_MODULES
    assert len(ROUTER_MODULES) >= 7


@pytest.mark.parametrize("module", [*ROUTER_MODULES, "anlan.api.site", "anlan.urls"])
def test_a_router_imports_first_in_a_fresh_interpreter(module):
    code = (
        "import django; django.setup(); "
        f"import {module}; "
        "from anlan.api.site import api; "
        "assert api.get_openapi_schema()['paths']"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "anlan.settings"}
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-3000:]
