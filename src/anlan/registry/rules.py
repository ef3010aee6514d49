"""Registry rules: pure functions, no database.

Sources are cited per function; tests in tests/registry/test_rules.py hold a table per rule.
"""

import re

# GB 32100-2015 §4 and Annex: the 31 characters of the unified social credit code
# (no I, O, S, V, Z), each valued by its position.
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_VALUE = {ch: i for i, ch in enumerate(USCC_ALPHABET)}
# Weights w_i = 3^(i-1) mod 31 for the first 17 characters (GB 32100-2015, 5.2).
USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))


def uscc_check_char(body: str) -> str:
    """The check character for the first 17 characters of a credit code.

    GB 32100-2015 5.2: C18 = 31 - (Σ value(Ci) × Wi mod 31); a result of 31 is written 0.
    Raises ValueError for a body that is not 17 valid characters.
    """
    if len(body) != 17 or any(ch not in _USCC_VALUE for ch in body):
        raise ValueError(f"not a 17-character credit code body: {body!r}")
    total = sum(_USCC_VALUE[ch] * w for ch, w in zip(body, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def is_valid_uscc(code: str) -> bool:
    """Whether ``code`` is a well-formed unified social credit code with a correct check
    character (GB 32100-2015). Upper case only, as printed on business licences; callers
    that accept user input normalise with :func:`normalise_uscc` first."""
    if not isinstance(code, str) or len(code) != 18:
        return False
    if any(ch not in _USCC_VALUE for ch in code):
        return False
    # Registration authority (1st) and organisation type (2nd) are never 0 in issued codes,
    # and the 3rd-8th characters are the six-digit administrative division code.
    if not code[2:8].isdigit():
        return False
    return uscc_check_char(code[:17]) == code[17]


def normalise_uscc(raw: str) -> str:
    """Strip spaces and upper-case, the way officials type codes off a licence."""
    return re.sub(r"\s+", "", raw or "").upper()
