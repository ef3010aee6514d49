"""Login security settings (docs/settings.md, docs/deploy.md "Locked accounts"): django-axes
counts failed password logins (web form, admin, API token) per username and per source
address; at ANLAN_LOGIN_FAILURE_LIMIT failures that username or address is locked for
ANLAN_LOGIN_COOLOFF_MINUTES (0: until an administrator unlocks it). From
ANLAN_LOGIN_SLOWDOWN_AFTER failures (0: never) a further attempt must wait
ANLAN_LOGIN_SLOWDOWN_SECONDS after the last failure, doubled for each failure beyond (5, 10,
20 s...); sooner, it is refused unchecked and not counted (accounts/security.py). Behind a
reverse proxy the source address is read from ANLAN_CLIENT_IP_HEADER, only when it is set.
settings.py hands these to django-axes (AXES_*)."""

import re

from anlan.core.conf import Setting, SettingsGroup, as_bool, as_int, at_least

LOCK_BY = {"username", "ip_address"}


def as_names(name: str, raw: str) -> list[str]:
    return [item.strip() for item in raw.split(",") if item.strip()]


def lock_by(value: list[str]) -> str | None:
    if not value or set(value) - LOCK_BY:
        return "must list username and/or ip_address"
    return None


def between(low: int, high: int):
    def check(value: int) -> str | None:
        return None if low <= value <= high else f"must be between {low} and {high}"

    return check


def header_name(value: str) -> str | None:
    if value and not re.fullmatch(r"[A-Za-z0-9-]+", value):
        return "must be a header name such as X-Real-IP"
    return None


SETTINGS = SettingsGroup(
    "accounts",
    [
        Setting("ANLAN_LOGIN_LOCKOUT", True, as_bool),
        Setting("ANLAN_LOGIN_FAILURE_LIMIT", 5, as_int, at_least(1)),
        Setting("ANLAN_LOGIN_COOLOFF_MINUTES", 30, as_int, at_least(0)),
        Setting("ANLAN_LOGIN_LOCK_BY", ["username", "ip_address"], as_names, lock_by),
        Setting("ANLAN_LOGIN_SLOWDOWN_AFTER", 3, as_int, at_least(0)),
        Setting("ANLAN_LOGIN_SLOWDOWN_SECONDS", 5, as_int, between(1, 3600)),
        # e.g. X-Real-IP or X-Forwarded-For, as set by the proxy in front; empty: the peer address.
        Setting("ANLAN_CLIENT_IP_HEADER", "", check=header_name),
    ],
)
