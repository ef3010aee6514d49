"""What the forms of every app share: text limits read from the models, and fields the server
fills in for a user instead of asking them.

One rule for the pages and the API: a field that does not apply to the user's role (an
enterprise's own enterprise, region and supervision category; the source of its own report)
is not shown; the server sets it. Through the API the field may be left out, or sent with the
value the server sets; another value is refused with 422 naming the field
(``anlan.api.base.refuse_locked_fields``), never silently replaced.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models


def max_length_of(model: type[models.Model], name: str) -> int:
    """The model field's ``max_length``: the one place a text limit is written (forms that are
    not model forms and the API schemas read it from here)."""
    limit = model._meta.get_field(name).max_length  # type: ignore[union-attr]
    if not limit:
        raise LookupError(f"{model.__name__}.{name} has no max_length")
    return int(limit)


def text_field(
    model: type[models.Model], name: str, *, rows: int | None = None, **kwargs: Any
) -> forms.CharField:
    """A form text field (a textarea when ``rows`` is given) limited as the model field is."""
    if rows is not None:
        kwargs["widget"] = forms.Textarea(attrs={"rows": rows})
    return forms.CharField(max_length=max_length_of(model, name), **kwargs)


class PresetFieldsMixin:
    """A model form whose fields may be filled in by the server for some users.

    ``preset(enterprise=…, source=…)`` takes the fields out of the form (the page does not show
    them) and sets them on the instance; :attr:`preset_values` keeps what was set, so the API
    can refuse another value sent for one of them."""

    fields: dict[str, forms.Field]
    instance: models.Model

    @property
    def preset_values(self) -> dict[str, Any]:
        return getattr(self, "_preset_values", {})

    def preset(self, **values: Any) -> None:
        self._preset_values = {**self.preset_values, **values}
        for name, value in values.items():
            self.fields.pop(name, None)
            setattr(self.instance, name, value)

    def value_of(self, name: str, cleaned: dict[str, Any]) -> Any:
        """A field's value, whether the user gave it or the server set it."""
        if name in self.preset_values:
            return self.preset_values[name]
        return cleaned.get(name)


def same_value(preset: Any, sent: Any) -> bool:
    """Whether a value sent through the API is the one the server sets (a record by its key)."""
    if isinstance(preset, models.Model):
        preset = preset.pk
    if preset is None:
        return sent in (None, "")
    return str(preset) == str(sent)
