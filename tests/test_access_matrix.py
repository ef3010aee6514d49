"""Every declared route × every persona: no record leaks across towns, departments or enterprises.

Each URL pattern and API operation declares what it exposes (anlan.core.routes); this test reads
the declarations by walking the resolver and the API's routers, fails on a route that has none,
and checks each declared one against an oracle stated here from the world's facts (region codes,
categories, own enterprise), never taken from the scoping code under test:

- an object route answers 404 (API: error code ``not_found``) for every record out of the
  persona's scope and changes nothing in the database; a record in scope is never a 404 or 500;
- a list, an export, statistics or a map shows exactly the records of its model in scope: the
  same set of ids (or numbers), the same count, over all records of the test world.
"""

from __future__ import annotations

import dataclasses
import io
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.db import transaction
from django.db.models import Q
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone
from ninja.params.models import FileModel, FormModel
from openpyxl import load_workbook

from anlan.accounts.models import User
from anlan.api.site import api
from anlan.core import routes, scoping
from anlan.core.models import Event
from anlan.core.scoping import Scope
from anlan.demo.world import PERSONAS
from anlan.duty.models import DutyLogEntry, Handover, Roster, Shift, Swap
from anlan.hazards.models import ExtensionRequest, Hazard, HazardPhoto, Listing
from anlan.incidents.models import Incident
from anlan.regions.models import Region
from anlan.registry.models import Enterprise
from anlan.risks.models import ControlMeasure, InvestigationTask, RiskEvent, RiskObject, RiskUnit

COUNTY, CITY = "990102", "9901"
TOWN_A, TOWN_B = "990102002", "990102003"
ENTERPRISE_USERS = {"ent-a", "ent-b", "worker-a"}
ANY = "*"  # a record of no industry (duty): departments see it as the bureau does


# --- The oracle ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """Where a record sits: its region code, its supervision category, its enterprise."""

    region: str | None
    category: str | None
    enterprise: int | None
    area: bool = False  # a division's outline, not a record in it


def _located(record) -> Place:
    return Place(record.region_id, record.supervision_category_id, record.enterprise_id)


def _enterprise(enterprise: Enterprise) -> Place:
    return Place(enterprise.region_id, enterprise.category_id, enterprise.pk)


def _duty_unit(record) -> Place:
    return Place(record.organisation.region_id, ANY, None)


def _outline(region: Region) -> Place:
    return Place(region.code, ANY, None, area=True)


def _through(attribute: str) -> Callable[[Any], Place]:
    return lambda record: place(getattr(record, attribute))


# How to find where a record of each model sits (a model a route exposes must be here).
PLACES: dict[type, Callable[[Any], Place]] = {
    Enterprise: _enterprise,
    Hazard: _located,
    HazardPhoto: _through("hazard"),
    ExtensionRequest: _through("hazard"),
    Listing: _through("hazard"),
    RiskObject: _through("enterprise"),
    RiskUnit: _through("enterprise"),
    RiskEvent: _through("enterprise"),
    ControlMeasure: _through("enterprise"),
    InvestigationTask: _through("enterprise"),
    Incident: _located,
    Roster: _duty_unit,
    Shift: _duty_unit,
    Handover: _duty_unit,
    Swap: _duty_unit,
    DutyLogEntry: _duty_unit,
    Region: _outline,
}
# The region each government persona oversees (the grid worker: their village, read below).
OVERSEES = {
    "county": COUNTY,
    "leader": COUNTY,
    "expert": COUNTY,
    "dept-transport": COUNTY,
    "city": CITY,
    "town-a": TOWN_A,
    "town-b": TOWN_B,
}


def place(record) -> Place:
    model = type(record)
    assert model in PLACES, (
        f"{model.__name__} is exposed by a route but the access matrix cannot place its records: "
        "add to PLACES in tests/test_access_matrix.py how a record leads to its region, "
        "category and enterprise"
    )
    return PLACES[model](record)


