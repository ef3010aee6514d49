"""The hazard ledger filters, shared by the page, the Excel export, statistics and the API."""

from datetime import date, timedelta

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from anlan.accounts.models import unit_level
from anlan.core.bounds import MAX_ID, MAX_YEAR, MIN_YEAR, date_in_bounds
from anlan.core.documents import parse_register_number
from anlan.core.periods import Period
from anlan.core.permissions import can
from anlan.core.scoping import region_q, scope_of
from anlan.hazards import rules
from anlan.hazards.models import (
    DEADLINE_STATES,
    ExtensionStatus,
    HazardLevel,
    HazardSource,
    HazardState,
)
from anlan.regions.models import towns_in_scope
from anlan.registry.enums import IndustrySection
from anlan.registry.models import SupervisionCategory

MIN_DAY, MAX_DAY = date(MIN_YEAR, 1, 1), date(MAX_YEAR, 12, 30)


def in_bounds(value: date) -> None:
    if not date_in_bounds(value):
        raise ValidationError(_("Enter a date between the years 1900 and 2999."))


YES_NO = [("", _("all")), ("1", _("yes")), ("0", _("no"))]

# What waits for the asking user's decision (the workbench links here): each one limited to
# the hazards whose level the user's unit may decide (hazards/workflow.py, hazards/rules.py).
TODO = [
    ("", _("all")),
    ("confirm", _("to confirm")),
    ("accept", _("to accept")),
    ("close", _("to close")),
    ("extension", _("extension requested")),
    ("rectify", _("to rectify")),
]


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
    # Found on these local calendar days, both included (statistics periods link here).
    found_from = forms.DateField(label=_("found from"), required=False, validators=[in_bounds])
    found_to = forms.DateField(label=_("found until"), required=False, validators=[in_bounds])
    due_soon = forms.ChoiceField(label=_("due soon"), required=False, choices=YES_NO[:2])
    todo = forms.ChoiceField(label=_("awaiting"), required=False, choices=TODO)
    mine = forms.ChoiceField(label=_("reported by me"), required=False, choices=YES_NO[:2])

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
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

    def clean(self):
        data = super().clean()
        start, end = data.get("found_from"), data.get("found_to")
        if start and end and end < start:
            self.add_error("found_to", _("The last day must not be before the first day."))
        # The asking user, kept as plain data (the filters stay a dict of values): the level
        # at which their unit reviews hazards, and their id for "reported by me".
        reviews = data.get("todo") and can(self.user, "hazards.review")
        data["reviewer_level"] = unit_level(self.user) if reviews else None
        data["reporter"] = getattr(self.user, "pk", None) if data.get("mine") == "1" else None
        return data

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
    if data.get("found_from") or data.get("found_to"):
        start, end = data.get("found_from"), data.get("found_to")
        lower, upper = Period("range", start or MIN_DAY, end or MAX_DAY).bounds(
            timezone.get_current_timezone()
        )
        queryset = queryset.filter(found_at__gte=lower, found_at__lt=upper)
    if data.get("due_soon") == "1":
        soon = today + timedelta(days=settings.ANLAN_HAZARD_DUE_SOON_DAYS)
        queryset = queryset.filter(
            state__in=DEADLINE_STATES, deadline__gte=today, deadline__lte=soon
        )
    if data.get("todo"):
        queryset = _awaiting(queryset, data["todo"], data.get("reviewer_level"))
    if data.get("reporter"):
        queryset = queryset.filter(found_by_id=data["reporter"])
    if data.get("listed") == "1":
        queryset = queryset.filter(listing__isnull=False, listing__delisted_at__isnull=True)
    elif data.get("listed") == "0":
        queryset = queryset.exclude(listing__isnull=False, listing__delisted_at__isnull=True)
    return queryset


def _levels(reviewer: str | None, required) -> list[str]:
    """The hazard levels whose step needs a unit at ``required(level)`` that ``reviewer``'s
    unit reaches."""
    return [lvl for lvl in HazardLevel.values if rules.at_or_above(reviewer, required(lvl))]


def _close_level(level: str) -> str:
    if level == HazardLevel.MAJOR:
        return settings.ANLAN_HAZARD_CLOSE_LEVEL_MAJOR
    return settings.ANLAN_HAZARD_CLOSE_LEVEL_GENERAL


def _awaiting(queryset, todo: str, reviewer: str | None):
    """The hazards waiting for this step, those a unit at ``reviewer``'s level may take (the
    same level rules as the workflow's); ``rectify`` is the rectifying side's."""
    if todo == "rectify":
        return queryset.filter(state__in=DEADLINE_STATES)
    if todo == "confirm":
        # A town decides general hazards it has not referred up; the county decides all.
        town = rules.at_or_above(reviewer, rules.CONFIRM_LEVEL)
        if rules.at_or_above(reviewer, rules.MAJOR_LEVEL):
            return queryset.filter(state=HazardState.REPORTED)
        if town:
            return queryset.filter(
                state=HazardState.REPORTED, level=HazardLevel.GENERAL, referred_at__isnull=True
            )
        return queryset.none()
    if todo == "accept":
        if rules.at_or_above(reviewer, rules.ACCEPT_LEVEL):
            return queryset.filter(state=HazardState.SUBMITTED)
        return queryset.none()
    if todo == "close":
        return queryset.filter(
            state=HazardState.ACCEPTED, level__in=_levels(reviewer, _close_level)
        )
    # todo == "extension": a pending request on a hazard of a level the unit may decide.
    return queryset.filter(
        state__in=DEADLINE_STATES,
        extensions__status=ExtensionStatus.PENDING,
        level__in=_levels(reviewer, rules.decision_level),
    )
