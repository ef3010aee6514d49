"""core/workflow.py: the engine (at=, the system actor, self-transitions, creation, bulk), the
events each migrated workflow writes, and the house rule that no code outside the engine
assigns a registered state field."""

import ast
import importlib
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.test import TestCase

from anlan.core.workflow import (
    EVENT_LABELS,
    SYSTEM,
    WORKFLOWS,
    StaleTransition,
    Transition,
    Workflow,
    create,
    nobody,
    run_bulk,
    run_transition,
)
from anlan.duty.models import Roster, RosterEvent, RosterState

SRC = Path(__file__).resolve().parent.parent / "src" / "anlan"
TZ = ZoneInfo("Asia/Shanghai")
T = datetime(2026, 11, 23, 9, 30, tzinfo=TZ)
D, P = RosterState.DRAFT, RosterState.PUBLISHED


def anyone(actor, roster) -> bool:
    return True


@pytest.fixture
def flow():
    """A small table over rosters, kept out of the registry."""
    seen, labels = {}, dict(EVENT_LABELS)

    def remember(roster, actor, inputs):
        seen["at"] = inputs["at"]

    wf = Workflow(
        name="test_roster",
        model=Roster,
        event_model=RosterEvent,
        event_fk="roster",
        transitions=[
            Transition("make", (), D, "made", anyone),
            Transition("forbidden", (), D, "made", nobody),
            Transition("note", (D, P), None, "noted", lambda a, r: a is not SYSTEM and a.is_staff),
            Transition("flag", (D,), None, "flagged", nobody, system=True),
            Transition("publish", (D,), P, "published", anyone, apply=remember),
            Transition("close", (D,), P, "closed", anyone, system=True),
            Transition("expire", (D,), P, "expired", nobody, system=True),
        ],
    )
    WORKFLOWS.remove(wf)
    wf.seen = seen
    yield wf
    EVENT_LABELS.clear()  # its labels must not rename the real workflows' events
    EVENT_LABELS.update(labels)


def roster(flow, user, month: int = 1) -> Roster:
    item = Roster(
        organisation=user.organisation, month=date(2031, month, 1), created_by=user, note="t"
    )
    create(flow, item, "make", actor=user, at=T)
    return item


def test_creation_sets_the_first_state_and_event(personas, flow):
    county = personas["county"]
    item = roster(flow, county)
    assert item.pk and item.state == D
    event = item.events.get()
    assert (event.transition, event.from_state, event.to_state, event.actor) == (
        "make", "", D, county,
    )  # fmt: skip
    assert event.created_at == T and item.history.get().history_date == T
    with pytest.raises(ValueError):
        create(flow, Roster(organisation=county.organisation), "publish", actor=county)


def test_creation_refused_saves_nothing(personas, flow):
    county = personas["county"]
    with pytest.raises(PermissionDenied):
        create(flow, Roster(organisation=county.organisation, month=date(2031, 9, 1),
                            created_by=county), "forbidden", actor=county)  # fmt: skip
    assert not Roster.objects.filter(month=date(2031, 9, 1)).exists()
    with pytest.raises(ValueError):  # a self-transition creates nothing either
        create(flow, Roster(organisation=county.organisation), "note", actor=county)


def test_the_action_time_is_the_events_and_the_historys(personas, flow):
    item = roster(flow, personas["county"])
    later = T + timedelta(hours=3)
    event = run_transition(flow, item, "publish", actor=personas["county"], at=later)
    assert event.created_at == later and flow.seen["at"] == later
    assert item.state == P and item.history.latest().history_date == later


def test_the_system_actor(personas, flow):
    item = roster(flow, personas["county"])
    event = run_transition(flow, item, "flag", actor=SYSTEM, comment="job")
    assert event.actor is None and event.from_state == event.to_state == D
    assert item.history.latest().history_user is None
    with pytest.raises(PermissionDenied):  # only a job flags
        run_transition(flow, item, "flag", actor=personas["county"])
    with pytest.raises(PermissionDenied):  # a job takes only transitions marked system
        run_transition(flow, item, "note", actor=SYSTEM)