def expected(name: str, user: User, where: Place) -> bool:
    """Whether persona ``name`` may see a record at ``where``: the rules of the regulation,
    stated from the world's facts."""
    if name == "admin":
        return True
    if where.area:  # a town's outline: the towns one oversees or works in, or one's enterprise's
        assert where.region is not None
        if name in ENTERPRISE_USERS:
            return user.enterprise.region_id.startswith(where.region)
        region = OVERSEES.get(name) or user.organisation.region_id
        return where.region.startswith(region) or region.startswith(where.region)
    if name in ENTERPRISE_USERS:
        return where.enterprise is not None and where.enterprise == user.enterprise_id
    region = OVERSEES.get(name) or user.organisation.region_id  # grid-a: the village
    if where.region is None or not where.region.startswith(region):
        return False
    if name == "dept-transport" and where.category != ANY:
        return where.category == "transport"
    return True


# --- The routes ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    kind: str  # "web" or "api"
    name: str  # a URL name, or "METHOD /path" under /api/v1
    declaration: routes.Exposure | None
    methods: tuple[str, ...] = ("GET", "POST")
    path: str = ""  # API: the path template under /api/v1
    form: bool = False  # API: the body is form-encoded

    def __str__(self) -> str:
        return self.name


def web_routes() -> Iterator[Route]:
    """Every URL pattern with its declaration; an include() that declares covers its patterns
    (the API's docs, the admin site, Django's language switch)."""

    def walk(resolver, namespace: str) -> Iterator[Route]:
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                if routes.declared(pattern) is not None:
                    continue
                inner = pattern.namespace
                yield from walk(pattern, f"{namespace}:{inner}".strip(":") if inner else namespace)
            else:
                name = f"{namespace}:{pattern.name or pattern.pattern}".strip(":")
                yield Route("web", name, routes.declared(pattern))

    return walk(get_resolver(), "")


def api_routes() -> Iterator[Route]:
    for prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                full = (prefix.rstrip("/") + path).replace("//", "/")
                form = any(issubclass(m, (FormModel, FileModel)) for m in operation.models)
                for method in operation.methods:
                    yield Route(
                        "api",
                        f"{method} {full}",
                        routes.declared(operation.view_func),
                        (method,),
                        full,
                        form,
                    )


ALL_ROUTES = [*web_routes(), *api_routes()]


def declared(*kinds: type) -> list[Route]:
    return [r for r in ALL_ROUTES if isinstance(r.declaration, kinds)]


def test_every_route_declares_what_it_exposes():
    missing = [str(r) for r in ALL_ROUTES if r.declaration is None]
    assert not missing, (
        f"routes that do not declare what they expose: {missing}. Web: use "
        "anlan.core.routes.path(..., exposes=Object(Model)/List(Model)/...); API: put "
        "@exposes(...) from anlan.core.routes on the route function."
    )
    for route in ALL_ROUTES:
        if isinstance(route.declaration, (routes.Public, routes.Own, routes.NoRecords)):
            assert route.declaration.why.strip(), f"{route}: say why it shows no scoped record"
        elif not isinstance(route.declaration, routes.Shared):
            assert route.declaration.model in PLACES, f"{route}: add its model to PLACES"


# --- The test world --------------------------------------------------------------------------


def _targets(people) -> list[Enterprise]:
    """Enterprises that tell the personas apart: per town transport and not, own ones."""
    picks = {people["ent-a"].enterprise, people["ent-b"].enterprise}
    for town in ("990102001", TOWN_A, TOWN_B):
        in_town = Enterprise.objects.filter(region__code__startswith=town)
        picks.add(in_town.filter(category="transport").first())
        picks.add(in_town.exclude(category="transport").last())
    village = people["grid-a"].organisation.region_id
    picks.add(Enterprise.objects.filter(region__code__startswith=village).last())
    picks.add(
        Enterprise.objects.filter(region__code__startswith=TOWN_A)
        .exclude(region__code__startswith=village)
        .first()
    )
    return sorted(picks, key=lambda e: e.pk)


