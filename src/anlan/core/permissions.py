"""Role -> allowed actions. The table lives in ``accounts.roles``; this is the one check.

Visibility is scoping's job (404 when out of scope); this answers "may this visible
user take this action" (403 when not).
"""

from typing import Any

from django.core.exceptions import PermissionDenied


def can(user: Any, action: str) -> bool:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return action in user.allowed_actions()


def require(user: Any, action: str) -> None:
    if not can(user, action):
        raise PermissionDenied(action)
