"""Validators shared by every app: contact phones and coordinates. Pure functions, no
database; the model field validators for coordinates are here too (core.located uses them)."""

import re
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")


def is_valid_phone(phone: str) -> bool:
    """A mainland mobile number (11 digits from 13x-19x) or a landline with area code
    (0xx-xxxxxxxx, optional extension). Service numbers such as 12350 are not contact phones."""
    phone = (phone or "").strip().replace(" ", "")
    return bool(_MOBILE.match(phone) or _LANDLINE.match(phone))


# Mainland China's bounding box (WGS-84 / CGCS2000 degrees): a coarse guard against
# swapped or mistyped coordinates, not a border test.
CHINA_LON = (Decimal("73.4"), Decimal("135.1"))
CHINA_LAT = (Decimal("3.8"), Decimal("53.6"))


def is_in_china(longitude: Decimal, latitude: Decimal) -> bool:
    return CHINA_LON[0] <= longitude <= CHINA_LON[1] and CHINA_LAT[0] <= latitude <= CHINA_LAT[1]


# Degrees on the globe: what a coordinate column may hold at all (the forms also ask for a
# point in China, is_in_china).
LONGITUDE_VALIDATORS = [MinValueValidator(-180), MaxValueValidator(180)]
LATITUDE_VALIDATORS = [MinValueValidator(-90), MaxValueValidator(90)]
