"""Duty settings (应急值守, docs/settings.md): the default shift pattern (24-hour duty from
08:30), how early a check-in opens before a shift and the grace after its start before a
missing check-in is flagged and notified."""

import re

from anlan.core.conf import Setting, SettingsGroup, as_int, one_of


def clock_time(value: str) -> str | None:
    return None if re.fullmatch(r"([01]?\d|2[0-3]):[0-5]\d", value) else "must be HH:MM"


SETTINGS = SettingsGroup(
    "duty",
    [
        Setting("ANLAN_DUTY_SHIFT_START", "08:30", check=clock_time, blank_is_default=False),
        # Shifts tile the day: their length divides 24.
        Setting("ANLAN_DUTY_SHIFT_HOURS", 24, as_int, one_of(24, 12, 8, 6, 4, 3, 2, 1)),
        Setting("ANLAN_DUTY_CHECKIN_EARLY_MINUTES", 30, as_int),
        Setting("ANLAN_DUTY_CHECKIN_GRACE_MINUTES", 15, as_int),
    ],
)