def test_a_self_transition_keeps_the_state_but_is_checked(personas, flow, django_user_model):
    county = personas["county"]
    item = roster(flow, county)
    county.is_staff = True
    event = run_transition(flow, item, "note", actor=county, comment="续报")
    assert (event.from_state, event.to_state, item.state) == (D, D, D)
    assert event.comment == "续报"
    run_transition(flow, item, "publish", actor=county)
    assert run_transition(flow, item, "note", actor=county).to_state == P
    with pytest.raises(StaleTransition):  # flag starts from draft only
        run_transition(flow, item, "flag", actor=SYSTEM)
    town = personas["town-a"]
    town.is_staff = False
    with pytest.raises(PermissionDenied):
        run_transition(flow, item, "note", actor=town)
    assert item.events.count() == 4


def test_bulk_moves_rows_once_and_skips_the_others(personas, flow):
    county = personas["county"]
    items = [roster(flow, county, month) for month in (1, 2, 3)]
    run_transition(flow, items[2], "publish", actor=county)  # no longer in a source state
    rows = Roster.objects.filter(pk__in=[i.pk for i in items])
    later = T + timedelta(days=1)
    moved = run_bulk(flow, rows, "close", at=later)
    assert sorted(moved) == sorted(i.pk for i in items[:2])
    assert set(rows.values_list("state", flat=True)) == {P}
    events = RosterEvent.objects.filter(roster__in=items[:2], transition="close")
    assert [(e.actor, e.from_state, e.to_state, e.created_at) for e in events] == [
        (None, D, P, later)
    ] * 2
    assert items[0].history.latest().history_date == later
    assert run_bulk(flow, rows, "close", at=later) == []  # a second run moves nothing
    with pytest.raises(ValueError):  # a self-transition has no state to move
        run_bulk(flow, rows, "note", at=later)
    with pytest.raises(ValueError):  # nor a step with hooks
        run_bulk(flow, rows, "publish", at=later)


def test_bulk_refuses_a_transition_the_actor_may_not_take(personas, flow):
    item = roster(flow, personas["county"])
    with pytest.raises(PermissionDenied):
        run_bulk(flow, Roster.objects.filter(pk=item.pk), "expire", at=T, actor=personas["county"])
    assert run_bulk(flow, Roster.objects.filter(pk=item.pk), "expire", at=T) == [item.pk]


# -- the migrated workflows write their events ------------------------------------------


def test_every_state_field_is_registered():
    """The apps' tables: every state machine of the project runs on the engine."""
    for module in ("duty", "hazards", "incidents", "risks"):
        importlib.import_module(f"anlan.{module}.workflow")
    fields = {(w.model.__name__, w.state_field) for w in WORKFLOWS}
    assert fields == {
        ("Hazard", "state"),
        ("ExtensionRequest", "status"),
        ("Incident", "state"),
        ("Roster", "state"),
        ("Swap", "state"),
        ("InvestigationTask", "state"),
    }


def test_extension_requests_write_hazard_events(personas):
    from anlan.hazards import actions
    from tests.hazards.factories import advance, report

    hazard = advance(report(personas["ent-a"]), personas, "rectifying")
    with TestCase.captureOnCommitCallbacks(execute=True):
        request = actions.do_request_extension(
            hazard, actor=personas["ent-a"], new_deadline=hazard.deadline + timedelta(days=5),
            reason="设备到货延迟",
        )  # fmt: skip
    actions.do_decide_extension(request, actor=personas["town-a"], approve=False, comment="不同意")
    request.refresh_from_db()
    assert (request.status, request.decided_by, request.decision_comment) == (
        "refused", personas["town-a"], "不同意",
    )  # fmt: skip
    events = list(
        hazard.events.filter(transition__endswith="_extension").values_list(
            "transition", "from_state", "to_state", "comment"
        )
    )
    assert events == [
        ("request_extension", "rectifying", "rectifying", "设备到货延迟"),
        ("refuse_extension", "rectifying", "rectifying", "不同意"),
    ]
    with pytest.raises(StaleTransition):  # decided already
        actions.do_decide_extension(request, actor=personas["town-a"], approve=True)


