"""Risk grading settings (docs/settings.md): band tables as "lower:level,..." (highest first),
the hours shifts and twice-daily checks start at, and how many missed checks in a row alert the
town. A table or an hour list that does not read stops the start, rather than failing a later
request."""

import math

from django.core.exceptions import ImproperlyConfigured

from anlan.core.conf import Setting, SettingsGroup, as_int

RISK_LEVEL_KEYS = ("major", "larger", "general", "low")  # anlan.risks.rules.RiskLevel, worst first


def as_bands(name: str, raw: str) -> tuple[tuple[float, str], ...]:
    bands = []
    for part in raw.split(","):
        lower, colon, level = (p.strip() for p in part.partition(":"))
        if not colon or not lower or not level:
            raise ImproperlyConfigured(f"{name}: {part.strip()!r} is not lower:level")
        try:
            bound = float(lower)
        except ValueError:
            bound = math.nan
        if not math.isfinite(bound):
            raise ImproperlyConfigured(f"{name}: the bound {lower!r} is not a number")
        if level not in RISK_LEVEL_KEYS:
            raise ImproperlyConfigured(
                f"{name}: unknown level {level!r} (use {', '.join(RISK_LEVEL_KEYS)})"
            )
        bands.append((bound, level))
    for (upper, high), (lower, low) in zip(bands, bands[1:], strict=False):
        if not (upper > lower and RISK_LEVEL_KEYS.index(high) < RISK_LEVEL_KEYS.index(low)):
            raise ImproperlyConfigured(
                f"{name}: bands must go from the highest bound and worst level down "
                f"({upper:g}:{high} is not above {lower:g}:{low})"
            )
    return tuple(bands)


def as_hours(count: int | None = None):
    """Hours of the day (0-23), distinct; ``count`` of them when given."""

    def read(name: str, raw: str) -> tuple[int, ...]:
        hours = []
        for item in (item.strip() for item in raw.split(",") if item.strip()):
            if not item.isdigit() or int(item) > 23:
                raise ImproperlyConfigured(f"{name}: {item!r} is not an hour from 0 to 23")
            hours.append(int(item))
        if len(set(hours)) != len(hours):
            raise ImproperlyConfigured(f"{name}: an hour is given twice")
        if count is not None and len(hours) != count:
            raise ImproperlyConfigured(f"{name}: give exactly {count} hours, got {len(hours)}")
        return tuple(hours)

    return read


SETTINGS = SettingsGroup(
    "risks",
    [
        # None: the defaults of anlan.risks.rules (DOMAIN.md §3).
        Setting("ANLAN_RISK_LEC_BANDS", None, as_bands),
        Setting("ANLAN_RISK_LS_BANDS", None, as_bands),
        Setting("ANLAN_RISK_SHIFT_STARTS", (8, 16, 0), as_hours()),
        Setting("ANLAN_RISK_TWICE_DAILY_STARTS", (0, 12), as_hours(count=2)),
        Setting("ANLAN_RISK_MISSED_ALERT", 3, as_int),
    ],
)
