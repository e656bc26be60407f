"""Dates and times in every common Chinese and numeric form; numbers that are not dates."""

from __future__ import annotations

import pytest

from tests.privacy.conftest import found

CASES = [
    ("于2023年5月1日入院", [("DATE", "2023年5月1日")]),
    ("2023年05月01日 08:30入院", [("DATE", "2023年05月01日 08:30")]),
    ("2023年5月1日10时30分", [("DATE", "2023年5月1日10时30分")]),
    ("入院时间：2023-05-01 08:30", [("DATE", "2023-05-01 08:30")]),
    ("2023/5/1", [("DATE", "2023/5/1")]),
    ("2023.05.01 08:30:15", [("DATE", "2023.05.01 08:30:15")]),
    ("采样日期：20230501", [("DATE", "20230501")]),
    ("2019年3月起服药", [("DATE", "2019年3月")]),
    ("5月1日复诊", [("DATE", "5月1日")]),
    ("12月25日 14:00", [("DATE", "12月25日 14:00")]),
    ("日期：二〇二三年五月一日", [("DATE", "二〇二三年五月一日")]),
    ("三月五日起病", [("DATE", "三月五日")]),
    ("2024年2月29日", [("DATE", "2024年2月29日")]),
    ("开始时间：12:27  结束时间：14:27", [("TIME", "12:27"), ("TIME", "14:27")]),
    ("8时30分服药", [("TIME", "8时30分")]),
    ("下午3点出现胸闷", [("TIME", "下午3点")]),
    ("凌晨2时许", [("TIME", "凌晨2时许")]),
    ("于10时许", [("TIME", "10时许")]),
]
NEGATIVES = [
    "血压120/80mmHg",
    "咳嗽3个月",
    "体温38.5℃",
    "每日3次",
    "2023年",  # a year alone is not an identifier
    "一月一次",
    "2023-13-45",
    "2月30日",
    "3点钟方向见溃疡",
    "1:1000肾上腺素",
    "2小时后复查",
    "国药准字H20003263",
    "住院7天",
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_dates_found(analyzer, text: str, expected) -> None:
    assert found(analyzer, text, "DATE", "TIME") == expected


@pytest.mark.parametrize("text", NEGATIVES)
def test_not_dates(analyzer, text: str) -> None:
    assert found(analyzer, text, "DATE", "TIME") == []
