"""身份证号: 18-digit numbers need a real birth date and a valid GB 11643 check character."""

from __future__ import annotations

import pytest

from tests.privacy.conftest import found
from yizhu.privacy.validators import cn_id, cn_id_check_char

CASES = [
    ("身份证号：11010519491231002X", [("ID_CARD", "11010519491231002X")]),
    ("身份证号码 440304198503151231，", [("ID_CARD", "440304198503151231")]),
    ("证件号码：440304198503151231", [("ID_CARD", "440304198503151231")]),
    ("其身份证440304198503151231已核对", [("ID_CARD", "440304198503151231")]),
    ("440304198503151231", [("ID_CARD", "440304198503151231")]),
    ("号码 440304 19850315 1231 已登记", [("ID_CARD", "440304 19850315 1231")]),
    ("身份证：110105491231002", [("ID_CARD", "110105491231002")]),  # 15-digit legacy, with context
    ("身份证号：440304198503151232", [("ID_CARD", "440304198503151232")]),  # labelled: kept even if mistyped
]
NEGATIVES = [
    "440304198503151232",  # wrong check character, no label
    "440304199913451231",  # month 13
    "110105491231002",  # 15 digits without a 身份证 context word
    "住院费用合计4403041985031512元",
    "ZY440304198503151231",  # inside a longer code
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_id_numbers_found(analyzer, text: str, expected) -> None:
    assert found(analyzer, text, "ID_CARD") == expected


@pytest.mark.parametrize("text", NEGATIVES)
def test_not_id_numbers(analyzer, text: str) -> None:
    assert found(analyzer, text, "ID_CARD") == []


@pytest.mark.parametrize(
    ("body", "check"),
    [("11010519491231002", "X"), ("44030419850315123", "1"), ("32058319920708456", "8")],
)
def test_check_character(body: str, check: str) -> None:
    assert cn_id_check_char(body) == check
    assert cn_id(body + check)


def test_valid_id_scores_high_and_says_it_was_validated(analyzer) -> None:
    (e,) = analyzer.analyze("440304198503151231")
    assert e.explanation.validated is True
    assert e.score >= 0.9
