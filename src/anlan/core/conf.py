"""Per-app settings groups: each app declares its settings in ``<app>/conf.py``, once.

A setting has a name (the environment variable and the Django setting are the same name), a
default, a reader that turns the variable's text into a value, and a check. ``settings.py``
reads every group (``group.read()``: a value that is not of its type stops there, naming the
variable); ``CoreConfig.ready()`` then checks every group once at start-up (``check_all()``),
with the app registry ready, so a check may use the app's rules and models. Any problem is an
``ImproperlyConfigured`` naming the variable, and ``django.setup()`` (every command, the WSGI
server, a worker) stops with it. docs/settings.md lists every setting (a test checks it).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured

Reader = Callable[[str, str], Any]  # (name, text) -> value


def as_text(name: str, raw: str) -> str:
    return raw.strip()


def as_int(name: str, raw: str) -> int:
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from exc


def as_bool(name: str, raw: str) -> bool:
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {raw!r}")


@dataclass(frozen=True)
class Setting:
    """One setting. ``check(value)`` returns what is wrong with a value (None: nothing);
    ``default`` is the value when the variable is unset."""

    name: str
    default: Any
    read: Reader = as_text
    check: Callable[[Any], str | None] | None = None
    # An empty variable means the default, as an unset one does; False where empty text is a
    # value of its own (and then checked).
    blank_is_default: bool = True

    def from_environment(self) -> Any:
        raw = os.environ.get(self.name)
        if raw is None or (self.blank_is_default and not raw.strip()):
            return self.default
        return self.read(self.name, raw)


class SettingsGroup:
    """An app's settings: read into settings.py, checked at start-up."""

    def __init__(
        self, app: str, settings: list[Setting], check: Callable[[Any], None] | None = None
    ):
        self.app = app
        self.settings = settings
        # Checks that span several settings or need the app's models: raise
        # ImproperlyConfigured themselves; they get django.conf.settings.
        self.group_check = check
        GROUPS[app] = self

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.settings]

    def read(self) -> dict[str, Any]:
        """The group's values from the environment (for settings.py's namespace)."""
        return {s.name: s.from_environment() for s in self.settings}

    def check(self) -> None:
        """Check the values Django holds (so a test's override is checked too)."""
        from django.conf import settings

        for setting in self.settings:
            value = getattr(settings, setting.name)
            problem = setting.check(value) if setting.check else None
            if problem:
                raise ImproperlyConfigured(f"{setting.name} {problem}, got {value!r}")
        if self.group_check is not None:
            self.group_check(settings)


GROUPS: dict[str, SettingsGroup] = {}


def check_all() -> None:
    """Every group, once, at start-up (CoreConfig.ready)."""
    for group in GROUPS.values():
        group.check()


def at_least(minimum: int) -> Callable[[int], str | None]:
    def check(value: int) -> str | None:
        return None if value >= minimum else f"must be {minimum} or more"

    return check


def one_of(*allowed: Any) -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        return None if value in allowed else f"must be one of {', '.join(map(str, allowed))}"

    return check
