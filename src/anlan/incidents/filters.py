"""The incident ledger's filters, shared by the page and the API (core/ledger.py)."""

from django import forms
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from anlan.core.bounds import MAX_ID
from anlan.core.scoping import region_q, scope_of
from anlan.incidents.models import IncidentState, late_q
from anlan.incidents.rules import Grade, IncidentKind
from anlan.regions.models import towns_in_scope


class IncidentFilterForm(forms.Form):
    grade = forms.ChoiceField(label=_("grade"), required=False)
    kind = forms.ChoiceField(label=_("type"), required=False)
    town = forms.ChoiceField(label=_("Town"), required=False)
    state = forms.ChoiceField(label=_("status"), required=False)
    late = forms.BooleanField(label=_("overdue reports"), required=False)
    enterprise = forms.IntegerField(
        label=_("enterprise"), required=False, min_value=1, max_value=MAX_ID
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.scope = scope_of(user)
        every = [("", _("all"))]
        self.fields["grade"].choices = every + list(Grade.choices)
        self.fields["kind"].choices = every + list(IncidentKind.choices)
        self.fields["state"].choices = every + list(IncidentState.choices)
        self.fields["town"].choices = lambda: every + [(t.code, t.name) for t in self.towns]

    @cached_property
    def towns(self) -> list:
        return towns_in_scope(self.scope)

    @staticmethod
    def apply(queryset, data: dict, today=None):
        for name in ("grade", "kind", "state"):
            if data.get(name):
                queryset = queryset.filter(**{name: data[name]})
        if data.get("enterprise"):
            queryset = queryset.filter(enterprise_id=data["enterprise"])
        if data.get("town"):
            queryset = queryset.filter(region_q(queryset.model.scope_fields, data["town"]))
        if data.get("late"):
            queryset = queryset.filter(late_q(timezone.now())).distinct()
        return queryset
