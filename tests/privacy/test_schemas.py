"""API models: strict requests, responses built from a DeidResult without the mapping."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from yizhu.config import Settings
from yizhu.privacy import deidentify
from yizhu.privacy.schemas import DeidRequest, DeidResponse


def test_request_defaults_and_strictness() -> None:
    req = DeidRequest(text="患者张三")
    assert req.mode == "redact" and req.patient_key is None
    with pytest.raises(ValidationError):
        DeidRequest.model_validate({"text": "x", "colour": "red"})
    with pytest.raises(ValidationError):
        DeidRequest.model_validate({"text": "x", "mode": "mask"})


def test_response_from_result(settings: Settings) -> None:
    result = deidentify("患者张三，电话13812345678。", mode="surrogate", patient_key="P1", settings=settings)
    resp = DeidResponse.from_result(result, explain=True)
    assert resp.text == result.text
    assert [e.type for e in resp.entities] == ["PERSON", "PHONE"]
    assert resp.entities[0].explanation is not None and resp.entities[0].explanation.pattern == "relation"
    assert "mapping" not in resp.model_dump()
