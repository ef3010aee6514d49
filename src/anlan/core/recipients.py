"""Who must be told about a record: one helper built on the scope, for every app.

A record is told about by where it is (:class:`Place`: its region code, supervision category and
enterprise). The helpers pick users by role, by the administrative level of their unit and by
the scope: a user is told only when ``scope_of(user).covers(place)``, the same rule that decides
whether they may open the record, so a notification never points to a page its reader cannot see.

- :func:`officials`: users of these roles in units of these kinds at this level (town, county,
  city) above the record, whose scope covers it.
- :func:`unit_staff`: users of these roles in one given unit (the unit that ordered a
  rectification), whose scope covers the record.
- :func:`enterprise_managers`: an enterprise's safety managers.
- :func:`on_duty_or_staff`: at a level, the people on duty of the emergency bureau and of the
  departments supervising the record's industry there (条例 art. 9), or their staff when nobody
  is on the roster.

Who is on duty is known to the duty app, which core must not import: duty registers its
provider with :func:`register_on_duty` when it is ready (duty/apps.py). Without a provider (duty
not installed) nobody is on duty and the staff are told.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Q

from anlan.accounts.models import Organisation, OrganisationKind, User
from anlan.accounts.roles import Role
from anlan.core.scoping import scope_of
from anlan.regions.rules import CODE_LENGTHS, Level

GOVERNMENT_UNITS = (
    OrganisationKind.TOWN,
    OrganisationKind.EMERGENCY_BUREAU,
    OrganisationKind.DEPARTMENT,
)
STAFF_ROLE = {
    OrganisationKind.EMERGENCY_BUREAU: Role.BUREAU_STAFF,
    OrganisationKind.DEPARTMENT: Role.DEPARTMENT_STAFF,
    OrganisationKind.TOWN: Role.TOWN_STAFF,
}


@dataclass(frozen=True)
class Place:
    """Where a record is, as the scope sees it."""

    region: str
    category: str | None = None
    enterprise: int | None = None

    @classmethod
    def of(cls, record: Any) -> Place:
        """For records with ``region_id``, ``supervision_category_id`` (or ``category_id``) and
        ``enterprise_id`` columns; an enterprise is its own place."""
        category = getattr(record, "supervision_category_id", None)
        if category is None:
            category = getattr(record, "category_id", None)
        enterprise = getattr(record, "enterprise_id", None)
        if enterprise is None and record._meta.label == "registry.Enterprise":
            enterprise = record.pk
        return cls(region=record.region_id, category=category, enterprise=enterprise)

    def code_at(self, level: str) -> str:
        return self.region[: CODE_LENGTHS[Level(level)]]


def covering(users: Iterable[User], place: Place) -> list[User]:
    """The users whose scope covers the place, each once, in order."""
    seen: set[int] = set()
    told = []
    for user in users:
        if user is None or not user.is_active or user.pk in seen:
            continue
        if scope_of(user).covers(
            region=place.region, category=place.category, enterprise=place.enterprise
        ):
            seen.add(user.pk)
            told.append(user)
    return told


def unique(users: Iterable[User | None]) -> list[User]:
    """Active users, each once, in order (for lists joined from several helpers)."""
    seen: set[int] = set()
    kept = []
    for user in users:
        if user is not None and user.is_active and user.pk not in seen:
            seen.add(user.pk)
            kept.append(user)
    return kept


def officials(
    place: Place, *, roles: Iterable[str], level: str, kinds: Iterable[str] = GOVERNMENT_UNITS
) -> list[User]:
    """Users of ``roles`` in units of ``kinds`` at ``level`` (town, county, city) above the
    place, whose scope covers it: a department's staff only for the industries it supervises."""
    users = User.objects.filter(
        is_active=True,
        role__in=list(roles),
        organisation__region_id=place.code_at(level),
        organisation__kind__in=list(kinds),
    ).select_related("organisation")
    return covering(users.order_by("pk"), place)


def unit_staff(place: Place, organisation_id: int, *, roles: Iterable[str]) -> list[User]:
    """Users of ``roles`` in one unit, whose scope covers the place."""
    users = User.objects.filter(
        is_active=True, organisation_id=organisation_id, role__in=list(roles)
    ).select_related("organisation")
    return covering(users.order_by("pk"), place)


def enterprise_managers(enterprise_id: int) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True, enterprise_id=enterprise_id, role=Role.ENTERPRISE_MANAGER
        ).order_by("pk")
    )


OnDuty = Callable[[Organisation, datetime], list[User]]
_on_duty: list[OnDuty] = []


def register_on_duty(provider: OnDuty) -> None:
    """Let the duty app say who is on duty at a unit at a moment (called from its ready())."""
    _on_duty[:] = [provider]


def on_duty(organisation: Organisation, at: datetime) -> list[User]:
    """The people on duty at ``organisation`` at ``at``; empty without a duty roster."""
    return _on_duty[0](organisation, at) if _on_duty else []


def on_duty_or_staff(place: Place, *, level: str, at: datetime) -> list[User]:
    """At ``level``, the emergency bureau and the departments supervising the place's industry:
    their people on duty, or their staff when nobody is on the roster; those whose scope covers
    the place."""
    told = Q(kind=OrganisationKind.EMERGENCY_BUREAU)
    if place.category:
        told |= Q(kind=OrganisationKind.DEPARTMENT, supervised_categories=place.category)
    units = Organisation.objects.filter(told, region_id=place.code_at(level)).distinct()
    people: list[User] = []
    for unit in units.order_by("kind", "pk"):
        people += on_duty(unit, at) or list(
            User.objects.filter(
                is_active=True, organisation=unit, role=STAFF_ROLE[OrganisationKind(unit.kind)]
            )
        )
    return covering(people, place)
