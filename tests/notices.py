"""Helpers for tests of notifications: run the one deadline scan, read rendered titles."""

from anlan.core.jobs import run
from anlan.core.models import Notification


def scan(*kinds: str, now=None) -> dict[str, int]:
    """Run core.scan_deadlines once; the counts of the given kinds' stages, merged."""
    result = run("core.scan_deadlines", now=now)
    merged: dict[str, int] = {}
    for kind in kinds:
        merged.update(result[kind])
    return merged


def scan_hazards(now=None) -> dict[str, int]:
    return scan("hazard.deadline", "hazard.review", now=now)


def scan_incidents(now=None) -> dict[str, int]:
    return scan("incident.report", "incident.written", "incident.concealment", now=now)


def titles(user=None, **filters) -> list[str]:
    """The titles of the notifications (a user's, or matching ``filters``), as rendered."""
    if user is not None:
        filters["recipient"] = user
    return [n.title for n in Notification.objects.filter(**filters)]
