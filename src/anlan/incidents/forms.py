"""Incident validation: one set of forms for the pages and the API."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anlan.core.forms import PresetFieldsMixin, text_field
from anlan.core.scoping import scope_of
from anlan.core.validators import is_in_china, is_valid_phone
from anlan.incidents.models import Incident, IncidentReport, ReportChannel
from anlan.incidents.rules import Source
from anlan.regions.models import places_in_scope
from anlan.registry.models import Enterprise, categories_in_scope

FACTS = [
    "deaths",
    "missing",
    "serious_injuries",
    "minor_injuries",
    "trapped",
    "direct_loss_yuan",
    "description",
    "measures_taken",
]
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class IncidentForm(PresetFieldsMixin, forms.ModelForm):
    class Meta:
        model = Incident
        fields = [
            "kind",
            "title",
            "occurred_at",
            "unit_learned_at",
            "known_source",
            "enterprise",
            "region",
            "supervision_category",
            "location",
            "longitude",
            "latitude",
            *FACTS,
            "reporter_name",
            "reporter_phone",
        ]
        widgets = {
            "occurred_at": DATETIME,
            "unit_learned_at": DATETIME,
            "description": forms.Textarea(attrs={"rows": 3}),
            "measures_taken": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "unit_learned_at": _("When your unit learned of it: the one-hour limit starts here."),
            "known_source": _("How the government first learned of it."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        scope = scope_of(user)
        # The reporter is the user filling in the form, unless they take down someone's call.
        self.fields["reporter_name"].initial = user.full_name
        self.fields["reporter_phone"].initial = user.phone
        self.fields["region"].queryset = places_in_scope(scope)
        self.fields["region"].required = False
        self.fields["region"].label_from_instance = lambda r: f"{r.code} {r.name}"
        self.fields["supervision_category"].queryset = categories_in_scope(scope)
        self.fields["enterprise"].queryset = Enterprise.objects.visible_to(user).active()
        self.fields["enterprise"].required = False
        now = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
        self.fields["occurred_at"].initial = now
        self.fields["unit_learned_at"].initial = now
        for name in ("occurred_at", "unit_learned_at"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "iso-8601"]
        if user.enterprise_id:
            # A unit reports its own accident: where it is and who supervises it come from
            # its record, and the government learns of it from the unit's report.
            enterprise = user.enterprise
            self.preset(
                enterprise=enterprise,
                region=enterprise.region,
                supervision_category=enterprise.category,
                known_source=Source.UNIT,
            )

    def clean(self):
        data = super().clean()
        now = timezone.now() + timezone.timedelta(minutes=5)
        if not self.user.enterprise_id and not data.get("enterprise") and not data.get("region"):
            self.add_error("region", _("Choose the enterprise, or the town or village."))
        occurred, learned = data.get("occurred_at"), data.get("unit_learned_at")
        if occurred and occurred > now:
            self.add_error("occurred_at", _("The time cannot be in the future."))
        if learned and learned > now:
            self.add_error("unit_learned_at", _("The time cannot be in the future."))
        if occurred and learned and learned < occurred:
            self.add_error("unit_learned_at", _("Cannot be before the accident happened."))
        if self.value_of("known_source", data) == Source.UNIT and not learned:
            self.add_error("unit_learned_at", _("Required for the unit's own report."))
        lon, lat = data.get("longitude"), data.get("latitude")
        if (lon is None) != (lat is None):
            raise forms.ValidationError(_("Give both longitude and latitude, or neither."))
        if lon is not None and not is_in_china(lon, lat):
            self.add_error("longitude", _("The coordinates lie outside China."))
        phone = data.get("reporter_phone")
        if phone and not is_valid_phone(phone):
            self.add_error("reporter_phone", _("Enter a valid phone number."))
        return data


class FactsForm(forms.Form):
    """The facts of a follow-up (续报/补报) or final report (终报), and the unit's late report."""

    deaths = forms.IntegerField(label=_("deaths"), min_value=0)
    missing = forms.IntegerField(label=_("missing"), min_value=0)
    serious_injuries = forms.IntegerField(
        label=_("serious injuries (incl. acute industrial poisoning)"), min_value=0
    )
    minor_injuries = forms.IntegerField(label=_("minor injuries"), min_value=0)
    trapped = forms.IntegerField(label=_("trapped"), min_value=0)
    direct_loss_yuan = forms.DecimalField(
        label=_("estimated direct economic loss (yuan)"), min_value=0, max_digits=14,
        decimal_places=2,
    )  # fmt: skip
    description = text_field(Incident, "description", rows=3, label=_("what happened"))
    measures_taken = text_field(
        Incident, "measures_taken", rows=2, label=_("measures taken"), required=False
    )
    note = text_field(IncidentReport, "note", label=_("note"), required=False)
    final = forms.BooleanField(label=_("This is the final report"), required=False)

    @classmethod
    def for_incident(cls, incident: Incident, data=None):
        return cls(data, initial={name: getattr(incident, name) for name in FACTS})

    def facts(self) -> dict:
        return {name: self.cleaned_data[name] for name in FACTS}


class UnitReportForm(FactsForm):
    learned_at = forms.DateTimeField(
        label=_("unit learned at"),
        widget=DATETIME,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "iso-8601"],
    )


class ForwardForm(forms.Form):
    """A report up the chain: in writing (fulfils both limits of the step) or by phone (the
    first limit only; the written report is then recorded with this form again)."""

    channel = forms.ChoiceField(
        label=_("reported"),
        choices=ReportChannel.choices,
        initial=ReportChannel.WRITTEN,
        required=False,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        help_text=_("A written report meets both the phone and the written limit."),
    )
    note = text_field(IncidentReport, "note", rows=2, label=_("note"), required=False)

    def __init__(self, *args, step=None, **kwargs):
        super().__init__(*args, **kwargs)
        if step is not None and step.reported_at is not None:  # only the written one is due
            self.fields["channel"].choices = [
                (ReportChannel.WRITTEN.value, ReportChannel.WRITTEN.label)
            ]

    def clean_channel(self) -> str:
        return self.cleaned_data.get("channel") or ReportChannel.WRITTEN
