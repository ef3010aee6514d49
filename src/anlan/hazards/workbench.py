"""The hazards' items on the workbench (core/workbench.py): counted by the hazard ledger with
the filters of the link, so the number is the number of rows the click shows."""

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from anlan.accounts.roles import Role
from anlan.core.permissions import can
from anlan.core.scoping import scope_of
from anlan.core.workbench import Example, Urgency, ledger_item, register
from anlan.hazards.ledger import HAZARD_LEDGER

LEADERS = frozenset({Role.CITY_LEADER, Role.COUNTY_LEADER, Role.TOWN_LEADER})


def _example(hazard) -> Example:
    note = str(hazard.get_state_display())
    if hazard.deadline and hazard.is_open:
        day = date_format(hazard.deadline, "DATE_FORMAT")
        note = f"{note} · {_('deadline %(day)s') % {'day': day}}"
    return Example(f"{hazard.number} {hazard.subject_name}", hazard.get_absolute_url(), note)


@register
def hazard_items(user, now):
    if not can(user, "hazards.view"):
        return []

    def item(key, label, urgency, query, **kw):
        return ledger_item(
            f"hazards.{key}", label, urgency, HAZARD_LEDGER, "hazards:list", query, user, now,
            example=_example, **kw,
        )  # fmt: skip

    if scope_of(user).is_enterprise:
        items = [
            item("overdue", _("Hazards past their rectification deadline"), Urgency.LATE,
                 {"overdue": "1"}, examples=3),
            item("due_soon", _("Hazards due for rectification soon"), Urgency.DUE,
                 {"due_soon": "1"}, examples=3),
            item("listed", _("Hazards listed for supervision (挂牌督办)"), Urgency.WAITING,
                 {"listed": "1", "state": "open"}),
            item("open", _("Open hazards"), Urgency.INFO, {"state": "open"}),
        ]  # fmt: skip
        if can(user, "hazards.rectify"):
            # A rectification notice (整改通知书) has been issued for each of them.
            items.insert(2, item("rectify", _("Rectification notices to act on"),
                                 Urgency.WAITING, {"todo": "rectify"}, examples=3))  # fmt: skip
        return items
    if can(user, "hazards.review"):
        return [
            item("overdue", _("Overdue hazards"), Urgency.LATE, {"overdue": "1"}, examples=3),
            item("due_soon", _("Hazards due soon"), Urgency.DUE, {"due_soon": "1"}),
            item("confirm", _("Reported hazards to confirm"), Urgency.WAITING,
                 {"todo": "confirm"}, examples=3),
            item("accept", _("Rectifications to accept"), Urgency.WAITING, {"todo": "accept"},
                 examples=3),
            item("close", _("Accepted hazards to close (销号)"), Urgency.WAITING,
                 {"todo": "close"}),
            item("extension", _("Extension requests to decide"), Urgency.WAITING,
                 {"todo": "extension"}, examples=3),
        ]  # fmt: skip
    if user.role in LEADERS:
        return [
            item("major_open", _("Major hazards open"), Urgency.INFO,
                 {"level": "major", "state": "open"}, examples=5, always=True),
            item("overdue", _("Overdue hazards"), Urgency.LATE, {"overdue": "1"}, always=True),
        ]  # fmt: skip
    if can(user, "hazards.report"):  # a grid worker, an expert: what became of their reports
        return [
            item("mine_open", _("Hazards I reported, still open"), Urgency.INFO,
                 {"mine": "1", "state": "open"}, examples=5, always=True),
            item("mine_closed", _("Hazards I reported, closed"), Urgency.INFO,
                 {"mine": "1", "state": "closed"}),
        ]  # fmt: skip
    return []
