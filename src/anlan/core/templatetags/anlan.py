from typing import Any

from django import template
from django.forms import BoundField

register = template.Library()

_CLASSES = {"select": "form-select", "checkbox": "form-check-input"}


@register.filter
def with_class(bound_field: BoundField) -> BoundField:
    """Give a bound field's widget Tabler's class (and is-invalid when it has errors)."""
    widget = bound_field.field.widget
    css = _CLASSES.get(getattr(widget, "input_type", ""), "form-control")
    if widget.__class__.__name__ == "Select":
        css = "form-select"
    if bound_field.errors:
        css += " is-invalid"
    widget.attrs["class"] = css
    return bound_field


@register.filter
def event_label(name: str) -> str:
    """The label of a workflow event name (see core.workflow.EVENT_LABELS)."""
    from anlan.core.workflow import EVENT_LABELS

    return str(EVENT_LABELS.get(name, name))


@register.inclusion_tag("includes/change.html")
def change(now: Any, before: Any) -> dict[str, Any]:
    """A figure against the same period last year: "+3 (+20%)", "−2 (−50%)", or "+3 (新增)"
    when last year's was 0 (core.periods.Change)."""
    from anlan.core.periods import Change

    return {"change": Change(float(now or 0), float(before or 0))}


@register.simple_tag
def map_attributes() -> str:
    """The data attributes of a map's element (static/anlan/town-map.js reads them): the tile
    layers configured, if any, and where the outlines of the user's towns come from."""
    from django.conf import settings
    from django.urls import reverse
    from django.utils.html import format_html

    return format_html(
        'data-tiles="{}" data-subdomains="{}" data-attribution="{}" data-boundaries="{}"',
        settings.ANLAN_MAP_TILES,
        settings.ANLAN_MAP_SUBDOMAINS,
        settings.ANLAN_MAP_ATTRIBUTION,
        reverse("api:town_boundaries"),
    )
