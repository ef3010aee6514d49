"""Field-level history as people read it: who, when, which fields, old and new values.

Reads django-simple-history rows (every business model has ``history``) in one query,
diffs consecutive versions, and resolves foreign keys and choices to their labels in
one query per related model.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from django.db import models
from django.utils.translation import gettext_lazy as _

KIND_LABELS = {"+": _("created"), "~": _("changed"), "-": _("deleted")}
SKIPPED = {"updated_at", "created_at"}


@dataclass
class Change:
    field: str
    label: str
    old: Any
    new: Any


@dataclass
class Entry:
    when: Any
    who: Any
    kind: str
    reason: str
    changes: list[Change] = field(default_factory=list)

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS.get(self.kind, self.kind))


def _display(
    model_field: models.Field[Any, Any], value: Any, related: dict[str, dict[Any, models.Model]]
) -> Any:
    if value is None or value == "" or value == []:
        return "—"
    # A model may say how to show a value it stores as codes (e.g. a JSON list of choices).
    shown = getattr(model_field.model, "history_display", lambda _name, _value: None)(
        model_field.name, value
    )
    if shown is not None:
        return shown
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    if model_field.choices:
        return dict(model_field.flatchoices).get(value, value)
    if isinstance(model_field, models.BooleanField):
        return _("yes") if value else _("no")
    if isinstance(model_field, models.ForeignKey):
        obj = related.get(model_field.name, {}).get(value)
        return str(obj) if obj is not None else value
    return value


def history_of(obj: models.Model, *, limit: int = 200) -> list[Entry]:
    history = obj.history  # type: ignore[attr-defined]  # django-simple-history ships no types
    records = list(
        history.select_related("history_user").order_by("-history_date", "-pk")[: limit + 1]
    )
    model = type(obj)
    kept = {f.attname for f in history.model._meta.concrete_fields}  # minus excluded_fields
    fields = [
        f
        for f in model._meta.concrete_fields
        if f.name not in SKIPPED and not f.primary_key and f.attname in kept
    ]
    fk_values: dict[str, set[Any]] = {}
    for record in records:
        for f in fields:
            if isinstance(f, models.ForeignKey):
                value = getattr(record, f.attname)
                if value is not None:
                    fk_values.setdefault(f.name, set()).add(value)
    related = {}
    for name, values in fk_values.items():
        related_model = model._meta.get_field(name).related_model
        assert related_model is not None and not isinstance(related_model, str)  # resolved
        related[name] = related_model._base_manager.in_bulk(list(values))
    entries = []
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        entry = Entry(
            when=record.history_date,
            who=record.history_user,
            kind=record.history_type,
            reason=record.history_change_reason or "",
        )
        for f in fields:
            new = getattr(record, f.attname)
            old = getattr(previous, f.attname) if previous is not None else None
            if previous is None and record.history_type == "+":
                if new in (None, "", False):
                    continue
            elif old == new:
                continue
            entry.changes.append(
                Change(
                    field=f.name,
                    label=str(f.verbose_name),
                    old=_display(f, old, related) if previous is not None else "",
                    new=_display(f, new, related),
                )
            )
        entries.append(entry)
    return entries


M = TypeVar("M", bound=models.Model)


def save_with_history(
    obj: M,
    *,
    actor: Any,
    reason: str = "",
    at: datetime | None = None,
    update_fields: list[str] | None = None,
) -> M:
    """Save ``obj`` so that its history row names who did it, why, and when.

    ``at`` dates the history row at the action's own moment (the time a job or an action
    recorded, rather than the moment the row happens to be written). The one way to give
    django-simple-history these: no code outside this function sets its ``_history_*``
    attributes.
    """
    obj._history_user = actor  # type: ignore[attr-defined]
    obj._change_reason = reason or None  # type: ignore[attr-defined]
    if at is not None:
        obj._history_date = at  # type: ignore[attr-defined]
    obj.save(update_fields=update_fields)
    return obj
