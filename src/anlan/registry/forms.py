"""Enterprise validation: one form used by the web UI, the API and the Excel import."""

from django import forms
from django.utils.translation import gettext_lazy as _

from anlan.core.forms import text_field
from anlan.core.models import Archivable
from anlan.core.scoping import scope_of
from anlan.core.validators import is_in_china, is_valid_phone
from anlan.regions.models import places_in_scope
from anlan.registry import rules
from anlan.registry.enums import IndustrySection
from anlan.registry.models import Enterprise, categories_in_scope

EDITABLE_FIELDS = [
    "name",
    "uscc",
    "address",
    "region",
    "longitude",
    "latitude",
    "industry",
    "category",
    "scale",
    "employees",
    "is_key",
    "legal_representative",
    "legal_representative_phone",
    "safety_manager",
    "safety_manager_phone",
]
# Identity, jurisdiction and supervision grading are decided by the government; an
# enterprise keeps its address, coordinates, headcount and contacts current.
GOVERNMENT_ONLY_FIELDS = ["name", "uscc", "region", "industry", "category", "scale", "is_key"]


class EnterpriseForm(forms.ModelForm):
    class Meta:
        model = Enterprise
        fields = EDITABLE_FIELDS
        widgets = {"address": forms.TextInput()}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        scope = scope_of(user)
        self.fields["region"].queryset = places_in_scope(scope)
        self.fields["region"].label_from_instance = lambda r: f"{r.code} {r.name}"
        self.fields["category"].queryset = categories_in_scope(scope)
        self.fields["region"].error_messages["invalid_choice"] = _(
            "Unknown region code, or a region outside your jurisdiction."
        )
        self.fields["category"].error_messages["invalid_choice"] = _(
            "Unknown supervision category, or one your department does not supervise."
        )
        self.fields["industry"].choices = [("", "---------"), *IndustrySection.choices]
        if user.is_enterprise_user:
            for name in GOVERNMENT_ONLY_FIELDS:
                self.fields[name].disabled = True

    def clean_uscc(self) -> str:
        code = rules.normalise_uscc(self.cleaned_data.get("uscc", ""))
        if len(code) != 18:
            raise forms.ValidationError(_("A credit code has 18 characters."))
        if not rules.is_valid_uscc(code):
            raise forms.ValidationError(
                _("Invalid unified social credit code: check character or characters wrong.")
            )
        duplicates = Enterprise.objects.active().filter(uscc=code)
        if self.instance.pk:
            duplicates = duplicates.exclude(pk=self.instance.pk)
        if duplicates.exists():
            raise forms.ValidationError(_("An enterprise with this credit code already exists."))
        return code

    def _clean_phone(self, field: str, required: bool) -> str:
        phone = (self.cleaned_data.get(field) or "").strip().replace(" ", "")
        if not phone:
            if required:
                raise forms.ValidationError(_("This field is required."))
            return ""
        if not is_valid_phone(phone):
            raise forms.ValidationError(
                _("Enter a mobile number (11 digits) or a landline with area code.")
            )
        return phone

    def clean_safety_manager_phone(self) -> str:
        return self._clean_phone("safety_manager_phone", required=True)

    def clean_legal_representative_phone(self) -> str:
        return self._clean_phone("legal_representative_phone", required=False)

    def clean(self):
        data = super().clean()
        lon, lat = data.get("longitude"), data.get("latitude")
        if (lon is None) != (lat is None):
            raise forms.ValidationError(_("Give both longitude and latitude, or neither."))
        if lon is not None and lat is not None and not is_in_china(lon, lat):
            self.add_error(
                "longitude", _("The coordinates lie outside China: longitude and latitude swapped?")
            )
        return data


class ArchiveForm(forms.Form):
    reason = text_field(
        Archivable,
        "archive_reason",
        rows=3,
        label=_("Reason for archiving"),
        min_length=4,
        help_text=_("For example: closed down, merged, moved out of the county."),
    )


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel file (.xlsx)"))