def _hazards(people, targets) -> None:
    """A hazard per target enterprise and road hazards in towns A and B, each with a photo and
    an extension request; a listed major hazard of ent-a."""
    from anlan.hazards import actions
    from tests.hazards.factories import advance, ordered, report

    made = [report(people["county"], enterprise=e) for e in targets]
    for town, user in ((TOWN_A, "town-a"), (TOWN_B, "town-b")):
        made.append(
            report(
                people[user], enterprise=None, site_kind="road", site_name="县道急弯",
                region_id=f"{town}001", supervision_category_id="transport", category_id="traffic",
            )
        )  # fmt: skip
    for town, hazard in zip(("town-a", "town-b"), made[-2:], strict=True):
        actions.do_transition(hazard, "confirm", actor=people[town], deadline=ordered())
    major = advance(report(people["ent-a"], level="major"), people, "rectifying")
    for hazard in (major, report(people["ent-b"], level="major")):
        actions.do_list_hazard(hazard, actor=people["county"], responsible_leaders="副县长",
                               deadline=ordered(30), public_exposure=True)  # fmt: skip
    today = timezone.localdate()
    for hazard in made:
        ExtensionRequest.objects.create(
            hazard=hazard, requested_by=people["county"], reason="材料未到",
            current_deadline=today, new_deadline=today + timedelta(days=10),
        )  # fmt: skip


def _registers(targets) -> None:
    """A risk register (object → unit → event → measure → an open task) per target."""
    from anlan.accounts.roles import Role
    from anlan.risks.rules import window
    from anlan.risks.tasks import investigation_tasks
    from tests.risks.factories import register

    # Registered when the day began, so each daily check is owed now at any hour the test runs.
    began, _end = window("daily", timezone.localtime())
    with time_machine.travel(began, tick=False):
        for enterprise in targets:
            manager = User.objects.filter(
                enterprise=enterprise, role=Role.ENTERPRISE_MANAGER
            ).first() or User.objects.create(
                username=f"mgr{enterprise.pk}", role=Role.ENTERPRISE_MANAGER, enterprise=enterprise
            )
            register(manager)
    investigation_tasks()


def _duty(people) -> None:
    """Per duty unit: a roster, a handover, a pending swap and a log entry."""
    from anlan.duty import actions
    from tests.duty.factories import NOW, at, roster, shift_at

    for name in ("county", "town-a", "town-b", "dept-transport", "city"):
        manager = people[name]
        unit_roster = roster(manager)
        yesterday = shift_at(unit_roster, at(2026, 11, 22, 12))
        later, latest = (shift_at(unit_roster, at(2026, 11, d, 12)) for d in (26, 27))
        with time_machine.travel(NOW, tick=False):
            actions.do_hand_over(yesterday, actor=yesterday.officer, open_matters="无")
            actions.do_request_swap(
                later, actor=later.officer, counterpart=latest.officer, counterpart_shift=latest,
                reason="换班",
            )  # fmt: skip
            actions.do_log(
                manager.organisation, actor=manager, occurred_at=NOW, kind="event", content=name
            )


def _incidents(people) -> None:
    from tests.incidents.factories import incident

    incident(people["ent-a"])
    incident(people["ent-b"])
    incident(people["town-a"], region_id=f"{TOWN_A}001", kind="road_traffic", title="货车侧翻")
    incident(people["county"], region_id=f"{TOWN_B}001", kind="natural_disaster", title="山洪",
             supervision_category_id=None)  # fmt: skip


