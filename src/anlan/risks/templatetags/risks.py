from django import template
from django.utils.html import format_html

from anlan.risks.rules import COLOURS, RiskLevel
from anlan.risks.rules import plain as plain_number

register = template.Library()


@register.filter
def risk_badge(level: str | None):
    """A coloured badge of a risk level (红橙黄蓝); "not graded" when empty."""
    if not level or level not in COLOURS:
        return format_html('<span class="badge bg-secondary-lt">{}</span>', "未评级")
    _key, name, hex_colour = COLOURS[level]
    return format_html(
        '<span class="badge text-white" style="background:{}" data-level="{}">{}·{}</span>',
        hex_colour,
        level,
        RiskLevel(level).label,
        name,
    )


@register.filter
def risk_hex(level: str | None) -> str:
    return COLOURS[level][2] if level in COLOURS else "#9aa0ac"


@register.filter
def plain(value) -> str:
    return plain_number(value)
