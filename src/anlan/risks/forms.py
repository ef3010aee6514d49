"""Risk register validation: one set of forms for the pages, the API and the Excel import."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from anlan.accounts.models import User
from anlan.core.forms import text_field
from anlan.core.models import Archivable
from anlan.core.uploads import clean_image
from anlan.risks import rules
from anlan.risks.models import (
    Assessment,
    AssessmentKind,
    CheckResult,
    ControlMeasure,
    Method,
    RiskEvent,
    RiskObject,
    RiskUnit,
)


def _factor_choices(table) -> list[tuple[str, str]]:
    return [("", "—")] + [
        (rules.plain(value), f"{rules.plain(value)} {label}")
        for value, label in sorted(table.items(), reverse=True)
    ]


LS_CHOICES = [("", "—")] + [(str(v), str(v)) for v in rules.LS_VALUES]


class RiskObjectForm(forms.ModelForm):
    class Meta:
        model = RiskObject
        fields = ["kind", "name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class RiskUnitForm(forms.ModelForm):
    class Meta:
        model = RiskUnit
        fields = ["name", "area", "emergency_actions", "emergency_phones"]
        widgets = {"emergency_actions": forms.Textarea(attrs={"rows": 3})}


class RiskEventForm(forms.ModelForm):
    accident_types = forms.MultipleChoiceField(
        label=_("possible accident types"),
        choices=list(rules.ACCIDENT_TYPES.items()),
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = RiskEvent
        fields = [
            "name",
            "factor_kind",
            "factor",
            "accident_types",
            "company_person",
            "workshop_person",
            "team_person",
            "post_person",
        ]
        widgets = {"factor": forms.Textarea(attrs={"rows": 2})}

    def clean(self):
        data = super().clean()
        # Once graded, each control level of the grade names its responsible person.
        for level in rules.CONTROL_LEVELS.get(self.instance.level, ()):
            name = f"{level}_person"
            if not (data.get(name) or "").strip():
                self.add_error(name, _("Required for a risk of this level."))
        return data


class AssessmentForm(forms.Form):
    """LEC (L, E, C from DOMAIN.md's tables) or the risk matrix (L, S from 1 to 5)."""

    kind = forms.ChoiceField(label=_("assessment of"), choices=AssessmentKind.choices)
    method = forms.ChoiceField(label=_("method"), choices=Method.choices)
    lec_l = forms.ChoiceField(
        label=_("L likelihood"), choices=_factor_choices(rules.LEC_L), required=False
    )
    lec_e = forms.ChoiceField(
        label=_("E exposure"), choices=_factor_choices(rules.LEC_E), required=False
    )
    lec_c = forms.ChoiceField(
        label=_("C consequence"), choices=_factor_choices(rules.LEC_C), required=False
    )
    ls_l = forms.TypedChoiceField(
        label=_("L likelihood (1–5)"), choices=LS_CHOICES, coerce=int, empty_value=None,
        required=False,
    )  # fmt: skip
    ls_s = forms.TypedChoiceField(
        label=_("S severity (1–5)"), choices=LS_CHOICES, coerce=int, empty_value=None,
        required=False,
    )  # fmt: skip
    note = text_field(Assessment, "note", label=_("note"), required=False)

    def clean(self):
        data = super().clean()
        lec = data.get("method") == Method.LEC
        for name in ("lec_l", "lec_e", "lec_c") if lec else ("ls_l", "ls_s"):
            if data.get(name) in (None, ""):
                self.add_error(name, _("Required by the chosen method."))
        if not self.errors:
            kwargs = self.action_kwargs()
            data["grade"] = (
                rules.lec(kwargs["l"], kwargs["e"], kwargs["c"])
                if lec
                else rules.ls(kwargs["l"], kwargs["s"])
            )
        return data

    def action_kwargs(self) -> dict:
        data = self.cleaned_data
        lec = data["method"] == Method.LEC
        return {
            "kind": data["kind"],
            "method": data["method"],
            "l": data["lec_l"] if lec else data["ls_l"],
            "e": data["lec_e"] if lec else None,
            "c": data["lec_c"] if lec else None,
            "s": None if lec else data["ls_s"],
            "note": data.get("note", ""),
        }


class ControlMeasureForm(forms.ModelForm):
    class Meta:
        model = ControlMeasure
        fields = [
            "kind",
            "description",
            "check_items",
            "responsible",
            "frequency",
            "interval_hours",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "check_items": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, enterprise_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["responsible"]
        field.queryset = User.objects.filter(enterprise_id=enterprise_id, is_active=True)
        field.label_from_instance = lambda u: f"{u.get_full_name() or u.username}（{u.username}）"


class ArchiveForm(forms.Form):
    reason = text_field(Archivable, "archive_reason", rows=2, label=_("archive reason"))


class CheckForm(forms.Form):
    """A task's check, item by item: passed or not, what was found, an optional photo."""

    def __init__(self, *args, items: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        for position, item in enumerate(items, start=1):
            self.fields[f"ok_{position}"] = forms.TypedChoiceField(
                label=item,
                choices=[("1", _("passed")), ("0", pgettext_lazy("check result", "failed"))],
                coerce=lambda v: v == "1",
                widget=forms.RadioSelect,
            )
            self.fields[f"note_{position}"] = text_field(
                CheckResult, "note", rows=2, label=_("finding"), required=False
            )
            self.fields[f"photo_{position}"] = forms.FileField(
                label=_("photo"),
                required=False,
                widget=forms.ClearableFileInput(
                    attrs={"accept": "image/*", "capture": "environment"}
                ),
            )

    def clean(self):
        data = super().clean()
        for position in range(1, len(self.items) + 1):
            if data.get(f"ok_{position}") is False and not data.get(f"note_{position}", "").strip():
                self.add_error(f"note_{position}", _("Describe what was found."))
            photo = data.get(f"photo_{position}")
            if photo:
                try:
                    data[f"photo_{position}"] = clean_image(photo)
                except forms.ValidationError as exc:
                    self.add_error(f"photo_{position}", exc)
        return data

    def rows(self):
        """(item, ok field, note field, photo field) per item, for the template."""
        return [
            (item, self[f"ok_{p}"], self[f"note_{p}"], self[f"photo_{p}"])
            for p, item in enumerate(self.items, start=1)
        ]

    def results(self):
        from anlan.risks.actions import ItemResult

        data = self.cleaned_data
        return [
            ItemResult(
                ok=data[f"ok_{p}"],
                note=data.get(f"note_{p}", "").strip(),
                photo=data.get(f"photo_{p}") or None,
            )
            for p in range(1, len(self.items) + 1)
        ]
