"""Every route × every persona: no record leaks across towns, departments or enterprises.

Each URL pattern and each API operation must be classified below; a new route that is not
fails `test_every_route_is_classified` until it joins the matrix. What a persona should see
is stated here from the world's facts (town codes, categories, own enterprise), not taken
from the scoping code under test.
"""

import io
import json

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from openpyxl import load_workbook

from anlan.api.site import api
from anlan.registry.models import Enterprise

TOWN_A, TOWN_B = "990102002", "990102003"
COUNTY_WIDE = {"county", "leader", "expert", "admin", "city"}

# Web routes by what they expose.
OBJECT_ROUTES = {  # name -> methods tried with an enterprise pk
    "registry:detail": ["GET"],
    "registry:edit": ["GET", "POST"],
    "registry:archive": ["GET", "POST"],
    "registry:history": ["GET"],
}
LIST_ROUTES = {"home", "registry:list", "registry:export"}
# Hazard routes: name -> (methods, extra URL kwargs); checked with hazards as targets.
HAZARD_OBJECT_ROUTES = {
    "hazards:detail": (["GET"], {}),
    "hazards:transition": (["POST"], {"name": "confirm"}),
    "hazards:extension_request": (["POST"], {}),
    "hazards:extension_decide": (["POST"], {"extension_pk": 1}),
    "hazards:listing_create": (["POST"], {}),
    "hazards:listing_remove": (["POST"], {}),
    "hazards:notice_pdf": (["GET"], {}),
    "hazards:listing_pdf": (["GET"], {}),
    "hazards:photo": (["GET"], {"photo_pk": "photo", "size": "thumb"}),
}
HAZARD_LIST_ROUTES = {"hazards:list", "hazards:export", "hazards:stats", "hazards:listings"}
# Risk routes: checked with risk registers of several enterprises as targets.
RISK_ENTERPRISE_ROUTES = {  # name -> methods, with an enterprise pk
    "risks:enterprise": ["GET"],
    "risks:export": ["GET"],
    "risks:import": ["GET", "POST"],
}
RISK_RECORD_ROUTES = {  # name -> (methods, record kind whose pk the URL takes, extra kwargs)
    "risks:unit": (["GET"], "unit", {}),
    "risks:card_pdf": (["GET"], "unit", {}),
    "risks:event": (["GET"], "event", {}),
    "risks:assess": (["POST"], "event", {}),
    "risks:task": (["GET", "POST"], "task", {}),
    "risks:edit": (["GET", "POST"], "measure", {"kind": "measure"}),
    "risks:archive": (["POST"], "object", {"kind": "object"}),
    "risks:create": (["GET", "POST"], "event", {"kind": "measure"}),
}
RISK_LIST_ROUTES = {"risks:index", "risks:overview", "risks:map", "risks:map_data", "risks:tasks"}
NO_RECORD_ROUTES = {  # forms, auth and static pages: they show no enterprise records
    "healthz",
    "login",
    "logout",
    "set_language",
    "registry:create",
    "registry:import",
    "registry:import_template",
    "hazards:report",  # a form: its choices are scoped (test_hazard_views)
    "risks:import_template",  # an empty template
    "risk_card_public",  # the posted card, by unguessable token (test_register_and_tasks)
    "inbox",  # the user's own notifications only
    "api:openapi-json",
    "api:openapi-view",
    "api:api-root",
    "api:ping",
    "api_not_found",  # a path under /api/ that names no operation: a JSON 404
}
# API operations (method, path under /api/v1) by what they expose.
API_OBJECT_OPS = {
    ("GET", "/enterprises/{int:enterprise_id}"),
    ("PATCH", "/enterprises/{int:enterprise_id}"),
    ("POST", "/enterprises/{int:enterprise_id}/archive"),
    ("GET", "/enterprises/{int:enterprise_id}/history"),
}
API_LIST_OPS = {("GET", "/enterprises/"), ("GET", "/hazards/"), ("GET", "/hazards/stats")}
API_HAZARD_OBJECT_OPS = {
    ("GET", "/hazards/{int:hazard_id}"),
    ("POST", "/hazards/{int:hazard_id}/transitions/{name}"),
    ("POST", "/hazards/{int:hazard_id}/extensions"),
    ("POST", "/hazards/{int:hazard_id}/extensions/{int:extension_id}/decision"),
    ("POST", "/hazards/{int:hazard_id}/listing"),
    ("POST", "/hazards/{int:hazard_id}/listing/delist"),
}
API_RISK_OBJECT_OPS = {  # (method, path) -> record kind of {id}
    ("GET", "/risks/objects/{int:object_id}"): "object",
    ("GET", "/risks/units/{int:unit_id}"): "unit",
    ("GET", "/risks/events/{int:event_id}"): "event",
    ("GET", "/risks/events/{int:event_id}/assessments"): "event",
    ("POST", "/risks/events/{int:event_id}/assessments"): "event",
    ("GET", "/risks/measures/{int:measure_id}"): "measure",
    ("GET", "/risks/tasks/{int:task_id}"): "task",
    ("POST", "/risks/tasks/{int:task_id}/complete"): "task",
    ("PATCH", "/risks/objects/{int:object_id}"): "object",
    ("POST", "/risks/objects/{int:object_id}/archive"): "object",
    ("PATCH", "/risks/units/{int:unit_id}"): "unit",
    ("POST", "/risks/units/{int:unit_id}/archive"): "unit",
    ("PATCH", "/risks/events/{int:event_id}"): "event",
    ("POST", "/risks/events/{int:event_id}/archive"): "event",
    ("PATCH", "/risks/measures/{int:measure_id}"): "measure",
    ("POST", "/risks/measures/{int:measure_id}/archive"): "measure",
}
API_RISK_CREATE_OPS = {  # path -> (parent field, parent kind): creating under a parent
    "/risks/objects": ("enterprise", "enterprise"),
    "/risks/units": ("risk_object", "object"),
    "/risks/events": ("unit", "unit"),
    "/risks/measures": ("event", "event"),
}
API_RISK_LIST_OPS = {
    "/risks/objects",
    "/risks/units",
    "/risks/events",
    "/risks/measures",
    "/risks/tasks",
    "/risks/enterprises",
}
API_NO_RECORD_OPS = {
    ("POST", "/auth/token"),
    ("GET", "/auth/me"),
    ("POST", "/enterprises/"),  # creation: scope is enforced by validation (test_api)
    ("POST", "/hazards/"),  # reporting: scope is enforced by validation (test_hazard_api)
    ("GET", "/regions/"),  # public division codes (reference data)
    ("GET", "/supervision-categories/"),
    ("GET", "/ping"),
}


