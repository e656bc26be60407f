"""Bank cards: bare numbers must pass Luhn; labelled ones are taken as written."""

from __future__ import annotations

import pytest

from tests.privacy.conftest import found
from yizhu.privacy.validators import luhn, luhn_check_digit

CASES = [
    ("6222021234567894", [("BANK_CARD", "6222021234567894")]),
    ("退费账户 6222 0212 3456 7894", [("BANK_CARD", "6222 0212 3456 7894")]),
    ("6217001234567890122", [("BANK_CARD", "6217001234567890122")]),
    ("银行卡号：6222 0212 3456 7890", [("BANK_CARD", "6222 0212 3456 7890")]),
]
NEGATIVES = [
    "6222021234567890",  # fails Luhn, no label
    "医保卡号：1100123456789",  # a health-plan number, not a bank card
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_cards_found(analyzer, text: str, expected) -> None:
    assert found(analyzer, text, "BANK_CARD") == expected


@pytest.mark.parametrize("text", NEGATIVES)
def test_not_cards(analyzer, text: str) -> None:
    assert found(analyzer, text, "BANK_CARD") == []


@pytest.mark.parametrize(("number", "ok"), [("4111111111111111", True), ("4111111111111112", False), ("12", False)])
def test_luhn(number: str, ok: bool) -> None:
    assert luhn(number) is ok


def test_luhn_check_digit_completes_any_body() -> None:
    for body in ("622202123456789", "62170012345678901"):
        assert luhn(body + luhn_check_digit(body))


def test_an_id_number_that_passes_luhn_stays_an_id(analyzer) -> None:
    # 440304198503150255 also passes Luhn; the checksum-validated 身份证 pattern wins
    assert luhn("440304198503150255")
    assert found(analyzer, "440304198503150255") == [("ID_CARD", "440304198503150255")]
