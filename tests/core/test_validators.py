"""Contact phones and coordinates (core.validators), shared by every app's forms."""

from decimal import Decimal

import pytest

from anlan.core.validators import is_in_china, is_valid_phone


@pytest.mark.parametrize(
    ("phone", "valid"),
    [
        ("13800138000", True),
        ("19912345678", True),
        ("12345678901", False),  # 12x is no mobile prefix
        ("1380013800", False),  # 10 digits
        ("0571-88888888", True),
        ("057188888888", True),
        ("010-1234567", True),
        ("0571-88888888-123", True),
        ("12350", False),  # a service number
        ("", False),
        ("138 0013 8000", True),
    ],
)
def test_is_valid_phone(phone, valid):
    assert is_valid_phone(phone) is valid


@pytest.mark.parametrize(
    ("lon", "lat", "inside"),
    [
        ("117.5", "29.6", True),
        ("29.6", "117.5", False),  # swapped
        ("73.4", "3.8", True),  # corner, inclusive
        ("-117.5", "29.6", False),
        ("135.2", "40", False),
    ],
)
def test_is_in_china(lon, lat, inside):
    assert is_in_china(Decimal(lon), Decimal(lat)) is inside
