"""Who is on duty: the interface other apps (incident reporting) use."""

from __future__ import annotations


def on_duty(organisation, at) -> list:
    """The users on duty (duty officers and leaders on duty) at ``organisation`` at ``at``."""
    return []
