"""Incident reporting settings (DOMAIN.md §1, 条例 arts. 9-13; docs/settings.md): the unit
reports within an hour, each government level within two hours; casualty changes are
supplemented within 30 days (7 for road traffic and fire); the missing are graded with the dead.
The limits per (grade, hop, phone or written) are JSON overriding the 493号令 table built from
the first two; the kinds graded by 493号令 art. 3 (生产安全事故), and for the other kinds how far
up and how fast (JSON per kind)."""

from django.core.exceptions import ImproperlyConfigured

from anlan.core.conf import Setting, SettingsGroup, as_bool, as_int


def check_tables(settings) -> None:
    """The limits table and the kinds' rules are read at start-up, so a typo in a grade, a hop
    or a kind stops the start with its name instead of failing a report later."""
    from anlan.incidents.models import kind_rules, limit_table

    for name, read in (
        ("ANLAN_INCIDENT_REPORT_LIMITS", limit_table),
        ("ANLAN_INCIDENT_ACCIDENT_KINDS or ANLAN_INCIDENT_OTHER_KINDS", kind_rules),
    ):
        try:
            read()
        except ValueError as exc:
            raise ImproperlyConfigured(f"{name}: {exc}") from exc


SETTINGS = SettingsGroup(
    "incidents",
    [
        Setting("ANLAN_INCIDENT_UNIT_MINUTES", 60, as_int),
        Setting("ANLAN_INCIDENT_LEVEL_MINUTES", 120, as_int),
        Setting("ANLAN_INCIDENT_DUE_SOON_MINUTES", 15, as_int),
        Setting("ANLAN_INCIDENT_SUPPLEMENT_DAYS", 30, as_int),
        Setting("ANLAN_INCIDENT_SUPPLEMENT_DAYS_ROAD_FIRE", 7, as_int),
        Setting("ANLAN_INCIDENT_MISSING_AS_DEATHS", True, as_bool),
        Setting("ANLAN_INCIDENT_REPORT_LIMITS", ""),
        Setting(
            "ANLAN_INCIDENT_ACCIDENT_KINDS", "production,fire,road_traffic", blank_is_default=False
        ),
        Setting("ANLAN_INCIDENT_OTHER_KINDS", ""),
    ],
    check=check_tables,
)
