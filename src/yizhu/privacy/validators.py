"""Checksum and plausibility checks a recognizer runs on a matched value (presidio's ``validate_result``).

A validator takes the matched text and answers whether it can be what the pattern claims. Data
recognizers name their validator in YAML; an unknown name fails with the list of known ones.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from functools import lru_cache

from yizhu.errors import ConfigError
from yizhu.privacy.dates import parse_date
from yizhu.privacy.numerals import cn_numeral

Validator = Callable[[str], bool]

_NON_ALNUM = re.compile(r"[^0-9Xx]")
_DIGITS = re.compile(r"\D")

# GB 11643-1999 公民身份号码: weights of the 17 body digits and the check character for sum mod 11.
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def _real_date(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def cn_id_check_char(body17: str) -> str:
    """The GB 11643-1999 check character for the first 17 digits of a 身份证号."""
    total = sum(int(c) * w for c, w in zip(body17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def cn_id(value: str) -> bool:
    """18-digit 身份证号 with a valid birth date and check character, or a 15-digit legacy number."""
    v = _NON_ALNUM.sub("", value).upper()
    if len(v) == 18:
        if not v[:17].isdigit():
            return False
        if not _real_date(int(v[6:10]), int(v[10:12]), int(v[12:14])):
            return False
        return cn_id_check_char(v[:17]) == v[17]
    if len(v) == 15 and v.isdigit():
        return _real_date(1900 + int(v[6:8]), int(v[8:10]), int(v[10:12]))
    return False


def luhn(value: str) -> bool:
    """ISO/IEC 7812-1 Luhn check, as used by bank card numbers (银联 included)."""
    digits = _DIGITS.sub("", value)
    if not 12 <= len(digits) <= 19:
        return False
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def luhn_check_digit(body: str) -> str:
    """The digit that makes ``body + digit`` pass the Luhn check."""
    for d in "0123456789":
        if luhn(body + d):
            return d
    raise ValueError("no Luhn digit")  # pragma: no cover - one always exists


_YMD = re.compile(r"([12]\d{3})[ \t\u3000]?[-/.年][ \t\u3000]?(\d{1,2})[ \t\u3000]?[-/.月][ \t\u3000]?(\d{1,2})(?!\d)")


_MD = re.compile(r"(\d{1,2})[ \t\u3000]?月[ \t\u3000]?(\d{1,2})[ \t\u3000]?[日号]")
_HM = re.compile(r"(\d{1,2})[:：][0-5]\d(?:[:：][0-5]\d)?")


@lru_cache(maxsize=8192)
def plausible_date(value: str) -> bool:
    """A date-like match whose month and day exist (2023-02-30 is not a date).

    Cached by value: a note repeats its dates and times (admission date, 08:00 rounds), and the answer
    depends on the value alone."""
    # The common forms are checked without a full parse; times after a date are bounded by the regex.
    m = _YMD.match(value)
    if m is not None:
        y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
        return 1800 <= y <= 2200 and 1 <= mo <= 12 and _real_date(y, mo, d)
    m = _MD.match(value)
    if m is not None:
        mo, d = int(m.group(1)), int(m.group(2))
        return 1 <= mo <= 12 and _real_date(2024, mo, d)
    m = _HM.fullmatch(value)
    if m is not None:
        return int(m.group(1)) <= 24
    return parse_date(value) is not None


def age_over_89(value: str) -> bool:
    """Ages above 89 are identifiers under HIPAA Safe Harbor; younger ages are not."""
    digits = _DIGITS.sub("", value)
    if digits:
        return 89 < int(digits) < 150
    m = re.search(r"[一二三四五六七八九十百]+", value)
    if not m:
        return False
    s = m.group(0)
    n = 100 + (cn_numeral(s[2:]) or 0) if s.startswith("一百") else cn_numeral(s)
    return n is not None and 89 < n < 150


def ipv4(value: str) -> bool:
    """Four octets, each 0–255, no leading zeros beyond one digit."""
    parts = value.split(".")
    if len(parts) != 4:
        return False
    return all(p.isdigit() and not (len(p) > 1 and p[0] == "0") and int(p) <= 255 for p in parts)


VALIDATORS: dict[str, Validator] = {
    "cn_id": cn_id,
    "luhn": luhn,
    "date": plausible_date,
    "age_over_89": age_over_89,
    "ipv4": ipv4,
}


def get_validator(name: str) -> Validator:
    """The validator registered under ``name``; unknown names fail with the known ones."""
    try:
        return VALIDATORS[name]
    except KeyError:
        raise ConfigError(
            f"unknown validator '{name}'; known validators: {', '.join(sorted(VALIDATORS))}"
        ) from None
