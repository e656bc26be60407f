"""Parse the date and time forms Chinese notes use, and shift them by whole days keeping their format.

Shifting every date of a patient by the same secret offset hides the real dates while keeping the
intervals a clinician reasons with (住院 7 天 stays 7 days). A shifted date is written back in the
form it came in: ``2023年5月1日`` stays ``YYYY年M月D日``, ``2023-05-01 08:30`` keeps its zero padding,
``二〇二三年五月一日`` stays in Chinese numerals. Times of day are not shifted.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from functools import lru_cache
from typing import NamedTuple

from yizhu.privacy.numerals import cn_numeral

# A number and the first non-space character after it (its unit, or a separator).
_TOKEN = re.compile(r"(\d+|[〇零一二三四五六七八九十]+)[ \t\u3000]*(\S?)")
_MARKERS = {"年": "y", "月": "m", "日": "d", "号": "d", "时": "H", "点": "H", "分": "M", "秒": "S"}
#: Year used for month–day dates that carry no year: a leap year, so 2月29日 stays valid.
REFERENCE_YEAR = 2024
_CN_DIGITS = "〇一二三四五六七八九"


class _Token(NamedTuple):
    start: int
    end: int
    value: int
    role: str
    chinese: bool
    width: int
    zero: str  # the character the original used for zero in Chinese years (〇 or 零)
    zero_padded: bool = False


class ParsedDate(NamedTuple):
    """A date/time expression with the position and role of each number in it."""

    text: str
    year: int | None
    month: int | None
    day: int | None
    hour: int | None
    minute: int | None
    tokens: tuple[_Token, ...]

    @property
    def has_date(self) -> bool:
        """True when there is a calendar part (month at least), i.e. something to shift."""
        return self.month is not None

    def as_date(self) -> date | None:
        """The calendar date, with day 15 for month-only and the reference year for month–day forms."""
        if self.month is None:
            return None
        return date(self.year or REFERENCE_YEAR, self.month, self.day or 15)


_NEXT_ROLE = {"y": "m", "m": "d", "d": "H", "H": "M", "M": "S"}


@lru_cache(maxsize=8192)
def parse_date(text: str) -> ParsedDate | None:
    """Parse a matched date/time expression; None when it is not a real date or time."""
    values: dict[str, int] = {}
    tokens: list[_Token] = []
    prev: str | None = None
    for m in _TOKEN.finditer(text):
        s, marker = m.group(1), m.group(2)
        start = m.start(1)
        chinese = not s.isdigit()
        role = _MARKERS.get(marker)
        if role is None:
            if prev is None and len(s) == 8 and not chinese:
                y, mo, d = int(s[:4]), int(s[4:6]), int(s[6:8])
                values.update(y=y, m=mo, d=d)
                tokens += [
                    _Token(start, start + 4, y, "y", False, 4, "", True),
                    _Token(start + 4, start + 6, mo, "m", False, 2, "", True),
                    _Token(start + 6, start + 8, d, "d", False, 2, "", True),
                ]
                prev = "d"
                continue
            if prev is None:
                role = "y" if len(s) == 4 else ("H" if marker in (":", "：") else None)
                if role is None and marker in ("/", "-", ".") and len(s) <= 2 and not chinese:
                    role = "m"  # a month–day date without a year: 11/10, 11-16
            else:
                role = _NEXT_ROLE.get(prev)
            if role is None:
                return None
        if role in values or len(tokens) > 6:
            return None
        value = cn_numeral(s) if chinese else int(s)
        if value is None:
            return None
        values[role] = value
        zero = "零" if "零" in s else "〇"
        tokens.append(_Token(start, m.end(1), value, role, chinese, len(s), zero, s[0] == "0" and len(s) > 1))
        prev = role
    if not _plausible(values):
        return None
    return ParsedDate(
        text, values.get("y"), values.get("m"), values.get("d"), values.get("H"), values.get("M"), tuple(tokens)
    )


def _plausible(v: dict[str, int]) -> bool:
    y, mo, d, hh = v.get("y"), v.get("m"), v.get("d"), v.get("H")
    if mo is None:
        # a time of day alone is fine; a year or day without a month is not a date
        return hh is not None and y is None and d is None and _time_ok(v)
    if not 1 <= mo <= 12 or (y is not None and not 1800 <= y <= 2200):
        return False
    if d is not None and not 1 <= d <= calendar.monthrange(y or REFERENCE_YEAR, mo)[1]:
        return False
    return _time_ok(v)


def _time_ok(v: dict[str, int]) -> bool:
    return 0 <= v.get("H", 0) <= 24 and 0 <= v.get("M", 0) <= 59 and 0 <= v.get("S", 0) <= 59


def _cn_small(n: int) -> str:
    if n <= 10:
        return "十" if n == 10 else _CN_DIGITS[n]
    if n < 20:
        return "十" + _CN_DIGITS[n - 10]
    tens, ones = divmod(n, 10)
    return _CN_DIGITS[tens] + "十" + (_CN_DIGITS[ones] if ones else "")


def _render(tok: _Token, value: int, numeric: bool = False) -> str:
    if tok.chinese:
        if tok.role == "y":
            return "".join(_CN_DIGITS[int(c)] for c in f"{value:04d}").replace("〇", tok.zero)
        return _cn_small(value)
    if tok.width >= 2 and tok.role != "y" and (tok.zero_padded or numeric):
        return f"{value:0{tok.width}d}"
    return str(value)


def shift_parsed(parsed: ParsedDate, days: int) -> str:
    """The expression with its calendar part moved by ``days``, written in the same form."""
    base = parsed.as_date()
    if base is None or days == 0:
        return parsed.text
    new = base + timedelta(days=days)
    new_values = {"y": new.year, "m": new.month, "d": new.day}
    # numeric forms (2026-11-28, 11/10) keep two-digit month and day groups two digits wide
    numeric = not any(c in parsed.text for c in "年月日号")
    out: list[str] = []
    pos = 0
    for tok in parsed.tokens:
        out.append(parsed.text[pos:tok.start])
        if tok.role in new_values:
            out.append(_render(tok, new_values[tok.role], numeric))
        else:
            out.append(parsed.text[tok.start:tok.end])
        pos = tok.end
    out.append(parsed.text[pos:])
    return "".join(out)


def shift_date_text(text: str, days: int) -> str:
    """Shift a date expression by ``days``; text that is not a date comes back unchanged."""
    parsed = parse_date(text)
    if parsed is None:
        return text
    return shift_parsed(parsed, days)
