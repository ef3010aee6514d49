"""The incidents' items on the workbench (core/workbench.py): late and due report steps,
and for leaders the incidents of this month, counted by the incident ledger."""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from anlan.accounts.roles import Role
from anlan.core.permissions import can
from anlan.core.workbench import Example, Urgency, ledger_item, register
from anlan.incidents.ledger import INCIDENT_LEDGER

LEADERS = frozenset({Role.CITY_LEADER, Role.COUNTY_LEADER, Role.TOWN_LEADER})


def _example(incident) -> Example:
    when = date_format(timezone.localtime(incident.occurred_at), "DATETIME_FORMAT")
    return Example(str(incident), incident.get_absolute_url(), when)


@register
def incident_items(user, now):
    if not can(user, "incidents.view"):
        return []

    def item(key, label, urgency, query, **kw):
        return ledger_item(
            f"incidents.{key}", label, urgency, INCIDENT_LEDGER, "incidents:list", query, user,
            now, example=_example, **kw,
        )  # fmt: skip

    if user.role in LEADERS:
        first = timezone.localdate(now).replace(day=1).isoformat()
        return [
            item("month", _("Incidents this month"), Urgency.INFO, {"since": first},
                 examples=5, always=True),
            item("late", _("Incidents with a late report"), Urgency.LATE, {"late": "1"}),
        ]  # fmt: skip
    if not (can(user, "incidents.report") or can(user, "incidents.follow_up")):
        return []
    items = [
        item("late", _("Incidents with a late report"), Urgency.LATE, {"late": "1"}, examples=3)
    ]
    if can(user, "incidents.report"):  # a department files follow-ups, never a step
        items.append(item("due", _("Incident reports due"), Urgency.DUE, {"due": "1"}, examples=3))
    return items
