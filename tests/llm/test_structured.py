"""Structured output: schema to the server where it can constrain, validate always, repair, never guess."""

from __future__ import annotations

from typing import Literal

import pytest
from pydantic import BaseModel, Field

from tests.llm.conftest import MakeGateway, endpoint
from yizhu.errors import StructuredOutputError
from yizhu.llm.structured import extract_json
from yizhu.llm.testing import FakeOpenAIServer, Script


class Grade(BaseModel):
    """A bounded score: grammars ignore the bounds, pydantic does not."""

    score: int = Field(ge=0, le=5)
    result: Literal["阳性", "阴性"]


@pytest.mark.parametrize(
    ("reply", "value"),
    [
        ('{"a": 1}', {"a": 1}),
        ('```json\n{"a": 1}\n```', {"a": 1}),
        ('好的，结果如下：{"a": [1, 2]} 以上。', {"a": [1, 2]}),
        ("[1, 2]", [1, 2]),
    ],
)
def test_extract_json(reply: str, value: object) -> None:
    assert extract_json(reply) == value


def test_no_json_is_an_error() -> None:
    with pytest.raises(ValueError, match="no JSON"):
        extract_json("阳性")


@pytest.mark.parametrize(
    ("profile", "expected"),
    [
        ("openai", {"response_format": "json_schema"}),
        ("vllm", {"response_format": "json_schema"}),
        ("vllm-guided", {"guided_json": None}),
        ("llamacpp", {"response_format": "json_object+schema"}),
        ("deepseek", {"response_format": "json_object"}),
        ("generic", {}),
    ],
)
def test_each_profile_asks_for_json_its_own_way(
    fake: FakeOpenAIServer, make_gateway: MakeGateway, profile: str, expected: dict
) -> None:
    fake.scripts["m"] = Script(['say:{"score": 1, "result": "阴性"}'])
    gw = make_gateway({"m": endpoint(fake, "m", profile=profile)}, {"default": ["m"]})
    assert gw.structured("t", "评分", Grade).value == Grade(score=1, result="阴性")
    body = fake.requests_for("/chat/completions")[-1].json
    assert "JSON Schema" in body["messages"][0]["content"]  # the schema is always in the prompt
    if not expected:
        assert "response_format" not in body and "guided_json" not in body
    elif "guided_json" in expected:
        assert body["guided_json"]["properties"]["score"]["maximum"] == 5
    else:
        rf = body["response_format"]
        kind = {"json_schema": "json_schema", "json_object": "json_object+schema" if "schema" in rf else "json_object"}[rf["type"]]
        assert kind == expected["response_format"]


def test_invalid_reply_is_repaired_with_the_validation_errors(fake: FakeOpenAIServer, make_gateway: MakeGateway) -> None:
    fake.scripts["m"] = Script(['say:{"score": 39, "result": "阳性"}', 'say:```json\n{"score": 3, "result": "阳性"}\n```'])
    gw = make_gateway({"m": endpoint(fake, "m")}, {"default": ["m"]})
    out = gw.structured("t", "评分", Grade)
    assert out.value.score == 3 and out.completion.repairs == 1
    second = fake.requests_for("/chat/completions")[1].json["messages"]
    assert second[-2] == {"role": "assistant", "content": '{"score": 39, "result": "阳性"}'}
    assert "score: Input should be less than or equal to 5" in second[-1]["content"]
    assert "39" not in second[-1]["content"]  # errors name fields, never echo values


def test_never_valid_is_an_error_not_a_guess(fake: FakeOpenAIServer, make_gateway: MakeGateway) -> None:
    fake.scripts["m"] = Script(['say:{"score": 39, "result": "阳性"}'])
    gw = make_gateway({"m": endpoint(fake, "m", max_repairs=2)}, {"default": ["m"]})
    with pytest.raises(StructuredOutputError, match="after 2 repair") as exc:
        gw.structured("t", "评分", Grade)
    assert len(fake.requests_for("/chat/completions")) == 3
    assert [a.outcome for a in exc.value.attempts] == ["invalid_output"]


def test_invalid_output_falls_back_to_the_next_model(fake: FakeOpenAIServer, make_gateway: MakeGateway) -> None:
    fake.scripts["weak"] = Script(["say:阳性"])
    fake.scripts["strong"] = Script(['say:{"score": 2, "result": "阳性"}'])
    gw = make_gateway(
        {"weak": endpoint(fake, "weak", max_repairs=0), "strong": endpoint(fake, "strong")}, {"default": ["weak", "strong"]}
    )
    out = gw.structured("t", "评分", Grade)
    assert out.completion.model == "strong"
    assert [(a.model, a.outcome) for a in out.completion.attempts] == [("weak", "invalid_output"), ("strong", "ok")]
