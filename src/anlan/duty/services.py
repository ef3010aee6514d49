"""Who is on duty: the interface other apps (incident reporting) use, and the duty board."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from anlan.accounts.models import Organisation, User
from anlan.accounts.roles import ROLE_ACTIONS
from anlan.core.scoping import ANY_CATEGORY, ScopeFields, scope_of
from anlan.duty import rules
from anlan.duty.models import DUTY_KINDS, DUTY_SCOPE, Shift

# The duty units themselves, scoped like their rosters (for the board).
ORGANISATION_SCOPE = ScopeFields(region="region__code", category=ANY_CATEGORY, enterprise=None)


def pattern() -> rules.ShiftPattern:
    return rules.parse_pattern(settings.ANLAN_DUTY_SHIFT_START, settings.ANLAN_DUTY_SHIFT_HOURS)


def grace() -> timedelta:
    return timedelta(minutes=settings.ANLAN_DUTY_CHECKIN_GRACE_MINUTES)


def early() -> timedelta:
    return timedelta(minutes=settings.ANLAN_DUTY_CHECKIN_EARLY_MINUTES)


def _organisation_id(organisation: Organisation | int) -> int:
    return organisation if isinstance(organisation, int) else organisation.pk


def on_duty(organisation: Organisation | int, at: datetime) -> list[User]:
    """The users on duty (duty officers and leaders on duty) at ``organisation`` at ``at``.

    Only published rosters count: a draft is still being planned. Empty when nobody is
    scheduled, so callers can fall back (incidents notifies the bureau's staff then)."""
    people: list[User] = []
    for shift in (
        Shift.objects.published()
        .covering(at)
        .filter(organisation_id=_organisation_id(organisation))
        .select_related("officer", "leader")
        .order_by("start")
    ):
        for user in (shift.officer, shift.leader):
            if user.is_active and user not in people:
                people.append(user)
    return people


def duty_managers(organisation_id: int) -> list[User]:
    """The organisation's active staff who may manage its duty (duty.manage)."""
    roles = [role for role, actions in ROLE_ACTIONS.items() if "duty.manage" in actions]
    return list(
        User.objects.filter(organisation_id=organisation_id, is_active=True, role__in=roles)
    )


def members(organisation_id: int):
    """Who may be scheduled at an organisation: its active government accounts."""
    return (
        User.objects.filter(organisation_id=organisation_id, is_active=True)
        .exclude(role="")
        .order_by("full_name", "username")
    )


def shifts_of(user, now: datetime, *, days: int = 1):
    """The user's published shifts from the one in progress to ``days`` ahead."""
    return (
        Shift.objects.published()
        .filter(Q(officer=user) | Q(leader=user), end__gt=now, start__lt=now + timedelta(days=days))
        .select_related("organisation", "roster")
        .order_by("start")
    )


@dataclass
class BoardRow:
    organisation: Organisation
    shift: Shift | None
    officer_status: str = ""
    leader_status: str = ""
    in_scope: bool = False  # the viewer may open the shift's own page

    @property
    def officer_status_label(self) -> str:
        return str(rules.CheckInStatus(self.officer_status).label) if self.officer_status else ""

    @property
    def leader_status_label(self) -> str:
        return str(rules.CheckInStatus(self.leader_status).label) if self.leader_status else ""


def board(user: Any, at: datetime | None = None) -> list[BoardRow]:
    """Who is on duty now at every unit of the viewer's county, and whether they checked in.

    Deliberately wider than the user's scope: ``Scope.county_wide()``. A town official must be
    able to call the county bureau's duty officer and the neighbouring town's leader on duty
    in an emergency, and a department must know whom to call in every town; the seed texts ask
    for one duty board shared by the county. Only the board widens: the rosters, shifts, logs
    and handovers themselves stay within the user's own scope (404 outside it). Two queries,
    whatever the number of units.
    """
    at = at or timezone.now()
    own = scope_of(user)
    wide = own.county_wide()
    org_q = wide.q(ORGANISATION_SCOPE)
    shift_q = wide.q(Shift.scope_fields)
    if org_q is None or shift_q is None:
        return []
    organisations = list(
        Organisation.objects.filter(org_q, kind__in=DUTY_KINDS).order_by(
            "region_id", "kind", "name"
        )
    )
    shifts = {}
    for shift in (
        Shift.objects.filter(shift_q)
        .published()
        .covering(at)
        .select_related("officer", "leader")
        .order_by("-start")
    ):
        shifts[shift.organisation_id] = shift  # the latest-starting one wins
    rows = []
    for org in organisations:
        shift = shifts.get(org.pk)
        row = BoardRow(
            organisation=org,
            shift=shift,
            in_scope=own.covers(
                region=org.region_id, category=DUTY_SCOPE.category, enterprise=None
            ),
        )
        if shift is not None:
            row.officer_status = rules.checkin_status(
                shift.start, shift.officer_checked_in_at, at, grace()
            )
            row.leader_status = rules.checkin_status(
                shift.start, shift.leader_checked_in_at, at, grace()
            )
        rows.append(row)
    return rows
