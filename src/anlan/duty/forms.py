"""Duty forms: parse and check input for the pages and the API; the rules that need the
database (membership, overlaps, who may act) are checked again by the actions."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anlan.core.forms import max_length_of, text_field
from anlan.duty import rules, services
from anlan.duty.models import DutyLogEntry, Handover, LogKind, Roster, Shift, Swap, SwapEvent

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def datetime_widget() -> forms.DateTimeInput:
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT)


class PersonChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.display_name}（{obj.phone or '—'}）"


class MonthField(forms.CharField):
    widget = forms.TextInput(attrs={"type": "month"})

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            return rules.parse_month(value)
        except ValueError as exc:
            raise forms.ValidationError(_("Enter a month such as 2026-11.")) from exc


class RotaForm(forms.Form):
    """The rota a month is generated from: officers and leaders, each in turn."""

    officers = PersonChoice(
        label=_("duty officers"), queryset=None, widget=forms.CheckboxSelectMultiple,
        help_text=_("They take the shifts in turn, continuing after last month's last officer."),
    )  # fmt: skip
    leaders = PersonChoice(
        label=_("leaders on duty"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    leader_days = forms.IntegerField(
        label=_("days per leader"), min_value=1, max_value=31, initial=1,
        help_text=_("A leader on duty leads this many days in a row (7: a week each)."),
    )  # fmt: skip

    def __init__(self, *args, organisation_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        staff = services.members(organisation_id)
        self.fields["officers"].queryset = staff
        self.fields["leaders"].queryset = staff

    def rota_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "officers": list(data["officers"]),
            "leaders": list(data["leaders"]),
            "leader_days": data["leader_days"],
        }


class RosterForm(RotaForm):
    month = MonthField(label=_("month"))
    note = text_field(Roster, "note", rows=2, label=_("note"), required=False)
    field_order = ["month", "officers", "leaders", "leader_days", "note"]


class ShiftForm(forms.Form):
    """A shift's times, people, phones and note. A plain form (not a ModelForm): the database
    constraints stay the last guard, and the action words the same rules for officials."""

    start = forms.DateTimeField(label=_("starts at"), widget=datetime_widget())
    end = forms.DateTimeField(label=_("ends at"), widget=datetime_widget())
    officer = forms.ModelChoiceField(label=_("duty officer"), queryset=None)
    officer_phone = forms.CharField(
        label=_("duty officer's phone"), max_length=max_length_of(Shift, "officer_phone"),
        required=False,
        help_text=_("Empty: the person's own mobile phone."),
    )  # fmt: skip
    leader = forms.ModelChoiceField(label=_("leader on duty"), queryset=None)
    leader_phone = forms.CharField(
        label=_("leader's phone"), max_length=max_length_of(Shift, "leader_phone"),
        required=False,
        help_text=_("Empty: the person's own mobile phone."),
    )  # fmt: skip
    note = text_field(Shift, "note", label=_("note"), required=False)

    def __init__(self, *args, shift: Shift, **kwargs):
        kwargs.setdefault("initial", {
            "start": timezone.localtime(shift.start).strftime(DATETIME_FORMAT),
            "end": timezone.localtime(shift.end).strftime(DATETIME_FORMAT),
            "officer": shift.officer_id, "officer_phone": shift.officer_phone,
            "leader": shift.leader_id, "leader_phone": shift.leader_phone, "note": shift.note,
        })  # fmt: skip
        super().__init__(*args, **kwargs)
        staff = services.members(shift.organisation_id)
        for name in ("officer", "leader"):
            self.fields[name].queryset = staff
            self.fields[name].label_from_instance = lambda u: (
                f"{u.display_name}（{u.phone or '—'}）"
            )
        for name in ("start", "end"):
            self.fields[name].input_formats = [DATETIME_FORMAT, "%Y-%m-%d %H:%M"]

    def changes(self) -> dict:
        return dict(self.cleaned_data)


class LogEntryForm(forms.Form):
    occurred_at = forms.DateTimeField(
        label=_("time"), widget=datetime_widget(),
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
    )  # fmt: skip
    kind = forms.ChoiceField(label=_("kind"), choices=LogKind.choices)
    counterpart = text_field(
        DutyLogEntry, "counterpart", label=_("caller or party"), required=False
    )
    phone = text_field(DutyLogEntry, "phone", label=_("phone"), required=False)
    content = text_field(DutyLogEntry, "content", rows=3, label=_("content"))
    action_taken = text_field(
        DutyLogEntry, "action_taken", rows=2, label=_("action taken"), required=False
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "initial", {"occurred_at": timezone.localtime().strftime(DATETIME_FORMAT)}
        )
        super().__init__(*args, **kwargs)


class HandoverForm(forms.Form):
    open_matters = text_field(
        Handover, "open_matters", rows=4, label=_("open matters"),
        help_text=_("What the next shift must follow up; write “none” when nothing is open."),
    )  # fmt: skip
    notes = text_field(Handover, "notes", rows=2, label=_("notes"), required=False)


class SwapForm(forms.Form):
    counterpart = forms.ModelChoiceField(label=_("swap with"), queryset=None)
    counterpart_shift = forms.ModelChoiceField(
        label=_("in exchange for the shift"), queryset=None, required=False,
        help_text=_("Empty: the other person covers your shift (替班)."),
    )  # fmt: skip
    reason = text_field(Swap, "reason", rows=2, label=_("reason"))

    def __init__(self, *args, shift: Shift, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["counterpart"].queryset = services.members(shift.organisation_id)
        self.fields["counterpart"].label_from_instance = lambda u: u.display_name
        self.fields["counterpart_shift"].queryset = (
            Shift.objects.filter(organisation_id=shift.organisation_id, start__gt=timezone.now())
            .exclude(pk=shift.pk)
            .select_related("officer", "leader")
            .order_by("start")
        )
        self.fields["counterpart_shift"].label_from_instance = lambda s: (
            f"{timezone.localtime(s.start):%Y-%m-%d %H:%M} {s.officer.display_name} / "
            f"{s.leader.display_name}"
        )


class DecisionForm(forms.Form):
    comment = text_field(SwapEvent, "comment", label=_("comment"), required=False)
