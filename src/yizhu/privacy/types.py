"""The shapes de-identification works with: PHI types, detected entities and their explanations.

Offsets are Python string indices into the text that was analysed (``text[start:end]``), as in
``yizhu.core.Span``. Named tuples, not pydantic models: thousands are created per megabyte, so they
must be cheap; the API layer converts them to pydantic models (``yizhu.privacy.schemas``).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, NamedTuple


class PHIType(StrEnum):
    """Protected health information categories (HIPAA Safe Harbor 45 CFR 164.514(b)(2); GB/T 37964-2019)."""

    PERSON = "PERSON"
    ID_CARD = "ID_CARD"
    PHONE = "PHONE"
    ADDRESS = "ADDRESS"
    DATE = "DATE"
    TIME = "TIME"
    RECORD_ID = "RECORD_ID"
    BED = "BED"
    INSURANCE_ID = "INSURANCE_ID"
    BANK_CARD = "BANK_CARD"
    EMAIL = "EMAIL"
    URL = "URL"
    IP = "IP"
    PLATE = "PLATE"
    POSTCODE = "POSTCODE"
    ORG = "ORG"
    AGE = "AGE"
    SOCIAL_ID = "SOCIAL_ID"


#: The typed placeholder ``redact`` writes for each type.
PLACEHOLDERS: dict[str, str] = {
    PHIType.PERSON: "[姓名]",
    PHIType.ID_CARD: "[身份证号]",
    PHIType.PHONE: "[电话]",
    PHIType.ADDRESS: "[地址]",
    PHIType.DATE: "[日期]",
    PHIType.TIME: "[时间]",
    PHIType.RECORD_ID: "[编号]",
    PHIType.BED: "[床号]",
    PHIType.INSURANCE_ID: "[医保号]",
    PHIType.BANK_CARD: "[银行卡号]",
    PHIType.EMAIL: "[邮箱]",
    PHIType.URL: "[网址]",
    PHIType.IP: "[IP地址]",
    PHIType.PLATE: "[车牌号]",
    PHIType.POSTCODE: "[邮编]",
    PHIType.ORG: "[机构]",
    PHIType.AGE: "[年龄]",
    PHIType.SOCIAL_ID: "[社交账号]",
}


class Explanation(NamedTuple):
    """Why a span was taken for PHI: the pattern that matched, the context word seen, the score path."""

    recognizer: str
    pattern: str
    base_score: float
    context_word: str | None = None
    context_boost: float = 0.0
    validated: bool | None = None
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain dict for JSON output."""
        return {
            "recognizer": self.recognizer,
            "pattern": self.pattern,
            "base_score": self.base_score,
            "context_word": self.context_word,
            "context_boost": self.context_boost,
            "validated": self.validated,
            "note": self.note,
        }


class Entity(NamedTuple):
    """One detected PHI span; ``text`` is ``source[start:end]`` of the analysed text."""

    type: str
    start: int
    end: int
    text: str
    recognizer: str
    score: float
    explanation: Explanation

    def to_dict(self, *, explain: bool = False) -> dict[str, Any]:
        """The JSON shape of the CLI and API: type, start, end, text, recognizer, score."""
        out: dict[str, Any] = {
            "type": self.type,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "recognizer": self.recognizer,
            "score": round(self.score, 3),
        }
        if explain:
            out["explanation"] = self.explanation.to_dict()
        return out