def test_the_reporting_chain_writes_its_events(personas):
    from anlan.incidents import actions
    from tests.incidents.factories import facts, incident
    from tests.notices import scan_incidents

    t0 = datetime(2026, 11, 23, 9, 0, tzinfo=TZ)
    with time_machine.travel(t0, tick=False) as clock:
        item = incident(personas["ent-a"])
        clock.move_to(t0 + timedelta(minutes=20))
        actions.do_forward(item, actor=personas["county"], channel="phone")
        actions.do_forward(item, actor=personas["county"])
        actions.do_follow_up(item, actor=personas["county"], facts=facts(item), note="续报")
        actions.do_follow_up(item, actor=personas["county"], facts=facts(item), final=True)
        ent = personas["ent-a"].enterprise
        tip = incident(personas["county"], enterprise=ent, known_source="tip_off",
                       occurred_at=t0 - timedelta(minutes=30), unit_learned_at=None)  # fmt: skip
        clock.move_to(t0 + timedelta(hours=2))
        scan_incidents()
    rows = list(item.events.values_list("transition", "from_state", "to_state", "created_at"))
    later = t0 + timedelta(minutes=20)
    assert rows == [
        ("first_report", "", "reporting", t0),
        ("forward_city", "reporting", "reporting", later),
        ("written_city", "reporting", "reporting", later),
        ("follow_up", "reporting", "reporting", later),
        ("final", "reporting", "final", later),
    ]
    flag = tip.events.get(transition="suspected_concealment")
    assert flag.actor is None and flag.created_at == t0 + timedelta(hours=2)


def test_the_incident_api_takes_each_step_by_name(personas, client):
    from tests.incidents.factories import facts, incident

    item = incident(personas["ent-a"])
    client.force_login(personas["county"])
    url = f"/api/v1/incidents/{item.pk}/transitions/"
    body = {k: str(v) for k, v in facts(item).items()} | {"comment": "续报"}
    response = client.post(url + "follow_up", body, content_type="application/json")
    assert response.status_code == 200, response.content
    assert item.events.last().transition == "follow_up"
    assert client.post(url + "forward_city", {}, "application/json").status_code == 200
    assert client.post(url + "forward_city", {}, "application/json").status_code == 409
    assert client.post(url + "first_report", {}, "application/json").status_code == 404
    assert client.post(url + "nonsense", {}, "application/json").status_code == 404
    flag = client.post(url + "suspected_concealment", {}, "application/json")
    assert flag.status_code == 403


def test_rosters_write_events(personas):
    from anlan.duty import actions

    county = personas["county"]
    item = actions.do_create_roster(county.organisation, date(2031, 5, 1), actor=county)
    assert list(item.events.values_list("transition", "from_state", "to_state")) == [
        ("create_roster", "", "draft")
    ]


def test_investigation_tasks_write_events(personas):
    from anlan.risks import actions
    from anlan.risks.models import TaskEvent, TaskState
    from anlan.risks.tasks import investigation_tasks
    from tests.risks.factories import register

    monday = datetime(2026, 11, 23, 9, 0, tzinfo=TZ)
    with time_machine.travel(monday, tick=False):
        *_rest, measure = register(personas["ent-a"], worker=personas["worker-a"])
    with time_machine.travel(monday + timedelta(days=2, hours=3), tick=False):
        investigation_tasks()
        assert investigation_tasks()["missed_measures"] == 0  # nothing moved twice
    missed = TaskEvent.objects.filter(task__measure=measure, transition="miss")
    assert missed.count() == 2 and {e.actor for e in missed} == {None}
    task = measure.tasks.get(state=TaskState.OPEN)
    actions.do_complete_task(task, actor=personas["worker-a"],
                             results=[actions.ItemResult(ok=True)] * 2,
                             now=task.window_start + timedelta(hours=1))  # fmt: skip
    event = task.events.get()
    assert (event.transition, event.to_state, event.actor) == (
        "complete", "done", personas["worker-a"],
    )  # fmt: skip


