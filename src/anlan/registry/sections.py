"""One file per enterprise (一企一档): the sections of the enterprise page that other apps add.

An app registers a provider in its ``AppConfig.ready``::

    register_enterprise_section(hazard_section)

A provider takes the viewing user and the enterprise and gives an :class:`EnterpriseSection`,
or None when the user may not see that app's records. Each figure of a section is a ledger's
count (``Ledger.count``) for the query string its link opens, bound and cleaned by the ledger's
own filter form: the number shown is the number of rows the link lists, and both are scoped by
``visible_to`` like every list. Later apps (inspections, plans, alarms) add their section here,
without editing the registry.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.http import urlencode

from anlan.core.ledger import Ledger


@dataclass(frozen=True)
class Figure:
    label: Any  # an English msgid, translated when shown
    count: int
    url: str


@dataclass(frozen=True)
class EnterpriseSection:
    key: str  # "hazards": the section's test id
    title: Any
    icon: str  # a Tabler icon name
    figures: list[Figure]
    url: str = ""  # the whole file of this kind, when it is a page of its own


Provider = Callable[[Any, Any], EnterpriseSection | None]  # (user, enterprise)
_PROVIDERS: list[tuple[int, Provider]] = []


def register_enterprise_section(provider: Provider, order: int = 100) -> Provider:
    """Add a section to every enterprise page; sections show by ``order``, then registration."""
    if all(known is not provider for _, known in _PROVIDERS):
        _PROVIDERS.append((order, provider))
        _PROVIDERS.sort(key=lambda entry: entry[0])
    return provider


def enterprise_sections(user, enterprise) -> list[EnterpriseSection]:
    """The sections of ``enterprise`` this user may see."""
    sections = (provider(user, enterprise) for _, provider in _PROVIDERS)
    return [section for section in sections if section is not None]


def ledger_figure(
    ledger: Ledger, user, label: Any, url_name: str, params: dict[str, Any]
) -> Figure:
    """A ledger's count for ``params`` with the link to the ledger page that lists those rows."""
    data = ledger.cleaned(ledger.bind(user, params))
    return Figure(label, ledger.count(user, data), f"{reverse(url_name)}?{urlencode(params)}")
