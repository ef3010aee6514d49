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
    _key, name, _hex = COLOURS[level]
    return format_html(
        '<span class="badge text-white risk-bg-{}" data-level="{}">{}·{}</span>',
        level,
        level,
        RiskLevel(level).label,
        name,
    )


@register.filter
def risk_key(level: str | None) -> str:
    """The level as a CSS class suffix (anlan.css: risk-bg-major, …; "none" when not graded):
    colours come from the style sheet, never from a style attribute (Content-Security-Policy)."""
    return level if level in COLOURS else "none"


@register.filter
def plain(value) -> str:
    return plain_number(value)
