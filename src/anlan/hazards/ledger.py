"""The hazard ledger (隐患排查治理台账): the page, the API list, the Excel export and counts,
declared once on :class:`anlan.core.ledger.Ledger`.

The API's page is one statement (``Ledger.values_page``): the columns HazardOut shows, read as
dicts, with the count as a scalar subquery, the tally's ``SUM`` when the filters are ones it
keeps (``stats.tally_rows``), else a live ``COUNT`` (bench/RESULTS.md).
"""

from __future__ import annotations

from datetime import date

from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anlan.core.ledger import Column, CountSource, Ledger
from anlan.core.scoping import scope_of
from anlan.hazards.filters import HazardFilterForm, apply_filters
from anlan.hazards.models import (
    OPEN_STATES,
    Hazard,
    HazardLevel,
    HazardSource,
    HazardState,
    HazardTally,
    SiteKind,
    deadline_status_of,
)
from anlan.regions.models import Region

# The columns HazardOut shows, read as dicts: building 50 hazard and 50 enterprise instances
# and validating them through HazardOut took about half of a list request. ``ledger_item``
# shapes a row as HazardOut would; a test compares the two for every kind of row.
LEDGER_COLUMNS = (
    "id", "number", "enterprise_id", "enterprise__name", "site_name", "site_kind", "region_id",
    "supervision_category_id", "location", "longitude", "latitude", "source", "found_at",
    "description", "category_id", "level", "state", "deadline", "responsible_person",
    "measures", "funds", "notice_number", "listing__id", "listing__delisted_at", "closed_at",
)  # fmt: skip
SITE_KINDS = dict(SiteKind.choices)
TALLY_FILTERS = {"region", "category", "level", "state"}


def can_use_tally(user, data: dict) -> bool:
    """The tally answers when every filter is one it keeps, and the user's scope is by region
    and category (it has no enterprise dimension: an enterprise user's counts are live)."""
    if scope_of(user).is_enterprise:
        return False
    return all(not value for name, value in data.items() if name not in TALLY_FILTERS)


def tally_of(user, data: dict):
    """The tally's rows for the filters (of TALLY_FILTERS), scoped like the hazards."""
    tally = HazardTally.objects.visible_to(user).order_by()
    if data.get("region"):
        tally = tally.filter(region__code__startswith=data["region"])
    if data.get("category"):
        tally = tally.filter(supervision_category_id=data["category"])
    if data.get("level"):
        tally = tally.filter(level=data["level"])
    if data.get("state") == "open":
        tally = tally.filter(state__in=OPEN_STATES)
    elif data.get("state"):
        tally = tally.filter(state=data["state"])
    return tally


def tally_rows(user, data: dict):
    """The ledger's count source: the tally when it can answer for these filters."""
    return tally_of(user, data) if can_use_tally(user, data) else None


def _subject(row: dict) -> str:
    if row["enterprise_id"]:
        return row["enterprise__name"]
    kind = row["site_kind"]
    return row["site_name"] or str(SITE_KINDS.get(kind, kind))


def _listed(row: dict) -> bool:
    return row["listing__id"] is not None and row["listing__delisted_at"] is None


def ledger_item(row: dict, today: date) -> dict:
    """One row of LEDGER_COLUMNS in the shape of HazardOut."""
    state, found_at = row["state"], row["found_at"]
    status = deadline_status_of(state, row["deadline"], today)
    return {
        "id": row["id"],
        "number": row["number"],
        "enterprise": row["enterprise_id"],
        "subject_name": _subject(row),
        "site_kind": row["site_kind"],
        "region": row["region_id"],
        "supervision_category": row["supervision_category_id"],
        "location": row["location"],
        "longitude": row["longitude"],
        "latitude": row["latitude"],
        "source": row["source"],
        "found_at": found_at,
        "description": row["description"],
        "category": row["category_id"],
        "level": row["level"],
        "state": state,
        "deadline": row["deadline"],
        "deadline_status": str(status) if status else None,
        "responsible_person": row["responsible_person"],
        "measures": row["measures"],
        "funds": row["funds"],
        "notice_number": row["notice_number"],
        "listed": _listed(row),
        "closed_at": row["closed_at"],
    }


