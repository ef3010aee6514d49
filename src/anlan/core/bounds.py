"""The bounds of what a request may ask for, so that bad input is a validation error and never
a database or calendar overflow (a 500): an id fits every integer column of SQLite and
PostgreSQL; a date stays far from the years 1 and 9999, so a day, a year or a time zone added
or taken away is still a date; a UTC offset is one that PostgreSQL stores (±15:59)."""

from datetime import date, timedelta

MAX_ID = 2**31 - 1
MIN_YEAR, MAX_YEAR = 1900, 2999
MAX_UTC_OFFSET = timedelta(hours=15, minutes=59)


def date_in_bounds(value: date) -> bool:
    return MIN_YEAR <= value.year <= MAX_YEAR