def app_routes() -> tuple[set[str], set[tuple[str, str]]]:
    """Routes classified by the apps' own tests/<app>/routes.py (tested beside them)."""
    from tests.accounts import routes as accounts
    from tests.duty import routes as duty
    from tests.incidents import routes as incidents

    return duty.WEB | incidents.WEB | accounts.WEB, duty.API | incidents.API | accounts.API


def web_route_names() -> set[str]:
    def walk(resolver, namespace=""):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace or ""
                yield from walk(pattern, f"{namespace}:{inner}".strip(":") if inner else namespace)
            else:
                yield f"{namespace}:{pattern.name}".strip(":")

    return set(walk(get_resolver()))


def api_operations() -> set[tuple[str, str]]:
    ops = set()
    for prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                for method in operation.methods:
                    ops.add((method, (prefix.rstrip("/") + path).replace("//", "/")))
    return ops


def test_every_route_is_classified():
    names = {n for n in web_route_names() if not n.startswith("admin:")}
    api_names = {n for n in names if n.startswith("api:")} - NO_RECORD_ROUTES
    known = (
        set(OBJECT_ROUTES)
        | LIST_ROUTES
        | NO_RECORD_ROUTES
        | set(HAZARD_OBJECT_ROUTES)
        | HAZARD_LIST_ROUTES
        | set(RISK_ENTERPRISE_ROUTES)
        | set(RISK_RECORD_ROUTES)
        | RISK_LIST_ROUTES
        | app_routes()[0]
    )
    assert names - known - api_names == set(), "add new web routes to the access matrix"
    ops = api_operations()
    risk_ops = (
        set(API_RISK_OBJECT_OPS)
        | {("POST", path) for path in API_RISK_CREATE_OPS}
        | {("GET", path) for path in API_RISK_LIST_OPS}
    )
    assert ops == (
        API_OBJECT_OPS
        | API_LIST_OPS
        | API_NO_RECORD_OPS
        | API_HAZARD_OBJECT_OPS
        | risk_ops
        | app_routes()[1]
    ), "add new API operations to the access matrix"


