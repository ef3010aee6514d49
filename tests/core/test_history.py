"""core.history.save_with_history: the one way a history row gets its actor, reason and time."""

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from anlan.accounts.models import User
from anlan.core.history import save_with_history
from anlan.registry.models import Enterprise

SRC = Path(__file__).resolve().parents[2] / "src" / "anlan"


def test_no_code_sets_history_attributes_by_hand():
    offenders = []
    for path in SRC.rglob("*.py"):
        if path == SRC / "core" / "history.py" or "migrations" in path.parts:
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if re.search(r"\._(history_user|history_date|change_reason)\s*=", line):
                offenders.append(f"{path.relative_to(SRC)}:{number}")
    # The duty swap's workflow hooks date the row the engine saves; the engine's own `at=`
    # (core/workflow.py, another part of issue 11) replaces them.
    offenders = [o for o in offenders if not o.startswith("duty/workflow.py")]
    assert offenders == [], "use core.history.save_with_history"


@pytest.mark.django_db
def test_the_history_row_names_actor_reason_and_moment():
    actor = User.objects.filter(is_superuser=False).first()
    enterprise = Enterprise.objects.first()
    enterprise.employees += 1
    at = datetime(2026, 3, 4, 5, 6, tzinfo=UTC)
    save_with_history(enterprise, actor=actor, reason="why", at=at)
    row = enterprise.history.latest("history_id")
    assert (row.history_user, row.history_change_reason, row.history_date) == (actor, "why", at)
    assert row.employees == enterprise.employees


@pytest.mark.django_db
def test_update_fields_are_passed_on():
    actor = User.objects.filter(is_superuser=False).first()
    enterprise = Enterprise.objects.first()
    old_name = enterprise.name
    enterprise.name, enterprise.employees = "changed", enterprise.employees + 1
    save_with_history(enterprise, actor=actor, update_fields=["employees"])
    enterprise.refresh_from_db()
    assert enterprise.name == old_name
