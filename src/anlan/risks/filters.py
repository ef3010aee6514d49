"""The filters of the risk ledgers: the register's lists (objects, units, events, measures)
and the investigation tasks, shared by their pages and the API."""

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anlan.core.bounds import MAX_ID
from anlan.risks.models import TaskState
from anlan.risks.rules import RiskLevel


class RegisterFilterForm(forms.Form):
    """One list of the register (objects, units): an enterprise's, the archived ones only
    when asked for."""

    enterprise = forms.IntegerField(
        label=_("enterprise"), required=False, min_value=1, max_value=MAX_ID
    )
    include_archived = forms.BooleanField(label=_("archived"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)

    @staticmethod
    def apply(queryset, data: dict, today=None):
        if not data.get("include_archived"):
            queryset = queryset.active()
        if data.get("enterprise"):
            queryset = queryset.filter(enterprise_id=data["enterprise"])
        return queryset


class EventFilterForm(RegisterFilterForm):
    level = forms.ChoiceField(
        label=_("risk level"), required=False, choices=[("", "")] + list(RiskLevel.choices)
    )

    @staticmethod
    def apply(queryset, data: dict, today=None):
        queryset = RegisterFilterForm.apply(queryset, data, today)
        if data.get("level"):
            queryset = queryset.filter(level=data["level"])
        return queryset


class MeasureFilterForm(RegisterFilterForm):
    event = forms.IntegerField(label=_("risk event"), required=False, min_value=1, max_value=MAX_ID)

    @staticmethod
    def apply(queryset, data: dict, today=None):
        queryset = RegisterFilterForm.apply(queryset, data, today)
        if data.get("event"):
            queryset = queryset.filter(event_id=data["event"])
        return queryset


# The task page's tabs, as filters: what each shows.
TABS = {
    "current": {"state": TaskState.OPEN},
    "mine": {"state": TaskState.OPEN, "mine": True},
    "missed": {"state": TaskState.MISSED},
    "done": {"state": TaskState.DONE},
}


class TaskFilterForm(forms.Form):
    show = forms.ChoiceField(
        label=_("Show"), required=False, choices=[("", "")] + [(k, k) for k in TABS]
    )
    state = forms.ChoiceField(
        label=_("status"), required=False, choices=[("", "")] + list(TaskState.choices)
    )
    mine = forms.BooleanField(label=_("Mine"), required=False)
    enterprise = forms.IntegerField(
        label=_("enterprise"), required=False, min_value=1, max_value=MAX_ID
    )
    days = forms.IntegerField(label=_("days"), required=False, min_value=1, max_value=366)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self):
        data = super().clean()
        data.update(TABS.get(data.get("show") or "", {}))
        # "mine" is the asking user's: kept as an id so the filters stay plain data.
        data["assignee"] = getattr(self.user, "pk", None) if data.get("mine") else None
        return data

    @staticmethod
    def apply(queryset, data: dict, today=None):
        state = data.get("state")
        if state:
            queryset = queryset.filter(state=state)
        if state == TaskState.OPEN:  # open and due now: not those of a later window
            queryset = queryset.filter(window_start__lte=timezone.now())
        if data.get("assignee"):
            queryset = queryset.filter(assignee_id=data["assignee"])
        if data.get("enterprise"):
            queryset = queryset.filter(enterprise_id=data["enterprise"])
        if data.get("days"):  # windows that ended in the last days (or are still running)
            since = timezone.now() - timedelta(days=data["days"])
            queryset = queryset.filter(window_end__gte=since)
        return queryset


def task_ordering(data: dict) -> tuple[str, ...]:
    """Missed tasks latest first, done ones by when they were done, the rest by window end."""
    state = data.get("state")
    if state == TaskState.MISSED:
        return ("-window_end", "pk")
    if state == TaskState.DONE:
        return ("-done_at", "pk")
    return ("window_end", "pk")
