"""Parse the date and time forms Chinese notes use, and shift them by whole days keeping their format.

Shifting every date of a patient by the same secret offset hides the real dates while keeping the
intervals a clinician reasons with (住院 7 天 stays 7 days). A shifted date is written back in the
form it came in: ``2023年5月1日`` stays ``YYYY年M月D日``, ``2023-05-01 08:30`` keeps its zero padding,
``二〇二三年五月一日`` stays in Chinese numerals. Times of day are not shifted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from yizhu.privacy.validators import cn_numeral

_TOKEN = re.compile(r"\d+|[〇零一二三四五六七八九十]+")
_MARKERS = {"年": "y", "月": "m", "日": "d", "号": "d", "时": "H", "点": "H", "分": "M", "秒": "S"}
#: Year used for month–day dates that carry no year: a leap year, so 2月29日 stays valid.
REFERENCE_YEAR = 2024
_CN_DIGITS = "〇一二三四五六七八九"


@dataclass(frozen=True, slots=True)
class _Token:
    start: int
    end: int
    value: int
    role: str
    chinese: bool
    width: int
    zero: str  # the character the original used for zero in Chinese years (〇 or 零)


@dataclass(frozen=True, slots=True)
class ParsedDate:
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


def _roles(text: str) -> list[tuple[re.Match[str], str]] | None:
    toks = list(_TOKEN.finditer(text))
    out: list[tuple[re.Match[str], str]] = []
    prev: str | None = None
    for i, t in enumerate(toks):
        rest = text[t.end():].lstrip()
        marker = rest[:1]
        role = _MARKERS.get(marker)
        if role is None:
            s = t.group(0)
            if prev is None and len(s) == 8 and s.isdigit():
                out.extend([(t, "ymd8")])
                prev = "d"
                continue
            if prev is None:
                role = "y" if len(s) == 4 else ("H" if marker in ":：" else None)
            elif prev == "y":
                role = "m"
            elif prev == "m":
                role = "d"
            elif prev == "d":
                role = "H"
            elif prev == "H":
                role = "M"
            elif prev == "M":
                role = "S"
            if role is None:
                return None
        # "半" / "整" after 点 or a trailing lone number are fine; duplicated roles are not dates
        if any(r == role for _, r in out):
            return None
        out.append((t, role))
        prev = role
        if i > 6:
            return None
    return out


def parse_date(text: str) -> ParsedDate | None:
    """Parse a matched date/time expression; None when it is not a real date or time."""
    roles = _roles(text)
    if not roles:
        return None
    values: dict[str, int] = {}
    tokens: list[_Token] = []
    for m, role in roles:
        s = m.group(0)
        chinese = not s.isdigit()
        if role == "ymd8":
            y, mo, d = int(s[:4]), int(s[4:6]), int(s[6:8])
            values.update(y=y, m=mo, d=d)
            base = m.start()
            tokens += [
                _Token(base, base + 4, y, "y", False, 4, ""),
                _Token(base + 4, base + 6, mo, "m", False, 2, ""),
                _Token(base + 6, base + 8, d, "d", False, 2, ""),
            ]
            continue
        value = cn_numeral(s) if chinese else int(s)
        if value is None:
            return None
        values[role] = value
        zero = "零" if "零" in s else "〇"
        tokens.append(_Token(m.start(), m.end(), value, role, chinese, len(s), zero))
    y, mo, d = values.get("y"), values.get("m"), values.get("d")
    hh, mm = values.get("H"), values.get("M")
    if y is not None and not 1800 <= y <= 2200:
        return None
    if mo is not None and not 1 <= mo <= 12:
        return None
    if d is not None:
        if mo is None:
            return None
        try:
            date(y or REFERENCE_YEAR, mo, d)
        except ValueError:
            return None
    if (y is not None or d is not None) and mo is None:
        return None
    if hh is not None and not 0 <= hh <= 24:
        return None
    if mm is not None and not 0 <= mm <= 59:
        return None
    if values.get("S") is not None and not 0 <= values["S"] <= 59:
        return None
    if mo is None and hh is None:
        return None
    return ParsedDate(text, y, mo, d, hh, mm, tuple(tokens))


def _cn_small(n: int) -> str:
    if n <= 10:
        return "十" if n == 10 else _CN_DIGITS[n]
    if n < 20:
        return "十" + _CN_DIGITS[n - 10]
    tens, ones = divmod(n, 10)
    return _CN_DIGITS[tens] + "十" + (_CN_DIGITS[ones] if ones else "")


def _render(tok: _Token, value: int) -> str:
    if tok.chinese:
        if tok.role == "y":
            return "".join(_CN_DIGITS[int(c)] for c in f"{value:04d}").replace("〇", tok.zero)
        return _cn_small(value)
    if tok.width >= 2 and tok.role != "y":
        return f"{value:0{tok.width}d}"
    return str(value)


def shift_parsed(parsed: ParsedDate, days: int) -> str:
    """The expression with its calendar part moved by ``days``, written in the same form."""
    base = parsed.as_date()
    if base is None or days == 0:
        return parsed.text
    new = base + timedelta(days=days)
    new_values = {"y": new.year, "m": new.month, "d": new.day}
    out: list[str] = []
    pos = 0
    for tok in parsed.tokens:
        out.append(parsed.text[pos:tok.start])
        if tok.role in new_values:
            out.append(_render(tok, new_values[tok.role]))
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
