"""The filters of the duty log and of shift swaps, shared by their pages and the API."""

from datetime import timedelta

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anlan.core.bounds import MAX_ID, date_in_bounds
from anlan.duty.models import LogKind, SwapState


def _id(label):
    return forms.IntegerField(label=label, required=False, min_value=1, max_value=MAX_ID)


class DutyLogFilterForm(forms.Form):
    organisation = _id(_("organisation"))
    shift = _id(_("shift"))
    kind = forms.ChoiceField(
        label=_("kind"), required=False, choices=[("", "")] + list(LogKind.choices)
    )
    days = forms.IntegerField(label=_("days"), required=False, min_value=1, max_value=366)
    since = forms.DateTimeField(label=_("since"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)

    def clean_since(self):
        since = self.cleaned_data.get("since")
        if since and not date_in_bounds(since):
            raise forms.ValidationError(_("Enter a date between the years 1900 and 2999."))
        return since

    @staticmethod
    def apply(queryset, data: dict, today=None):
        for name in ("organisation", "shift"):
            if data.get(name):
                queryset = queryset.filter(**{f"{name}_id": data[name]})
        if data.get("kind"):
            queryset = queryset.filter(kind=data["kind"])
        if data.get("days"):
            queryset = queryset.filter(
                occurred_at__gte=timezone.now() - timedelta(days=data["days"])
            )
        if data.get("since"):
            queryset = queryset.filter(occurred_at__gte=data["since"])
        return queryset


# The swap page's tabs, as filters.
SWAP_TABS = {"pending": {"state": SwapState.PENDING}, "mine": {"mine": True}, "all": {}}


class SwapFilterForm(forms.Form):
    show = forms.ChoiceField(
        label=_("Show"), required=False, choices=[("", "")] + [(k, k) for k in SWAP_TABS]
    )
    state = forms.ChoiceField(
        label=_("status"), required=False, choices=[("", "")] + list(SwapState.choices)
    )
    mine = forms.BooleanField(label=_("Involving me"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self):
        data = super().clean()
        data.update(SWAP_TABS.get(data.get("show") or "", {}))
        # "mine": swaps the asking user asked for or is asked to take, kept as their id.
        data["party"] = getattr(self.user, "pk", None) if data.get("mine") else None
        return data

    @staticmethod
    def apply(queryset, data: dict, today=None):
        if data.get("state"):
            queryset = queryset.filter(state=data["state"])
        if data.get("party"):
            party = data["party"]
            queryset = queryset.filter(Q(requester_id=party) | Q(counterpart_id=party))
        return queryset
