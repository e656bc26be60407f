"""Telephone numbers: mobiles and fixed lines in the forms people write them."""

from __future__ import annotations

import pytest

from tests.privacy.conftest import found

CASES = [
    ("联系电话：13812345678", [("PHONE", "13812345678")]),
    ("手机 138-1234-5678。", [("PHONE", "138-1234-5678")]),
    ("电话138 1234 5678", [("PHONE", "138 1234 5678")]),
    ("请拨打+86 138 1234 5678", [("PHONE", "+86 138 1234 5678")]),
    ("（+86）13812345678", [("PHONE", "（+86）13812345678")]),
    ("0086 13812345678", [("PHONE", "0086 13812345678")]),
    ("家属电话0571-88886666", [("PHONE", "0571-88886666")]),
    ("010-62345678", [("PHONE", "010-62345678")]),
    ("(010)62345678", [("PHONE", "(010)62345678")]),
    ("0755-26543210转802", [("PHONE", "0755-26543210转802")]),
    ("电话：6234 5678", [("PHONE", "6234 5678")]),
    ("随访电话：0571 8888 6666，", [("PHONE", "0571 8888 6666")]),
]
NEGATIVES = [
    "血压138/84mmHg",
    "白细胞13.8×10^9/L",
    "12345678901234",
    "住院天数12天，费用10234元",
    "编号ZY13812345678",
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_phones_found(analyzer, text: str, expected) -> None:
    assert found(analyzer, text, "PHONE") == expected


@pytest.mark.parametrize("text", NEGATIVES)
def test_not_phones(analyzer, text: str) -> None:
    assert found(analyzer, text, "PHONE") == []


def test_a_number_on_the_next_line_is_not_joined(analyzer) -> None:
    assert found(analyzer, "住院号 1895223\n2017年2月4日21时 予更换输液") == [
        ("RECORD_ID", "1895223"),
        ("DATE", "2017年2月4日21时"),
    ]