# -- the house rule: no state assigned outside the engine -------------------------------

# Demo world generation replays hazards and incidents through the real actions (demo/clock.py)
# but writes a month of investigation tasks (tens of thousands) in bulk, as if the staff and
# the job had run: done by their assignee or missed. Each entry is (path under src/anlan, the
# line's text); the test fails when one no longer matches (stale).
ALLOWED = {
    ("demo/risks.py", "task.state, task.passed = TaskState.DONE, True"),
    ("demo/risks.py", "task.state = TaskState.MISSED"),
}


class StateAssignments(ast.NodeVisitor):
    """Lines that assign one of ``fields``: ``x.f = …`` (also in a tuple or an augmented
    assignment), ``.update(f=…)``, ``setattr(x, "f", …)``, a registered model built or
    created with it (``Hazard(state=…)``, ``Hazard.objects.create(state=…)``). ``models`` are the registered
    models' names: ``self.f`` counts in their classes only, and an ``update()`` on a chain
    starting from another model's name (``Delivery.objects…``) is not a workflow's."""

    def __init__(self, fields: set[str], models: set[str]):
        self.fields, self.models = fields, models
        self.found: list[tuple[int, str]] = []
        self.classes: list[str] = []

    def visit_ClassDef(self, node):
        self.classes.append(node.name)
        self.generic_visit(node)
        self.classes.pop()

    def _targets(self, node, targets):
        for target in targets:
            for item in ast.walk(target):
                if not (isinstance(item, ast.Attribute) and item.attr in self.fields):
                    continue
                is_self = isinstance(item.value, ast.Name) and item.value.id == "self"
                if is_self and self.classes and self.classes[-1] not in self.models:
                    continue
                self.found.append((node.lineno, f".{item.attr} ="))
        self.generic_visit(node)

    def visit_Assign(self, node):
        self._targets(node, node.targets)

    def visit_AugAssign(self, node):
        self._targets(node, [node.target])

    def visit_AnnAssign(self, node):
        self._targets(node, [node.target])

    def visit_Call(self, node):
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr == "update":
            root = func.value
            while isinstance(root, (ast.Attribute, ast.Call)):
                root = root.func if isinstance(root, ast.Call) else root.value
            other_model = (
                isinstance(root, ast.Name) and root.id[:1].isupper() and root.id not in self.models
            )
            if not other_model:
                self.found += [
                    (node.lineno, f"update({k.arg}=)")
                    for k in node.keywords
                    if k.arg in self.fields
                ]
        constructs = isinstance(func, ast.Name) and func.id in self.models  # Hazard(state=…)
        creates = (
            isinstance(func, ast.Attribute)
            and func.attr in ("create", "get_or_create", "update_or_create")
            and isinstance(func.value, ast.Attribute)
            and isinstance(func.value.value, ast.Name)
            and func.value.value.id in self.models  # Hazard.objects.create(state=…)
        )
        if constructs or creates:
            self.found += [
                (node.lineno, f"({k.arg}=)") for k in node.keywords if k.arg in self.fields
            ]
        if isinstance(func, ast.Name) and func.id == "setattr" and len(node.args) >= 2:
            name = node.args[1]
            if isinstance(name, ast.Constant) and name.value in self.fields:
                self.found.append((node.lineno, f'setattr("{name.value}")'))
        self.generic_visit(node)


def state_assignments(source: str, fields: set[str], models: set[str]) -> list[tuple[int, str]]:
    visitor = StateAssignments(fields, models)
    visitor.visit(ast.parse(source))
    return sorted(visitor.found)