def expected_visible(name: str, user, enterprise: Enterprise) -> bool:
    return expected(name, user, enterprise.region_id, enterprise.category_id, enterprise.pk)


def expected(name: str, user, region: str, category: str, enterprise_id: int | None) -> bool:
    if name in COUNTY_WIDE:
        return True
    if name == "town-a":
        return region.startswith(TOWN_A)
    if name == "town-b":
        return region.startswith(TOWN_B)
    if name == "dept-transport":
        return category == "transport"
    if name == "grid-a":
        return region.startswith(user.organisation.region_id)
    if name in ("ent-a", "ent-b", "worker-a"):
        return enterprise_id is not None and enterprise_id == user.enterprise_id
    raise AssertionError(f"no expectation for persona {name}")


@pytest.fixture
def targets(personas) -> list[Enterprise]:
    """Enterprises that tell the personas apart: per town transport and not, own ones."""
    picks = {personas["ent-a"].enterprise, personas["ent-b"].enterprise}
    for town in ("990102001", TOWN_A, TOWN_B):
        in_town = Enterprise.objects.filter(region__code__startswith=town)
        picks.add(in_town.filter(category="transport").first())
        picks.add(in_town.exclude(category="transport").last())
    village = personas["grid-a"].organisation.region_id
    picks.add(Enterprise.objects.filter(region__code__startswith=village).last())
    picks.add(
        Enterprise.objects.filter(region__code__startswith=TOWN_A)
        .exclude(region__code__startswith=village)
        .first()
    )
    return sorted(picks, key=lambda e: e.pk)


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_object_routes_hide_what_is_out_of_scope(personas, targets):
    for name, user in personas.items():
        client = logged_in(user)
        for target in targets:
            visible = expected_visible(name, user, target)
            before = Enterprise.objects.filter(pk=target.pk).values().get()
            for route, methods in OBJECT_ROUTES.items():
                url = reverse(route, args=[target.pk])
                for method in methods:
                    response = client.get(url) if method == "GET" else client.post(url, {})
                    where = f"{name} {method} {url} ({target.region_id}, {target.category_id})"
                    if visible:
                        assert response.status_code in (200, 403), where
                    else:
                        assert response.status_code == 404, where
            detail = client.get(reverse("registry:detail", args=[target.pk]))
            assert (detail.status_code == 200) is visible, f"{name} detail {target.pk}"
            assert Enterprise.objects.filter(pk=target.pk).values().get() == before


def test_api_object_operations_hide_what_is_out_of_scope(personas, targets):
    for name, user in personas.items():
        client = logged_in(user)
        for target in targets:
            visible = expected_visible(name, user, target)
            before = Enterprise.objects.filter(pk=target.pk).values().get()
            for method, path in API_OBJECT_OPS:
                url = "/api/v1" + path.replace("{int:enterprise_id}", str(target.pk))
                body = json.dumps({"reason": ""} if url.endswith("archive") else {})
                response = client.generic(method, url, body, content_type="application/json")
                where = f"{name} {method} {url}"
                if visible:
                    assert response.status_code in (200, 403, 422), where
                else:
                    assert response.status_code == 404, where
                    assert response.json()["error"]["code"] == "not_found", where
            assert Enterprise.objects.filter(pk=target.pk).values().get() == before


def visible_set(name, user, *, active_only=False) -> set[int]:
    queryset = Enterprise.objects.all()
    if active_only:
        queryset = queryset.filter(archived_at__isnull=True)
    return {e.pk for e in queryset if expected_visible(name, user, e)}


