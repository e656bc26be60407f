"""Small Chinese numerals (一…九十九, or digit by digit like 二〇二三), read by the date parser and the
validators alike, so neither has to import the other for it.
"""

from __future__ import annotations

_CN_NUM = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def cn_numeral(s: str) -> int | None:
    """Value of a small Chinese numeral (一…九十九, or digit-by-digit like 二〇二三)."""
    if not s:
        return None
    if "十" in s:
        head, _, tail = s.partition("十")
        tens = _CN_NUM.get(head, -1) if head else 1
        ones = _CN_NUM.get(tail, -1) if tail else 0
        if tens < 0 or ones < 0:
            return None
        return tens * 10 + ones
    total = 0
    for ch in s:
        if ch not in _CN_NUM:
            return None
        total = total * 10 + _CN_NUM[ch]
    return total
