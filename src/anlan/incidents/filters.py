"""The incident ledger's filters, shared by the page and the API (core/ledger.py)."""

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from anlan.core.documents import parse_register_number
from anlan.core.scoping import region_q, scope_of
from anlan.incidents.models import IncidentState, late_q
from anlan.incidents.rules import Grade, IncidentKind
from anlan.regions.models import towns_in_scope


class IncidentFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    grade = forms.ChoiceField(label=_("grade"), required=False)
    kind = forms.ChoiceField(label=_("type"), required=False)
    town = forms.ChoiceField(label=_("Town"), required=False)
    state = forms.ChoiceField(label=_("status"), required=False)
    late = forms.BooleanField(label=_("overdue reports"), required=False)

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
        if data.get("town"):
            queryset = queryset.filter(region_q(queryset.model.scope_fields, data["town"]))
        if data.get("late"):
            queryset = queryset.filter(late_q(timezone.now())).distinct()
        return queryset