@pytest.fixture
def one_archived(personas):
    """An archived enterprise in town B, so 'status=all' lists are tested with one too."""
    target = Enterprise.objects.filter(region__code__startswith=TOWN_B).last()
    Enterprise.objects.filter(pk=target.pk).update(
        archive_reason="测试", archived_at="2026-01-01T00:00Z"
    )
    return target


def test_lists_exports_and_counts_show_exactly_the_scope(personas, settings, one_archived):
    settings.ANLAN_PAGE_SIZE = 1000
    for name, user in personas.items():
        client = logged_in(user)
        expected = visible_set(name, user)
        assert expected, f"{name} should see something in the demo world"

        page = client.get(reverse("registry:list"), {"status": "all"})
        assert {e.pk for e in page.context["page"].object_list} == expected, name

        export = client.get(reverse("registry:export"), {"status": "all"})
        if export.status_code == 403:
            assert name in ("expert", "worker-a")
        else:
            rows = list(load_workbook(io.BytesIO(export.content)).worksheets[0].values)[1:]
            usccs = set(Enterprise.objects.filter(pk__in=expected).values_list("uscc", flat=True))
            assert {r[1] for r in rows} == usccs, name

        items, url = [], "/api/v1/enterprises/?status=all&page=1"
        for page_number in range(1, 100):
            body = client.get(f"/api/v1/enterprises/?status=all&page={page_number}").json()
            items += body["items"]
            if len(items) >= body["count"]:
                break
        assert {item["id"] for item in items} == expected, f"{name} {url}"

        home = client.get(reverse("home"))
        assert home.context["totals"]["total"] == len(visible_set(name, user, active_only=True))


def test_admin_is_for_platform_administrators_only(personas):
    for name, user in personas.items():
        response = logged_in(user).get(reverse("admin:registry_enterprise_changelist"))
        if name == "admin":
            assert response.status_code == 200
        else:
            assert response.status_code == 302 and "/admin/login/" in response.url, name


def test_anonymous_gets_nothing(db, targets):
    client = Client()
    for route in OBJECT_ROUTES:
        response = client.get(reverse(route, args=[targets[0].pk]))
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
    for route in LIST_ROUTES:
        assert client.get(reverse(route)).status_code == 302
    for method, path in API_OBJECT_OPS | API_LIST_OPS:
        url = "/api/v1" + path.replace("{int:enterprise_id}", str(targets[0].pk))
        assert client.generic(method, url).status_code == 401, url


@pytest.fixture
def hazards(personas, targets):
    """A hazard per target enterprise, plus road-section hazards in towns A and B."""
    from tests.hazards.factories import advance, report

    made = [report(personas["county"], enterprise=e) for e in targets]
    for town, user in ((TOWN_A, "town-a"), (TOWN_B, "town-b")):
        made.append(
            report(
                personas[user], enterprise=None, site_kind="road", site_name="县道急弯",
                region_id=f"{town}001", supervision_category_id="transport", category_id="traffic",
            )
        )  # fmt: skip
    major = report(personas["ent-a"], level="major")
    advance(major, personas, "rectifying")
    from anlan.hazards import actions

    actions.do_list_hazard(major, actor=personas["county"], responsible_leaders="副县长",
                           deadline=major.deadline, public_exposure=True)  # fmt: skip
    return [*made, major]


def hazard_visible(name, user, hazard) -> bool:
    return expected(
        name, user, hazard.region_id, hazard.supervision_category_id, hazard.enterprise_id
    )


