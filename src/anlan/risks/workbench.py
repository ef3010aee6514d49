"""The investigation tasks' items on the workbench (core/workbench.py): an enterprise's
tasks due now, the missed ones in an officer's area, counted by the task ledger."""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from anlan.core.permissions import can
from anlan.core.scoping import scope_of
from anlan.core.workbench import Example, Urgency, ledger_item, register
from anlan.risks.ledger import TASK_LEDGER

MISSED_DAYS = 7  # the officer's look back: a week of windows


def _example(task) -> Example:
    until = date_format(timezone.localtime(task.window_end), "DATETIME_FORMAT")
    event = task.measure.event
    text = f"{event.unit.name} · {event.name}"
    return Example(text, task.get_absolute_url(), f"{task.enterprise.name} · {until}")


@register
def task_items(user, now):
    def item(key, label, urgency, query, **kw):
        return ledger_item(
            f"risks.{key}", label, urgency, TASK_LEDGER, "risks:tasks", query, user, now,
            example=_example, **kw,
        )  # fmt: skip

    if scope_of(user).is_enterprise:
        if not can(user, "risks.check"):
            return []
        return [
            item("due", _("Investigation tasks due now"), Urgency.DUE, {"show": "current"},
                 examples=5, always=True),
            item("missed", _("Investigation tasks missed this week"), Urgency.LATE,
                 {"show": "missed", "days": str(MISSED_DAYS)}),
        ]  # fmt: skip
    if can(user, "hazards.review") and can(user, "risks.view"):  # the officers of an area
        return [
            item("missed", _("Investigation tasks missed this week"), Urgency.LATE,
                 {"show": "missed", "days": str(MISSED_DAYS)}, examples=3),
        ]  # fmt: skip
    return []