def _label(choices):
    labels = dict(choices)
    return lambda value: str(labels.get(value, value))


def _yes_no(flag: bool) -> str:
    return _("yes") if flag else _("no")


_source, _level, _state = (
    _label(HazardSource.choices),
    _label(HazardLevel.choices),
    _label(HazardState.choices),
)


def _overdue(row: dict) -> str:
    status = deadline_status_of(row["state"], row["deadline"], timezone.localdate())
    return _yes_no(status == "overdue")


SUBJECT = ("enterprise_id", "enterprise__name", "site_name", "site_kind")
# The export's columns (the 隐患排查治理台账 form), in its order.
EXPORT_COLUMNS = [
    Column("number", gettext_lazy("Hazard number")),
    Column("found_at", gettext_lazy("found at")),
    Column("source", gettext_lazy("source"), lambda r: _source(r["source"]), ("source",)),
    Column("subject", gettext_lazy("Enterprise or site"), _subject, SUBJECT),
    Column("uscc", gettext_lazy("unified social credit code"),
           lambda r: r["enterprise__uscc"] or "", ("enterprise__uscc",)),
    Column("town_name", gettext_lazy("Town of the site")),
    Column("region", gettext_lazy("Location"), "region__name"),
    Column("supervision_category", gettext_lazy("Supervision category"),
           "supervision_category__name"),
    Column("category", gettext_lazy("hazard category"), "category__name"),
    Column("level", gettext_lazy("hazard level"), lambda r: _level(r["level"]), ("level",)),
    Column("description", gettext_lazy("description")),
    Column("state", gettext_lazy("status"), lambda r: _state(r["state"]), ("state",)),
    Column("responsible_person", gettext_lazy("responsible person")),
    Column("responsible_phone", gettext_lazy("responsible person phone")),
    Column("measures", gettext_lazy("rectification measures")),
    Column("funds", gettext_lazy("funds (yuan)")),
    Column("deadline", gettext_lazy("rectification deadline")),
    Column("overdue", gettext_lazy("Overdue (yes or no)"), _overdue, ("state", "deadline")),
    Column("listed", gettext_lazy("listed for supervision"),
           lambda r: _yes_no(_listed(r)), ("listing__id", "listing__delisted_at")),
    Column("accepted_at", gettext_lazy("accepted at")),
    Column("closed_at", gettext_lazy("closed at")),
]  # fmt: skip

HAZARD_LEDGER = Ledger(
    model=Hazard,
    form=HazardFilterForm,
    filters=apply_filters,
    columns=EXPORT_COLUMNS,
    ordering=("-found_at", "-id"),
    template="hazards/list.html",
    rows_template="hazards/_rows.html",
    related=("enterprise", "region", "supervision_category", "category", "listing"),
    api_fields=LEDGER_COLUMNS,
    api_item=ledger_item,
    export_title="隐患排查治理台账",
    export_name="hazards",
    # The town's name: the generated ``town`` column holds its code.
    annotations={
        "town_name": Coalesce(
            Subquery(Region.objects.filter(code=OuterRef("town")).values("name")[:1]),
            Value(""),
        )
    },
    count_source=CountSource(
        rows=tally_rows, groups=frozenset({"region", "supervision_category", "level", "state"})
    ),
)


def enterprise_section(user, enterprise):
    """The enterprise page's hazards (registry/sections.py): open, overdue, all."""
    from anlan.core.permissions import can
    from anlan.registry.sections import EnterpriseSection, ledger_figure

    if not can(user, "hazards.view"):
        return None
    pk = enterprise.pk
    figures = [
        ledger_figure(HAZARD_LEDGER, user, gettext_lazy("open"), "hazards:list",
                      {"enterprise": pk, "state": "open"}),
        ledger_figure(HAZARD_LEDGER, user, gettext_lazy("overdue"), "hazards:list",
                      {"enterprise": pk, "overdue": "1"}),
        ledger_figure(HAZARD_LEDGER, user, gettext_lazy("all"), "hazards:list",
                      {"enterprise": pk}),
    ]  # fmt: skip
    return EnterpriseSection("hazards", gettext_lazy("Hidden hazards"), "alert-triangle", figures)
