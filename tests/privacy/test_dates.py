"""Date shifting keeps the written form and the intervals between dates."""

from __future__ import annotations

from datetime import date

import pytest

from yizhu.privacy.dates import parse_date, shift_date_text

SHIFTS = [
    ("2023年5月1日", 40, "2023年6月10日"),
    ("2023-05-03 08:30", 40, "2023-06-12 08:30"),
    ("2023/5/1", -1, "2023/4/30"),
    ("2023.05.01 08:30:15", 40, "2023.06.10 08:30:15"),
    ("20230501", 40, "20230610"),
    ("二〇二三年五月一日", 40, "二〇二三年六月十日"),
    ("二零一九年十二月", 40, "二零二〇年一月".replace("〇", "零")),
    ("5月1日", 40, "6月10日"),
    ("2019年12月", 40, "2020年1月"),
    ("2024年2月29日", 365, "2025年2月28日"),
    ("2023年05月01日 08:30", 1, "2023年05月02日 08:30"),
    ("08:30", 40, "08:30"),  # a time of day alone is not shifted
    ("not a date", 40, "not a date"),
]


@pytest.mark.parametrize(("text", "days", "expected"), SHIFTS)
def test_shift_keeps_the_form(text: str, days: int, expected: str) -> None:
    assert shift_date_text(text, days) == expected


@pytest.mark.parametrize("days", [-730, -31, 30, 365, 729])
def test_intervals_survive_a_shift(days: int) -> None:
    admitted, discharged = "2023年5月1日", "2023年5月8日"  # 住院 7 天
    a = parse_date(shift_date_text(admitted, days))
    d = parse_date(shift_date_text(discharged, days))
    assert a is not None and d is not None
    assert (d.as_date() - a.as_date()).days == 7  # type: ignore[operator]


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("2023-05-03 08:30", (2023, 5, 3, 8, 30)),
        ("十二月二十五日", (None, 12, 25, None, None)),
        ("8时30分", (None, None, None, 8, 30)),
        ("2023-02-30", None),
        ("25:00", None),
        ("2023年", None),
    ],
)
def test_parse(text: str, parts) -> None:
    p = parse_date(text)
    assert (None if p is None else (p.year, p.month, p.day, p.hour, p.minute)) == parts


def test_month_only_dates_shift_from_mid_month() -> None:
    p = parse_date("2019年12月")
    assert p is not None and p.as_date() == date(2019, 12, 15)
