"""The hazard ledger filters, shared by the page, the Excel export, statistics and the API."""

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from anlan.core.bounds import MAX_ID
from anlan.core.documents import parse_register_number
from anlan.core.scoping import region_q, scope_of
from anlan.hazards.models import DEADLINE_STATES, HazardLevel, HazardSource, HazardState
from anlan.regions.models import towns_in_scope
from anlan.registry.enums import IndustrySection
from anlan.registry.models import SupervisionCategory

YES_NO = [("", _("all")), ("1", _("yes")), ("0", _("no"))]


class HazardFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    region = forms.RegexField(label=_("Region"), regex=r"^\d{0,15}$", required=False)
    enterprise = forms.IntegerField(
        label=_("enterprise"), required=False, min_value=1, max_value=MAX_ID
    )
    category = forms.ChoiceField(label=_("Supervision category"), required=False)
    industry = forms.ChoiceField(label=_("Industry"), required=False)
    level = forms.ChoiceField(label=_("hazard level"), required=False)
    state = forms.ChoiceField(label=_("status"), required=False)
    source = forms.ChoiceField(label=_("source"), required=False)
    overdue = forms.ChoiceField(label=_("overdue"), required=False, choices=YES_NO)
    listed = forms.ChoiceField(label=_("listed for supervision"), required=False, choices=YES_NO)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.scope = scope = scope_of(user)
        every = [("", _("all"))]
        categories = SupervisionCategory.objects.all()
        if scope.categories is not None:
            categories = categories.filter(code__in=scope.categories)

        # Read when a category is given or the form is shown, not on every API request; the
        # queryset keeps its rows, so the query runs once per form.
        def category_choices():
            return every + [(c.code, c.name) for c in categories]

        self.fields["category"].choices = category_choices
        self.fields["industry"].choices = every + list(IndustrySection.choices)
        self.fields["level"].choices = every + list(HazardLevel.choices)
        self.fields["state"].choices = every + [("open", _("open"))] + list(HazardState.choices)
        self.fields["source"].choices = every + list(HazardSource.choices)

    @cached_property
    def region_choices(self) -> list:
        """The towns for the page's region menu (the API does not need them)."""
        return towns_in_scope(self.scope)


def apply_filters(queryset, data: dict, today=None):
    today = today or timezone.localdate()
    if data.get("q"):
        q = data["q"].strip()
        number = parse_register_number(queryset.model.number_prefix, q)
        if number is not None:  # a hazard number (YH2026-0012, yh2026-12): that hazard
            queryset = queryset.filter(number=number)
        else:
            queryset = queryset.filter(
                Q(description__icontains=q)
                | Q(enterprise__name__icontains=q)
                | Q(site_name__icontains=q)
            )
    if data.get("region"):
        queryset = queryset.filter(region_q(queryset.model.scope_fields, data["region"]))
    if data.get("enterprise"):
        queryset = queryset.filter(enterprise_id=data["enterprise"])
    if data.get("category"):
        queryset = queryset.filter(supervision_category_id=data["category"])
    if data.get("industry"):
        queryset = queryset.filter(enterprise__industry=data["industry"])
    if data.get("level"):
        queryset = queryset.filter(level=data["level"])
    state = data.get("state")
    if state == "open":
        queryset = queryset.open()
    elif state:
        queryset = queryset.filter(state=state)
    if data.get("source"):
        queryset = queryset.filter(source=data["source"])
    if data.get("overdue") == "1":
        queryset = queryset.filter(state__in=DEADLINE_STATES, deadline__lt=today)
    elif data.get("overdue") == "0":
        queryset = queryset.exclude(state__in=DEADLINE_STATES, deadline__lt=today)
    if data.get("listed") == "1":
        queryset = queryset.filter(listing__isnull=False, listing__delisted_at__isnull=True)
    elif data.get("listed") == "0":
        queryset = queryset.exclude(listing__isnull=False, listing__delisted_at__isnull=True)
    return queryset
