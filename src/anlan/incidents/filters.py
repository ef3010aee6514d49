"""The incident ledger's filters, shared by the page and the API (core/ledger.py)."""

from datetime import datetime, time

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from anlan.accounts.models import unit_level
from anlan.core.bounds import MAX_ID, date_in_bounds
from anlan.core.documents import parse_register_number
from anlan.core.scoping import region_q, scope_of
from anlan.incidents.models import Incident, IncidentState, due_q, late_q
from anlan.incidents.rules import Grade, IncidentKind, Level
from anlan.regions.models import towns_in_scope


class IncidentFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    grade = forms.ChoiceField(label=_("grade"), required=False)
    kind = forms.ChoiceField(label=_("type"), required=False)
    town = forms.ChoiceField(label=_("Town"), required=False)
    state = forms.ChoiceField(label=_("status"), required=False)
    late = forms.BooleanField(label=_("overdue reports"), required=False)
    enterprise = forms.IntegerField(
        label=_("enterprise"), required=False, min_value=1, max_value=MAX_ID
    )
    due = forms.BooleanField(label=_("reports due"), required=False)
    since = forms.DateField(label=_("occurred since"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.scope = scope_of(user)
        every = [("", _("all"))]
        self.fields["grade"].choices = every + list(Grade.choices)
        self.fields["kind"].choices = every + list(IncidentKind.choices)
        self.fields["state"].choices = every + list(IncidentState.choices)
        self.fields["town"].choices = lambda: every + [(t.code, t.name) for t in self.towns]

    def clean(self):
        data = super().clean()
        # "due": the steps the asking user's unit reports (an enterprise or a town reports as
        # the unit; the county and city bureaus forward), kept as plain data.
        data["step_level"] = _step_level(self.user) if data.get("due") else None
        return data

    def clean_since(self):
        since = self.cleaned_data.get("since")
        if since and not date_in_bounds(since):
            raise forms.ValidationError(_("Enter a date between the years 1900 and 2999."))
        return since

    @cached_property
    def towns(self) -> list:
        return towns_in_scope(self.scope)

    @staticmethod
    def apply(queryset, data: dict, today=None):
        if data.get("q"):
            q = data["q"].strip()
            number = parse_register_number(queryset.model.number_prefix, q)
            if number is not None:  # an incident number (SG2026-0003, sg2026-3): that incident
                queryset = queryset.filter(number=number)
            else:
                queryset = queryset.filter(
                    Q(title__icontains=q)
                    | Q(enterprise__name__icontains=q)
                    | Q(location__icontains=q)
                )
        for name in ("grade", "kind", "state"):
            if data.get(name):
                queryset = queryset.filter(**{name: data[name]})
        if data.get("enterprise"):
            queryset = queryset.filter(enterprise_id=data["enterprise"])
        if data.get("town"):
            queryset = queryset.filter(region_q(queryset.model.scope_fields, data["town"]))
        now = timezone.now()
        if data.get("late"):
            queryset = queryset.filter(late_q(now)).distinct()
        if data.get("due"):  # a step within its limit, and none late (those are "late")
            late = Incident.objects.filter(late_q(now)).values("pk")
            due = due_q(now, data.get("step_level"))
            queryset = queryset.filter(due).exclude(pk__in=late).distinct()
        if data.get("since"):
            start = timezone.make_aware(datetime.combine(data["since"], time.min))
            queryset = queryset.filter(occurred_at__gte=start)
        return queryset


def _step_level(user) -> str | None:
    """The level of the chain (rules.HOPS) the user's unit reports from."""
    level = unit_level(user)
    if level in (None, "town", "village", "grid"):
        return Level.UNIT
    return None if level == "province" else level
