"""One workflow engine for every state machine (hazards, extensions, incidents, rosters, swaps,
investigation tasks; tip-offs and alarms later).

A workflow is data: a table of :class:`Transition` s (name, from, to, who may, what is
required). This module is the only code that changes a workflow's state field
(tests/test_workflow_engine.py checks it):

- :func:`create` saves a new record in its first state and writes its first event ("report");
- :func:`run_transition` takes one step on one record:

  1. lock the row (``select_for_update``) and re-read its state;
  2. refuse a transition that no longer applies (a double submit, a stale page) with
     :class:`StaleTransition` — "状态已变化，请刷新", never a 500;
  3. check the actor with the transition's ``allowed`` predicate (scope was checked by the caller
     fetching the object through ``access_or_404``); a job acts as :data:`SYSTEM`, which may take
     only the transitions marked ``system=True``;
  4. check required inputs, run the transition's ``apply`` hook, set the state (a transition
     with ``target=None`` keeps it: a 续报 only writes its event), save with history;
  5. write one immutable event row (who, the action's time ``at``, from, to, comment, data) and
     register the transition's ``after_commit`` side effects;

- :func:`run_bulk` moves every row of a queryset still in a source state (a job's missed checks)
  with one UPDATE, one event per row and the rows' history.

Hooks get the action's time as ``inputs["at"]``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Generic, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from anlan.core.history import save_with_history

Predicate = Callable[[Any, Any], bool]  # (actor, obj) -> allowed
Hook = Callable[[Any, Any, dict[str, Any]], None]  # (obj, actor, inputs)
E = TypeVar("E", bound=models.Model)  # a workflow's event model


class _System:
    """The actor of periodic jobs. Its events have a null actor and timelines label them
    "system"; it may take only the transitions declared with ``system=True``."""

    pk = None
    is_superuser = False

    def __repr__(self) -> str:
        return "SYSTEM"


SYSTEM: Any = _System()


def nobody(actor: Any, obj: Any) -> bool:
    """For transitions only a job takes (``system=True``)."""
    return False


# Labels of event names for timelines: every workflow's transitions, plus events that do not
# belong to a workflow table (a listing) registered by their apps.
EVENT_LABELS: dict[str, Any] = {}

# Every workflow, so a test finds every state field (tests/test_workflow_engine.py).
WORKFLOWS: list[Workflow[Any]] = []


def register_event_labels(labels: dict[str, Any]) -> None:
    EVENT_LABELS.update(labels)


class StaleTransition(Exception):
    """The object is no longer in a state this transition starts from."""

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or _("The status has changed; please refresh the page."))


@dataclass(frozen=True)
class Transition:
    """One step of a table. ``sources`` empty: the step creates the record (see create());
    ``target`` None: the step keeps the state and only writes its event (a self-transition)."""

    name: str
    sources: tuple[str, ...]
    target: str | None
    label: str
    allowed: Predicate
    requires: tuple[str, ...] = ()  # keys of `inputs` that must be non-empty
    apply: Hook | None = None  # validate inputs and set fields; raise ValidationError
    after_commit: Hook | None = None  # notifications, deadlines: run once committed
    style: str = "primary"  # button colour in the UI
    system: bool = False  # whether a job (SYSTEM) may take it


@dataclass
class Workflow(Generic[E]):
    """A table of transitions over ``model.<state_field>``. Events are ``event_model`` rows
    pointing at the record through ``event_fk``; with ``event_owner`` they go on another
    record's timeline (an extension request's on its hazard's), with that record's state as
    their from and to."""

    name: str
    model: type[models.Model]
    transitions: list[Transition]
    event_model: type[E]
    event_fk: str
    state_field: str = "state"
    event_owner: Callable[[Any], Any] | None = None
    by_name: dict[str, Transition] = field(init=False)

    def __post_init__(self) -> None:
        self.by_name = {t.name: t for t in self.transitions}
        register_event_labels({t.name: t.label for t in self.transitions})
        WORKFLOWS.append(self)

    def get(self, name: str) -> Transition:
        try:
            return self.by_name[name]
        except KeyError as exc:
            raise StaleTransition(_("Unknown action.")) from exc

    def available(self, obj: Any, actor: Any) -> list[Transition]:
        """Transitions this actor may take now (for buttons and the API)."""
        state = getattr(obj, self.state_field)
        return [t for t in self.transitions if state in t.sources and t.allowed(actor, obj)]

    def _event(
        self,
        obj: Any,
        name: str,
        source: str,
        target: str,
        actor: Any,
        inputs: dict[str, Any],
        at: datetime,
    ) -> E:
        owner = obj if self.event_owner is None else self.event_owner(obj)
        if self.event_owner is not None:
            source = target = owner.state
        return self.event_model(
            **{self.event_fk: owner},
            transition=name,
            from_state=source,
            to_state=target,
            actor=None if actor is SYSTEM else actor,
            comment=inputs.get("comment") or "",
            data=_jsonable(inputs.get("event_data") or {}),
            created_at=at,
        )


def _check(transition: Transition, actor: Any, obj: Any, inputs: dict[str, Any]) -> None:
    if actor is SYSTEM:
        if not transition.system:
            raise PermissionDenied(transition.name)
    elif not transition.allowed(actor, obj):
        raise PermissionDenied(transition.name)
    missing = [n for n in transition.requires if inputs.get(n) in (None, "", [], ())]
    if missing:
        raise ValidationError({n: _("This field is required.") for n in missing}, code="required")


def _inputs(comment: str, inputs: dict[str, Any] | None, at: datetime) -> dict[str, Any]:
    inputs = dict(inputs or {})
    inputs.setdefault("comment", comment)
    inputs["at"] = at
    return inputs


def _finish(
    transition: Transition, obj: Any, event: models.Model, actor: Any, inputs: dict[str, Any]
) -> None:
    """Save the event, attach the step's files to it, register the side effects."""
    event.save()
    for attach in inputs.get("attach_to_event", ()):  # uploaded files of this step
        attach(event)
    if transition.after_commit is not None:
        hook = transition.after_commit
        transaction.on_commit(lambda: hook(obj, actor, inputs))