def test_hazard_routes_hide_what_is_out_of_scope(personas, hazards):
    from anlan.hazards.models import Hazard

    for name, user in personas.items():
        client = logged_in(user)
        for hazard in hazards:
            visible = hazard_visible(name, user, hazard)
            before = Hazard.objects.filter(pk=hazard.pk).values().get()
            photo = hazard.photos.first()
            for route, (methods, extra) in HAZARD_OBJECT_ROUTES.items():
                kwargs = {"pk": hazard.pk, **extra}
                if kwargs.get("photo_pk") == "photo":
                    kwargs["photo_pk"] = photo.pk
                url = reverse(route, kwargs=kwargs)
                for method in methods:
                    response = client.get(url) if method == "GET" else client.post(url, {})
                    where = f"{name} {method} {url} ({hazard.region_id}, {hazard.supervision_category_id})"
                    if visible:
                        assert response.status_code != 500, where
                    else:
                        assert response.status_code == 404, where
            detail = client.get(reverse("hazards:detail", args=[hazard.pk]))
            assert (detail.status_code == 200) is visible, f"{name} hazard {hazard.pk}"
            if not visible:
                assert Hazard.objects.filter(pk=hazard.pk).values().get() == before
            for method, path in API_HAZARD_OBJECT_OPS:
                url = "/api/v1" + path.replace("{int:hazard_id}", str(hazard.pk)).replace(
                    "{name}", "confirm"
                ).replace("{int:extension_id}", "1")
                response = client.generic(
                    method, url, "", content_type="multipart/form-data; boundary=x"
                )
                if not visible:
                    assert response.status_code == 404, f"{name} {method} {url}"


def test_hazard_lists_exports_and_statistics_show_exactly_the_scope(personas, hazards, settings):
    from anlan.hazards.models import Hazard

    settings.ANLAN_PAGE_SIZE = 1000
    for name, user in personas.items():
        client = logged_in(user)
        expected_ids = {h.pk for h in Hazard.objects.all() if hazard_visible(name, user, h)}
        assert expected_ids, name
        page = client.get(reverse("hazards:list"))
        assert {h.pk for h in page.context["page"].object_list} == expected_ids, name
        stats_page = client.get(reverse("hazards:stats"))
        assert stats_page.context["totals"]["found"] == len(expected_ids), name
        api_stats = client.get("/api/v1/hazards/stats").json()
        assert api_stats["totals"]["found"] == len(expected_ids), name
        assert sum(r["found"] for r in api_stats["by_town"]) in (0, len(expected_ids)), name
        body = client.get("/api/v1/hazards/?page=1").json()
        assert {item["id"] for item in body["items"]} == expected_ids, name
        export = client.get(reverse("hazards:export"))
        if export.status_code == 200:
            rows = list(
                load_workbook(io.BytesIO(b"".join(export.streaming_content))).worksheets[0].values
            )[1:]
            numbers = {h.number for h in Hazard.objects.filter(pk__in=expected_ids)}
            assert {r[0] for r in rows} == numbers, name
        else:
            assert (
                export.status_code == 403
                and name == "expert"
                or name.startswith("ent")
                or name == "worker-a"
            )
        listed = client.get(reverse("hazards:listings"))
        shown = {entry.hazard_id for entry in listed.context["listings"]}
        assert shown <= expected_ids, name


@pytest.fixture
def registers(personas, targets):
    """A risk register (object → unit → event → measure → an open task) per target enterprise."""
    import time_machine
    from django.utils import timezone

    from anlan.accounts.models import User
    from anlan.accounts.roles import Role
    from anlan.risks.rules import window
    from anlan.risks.tasks import investigation_tasks
    from tests.risks.factories import register

    # Registered when the day began, so each daily check is owed now at any hour the test
    # runs (a schedule set up late in a window starts with the next one).
    began, _end = window("daily", timezone.localtime())
    made = []
    with time_machine.travel(began, tick=False):
        for enterprise in targets:
            manager = User.objects.filter(
                enterprise=enterprise, role=Role.ENTERPRISE_MANAGER
            ).first()
            if manager is None:
                manager = User.objects.create(
                    username=f"mgr{enterprise.pk}",
                    role=Role.ENTERPRISE_MANAGER,
                    enterprise=enterprise,
                )
            obj, unit, event, measure = register(manager)
            made.append({"enterprise": enterprise, "object": obj, "unit": unit, "event": event,
                         "measure": measure})  # fmt: skip
    investigation_tasks()
    for entry in made:
        entry["task"] = entry["measure"].tasks.get()
    return made


