"""Record numbers, bed numbers and health-plan numbers: recognised by their labels."""

from __future__ import annotations

import pytest

from tests.privacy.conftest import found

CASES = [
    ("住院号：ZY20230001", [("RECORD_ID", "ZY20230001")]),
    ("住院号 1895223", [("RECORD_ID", "1895223")]),
    ("门诊号:0012345678", [("RECORD_ID", "0012345678")]),
    ("病案号：123456", [("RECORD_ID", "123456")]),
    ("病理号 P2023-01234", [("RECORD_ID", "P2023-01234")]),
    ("检查号：CT20230501012", [("RECORD_ID", "CT20230501012")]),
    ("标本号：20230501-0012", [("RECORD_ID", "20230501-0012")]),
    ("就诊卡号：88001234", [("RECORD_ID", "88001234")]),
    ("床号：12", [("BED", "12")]),
    ("床位号 A03", [("BED", "A03")]),
    ("12床患者夜间诉胸闷", [("BED", "12床")]),
    ("3-2床", [("BED", "3-2床")]),
    ("医保卡号：1100123456789", [("INSURANCE_ID", "1100123456789")]),
    ("社保号 A12345678", [("INSURANCE_ID", "A12345678")]),
    ("社保卡号：E0938123456", [("INSURANCE_ID", "E0938123456")]),
]
NEGATIVES = [
    "住院号待补",
    "病理号：未出",
    "医保卡号：无",
    "绝对卧床2周",
    "床旁超声示少量积液",
    "床头抬高30度",
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_numbers_found(analyzer, text: str, expected) -> None:
    assert found(analyzer, text, "RECORD_ID", "BED", "INSURANCE_ID") == expected


@pytest.mark.parametrize("text", NEGATIVES)
def test_not_numbers(analyzer, text: str) -> None:
    assert found(analyzer, text) == []