def _save(record: Any, actor: Any, reason: str, at: datetime) -> None:
    save_with_history(record, actor=None if actor is SYSTEM else actor, reason=reason, at=at)


def create(
    workflow: Workflow[E],
    obj: models.Model,
    name: str,
    *,
    actor: Any,
    comment: str = "",
    inputs: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> E:
    """Save the new ``obj`` in the first state of creation transition ``name`` and write its
    first event; returns the event. The caller validated the record (its form)."""
    transition = workflow.get(name)
    if transition.sources or transition.target is None:
        raise ValueError(f"{workflow.name}.{name} does not create a record")
    at = at or timezone.now()
    inputs = _inputs(comment, inputs, at)
    with transaction.atomic():
        _check(transition, actor, obj, inputs)
        if transition.apply is not None:
            transition.apply(obj, actor, inputs)
        setattr(obj, workflow.state_field, transition.target)
        _save(obj, actor, str(transition.label), at)
        event = workflow._event(obj, name, "", transition.target, actor, inputs, at)
        _finish(transition, obj, event, actor, inputs)
    return event


def run_transition(
    workflow: Workflow[E],
    obj: models.Model,
    name: str,
    *,
    actor: Any,
    comment: str = "",
    inputs: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> E:
    """Take transition ``name`` on ``obj`` at ``at`` (default now); returns the event row."""
    transition = workflow.get(name)
    at = at or timezone.now()
    inputs = _inputs(comment, inputs, at)
    model = type(obj)
    with transaction.atomic():
        locked = model._default_manager.select_for_update().get(pk=obj.pk)
        source = getattr(locked, workflow.state_field)
        if source not in transition.sources:
            raise StaleTransition()
        _check(transition, actor, locked, inputs)
        if transition.apply is not None:
            transition.apply(locked, actor, inputs)
        target = source if transition.target is None else transition.target
        setattr(locked, workflow.state_field, target)
        _save(locked, actor, str(transition.label), at)
        event = workflow._event(locked, name, source, target, actor, inputs, at)
        _finish(transition, locked, event, actor, inputs)
    # Let the caller's instance reflect the new state.
    for f in model._meta.concrete_fields:
        setattr(obj, f.attname, getattr(locked, f.attname))
    return event


def run_bulk(
    workflow: Workflow[Any],
    queryset: models.QuerySet[Any],
    name: str,
    *,
    at: datetime,
    actor: Any = SYSTEM,
    comment: str = "",
) -> list[int]:
    """Take transition ``name`` on every row of ``queryset`` still in one of its sources, in one
    transaction: one UPDATE, one event per row, the rows' history. Rows another transaction
    holds are skipped (they find their state changed, or the next run moves them); a second
    run moves nothing. Bulk transitions have no ``apply`` or ``after_commit``: the caller
    follows up on the ids returned."""
    transition = workflow.get(name)
    if transition.target is None or transition.apply or transition.after_commit:
        raise ValueError(f"{workflow.name}.{name} cannot run in bulk")
    inputs = _inputs(comment, None, at)
    field_name = workflow.state_field
    with transaction.atomic():
        rows = list(
            queryset.select_for_update(skip_locked=True).filter(
                **{f"{field_name}__in": transition.sources}
            )
        )
        for row in rows:
            _check(transition, actor, row, inputs)
        if not rows:
            return []
        ids = [row.pk for row in rows]
        queryset.model._default_manager.filter(pk__in=ids).update(**{field_name: transition.target})
        events = []
        for row in rows:
            events.append(
                workflow._event(
                    row, name, getattr(row, field_name), transition.target, actor, inputs, at
                )
            )
            setattr(row, field_name, transition.target)
        workflow.event_model._default_manager.bulk_create(events, batch_size=1000)
        history = getattr(queryset.model, "history", None)
        if history is not None:
            history.bulk_history_create(
                rows,
                update=True,
                default_user=None if actor is SYSTEM else actor,
                default_change_reason=str(transition.label),
                default_date=at,
            )
    return ids


def _jsonable(data: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in data.items():
        if hasattr(value, "isoformat"):
            value = value.isoformat()
        elif not isinstance(value, (str, int, float, bool, type(None), list, dict)):
            value = str(value)
        out[key] = value
    return out
