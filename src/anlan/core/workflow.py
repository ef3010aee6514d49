"""One workflow engine for every state machine (hazards now; tip-offs, incidents, alarms later).

A workflow is data: a table of :class:`Transition` s (name, from, to, who may, what is
required). :func:`run_transition` is the only code that changes a workflow's state:

1. lock the row (``select_for_update``) and re-read its state;
2. refuse a transition that no longer applies (a double submit, a stale page) with
   :class:`StaleTransition` — "状态已变化，请刷新", never a 500;
3. check the actor with the transition's ``allowed`` predicate (scope was checked by the caller
   fetching the object through ``access_or_404``);
4. check required inputs, run the transition's ``apply`` hook, set the state, save;
5. write one immutable event row (who, when, from, to, comment, data) and register the
   transition's ``on_commit`` side effects.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from anlan.core.history import save_with_history

Predicate = Callable[[Any, Any], bool]  # (actor, obj) -> allowed
Hook = Callable[[Any, Any, dict[str, Any]], None]  # (obj, actor, inputs)


# Labels of event names for timelines: every workflow's transitions, plus events that do not
# change the state (an extension request, a listing) registered by their apps.
EVENT_LABELS: dict[str, Any] = {}


def register_event_labels(labels: dict[str, Any]) -> None:
    EVENT_LABELS.update(labels)


class StaleTransition(Exception):
    """The object is no longer in a state this transition starts from."""

    def __init__(self, message: str | None = None):
        super().__init__(message or _("The status has changed; please refresh the page."))


@dataclass(frozen=True)
class Transition:
    name: str
    sources: tuple[str, ...]
    target: str
    label: str
    allowed: Predicate
    requires: tuple[str, ...] = ()  # keys of `inputs` that must be non-empty
    apply: Hook | None = None  # validate inputs and set fields; raise ValidationError
    after_commit: Hook | None = None  # notifications, deadlines: run once committed
    style: str = "primary"  # button colour in the UI


@dataclass
class Workflow:
    name: str
    transitions: list[Transition]
    event_model: type[models.Model]
    event_fk: str  # the event model's foreign key to the object
    state_field: str = "state"
    by_name: dict[str, Transition] = field(init=False)

    def __post_init__(self) -> None:
        self.by_name = {t.name: t for t in self.transitions}
        register_event_labels({t.name: t.label for t in self.transitions})

    def get(self, name: str) -> Transition:
        try:
            return self.by_name[name]
        except KeyError as exc:
            raise StaleTransition(_("Unknown action.")) from exc

    def available(self, obj: Any, actor: Any) -> list[Transition]:
        """Transitions this actor may take now (for buttons and the API)."""
        state = getattr(obj, self.state_field)
        return [t for t in self.transitions if state in t.sources and t.allowed(actor, obj)]


def _missing(inputs: dict[str, Any], names: Iterable[str]) -> list[str]:
    return [n for n in names if inputs.get(n) in (None, "", [], ())]


def run_transition(
    workflow: Workflow,
    obj: models.Model,
    name: str,
    *,
    actor: Any,
    comment: str = "",
    inputs: dict[str, Any] | None = None,
) -> models.Model:
    """Take transition ``name`` on ``obj``; returns the event row written."""
    transition = workflow.get(name)
    inputs = dict(inputs or {})
    inputs.setdefault("comment", comment)
    model = type(obj)
    with transaction.atomic():
        locked = model._default_manager.select_for_update().get(pk=obj.pk)
        source = getattr(locked, workflow.state_field)
        if source not in transition.sources:
            raise StaleTransition()
        if not transition.allowed(actor, locked):
            raise PermissionDenied(name)
        missing = _missing(inputs, transition.requires)
        if missing:
            raise ValidationError(
                {n: _("This field is required.") for n in missing}, code="required"
            )
        if transition.apply is not None:
            transition.apply(locked, actor, inputs)
        setattr(locked, workflow.state_field, transition.target)
        save_with_history(locked, actor=actor, reason=transition.label)
        event = workflow.event_model._default_manager.create(
            **{workflow.event_fk: locked},
            transition=name,
            from_state=source,
            to_state=transition.target,
            actor=actor,
            comment=inputs.get("comment") or "",
            data=_jsonable(inputs.get("event_data") or {}),
        )
        for attach in inputs.get("attach_to_event", ()):  # uploaded files of this step
            attach(event)
        if transition.after_commit is not None:
            hook = transition.after_commit
            transaction.on_commit(lambda: hook(locked, actor, inputs))
    # Let the caller's instance reflect the new state.
    for f in model._meta.concrete_fields:
        setattr(obj, f.attname, getattr(locked, f.attname))
    return event


def _jsonable(data: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for key, value in data.items():
        if hasattr(value, "isoformat"):
            value = value.isoformat()
        elif not isinstance(value, (str, int, float, bool, type(None), list, dict)):
            value = str(value)
        out[key] = value
    return out