def registered() -> tuple[set[str], set[str]]:
    """The state fields of every workflow and their models' names."""
    for module in ("duty", "hazards", "incidents", "risks"):
        importlib.import_module(f"anlan.{module}.workflow")
    return {w.state_field for w in WORKFLOWS}, {w.model.__name__ for w in WORKFLOWS}


def test_the_checker_catches_each_form():
    snippet = """
hazard.state = "closed"
a.status, b = "approved", 1
InvestigationTask.objects.filter(pk=1).update(state="missed", note="")
setattr(roster, "state", "published")
tasks.update(state="missed")
class Hazard:
    def close(self):
        self.state = "closed"
x.state == "open"  # a comparison, not an assignment
Hazard.objects.filter(state="open")
Delivery.objects.filter(pk=1).update(status="sent")  # not a workflow's model
class ApiError:
    def __init__(self, status):
        self.status = status
Hazard(state="closed", level="major")
Hazard.objects.create(state="closed")
"""
    found = state_assignments(snippet, {"state", "status"}, {"Hazard", "InvestigationTask"})
    assert [line for line, _what in found] == [2, 3, 4, 5, 6, 9, 16, 17]


def test_no_state_is_assigned_outside_the_engine():
    fields, models = registered()
    offences, allowed_seen = [], set()
    for path in sorted(SRC.rglob("*.py")):
        relative = str(path.relative_to(SRC))
        if relative == "core/workflow.py" or "/migrations/" in relative:
            continue
        lines = path.read_text().splitlines()
        for lineno, what in state_assignments(path.read_text(), fields, models):
            text = lines[lineno - 1].strip()
            if (relative, text) in ALLOWED:
                allowed_seen.add((relative, text))
            else:
                offences.append(f"{relative}:{lineno}: {what}  {text}")
    assert offences == [], "state changes go through core/workflow.py:\n" + "\n".join(offences)
    assert allowed_seen == ALLOWED, f"stale exceptions: {ALLOWED - allowed_seen}"


def test_the_extension_route_decides_by_name(personas, client):
    from anlan.hazards import actions
    from tests.hazards.factories import advance, report

    hazard = advance(report(personas["ent-a"]), personas, "rectifying")
    new_deadline = hazard.deadline + timedelta(days=5)
    request = actions.do_request_extension(
        hazard, actor=personas["ent-a"], new_deadline=new_deadline, reason="设备到货延迟"
    )
    client.force_login(personas["town-a"])
    url = f"/api/v1/hazards/{hazard.pk}/extensions/{request.pk}/transitions/"
    assert client.post(url + "request_extension", {"comment": "x"}).status_code == 404
    response = client.post(url + "approve_extension", {"comment": "同意"})
    assert response.status_code == 200, response.content
    assert response.json()["deadline"] == new_deadline.isoformat()
    assert client.post(url + "refuse_extension", {}).status_code == 409


def test_rosters_publish_through_the_engine_and_the_route(personas, client):
    from anlan.duty import actions
    from tests.duty.factories import PUBLISHED, roster

    county = personas["county"]
    made = roster(county)
    assert list(made.events.values_list("transition", "from_state", "to_state", "created_at")) == [
        ("create_roster", "", "draft", PUBLISHED),
        ("publish", "draft", "published", PUBLISHED),
    ]
    draft = actions.do_create_roster(county.organisation, date(2031, 6, 1), actor=county)
    client.force_login(county)
    url = f"/api/v1/duty/rosters/{draft.pk}/transitions/"
    assert client.post(url + "nonsense", {}, "application/json").status_code == 404
    empty = client.post(url + "publish", {}, "application/json")  # no shifts yet
    assert empty.status_code == 422, empty.content
    assert client.post(f"/api/v1/duty/rosters/{made.pk}/transitions/publish", {},
                       "application/json").status_code == 409  # fmt: skip
    assert draft.events.count() == 1