def _people() -> dict[str, User]:
    users = User.objects.select_related("organisation", "enterprise").in_bulk(
        [p.username for p in PERSONAS], field_name="username"
    )
    return {name.removeprefix("demo-"): user for name, user in users.items()}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Records of every exposed model across towns A and B, the transport category and the
    own enterprises; an archived enterprise in town B. Built once for this module inside a
    transaction rolled back at its end (each test rolls back its own changes too)."""
    from django.test import TestCase

    _places.clear()
    with django_db_blocker.unblock(), transaction.atomic():
        people = _people()
        targets = _targets(people)
        with TestCase.captureOnCommitCallbacks(execute=True):
            _hazards(people, targets)
            _registers(targets)
            _duty(people)
            _incidents(people)
        archived = Enterprise.objects.filter(region__code__startswith=TOWN_B).last()
        Enterprise.objects.filter(pk=archived.pk).update(
            archive_reason="测试", archived_at="2026-01-01T00:00Z"
        )
        yield people
        transaction.set_rollback(True)


_places: dict[type, dict[int, Place]] = {}  # per model: where each record of the world sits


def places(model) -> dict[int, Place]:
    if model not in _places:
        _places[model] = {record.pk: place(record) for record in model.objects.all()}
    return _places[model]


def covered(declaration):
    """The records a route covers by design (its ``where``), before scoping."""
    model, where = declaration.model, declaration.where
    return model.objects.filter(where) if isinstance(where, Q) else model.objects.filter(**where)


def sample(people, declaration) -> list:
    """One record for each distinct way the personas see the records the route serves."""
    model = declaration.model
    picks: dict[tuple[bool, ...], int] = {}
    located = places(model)
    for pk in covered(declaration).order_by("pk").values_list("pk", flat=True):
        picks.setdefault(tuple(expected(n, u, located[pk]) for n, u in people.items()), pk)
    assert len(picks) > 1, f"the test world needs {model.__name__} records in several scopes"
    return list(model.objects.filter(pk__in=picks.values()).order_by("pk"))


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- Object routes ---------------------------------------------------------------------------

# A request body that passes validation for the writes below (unknown fields are ignored, PATCH
# bodies are empty: PATCH refuses unknown fields); an empty reason never archives anything.
SAMPLE_BODY = {
    "reason": "", "decision": "approve", "comment": "x",
    "kind": "inherent", "method": "ls", "l": 1, "s": 1, "results": [],
    "deaths": 9, "missing": 0, "serious_injuries": 0, "minor_injuries": 0, "trapped": 0,
    "direct_loss_yuan": 0, "description": "x", "learned_at": "2026-01-01T00:00:00+08:00",
}  # fmt: skip


def _value(record, attribute: str):
    for part in attribute.split("."):
        record = getattr(record, part)
    return record


def url_kwargs(route: Route, record) -> dict[str, Any]:
    declaration = route.declaration
    if declaration.url is not None:
        mapping = dict(declaration.url)
    elif route.kind == "web":
        mapping = {"pk": "pk"}
    else:
        names = [n.split(":")[-1] for n in re.findall(r"{([^}]+)}", route.path)]
        names = [n for n in names if n not in declaration.extra]
        mapping = {n: "pk" for n in names}
        assert len(mapping) <= 1, f"{route}: several path parameters, declare url={{…}}"
    return {key: _value(record, attribute) for key, attribute in mapping.items()} | dict(
        declaration.extra
    )


def api_url(route: Route, kwargs: dict[str, Any]) -> str:
    def fill(match):
        return str(kwargs[match.group(1).split(":")[-1]])

    return "/api/v1" + re.sub(r"{([^}]+)}", fill, route.path)


def request(client: Client, route: Route, record, method: str):
    declaration = route.declaration
    kwargs = {} if declaration.field else url_kwargs(route, record)
    if route.kind == "web":
        url = reverse(route.name, kwargs=kwargs)
        return url, client.get(url) if method == "GET" else client.post(url, {})
    url = api_url(route, kwargs)
    if method == "GET":
        return url, client.get(url)
    body = {} if method == "PATCH" else SAMPLE_BODY | dict(declaration.body or {})
    if declaration.field:
        body = body | {declaration.field: record.pk}
    if route.form:
        return url, client.post(url, {k: v for k, v in body.items() if not isinstance(v, list)})
    return url, client.generic(method, url, json.dumps(body), "application/json")


def snapshot(records) -> tuple:
    """Row counts of every exposed model and of the event log, and the sampled rows."""
    counts = tuple(model.objects.count() for model in PLACES)
    events = tuple(model.objects.count() for model in Event.__subclasses__())
    rows = tuple(tuple(type(r).objects.filter(pk=r.pk).values()) for r in sorted(records, key=id))
    return counts, events, rows


# Who checks a record in scope: the narrowest view that includes it (every record out of scope
# is checked by every persona; lists check the breadth of each scope exactly).
NARROW_FIRST = ["worker-a", "ent-a", "ent-b", "grid-a", "town-a", "town-b", "dept-transport",
                "county", "leader", "expert", "city", "admin"]  # fmt: skip


@pytest.mark.parametrize("route", declared(routes.Object), ids=str)
def test_object_route_hides_what_is_out_of_scope(world, route, db):
    check_object_route(world, route)


def check_object_route(world, route: Route) -> None:
    records = sample(world, route.declaration)
    answered = set()
    checked: set = set()
    for name in NARROW_FIRST:
        user = world[name]
        client = logged_in(user)
        hidden = [r for r in records if not expected(name, user, place(r))]
        before = snapshot(hidden)
        for record in hidden:
            for method in route.methods:
                url, response = request(client, route, record, method)
                where = f"{name} {method} {url} ({place(record)}): {response.status_code}"
                if response.status_code == 405:
                    continue  # the method is refused before any record is read
                answered.add(method)
                assert response.status_code == 404, f"out of scope but shown: {where}"
                if route.kind == "api":
                    assert response.json()["error"]["code"] == "not_found", where
        assert snapshot(hidden) == before, f"{name}: a refused {route} changed the database"
        shown = [r for r in records if r not in hidden]
        # each persona once, and each record by the narrowest view that includes it
        for record in {*shown[:1], *(r for r in shown if r.pk not in checked)}:
            checked.add(record.pk)
            for method in route.methods:
                url, response = request(client, route, record, method)
                where = f"{name} {method} {url} ({place(record)}): {response.status_code}"
                assert response.status_code not in (404, 500), f"in scope but refused: {where}"
    assert answered, f"{route}: no method reached the record lookup"


# --- Lists, exports, statistics, maps --------------------------------------------------------


def in_scope(name: str, user: User, declaration) -> dict[int, Any]:
    """The records the route covers (its ``where``) that the oracle lets the persona see:
    pk -> the value an export shows."""
    model, where = declaration.model, declaration.where
    queryset = (
        model.objects.filter(where) if isinstance(where, Q) else model.objects.filter(**where)
    )
    located = places(model)
    if isinstance(declaration, routes.Export):  # the key may be a property (a hazard's number)
        return {
            r.pk: _value(r, declaration.key)
            for r in queryset
            if expected(name, user, located[r.pk])
        }
    return {
        pk: pk for pk in queryset.values_list("pk", flat=True) if expected(name, user, located[pk])
    }


def _get(client: Client, route: Route, params: dict):
    if route.kind == "web":
        return client.get(reverse(route.name), params)
    return client.get("/api/v1" + route.path, params)


def _path(data, path: str):
    for part in path.split("."):
        data = data[part]
    return data


def web_ids(client: Client, route: Route, params: dict) -> set[int] | None:
    """The ``data-id`` of the rows on every page of a list."""
    seen: set[int] = set()
    for page in range(1, 100):
        response = _get(client, route, {**params, "page": page})
        if response.status_code in (302, 403):
            return None
        assert response.status_code == 200, f"{route}: {response.status_code}"
        ids = {int(i) for i in re.findall(rb'data-id="(\d+)"', response.content)}
        if not ids - seen:
            break
        seen |= ids
    return seen


def api_ids(client: Client, route: Route, params: dict, points: str = "") -> set[int] | None:
    """The ``id`` of the items on every page of an API list (or of a map's points)."""
    items: list = []
    for page in range(1, 100):
        response = _get(client, route, {**params, "page": page})
        if response.status_code == 403:
            return None
        assert response.status_code == 200, f"{route}: {response.status_code}"
        body = response.json()
        if points:
            body = body[points]
        if isinstance(body, list):
            items = body
            break
        items += body["items"]
        if len(items) >= body["count"] or not body["items"]:
            break
    return {item["id"] for item in items}


def shown_by(client: Client, route: Route) -> set | int | None:
    """What the route shows a client (None: the persona may not use it at all)."""
    declaration = route.declaration
    params = dict(declaration.params)
    if isinstance(declaration, routes.List):
        return (
            web_ids(client, route, params)
            if route.kind == "web"
            else api_ids(client, route, params)
        )
    if isinstance(declaration, routes.Map):
        return api_ids(client, route, params, declaration.points)
    response = _get(client, route, params)
    if response.status_code == 403:
        return None
    assert response.status_code == 200, f"{route}: {response.status_code}"
    if isinstance(declaration, routes.Stats):
        data = response.context if route.kind == "web" else response.json()
        return _path(data, declaration.total)
    content = b"".join(response.streaming_content) if response.streaming else response.content
    rows = list(load_workbook(io.BytesIO(content)).worksheets[0].values)[1:]
    return {row[declaration.column] for row in rows}


def wanted(name: str, user: User, declaration) -> set | int:
    records = in_scope(name, user, declaration)
    if isinstance(declaration, routes.Stats):
        return len(records)
    if isinstance(declaration, routes.Export):
        return set(records.values())
    return set(records)


@pytest.mark.parametrize("route", declared(*routes.RECORDS), ids=str)
def test_records_route_shows_exactly_the_scope(world, route, db, settings):
    settings.ANLAN_PAGE_SIZE = 1000
    check_records_route(world, route)


def check_records_route(world, route: Route) -> None:
    answered = 0
    for name, user in world.items():
        shown = shown_by(logged_in(user), route)
        if shown is None:
            continue  # refused as a whole: shows nothing
        answered += 1
        want = wanted(name, user, route.declaration)
        if isinstance(want, set):
            leaked, hidden = sorted(shown - want, key=str), sorted(want - shown, key=str)
            assert not leaked, f"{name} {route}: shown though out of scope: {leaked}"
            assert not hidden, f"{name} {route}: in scope but not shown: {hidden}"
        assert shown == want, f"{name} {route}: shown {shown}, in scope {want}"
    assert answered, f"{route}: no persona may use it"
    everything = wanted("admin", world["admin"], route.declaration)
    assert everything, f"{route}: the test world has no {route.declaration.model.__name__}"


# --- Anonymous visitors and the admin site ---------------------------------------------------


@pytest.mark.parametrize("route", declared(routes.Object, *routes.RECORDS), ids=str)
def test_anonymous_gets_nothing(world, route, db):
    record = route.declaration.model.objects.order_by("pk").first()
    client = Client()
    if isinstance(route.declaration, routes.Object):
        method = route.methods[0]
        url, response = request(client, route, record, method)
    else:
        method, url = "GET", ""
        response = _get(client, route, dict(route.declaration.params))
    if route.kind == "web":
        assert response.status_code == 302, f"{route} {url}"
        assert response.url.startswith(reverse("login")), f"{route} {url}"
    else:
        assert response.status_code == 401, f"{route} {method} {url}"


def test_admin_is_for_platform_administrators_only(personas):
    for name, user in personas.items():
        response = logged_in(user).get(reverse("admin:registry_enterprise_changelist"))
        if name == "admin":
            assert response.status_code == 200
        else:
            assert response.status_code == 302 and "/admin/login/" in response.url, name


# --- The matrix bites ------------------------------------------------------------------------


def _without_department_categories(original):
    def q(self, fields):
        return original(dataclasses.replace(self, categories=None), fields)

    return q


def _county_for_towns(original):
    def region_q(fields, code):
        return original(fields, code[: len(COUNTY)])

    return region_q


BITES = [
    ("a department sees every category", Scope, "q", _without_department_categories),
    ("a town sees the whole county", scoping, "region_q", _county_for_towns),
]
BITTEN = ["hazards:list", "GET /enterprises/", "registry:export", "GET /hazards/stats",
          "risks:map_data", "hazards:detail", "GET /risks/events/{int:event_id}",
          "registry:edit"]  # fmt: skip


@pytest.mark.parametrize("breakage", BITES, ids=lambda b: b[0])
def test_a_broken_scope_fails_the_matrix(world, db, settings, monkeypatch, breakage):
    """Scoping deliberately broken: every list, export, statistics, map and object route
    tried here must fail its check."""
    _why, owner, attribute, breaking = breakage
    monkeypatch.setattr(owner, attribute, breaking(getattr(owner, attribute)))
    settings.ANLAN_PAGE_SIZE = 1000
    by_name = {r.name: r for r in ALL_ROUTES}
    for name in BITTEN:
        route = by_name[name]
        check = (
            check_object_route
            if isinstance(route.declaration, routes.Object)
            else (check_records_route)
        )
        with pytest.raises(AssertionError, match="out of scope|shown "):
            check(world, route)
