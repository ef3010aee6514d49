"""The workbench (工作台): what is waiting for a user now, from every app, most urgent first.

The home page and ``GET /api/v1/workbench`` show it. Core knows no app: each app registers a
provider in its own ``workbench.py``, imported by its ``AppConfig.ready()``::

    @register
    def hazard_items(user, now):
        if not can(user, "hazards.review"):
            return []
        return [
            ledger_item(
                "hazards.overdue", _("Overdue hazards"), Urgency.LATE,
                HAZARD_LEDGER, "hazards:list", {"overdue": "1"}, user, now,
            ),
        ]

A count comes from the ledger the item links to (``Ledger.count`` with the same filters as
the link's query string), so the number on the workbench is the number of rows the click
shows, scoped by the ledger's ``visible_to`` like every other list. A later app adds its items
with a ``workbench.py`` of its own, never by editing the page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import IntEnum
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from anlan.core.ledger import Ledger


class Urgency(IntEnum):
    """How soon the user must act; the page lists items in this order."""

    LATE = 0  # a deadline has passed (overdue hazards, late reports, missed check-ins)
    DUE = 1  # due soon or due now (today's tasks, a report step still within its limit)
    WAITING = 2  # waiting for this user's decision (confirm, accept, close, approve)
    INFO = 3  # figures to keep an eye on (a leader's major hazards, who is on duty)


@dataclass(frozen=True)
class Example:
    """One row shown under an item, linking to the record itself."""

    text: str
    url: str
    note: str = ""


@dataclass(frozen=True)
class Item:
    """One thing waiting: ``count`` records behind ``url``. ``label`` is translated text.
    ``always`` keeps the item when its count is 0 (a leader's figure: 0 is an answer)."""

    key: str
    label: str
    count: int
    url: str
    urgency: Urgency
    examples: tuple[Example, ...] = ()
    always: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "count": self.count,
            "url": self.url,
            "urgency": self.urgency.name.lower(),
            "examples": [{"text": e.text, "url": e.url, "note": e.note} for e in self.examples],
        }


Provider = Callable[[Any, datetime], Iterable[Item]]  # (user, now) -> the user's items

_PROVIDERS: dict[str, Provider] = {}


def register(provider: Provider) -> Provider:
    """Add an app's provider (a decorator); registering the same function again replaces it."""
    _PROVIDERS[f"{provider.__module__}.{provider.__qualname__}"] = provider
    return provider


def providers() -> list[Provider]:
    return list(_PROVIDERS.values())


def items_for(user: Any, now: datetime | None = None) -> list[Item]:
    """Every provider's items for ``user`` at ``now``: those with nothing waiting dropped
    (unless ``always``), most urgent first, then the larger count first."""
    now = now or timezone.now()
    found = [item for provider in _PROVIDERS.values() for item in provider(user, now)]
    kept = [item for item in found if item.count or item.always]
    return sorted(kept, key=lambda item: (item.urgency, not item.always, -item.count))


def ledger_url(url_name: str, query: Mapping[str, str]) -> str:
    """The ledger page at ``url_name`` with the filters ``query`` as its query string."""
    base = reverse(url_name)
    return f"{base}?{urlencode(dict(query))}" if query else base


def ledger_item(
    key: str,
    label: Any,
    urgency: Urgency,
    ledger: Ledger,
    url_name: str,
    query: Mapping[str, str],
    user: Any,
    now: datetime,
    *,
    examples: int = 0,
    example: Callable[[Any], Example] | None = None,
    always: bool = False,
) -> Item:
    """An item counted by ``ledger`` with the filters ``query`` (as a query string would give
    them: validated by the ledger's own form) and linking to its page with the same query.
    ``examples`` of its first rows are shown through ``example(record)``."""
    today = timezone.localdate(now)
    data = ledger.cleaned(ledger.bind(user, dict(query)))
    count = ledger.count(user, data, today)
    shown: tuple[Example, ...] = ()
    if count and examples and example is not None:
        rows = ledger.queryset(user, data, today).select_related(*ledger.related)
        shown = tuple(example(record) for record in rows[:examples])
    return Item(
        key=key,
        label=str(label),
        count=count,
        url=ledger_url(url_name, query),
        urgency=urgency,
        examples=shown,
        always=always,
    )
