"""The enterprise list filters, shared by the page, the Excel export and the API."""

from django import forms
from django.utils.translation import gettext_lazy as _

from anlan.core.scoping import scope_of
from anlan.regions.models import towns_in_scope
from anlan.registry.enums import IndustrySection
from anlan.registry.models import SupervisionCategory

STATUS_CHOICES = [
    ("", _("in register")),
    ("archived", _("archived")),
    ("all", _("all")),
]
KEY_CHOICES = [("", _("all")), ("1", _("key supervision only")), ("0", _("not key"))]


class EnterpriseFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    region = forms.CharField(label=_("Region"), required=False, max_length=15)
    industry = forms.ChoiceField(label=_("Industry"), required=False)
    category = forms.ChoiceField(label=_("Supervision category"), required=False)
    key = forms.ChoiceField(label=_("Key supervision"), required=False, choices=KEY_CHOICES)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=STATUS_CHOICES)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        scope = scope_of(user)
        self.fields["industry"].choices = [("", _("all")), *IndustrySection.choices]
        categories = SupervisionCategory.objects.all()
        if scope.categories is not None:
            categories = categories.filter(code__in=scope.categories)
        self.fields["category"].choices = [("", _("all"))] + [(c.code, c.name) for c in categories]
        self.region_choices = towns_in_scope(scope)

    def clean_region(self) -> str:
        code = self.cleaned_data.get("region", "").strip()
        if code and not code.isdigit():
            raise forms.ValidationError(_("A region code has digits only."))
        return code


def apply_filters(queryset, data: dict, today=None):
    """Filter an already scoped queryset by cleaned filter values."""
    status = data.get("status") or ""
    if status == "":
        queryset = queryset.active()
    elif status == "archived":
        queryset = queryset.filter(archived_at__isnull=False)
    if data.get("q"):
        queryset = queryset.search(data["q"])
    if data.get("region"):
        queryset = queryset.filter(region__code__startswith=data["region"])
    if data.get("industry"):
        queryset = queryset.filter(industry=data["industry"])
    if data.get("category"):
        queryset = queryset.filter(category=data["category"])
    if data.get("key") in ("1", "0"):
        queryset = queryset.filter(is_key=data["key"] == "1")
    return queryset
