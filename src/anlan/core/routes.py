"""What each route exposes, declared beside the route, so one test can leak-check them all.

Every web URL pattern and every API operation says what it shows or changes:

- ``Object(Model)``: one record, fetched in the caller's scope (out of scope: 404). ``url``
  says which record attribute fills each URL parameter (default: the only one, from ``pk``);
  ``extra`` gives fixed URL parameters; ``field`` names the body field that carries the
  record's pk instead (creation under a parent); ``body`` is a request body that passes
  validation, so a write reaches the scope check; ``where`` the records the route serves at
  all (a notice exists once a hazard is confirmed).
- ``List(Model)``, ``Export(Model)``, ``Stats(Model)``, ``Map(Model)``: records of a model in
  the caller's scope, exactly. ``params`` is the query string that shows them all; ``where``
  (lookups or a ``Q``) the records the route covers by design, before scoping (open tasks only…).
  A page's rows carry ``data-id``; an API list's items and a map's points an ``id``; an
  export a column of ``key``; statistics a ``total`` (a path into the JSON or the page's
  context, such as ``"totals.found"``).
- ``Public(why)``, ``Own(why)``, ``NoRecords(why)``: no scoped record is shown: a public page,
  the user's own data, or a form, a login or a creation whose choices are scoped.
  ``Shared(why)``: records shown beyond the scope on purpose (the county's duty board).

Web: ``path(route, view, name=…, exposes=…)`` from this module in place of Django's. An
``include()`` may carry one declaration for every pattern beneath it (third-party URLs).
API: ``@exposes(…)`` on the route function. ``tests/test_access_matrix.py`` walks the resolver
and the API's routers, fails on any route without a declaration, and checks each declared one
for every persona.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import models
from django.db.models import Q
from django.urls import URLPattern, URLResolver
from django.urls import path as django_path
from django.urls import re_path as django_re_path


@dataclass(frozen=True)
class Object:
    model: type[models.Model]
    url: Mapping[str, str] | None = None  # URL parameter -> record attribute ("pk", "hazard_id")
    extra: Mapping[str, Any] = dataclasses.field(default_factory=dict)  # fixed URL parameters
    where: Q | Mapping[str, Any] = dataclasses.field(default_factory=dict)  # the records it serves
    field: str | None = None  # the body field that carries the record's pk
    body: Mapping[str, Any] | None = None  # a body that passes validation


@dataclass(frozen=True)
class List:
    model: type[models.Model]
    params: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    where: Q | Mapping[str, Any] = dataclasses.field(default_factory=dict)


@dataclass(frozen=True)
class Export:
    model: type[models.Model]
    key: str = "pk"  # the model field the export shows
    column: int = 0  # ... in this column (0-based)
    params: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    where: Q | Mapping[str, Any] = dataclasses.field(default_factory=dict)


@dataclass(frozen=True)
class Stats:
    model: type[models.Model]
    total: str  # where the number of records counted is: "totals.found"
    params: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    where: Q | Mapping[str, Any] = dataclasses.field(default_factory=dict)


@dataclass(frozen=True)
class Map:
    model: type[models.Model]
    params: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    where: Q | Mapping[str, Any] = dataclasses.field(default_factory=dict)
    points: str = ""  # the key of the points in a JSON object ("" : the answer is the list)


@dataclass(frozen=True)
class Public:
    why: str


@dataclass(frozen=True)
class Own:
    why: str


@dataclass(frozen=True)
class NoRecords:
    why: str


@dataclass(frozen=True)
class Shared:
    """Records shown beyond the user's own scope on purpose; ``why`` names the test of it."""

    why: str


Exposure = Object | List | Export | Stats | Map | Public | Own | NoRecords | Shared
RECORDS = (List, Export, Stats, Map)  # the declarations checked as exact sets

F = TypeVar("F", bound=Callable[..., Any])


def exposes(declaration: Exposure) -> Callable[[F], F]:
    """Declare what an API route function exposes (above or below its ``@router`` line)."""

    def mark(view: F) -> F:
        view.exposes = declaration  # type: ignore[attr-defined]
        return view

    return mark


def path(
    route: str,
    view: Any,
    kwargs: dict[str, Any] | None = None,
    name: str | None = None,
    *,
    exposes: Exposure | None = None,
) -> URLPattern | URLResolver:
    """Django's ``path()`` with what the pattern exposes (every view must say)."""
    pattern: URLPattern | URLResolver = django_path(route, view, kwargs or {}, name)  # type: ignore[arg-type]  # None: unnamed, as in Django
    return _declare(pattern, exposes)


def re_path(
    route: str,
    view: Any,
    kwargs: dict[str, Any] | None = None,
    name: str | None = None,
    *,
    exposes: Exposure | None = None,
) -> URLPattern | URLResolver:
    """Django's ``re_path()`` with what the pattern exposes (every view must say)."""
    pattern: URLPattern | URLResolver = django_re_path(route, view, kwargs or {}, name)  # type: ignore[arg-type]  # None: unnamed, as in Django
    return _declare(pattern, exposes)


def _declare(
    pattern: URLPattern | URLResolver, exposes: Exposure | None
) -> URLPattern | URLResolver:
    # A pattern left undeclared is reported by name by tests/test_access_matrix.py.
    pattern.exposes = exposes  # type: ignore[union-attr]
    return pattern


def declared(pattern_or_view: Any) -> Exposure | None:
    """What a URL pattern, an include() or an API route function declares (None: nothing)."""
    return getattr(pattern_or_view, "exposes", None)
