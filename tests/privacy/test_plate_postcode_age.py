"""Licence plates, postcodes and ages over 89."""

from __future__ import annotations

import pytest

from tests.privacy.conftest import found

CASES = [
    ("驾驶车牌号为京A12345的小汽车", [("PLATE", "京A12345")]),
    ("渝H-74068", [("PLATE", "渝H-74068")]),
    ("新能源车粤BD12345", [("PLATE", "粤BD12345")]),
    ("邮编：100730", [("POSTCODE", "100730")]),
    ("年龄：93岁", [("AGE", "93岁")]),
    ("患者，男，102周岁。", [("AGE", "102周岁")]),
    ("年龄：95", [("AGE", "95")]),
    ("九十三岁老人", [("AGE", "九十三岁")]),
]
NEGATIVES = [
    "新ICU病房",
    "川CT检查",
    "血小板计数210000",
    "45岁",
    "89岁",
    "19岁",
    "年龄：65岁",
    "心率96次/分",
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_found(analyzer, text: str, expected) -> None:
    assert found(analyzer, text, "PLATE", "POSTCODE", "AGE") == expected


@pytest.mark.parametrize("text", NEGATIVES)
def test_not_found(analyzer, text: str) -> None:
    assert found(analyzer, text, "PLATE", "POSTCODE", "AGE") == []
