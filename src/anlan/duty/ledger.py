"""The duty ledgers (rosters, shifts, handovers, the duty log and shift swaps): each page and
API list from one declaration (core/ledger.py)."""

from django.db.models import Count
from django.utils.translation import gettext as _

from anlan.core.ledger import Ledger
from anlan.duty.filters import (
    DutyLogFilterForm,
    HandoverFilterForm,
    RosterFilterForm,
    ShiftFilterForm,
    SwapFilterForm,
)
from anlan.duty.forms import DecisionForm
from anlan.duty.models import DutyLogEntry, Handover, LogKind, Roster, Shift, Swap
from anlan.duty.workflow import SWAP_WORKFLOW


def _rosters(queryset, data: dict, today=None):
    """The rosters of the filters, each with its number of shifts."""
    return RosterFilterForm.apply(queryset, data, today).annotate(shift_count=Count("shifts"))


ROSTER_LEDGER = Ledger(
    model=Roster,
    form=RosterFilterForm,
    filters=_rosters,
    columns=(),
    ordering=("-month", "organisation__region_id", "organisation__name"),
    related=("organisation",),
    api_page_size=100,
    export_name="rosters",
)

SHIFT_LEDGER = Ledger(
    model=Shift,
    form=ShiftFilterForm,
    columns=(),
    ordering=("start", "organisation_id"),
    related=("officer", "leader"),
    api_page_size=100,
    export_name="shifts",
)

HANDOVER_LEDGER = Ledger(
    model=Handover,
    form=HandoverFilterForm,
    columns=(),
    ordering=("-handed_over_at", "-pk"),
    related=("handed_over_by", "received_by"),
    api_page_size=100,
    export_name="handovers",
)


def _log_context(request, page, form) -> dict:
    return {
        "entries": page.object_list,
        "kinds": LogKind.choices,
        "day_choices": ["1", "7", "30"],
        "chosen": {k: request.GET.get(k, "") for k in ("organisation", "kind", "days")},
    }


DUTY_LOG_LEDGER = Ledger(
    model=DutyLogEntry,
    form=DutyLogFilterForm,
    columns=(),
    ordering=("-occurred_at", "-pk"),
    template="duty/log.html",
    related=("organisation", "recorded_by", "shift"),
    page_size=50,
    page_context=_log_context,
    api_page_size=100,
    export_name="duty-log",
)


def _swap_context(request, page, form) -> dict:
    for swap in page.object_list:
        swap.actions = SWAP_WORKFLOW.available(swap, request.user)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    return {
        "swaps": page.object_list,
        "show": data.get("show") or "",
        "tabs": [
            ("pending", _("Awaiting approval")),
            ("mine", _("Involving me")),
            ("all", _("All")),
        ],
        "decision_form": DecisionForm(),
    }


SWAP_LEDGER = Ledger(
    model=Swap,
    form=SwapFilterForm,
    columns=(),
    ordering=("-created_at", "-pk"),
    template="duty/swaps.html",
    related=(
        "organisation",
        "shift",
        "requester",
        "counterpart",
        "counterpart_shift",
        "decided_by",
    ),
    page_size=50,
    page_context=_swap_context,
    api_page_size=100,
    export_name="swaps",
)
