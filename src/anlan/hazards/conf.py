"""The hazard loop's settings (docs/settings.md): reminders, extensions, who closes."""

from anlan.core.conf import Setting, SettingsGroup, as_int, at_least, one_of
from anlan.hazards.rules import CLOSE_LEVELS, LEVEL_RANK, MAJOR_LEVEL


def close_level(lowest: str):
    """Level names are checked at start-up, not when a close is attempted (a typo was a 500)."""
    return one_of(*[level for level in CLOSE_LEVELS if LEVEL_RANK[level] <= LEVEL_RANK[lowest]])


SETTINGS = SettingsGroup(
    "hazards",
    [
        Setting("ANLAN_HAZARD_DUE_SOON_DAYS", 3, as_int),
        Setting("ANLAN_HAZARD_MAX_EXTENSIONS", 2, as_int, at_least(0)),
        Setting("ANLAN_HAZARD_MAX_EXTENSION_DAYS", 60, as_int, at_least(0)),
        Setting("ANLAN_HAZARD_CLOSE_LEVEL_GENERAL", "county", check=close_level("town")),
        # A town never closes a major hazard.
        Setting("ANLAN_HAZARD_CLOSE_LEVEL_MAJOR", "city", check=close_level(MAJOR_LEVEL)),
        # 16号令 art. 16: days the department has to review a treated major hazard on site.
        Setting("ANLAN_HAZARD_MAJOR_REVIEW_DAYS", 10, as_int, at_least(0)),
    ],
)
