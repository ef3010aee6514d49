import pytest

from anlan.registry.rules import (
    is_valid_uscc,
    normalise_uscc,
    uscc_check_char,
)


@pytest.mark.parametrize(
    ("code", "valid"),
    [
        ("91350100M000100Y43", True),  # the example in GB 32100-2015
        ("91350100M000100Y44", False),  # wrong check character
        ("91350100M000100Y4", False),  # 17 characters
        ("91350100M000100Y433", False),  # 19 characters
        ("91350100m000100y43", False),  # lower case is not normalised here
        ("91350100I000100Y43", False),  # I is not in the alphabet
        ("91350100O000100Y43", False),  # O is not in the alphabet
        ("9135010SM000100Y43", False),  # S in the region code
        ("91350100M000100Y4Z", False),  # Z is never a check character
        ("", False),
        ("913501ABM000100Y4X", False),  # the division code must be digits
        ("91110000600037341L", True),  # a second well-formed code
        ("91990102000000001A", True),  # check character computed by hand
        ("91990102000000001B", False),
    ],
)
def test_is_valid_uscc(code, valid):
    assert is_valid_uscc(code) is valid


@pytest.mark.parametrize(
    ("body", "check"),
    [
        ("91350100M000100Y4", "3"),
        ("91110000600037341", "L"),
        # A body whose weighted sum is a multiple of 31: 31 - 0 = 31 is written 0.
        ("00000000000000000", "0"),
    ],
)
def test_uscc_check_char(body, check):
    assert uscc_check_char(body) == check


@pytest.mark.parametrize("body", ["9135010", "91350100M000100YI", "91350100M000100Y43"])
def test_uscc_check_char_rejects_bad_bodies(body):
    with pytest.raises(ValueError):
        uscc_check_char(body)


def test_normalise_uscc():
    assert normalise_uscc(" 91350100m000100y43 ") == "91350100M000100Y43"
    assert normalise_uscc("9135 0100 M000 100Y 43") == "91350100M000100Y43"