def test_risk_routes_hide_what_is_out_of_scope(personas, registers):
    from anlan.risks.models import InvestigationTask, RiskEvent

    for name, user in personas.items():
        client = logged_in(user)
        for entry in registers:
            enterprise = entry["enterprise"]
            visible = expected_visible(name, user, enterprise)
            before = (
                RiskEvent.objects.filter(pk=entry["event"].pk).values().get(),
                InvestigationTask.objects.filter(pk=entry["task"].pk).values().get(),
            )
            urls = [
                (reverse(r, args=[enterprise.pk]), m) for r, m in RISK_ENTERPRISE_ROUTES.items()
            ]
            for route, (methods, kind, extra) in RISK_RECORD_ROUTES.items():
                key = "parent_pk" if route == "risks:create" else "pk"
                urls.append((reverse(route, kwargs={key: entry[kind].pk, **extra}), methods))
            for url, methods in urls:
                for method in methods:
                    response = client.get(url) if method == "GET" else client.post(url, {})
                    where = (
                        f"{name} {method} {url} ({enterprise.region_id}, {enterprise.category_id})"
                    )
                    if visible:
                        assert response.status_code != 500, where
                    else:
                        assert response.status_code == 404, where
            for (method, path), kind in API_RISK_OBJECT_OPS.items():
                url = "/api/v1" + path.split("{")[0] + str(entry[kind].pk) + path.split("}")[1]
                # valid enough to reach the route; an empty reason never archives anything
                body = {"kind": "inherent", "method": "ls", "l": 1, "s": 1, "results": [],
                        "reason": ""}  # fmt: skip
                body = {} if method == "PATCH" else body  # a PATCH refuses unknown fields
                response = client.generic(method, url, json.dumps(body), "application/json")
                where = f"{name} {method} {url}"
                if visible:
                    assert response.status_code != 500, where
                else:
                    assert response.status_code == 404, where
            for path, (field, kind) in API_RISK_CREATE_OPS.items():
                body = {field: entry[kind].pk, "kind": "site", "name": "x", "area": "x",
                        "factor_kind": "human", "factor": "x", "accident_types": ["fire"],
                        "description": "x", "responsible": user.pk, "frequency": "daily"}  # fmt: skip
                response = client.post("/api/v1" + path, body, content_type="application/json")
                own = user.enterprise_id == enterprise.pk and name in ("ent-a", "ent-b")
                if not visible:
                    assert response.status_code == 404, f"{name} POST {path} under {kind}"
                elif not own:
                    assert response.status_code == 403, f"{name} POST {path} under {kind}"
            if not visible or not name.startswith("ent"):
                assert (
                    RiskEvent.objects.filter(pk=entry["event"].pk).values().get(),
                    InvestigationTask.objects.filter(pk=entry["task"].pk).values().get(),
                ) == before, name


def test_risk_lists_and_views_show_exactly_the_scope(personas, registers):
    for name, user in personas.items():
        client = logged_in(user)
        expected_ids = {
            e["enterprise"].pk for e in registers if expected_visible(name, user, e["enterprise"])
        }
        assert expected_ids, name
        for path in API_RISK_LIST_OPS - {"/risks/enterprises"}:
            body = client.get(f"/api/v1{path}").json()
            assert {item["enterprise"] for item in body["items"]} == expected_ids, f"{name} {path}"
        points = client.get("/api/v1/risks/enterprises?level=major").json()
        assert {p["id"] for p in points} == expected_ids, name
        data = client.get(reverse("risks:map_data"), {"level": "major"}).json()["points"]
        assert {p["id"] for p in data} == expected_ids, name
        tasks = client.get(reverse("risks:tasks"))
        assert {t.enterprise_id for t in tasks.context["tasks"]} == expected_ids, name
        if user.enterprise_id:
            assert client.get(reverse("risks:index")).url == reverse(
                "risks:enterprise", args=[user.enterprise_id]
            )
            continue
        overview = client.get(reverse("risks:overview"))
        assert {e.enterprise_id for e in overview.context["major"]} == expected_ids, name
        assert overview.context["levels"]["totals"]["major"] == len(expected_ids), name
        assert {r["enterprise_id"] for r in overview.context["effectiveness"]} <= expected_ids
        assert client.get(reverse("risks:map")).status_code == 200
