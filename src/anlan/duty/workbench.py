"""The duty items on the workbench (core/workbench.py): check-ins missing in the user's area
and who is on duty now (from the duty board's own rows, services.board), swaps awaiting the
user's unit's approval (the swap ledger), and the user's own shift waiting for a check-in."""

from django.urls import reverse
from django.utils.translation import gettext as _

from anlan.accounts.roles import Role
from anlan.core.permissions import can
from anlan.core.workbench import Example, Item, Urgency, ledger_item, register
from anlan.duty import rules, services
from anlan.duty.ledger import SWAP_LEDGER
from anlan.duty.models import SwapState

LEADERS = frozenset({Role.CITY_LEADER, Role.COUNTY_LEADER, Role.TOWN_LEADER})


def _person(user) -> str:
    return user.get_full_name() or user.username


def _my_shift(user, now) -> list[Item]:
    """A shift of the user's that has started and waits for their check-in."""
    items = []
    for shift in services.shifts_of(user, now, days=0):
        role = shift.role_of(user)
        if getattr(shift, f"{role}_checked_in_at") is None and shift.start <= now:
            items.append(
                Item(
                    key="duty.check_in",
                    label=_("Check in for your duty shift"),
                    count=1,
                    url=shift.get_absolute_url(),
                    urgency=Urgency.DUE,
                    examples=(Example(shift.organisation.name, shift.get_absolute_url()),),
                )
            )
    return items[:1]


@register
def duty_items(user, now):
    if not can(user, "duty.view"):
        return []
    board = services.board(user, now)
    mine = [row for row in board if row.in_scope]
    missed = [row for row in mine if row.officer_status == rules.CheckInStatus.MISSED]
    url = reverse("duty:board")
    items = _my_shift(user, now)
    if user.role in LEADERS:
        staffed = [row for row in mine if row.shift is not None]
        on_duty = tuple(
            Example(row.organisation.name, url, _person(row.shift.officer)) for row in staffed[:5]
        )
        items.append(
            Item("duty.now", _("Units with someone on duty now"), len(staffed), url, Urgency.INFO,
                 on_duty, always=True)
        )  # fmt: skip
    if can(user, "duty.manage") or user.role in LEADERS:
        items.append(
            Item("duty.missed", _("Duty officers not checked in"), len(missed), url, Urgency.LATE,
                 tuple(Example(r.organisation.name, url, _person(r.shift.officer))
                       for r in missed[:3]))
        )  # fmt: skip
    if can(user, "duty.approve") and user.organisation_id:
        query = {"state": SwapState.PENDING, "organisation": str(user.organisation_id)}
        items.append(
            ledger_item(
                "duty.swaps", _("Shift swaps awaiting approval"), Urgency.WAITING, SWAP_LEDGER,
                "duty:swaps", query, user, now,
            )
        )  # fmt: skip
    return items
