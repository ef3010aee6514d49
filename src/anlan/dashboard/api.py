"""The workbench as JSON: the same items as the home page (core/workbench.py)."""

from django.utils import timezone
from ninja import Router, Schema

from anlan.core.routes import Own, exposes
from anlan.core.workbench import items_for

router = Router(tags=["workbench"])


class ExampleOut(Schema):
    text: str
    url: str
    note: str


class ItemOut(Schema):
    key: str
    label: str
    count: int
    url: str
    urgency: str
    examples: list[ExampleOut]


class WorkbenchOut(Schema):
    items: list[ItemOut]


@exposes(
    Own(
        "the caller's workbench: counts of ledgers, each scoped by visible_to "
        "(tests/dashboard/test_workbench.py)"
    )
)
@router.get("/", response=WorkbenchOut, summary="What waits for the caller now (工作台)")
def workbench(request):
    """Every item waiting for the caller, most urgent first (late, due, waiting, figures):
    each with its count, the ledger page that shows those rows and a few examples."""
    return {"items": [item.as_dict() for item in items_for(request.auth, timezone.now())]}
