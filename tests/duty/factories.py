"""Duty rosters built through the real actions, at frozen times."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import time_machine

from anlan.accounts.models import User
from anlan.accounts.roles import Role
from anlan.duty import actions
from anlan.duty.models import Roster

TZ = ZoneInfo("Asia/Shanghai")
NOVEMBER = date(2026, 11, 1)
# Monday 23 November 2026, 09:00: the shift of the 23rd (08:30 → 08:30 on the 24th) is running.
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=TZ)


PUBLISHED = datetime(2026, 10, 25, 10, 0, tzinfo=TZ)  # when November's rosters are made


def at(*args) -> datetime:
    return datetime(*args, tzinfo=TZ)


def staff(organisation, count: int, *, role: str | None = None, prefix: str = "") -> list[User]:
    """Extra duty staff of a unit (phones set, so rosters carry them)."""
    role = (
        role
        or {
            "emergency_bureau": Role.BUREAU_STAFF,
            "town": Role.TOWN_STAFF,
            "department": Role.DEPARTMENT_STAFF,
        }[organisation.kind]
    )
    prefix = prefix or f"t{organisation.pk}"
    return [
        User.objects.create(
            username=f"{prefix}-{role}-{n}",
            full_name=f"{organisation.name[:4]}{role[:1]}{n}",
            role=role,
            organisation=organisation,
            phone=f"1390000{organisation.pk:02d}{n:02d}"[:11],
        )
        for n in range(1, count + 1)
    ]


def rota(manager, *, officers=3, leaders=2):
    """The manager first, then other staff as officers; leaders are separate people."""
    org = manager.organisation
    extra = staff(org, officers - 1 + leaders, prefix=f"{manager.username}-x")
    return [manager, *extra[: officers - 1]], extra[officers - 1 :]


def roster(
    manager,
    *,
    month: date = NOVEMBER,
    officers: list[User] | None = None,
    leaders: list[User] | None = None,
    publish: bool = True,
    when: datetime | None = None,
) -> Roster:
    """The manager's unit's roster for ``month``, scheduled (and published) at ``when``."""
    if officers is None or leaders is None:
        officers, leaders = rota(manager)
    with time_machine.travel(when or PUBLISHED, tick=False):
        made = actions.do_create_roster(manager.organisation, month, actor=manager)
        actions.do_generate(made, actor=manager, officers=officers, leaders=leaders)
        if publish:
            actions.do_publish(made, actor=manager)
    made.refresh_from_db()
    return made


def shift_at(roster_, moment):
    return roster_.shifts.select_related("officer", "leader").get(start__lte=moment, end__gt=moment)
