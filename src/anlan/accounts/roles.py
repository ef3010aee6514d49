"""Roles and the actions each grants.

Values are stored in ``accounts_user.role``: rename a value only with a data migration.
What a user may *see* is decided by scoping (core/scoping.py); this table decides what a
user may *do* with what they see.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CITY_LEADER = "city_leader", _("city leader")
    COUNTY_LEADER = "county_leader", _("county leader")
    TOWN_LEADER = "town_leader", _("town leader")
    BUREAU_STAFF = "bureau_staff", _("emergency bureau staff")
    DEPARTMENT_STAFF = "department_staff", _("department staff")
    TOWN_STAFF = "town_staff", _("town staff")
    GRID_WORKER = "grid_worker", _("grid worker")
    ENTERPRISE_MANAGER = "enterprise_manager", _("enterprise safety manager")
    ENTERPRISE_STAFF = "enterprise_staff", _("enterprise staff")
    EXPERT = "expert", _("expert")
    ADMIN = "admin", _("administrator")


ENTERPRISE_ROLES = frozenset({Role.ENTERPRISE_MANAGER, Role.ENTERPRISE_STAFF})

_VIEW = {"registry.view", "registry.history"}
_LEADER = _VIEW | {"registry.export"}
_STAFF = _LEADER | {"registry.create", "registry.change", "registry.archive", "registry.import"}

# Hidden hazards: "review" covers confirming, accepting, closing, listing and deciding
# extensions, each further limited by the unit's level (hazards/rules.py); "rectify" is the
# enterprise's side (plan, submit, ask for more time).
_H_VIEW = {"hazards.view", "hazards.export"}
_H_REPORT = {"hazards.report"}
_H_REVIEW = {"hazards.review", "hazards.rectify"}
_H_ENTERPRISE = {"hazards.view", "hazards.report", "hazards.rectify", "hazards.export"}

# Dual prevention: the enterprise keeps its own risk register and does its checks; the
# government reads registers, the map and the 运行成效 view to decide whom to inspect.
_R_VIEW = {"risks.view", "risks.export"}
_R_ENTERPRISE = {"risks.view", "risks.export", "risks.manage", "risks.import", "risks.check"}

# Incidents: units (enterprises; towns for incidents without one) report; the emergency bureaus
# at county and city report upward along the chain.
_I_VIEW = {"incidents.view"}
# A department supervising the industry files follow-ups (续报/补报) on an incident of it; the
# first report, forwarding up and the final report stay with the unit and the bureau.
_I_FOLLOW = {"incidents.view", "incidents.follow_up"}
_I_REPORT = _I_FOLLOW | {"incidents.report"}
_I_BUREAU = _I_REPORT | {"incidents.forward"}

ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.CITY_LEADER: frozenset(_LEADER | _H_VIEW | _R_VIEW | _I_VIEW),
    Role.COUNTY_LEADER: frozenset(_LEADER | _H_VIEW | _R_VIEW | _I_VIEW),
    Role.TOWN_LEADER: frozenset(_LEADER | _H_VIEW | _R_VIEW | _I_VIEW),
    Role.BUREAU_STAFF: frozenset(_STAFF | _H_VIEW | _H_REPORT | _H_REVIEW | _R_VIEW | _I_BUREAU),
    Role.DEPARTMENT_STAFF: frozenset(
        _STAFF | _H_VIEW | _H_REPORT | _H_REVIEW | _R_VIEW | _I_FOLLOW
    ),
    Role.TOWN_STAFF: frozenset(_STAFF | _H_VIEW | _H_REPORT | _H_REVIEW | _R_VIEW | _I_REPORT),
    # Grid workers patrol and refer what they find (国办发〔2024〕54号: no inspections).
    Role.GRID_WORKER: frozenset(_LEADER | _H_VIEW | _H_REPORT | {"risks.view"} | _I_VIEW),
    # An enterprise keeps its own contact details current; grading and supervision
    # fields stay with the government (registry.forms.GOVERNMENT_ONLY_FIELDS).
    Role.ENTERPRISE_MANAGER: frozenset(
        _VIEW | {"registry.change", "registry.export"} | _H_ENTERPRISE | _R_ENTERPRISE | _I_REPORT
    ),
    Role.ENTERPRISE_STAFF: frozenset(
        _VIEW | {"hazards.view", "hazards.report", "risks.view", "risks.check"} | _I_VIEW
    ),
    Role.EXPERT: frozenset(_VIEW | _H_VIEW | _H_REPORT | {"risks.view"} | _I_VIEW),
    Role.ADMIN: frozenset(
        _STAFF | _H_VIEW | _H_REPORT | _H_REVIEW | _R_VIEW | _I_BUREAU | {"accounts.tokens"}
    ),
}

# Duty (应急值守): every government user sees the duty board and rosters of their region; staff
# keep their own unit's roster, log and handovers; staff and leaders approve their unit's swaps
# (duty/actions.py adds "of their own unit"). Enterprises take no part.
_D_VIEW = frozenset({"duty.view"})
_D_STAFF = frozenset({"duty.view", "duty.manage", "duty.approve"})
_D_LEADER = frozenset({"duty.view", "duty.approve"})
_DUTY_ACTIONS = {
    Role.CITY_LEADER: _D_LEADER,
    Role.COUNTY_LEADER: _D_LEADER,
    Role.TOWN_LEADER: _D_LEADER,
    Role.BUREAU_STAFF: _D_STAFF,
    Role.DEPARTMENT_STAFF: _D_STAFF,
    Role.TOWN_STAFF: _D_STAFF,
    Role.GRID_WORKER: _D_VIEW,
    Role.EXPERT: _D_VIEW,
    Role.ADMIN: _D_STAFF,
}
for _role, _duty in _DUTY_ACTIONS.items():
    ROLE_ACTIONS[_role] = ROLE_ACTIONS[_role] | _duty
