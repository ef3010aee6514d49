from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anlan.core.forms import PresetFieldsMixin, text_field
from anlan.core.scoping import scope_of
from anlan.core.uploads import clean_image
from anlan.core.validators import is_in_china, is_valid_phone
from anlan.hazards import rules
from anlan.hazards.models import (
    ExtensionRequest,
    Hazard,
    HazardCategory,
    HazardEvent,
    HazardLevel,
    HazardSource,
    Listing,
    SiteKind,
)
from anlan.regions.models import places_in_scope
from anlan.registry.models import Enterprise, categories_in_scope


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos; each is checked and re-encoded by core.uploads.clean_image."""

    widget = MultipleFileInput(attrs={"accept": "image/*", "capture": "environment"})

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        if self.required and not files:
            raise ValidationError(self.error_messages["required"], code="required")
        if len(files) > 9:
            raise ValidationError(_("At most 9 photos."))
        return [clean_image(f) for f in files]


# The usual source of a report by who files it (市督查、县排查、镇巡查、企业自查).
SOURCE_BY_ROLE = {
    "grid_worker": HazardSource.GRID_PATROL,
    "town_staff": HazardSource.TOWN_PATROL,
    "bureau_staff": HazardSource.COUNTY_CHECK,
    "department_staff": HazardSource.COUNTY_CHECK,
    "expert": HazardSource.COUNTY_CHECK,
    "enterprise_manager": HazardSource.ENTERPRISE_SELF,
    "enterprise_staff": HazardSource.ENTERPRISE_SELF,
}


class HazardForm(PresetFieldsMixin, forms.ModelForm):
    photos = PhotosField(label=_("Photos before rectification"), required=False)

    class Meta:
        model = Hazard
        fields = [
            "enterprise",
            "site_kind",
            "site_name",
            "region",
            "supervision_category",
            "location",
            "longitude",
            "latitude",
            "source",
            "found_at",
            "description",
            "category",
            "level",
            "legal_basis",
            "suggested_measures",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "legal_basis": forms.Textarea(attrs={"rows": 2}),
            "suggested_measures": forms.Textarea(attrs={"rows": 2}),
            "found_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["found_at"].initial = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
        self.fields["category"].queryset = HazardCategory.objects.all()
        if user.is_enterprise_user:
            # An enterprise reports its own hazards: where they are and who supervises them
            # come from its record, the source is its self-check (企业自查).
            enterprise = user.enterprise
            self.preset(
                enterprise=enterprise,
                site_kind=SiteKind.ENTERPRISE,
                site_name="",
                region=enterprise.region,
                supervision_category=enterprise.category,
                source=HazardSource.ENTERPRISE_SELF,
            )
            return
        self.fields["enterprise"].queryset = Enterprise.objects.visible_to(user).active()
        self.fields["enterprise"].required = False
        scope = scope_of(user)
        self.fields["region"].queryset = places_in_scope(scope)
        self.fields["region"].required = False
        self.fields["region"].label_from_instance = lambda r: f"{r.code} {r.name}"
        self.fields["supervision_category"].queryset = categories_in_scope(scope)
        self.fields["supervision_category"].required = False
        self.fields["source"].initial = SOURCE_BY_ROLE.get(user.role, HazardSource.TOWN_PATROL)

    def clean(self):
        data = super().clean()
        if not self.user.is_enterprise_user:
            if data.get("enterprise") is not None:
                data["site_kind"] = SiteKind.ENTERPRISE
            elif data.get("site_kind") == SiteKind.ENTERPRISE:
                self.add_error(
                    "enterprise", _("Choose the enterprise, or a site kind without one.")
                )
            else:
                for name in ("region", "supervision_category", "site_name"):
                    if not data.get(name):
                        self.add_error(name, _("Required for a hazard outside an enterprise."))
        lon, lat = data.get("longitude"), data.get("latitude")
        if (lon is None) != (lat is None):
            raise ValidationError(_("Give both longitude and latitude, or neither."))
        if lon is not None and not is_in_china(lon, lat):
            self.add_error("longitude", _("The coordinates lie outside China."))
        found_at = data.get("found_at")
        if found_at and found_at > timezone.now() + timezone.timedelta(minutes=5):
            self.add_error("found_at", _("The time found cannot be in the future."))
        return data


class PlanForm(forms.Form):
    """五到位 for every hazard; the six items of a 治理方案 for major ones (16号令 art. 15)."""

    responsible_person = text_field(Hazard, "responsible_person", label=_("responsible person"))
    responsible_phone = text_field(Hazard, "responsible_phone", label=_("responsible person phone"))
    measures = text_field(Hazard, "measures", rows=3, label=_("rectification measures"))
    funds = forms.DecimalField(
        label=_("funds (yuan)"), min_value=0, max_digits=14, decimal_places=2
    )
    deadline = forms.DateField(
        label=_("rectification deadline"), widget=forms.DateInput(attrs={"type": "date"})
    )
    plan_goal = text_field(Hazard, "plan_goal", rows=2, label=_("goal and tasks"), required=False)
    plan_resources = text_field(
        Hazard, "plan_resources", rows=2, label=_("funds and materials"), required=False
    )
    plan_organisation = text_field(
        Hazard, "plan_organisation", rows=2, label=_("organisation and people"), required=False
    )
    plan_requirements = text_field(
        Hazard, "plan_requirements", rows=2, label=_("time limits and requirements"),
        required=False,
    )  # fmt: skip
    plan_safety_measures = text_field(
        Hazard, "plan_safety_measures", rows=2, label=_("safety measures and emergency plan"),
        required=False,
    )  # fmt: skip

    def __init__(self, *args, hazard: Hazard, **kwargs):
        super().__init__(*args, **kwargs)
        self.hazard = hazard
        self.fields["deadline"].initial = hazard.deadline  # the ordered date, or earlier
        if hazard.level == HazardLevel.MAJOR:
            for name in rules.MAJOR_PLAN_ITEMS:
                self.fields[name].required = True
        else:
            for name in rules.MAJOR_PLAN_ITEMS:
                if name not in rules.PLAN_ITEMS and name != "measures":
                    del self.fields[name]

    def clean_responsible_phone(self):
        phone = self.cleaned_data["responsible_phone"].strip()
        if not is_valid_phone(phone):
            raise ValidationError(
                _("Enter a mobile number (11 digits) or a landline with area code.")
            )
        return phone

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        problem = rules.check_deadline(deadline, timezone.localdate())
        problem = problem or rules.check_plan_deadline(deadline, self.hazard.deadline)
        if problem:
            raise ValidationError(problem)
        return deadline


class StepForm(forms.Form):
    """The inputs of a workflow step; which ones a step needs is in its transition."""

    comment = text_field(HazardEvent, "comment", rows=3, label=_("comment"), required=False)
    level = forms.ChoiceField(
        label=_("hazard level"), required=False, choices=[("", "—"), *HazardLevel.choices]
    )
    deadline = forms.DateField(
        label=_("ordered rectification deadline"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("责令限期整改: the date the rectification must be finished by."),
    )
    assessment = text_field(
        Hazard,
        "assessment",
        rows=2,
        label=_("assessment after treatment"),
        required=False,
        help_text=_(
            "Major hazards: who assessed the treatment (experts or a qualified body) "
            "and their conclusion."
        ),
    )
    photos = PhotosField(label=_("Photos after rectification"), required=False)

    def step_inputs(self) -> dict:
        data = self.cleaned_data
        return {
            "comment": data["comment"],
            "photos": data["photos"],
            "level": data["level"] or None,
            "deadline": data["deadline"],
            "assessment": data["assessment"],
        }


class ExtensionForm(forms.Form):
    new_deadline = forms.DateField(
        label=_("requested deadline"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = text_field(ExtensionRequest, "reason", rows=3, label=_("reason"), min_length=4)


class DecisionForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("decision"),
        coerce=lambda v: v == "1",
        choices=[("1", _("approve")), ("0", _("refuse"))],
    )
    comment = text_field(
        ExtensionRequest, "decision_comment", rows=2, label=_("comment"), required=False
    )


class ListingForm(forms.Form):
    responsible_leaders = text_field(Listing, "responsible_leaders", label=_("responsible leaders"))
    deadline = forms.DateField(
        label=_("supervision deadline"), widget=forms.DateInput(attrs={"type": "date"})
    )
    public_exposure = forms.BooleanField(label=_("publicly exposed"), required=False)

    def clean_deadline(self):
        """A 督办期限 in the past is refused as every deadline is (rules.check_deadline)."""
        deadline = self.cleaned_data["deadline"]
        problem = rules.check_deadline(deadline, timezone.localdate())
        if problem:
            raise ValidationError(problem)
        return deadline
