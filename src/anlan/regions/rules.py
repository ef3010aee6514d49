"""Administrative division codes (GB/T 2260 + national statistical division codes).

Province 2 digits, city 4, county 6, town 9, village or community 12 (DOMAIN.md §8).
Grids (网格) extend their village's code by 3 digits: 15 in all *(project convention)*.
A region's subtree is every code that starts with its code.
"""

from enum import StrEnum


class Level(StrEnum):
    PROVINCE = "province"
    CITY = "city"
    COUNTY = "county"
    TOWN = "town"
    VILLAGE = "village"
    GRID = "grid"


CODE_LENGTHS: dict[Level, int] = {
    Level.PROVINCE: 2,
    Level.CITY: 4,
    Level.COUNTY: 6,
    Level.TOWN: 9,
    Level.VILLAGE: 12,
    Level.GRID: 15,
}
LEVEL_BY_LENGTH: dict[int, Level] = {length: level for level, length in CODE_LENGTHS.items()}
ORDER: list[Level] = list(CODE_LENGTHS)


def level_of(code: str) -> Level | None:
    """The level a code's length implies, or None when it is no division code."""
    if not code.isascii() or not code.isdigit():
        return None
    return LEVEL_BY_LENGTH.get(len(code))


def parent_code(code: str) -> str | None:
    """The code of the enclosing division, or None for a province."""
    level = level_of(code)
    if level is None or level is Level.PROVINCE:
        return None
    return code[: CODE_LENGTHS[ORDER[ORDER.index(level) - 1]]]
