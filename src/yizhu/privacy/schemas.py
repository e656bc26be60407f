"""Request and response models of the de-identification API (the route lives in ``yizhu.api``).

Usage in a route::

    @router.post("/deid", response_model=DeidResponse)
    def deid(req: DeidRequest, settings: SettingsDep) -> DeidResponse:
        return DeidResponse.from_result(deidentify(req.text, mode=req.mode,
                                                   patient_key=req.patient_key, settings=settings),
                                        explain=req.explain)
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from yizhu.privacy.deid import DeidResult

#: Largest text one request may carry (characters); bigger documents are split by the caller.
MAX_TEXT_CHARS = 1_000_000


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DeidRequest(_Strict):
    """Text to de-identify."""

    text: str = Field(max_length=MAX_TEXT_CHARS, description="the text, any length up to the limit")
    mode: Literal["redact", "surrogate"] = "redact"
    patient_key: str | None = Field(
        default=None, max_length=200, description="keeps surrogates and date shifts consistent for one patient"
    )
    explain: bool = Field(default=False, description="include each entity's explanation")


class DeidExplanation(_Strict):
    """Why a span was taken for PHI."""

    recognizer: str
    pattern: str
    base_score: float
    context_word: str | None = None
    context_boost: float = 0.0
    validated: bool | None = None
    note: str | None = None


class DeidEntity(_Strict):
    """One PHI span; offsets index the original text."""

    type: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str
    recognizer: str
    score: float
    explanation: DeidExplanation | None = None


class DeidResponse(_Strict):
    """The de-identified text and the entities found in the original."""

    text: str
    entities: list[DeidEntity]

    @classmethod
    def from_result(cls, result: DeidResult, *, explain: bool = False) -> DeidResponse:
        """Build the response from :func:`yizhu.privacy.deidentify`'s result (no mapping: it stays local)."""
        return cls.model_validate(result.to_dict(explain=explain))
