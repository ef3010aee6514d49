"""The filters of the duty ledgers (rosters, shifts, handovers, the duty log and shift swaps),
shared by their pages and the API."""

from datetime import timedelta

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anlan.core.bounds import MAX_ID, date_in_bounds
from anlan.duty import rules
from anlan.duty.models import LogKind, RosterState, SwapState


def _id(label):
    return forms.IntegerField(label=label, required=False, min_value=1, max_value=MAX_ID)


def _moment(label):
    return forms.DateTimeField(label=label, required=False)


def _in_bounds(moment):
    if moment and not date_in_bounds(moment):
        raise forms.ValidationError(_("Enter a date between the years 1900 and 2999."))
    return moment


class RosterFilterForm(forms.Form):
    month = forms.CharField(label=_("month"), required=False)
    organisation = _id(_("organisation"))
    state = forms.ChoiceField(
        label=_("status"), required=False, choices=[("", "")] + list(RosterState.choices)
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)

    def clean_month(self):
        text = self.cleaned_data.get("month")
        if not text:
            return None
        try:
            return rules.parse_month(text)
        except ValueError as exc:
            raise forms.ValidationError(_("Enter a month such as 2026-11.")) from exc

    @staticmethod
    def apply(queryset, data: dict, today=None):
        if data.get("month"):
            queryset = queryset.filter(month=data["month"])
        if data.get("organisation"):
            queryset = queryset.filter(organisation_id=data["organisation"])
        if data.get("state"):
            queryset = queryset.filter(state=data["state"])
        return queryset


class ShiftFilterForm(forms.Form):
    roster = _id(_("duty roster"))
    organisation = _id(_("organisation"))
    start_from = _moment(_("since"))  # shifts still running after it
    start_to = _moment(_("until"))  # shifts starting before it
    mine = forms.BooleanField(label=_("Mine"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_start_from(self):
        return _in_bounds(self.cleaned_data.get("start_from"))

    def clean_start_to(self):
        return _in_bounds(self.cleaned_data.get("start_to"))

    def clean(self):
        data = super().clean()
        # "mine": shifts the asking user is the officer or the leader of, kept as their id.
        data["person"] = getattr(self.user, "pk", None) if data.get("mine") else None
        return data

    @staticmethod
    def apply(queryset, data: dict, today=None):
        for name in ("roster", "organisation"):
            if data.get(name):
                queryset = queryset.filter(**{f"{name}_id": data[name]})
        if data.get("start_from"):
            queryset = queryset.filter(end__gt=data["start_from"])
        if data.get("start_to"):
            queryset = queryset.filter(start__lt=data["start_to"])
        if data.get("person"):
            person = data["person"]
            queryset = queryset.filter(Q(officer_id=person) | Q(leader_id=person))
        return queryset


class HandoverFilterForm(forms.Form):
    organisation = _id(_("organisation"))
    open = forms.BooleanField(label=_("Not yet received"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)

    @staticmethod
    def apply(queryset, data: dict, today=None):
        if data.get("organisation"):
            queryset = queryset.filter(organisation_id=data["organisation"])
        if data.get("open"):
            queryset = queryset.filter(received_at__isnull=True)
        return queryset


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
    organisation = _id(_("organisation"))

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
        if data.get("organisation"):
            queryset = queryset.filter(organisation_id=data["organisation"])
        if data.get("party"):
            party = data["party"]
            queryset = queryset.filter(Q(requester_id=party) | Q(counterpart_id=party))
        return queryset
