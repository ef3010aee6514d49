"""The duty log and the shift swaps as ledgers: each page and API list from one declaration
(core/ledger.py)."""

from django.utils.translation import gettext as _

from anlan.core.ledger import Ledger
from anlan.duty.filters import DutyLogFilterForm, SwapFilterForm
from anlan.duty.forms import DecisionForm
from anlan.duty.models import DutyLogEntry, LogKind, Swap
from anlan.duty.workflow import SWAP_WORKFLOW


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
