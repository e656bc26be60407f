"""The optional model path of 预问诊, through a real OpenAI-compatible server on loopback
(yizhu.llm.testing): a free-text answer the rules cannot match is read by the model — only options that
were shown are accepted — and the reading feeds the red-flag check; a failing model leaves the rule path."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from yizhu.clinical.intake.engine import AnswerIn, Engine, Interview
from yizhu.llm import Gateway, parse_llm_config
from yizhu.llm.testing import FakeOpenAIServer, Script

MODEL = "intake-fake"
STEPS = [("duration", ["hours"]), ("onset", ["sudden"]), ("site", ["sternum"]), ("character", ["press"]),
         ("severity", ["severe"]), ("modifiers", ["none"])]


def gateway_for(server: FakeOpenAIServer) -> Gateway:
    cfg = parse_llm_config({"fake": {"base_url": server.base_url, "model": MODEL, "backoff_s": 0.001, "retries": 0}},
                           {"intake.parse": ["fake", "none"], "intake.phrase": ["none"]})
    return Gateway(cfg)


@pytest.fixture
def server() -> Iterator[FakeOpenAIServer]:
    body = {"present": ["sweat", "not-an-option"], "absent": ["fever"]}
    with FakeOpenAIServer({MODEL: Script(steps=["say:" + json.dumps(body)])}) as s:
        yield s


def chest_pain_interview(server: FakeOpenAIServer) -> Interview:
    """The tapped chest-pain answers, then a free-text associated answer the rules cannot read (synthetic)."""
    gw = gateway_for(server)
    try:
        eng = Engine(gateway=gw)
        iv = eng.start("胸口疼", age=60, sex="male")
        for qid, opts in STEPS:
            eng.answer(iv, AnswerIn(question_id=qid, options=opts))
        eng.answer(iv, AnswerIn(question_id="associated", text="衣服都湿透了"))
    finally:
        gw.close()
    return iv


def test_the_model_reads_free_text_and_its_reading_is_checked_for_red_flags(server: FakeOpenAIServer) -> None:
    iv = chest_pain_interview(server)
    a = iv.answers[-1]
    assert a.read_by.startswith("llm:") and iv.mode == "rules+llm"
    assert a.options == ["sweat"] and "发热" in a.negatives  # the unknown id is dropped
    assert iv.status == "red_flag" and iv.red_flag["id"] == "rf:acs"
    assert len(server.requests) == 1  # tapped answers and rule-matched text never reach the model


def test_without_a_working_model_the_rule_reading_stands() -> None:
    with FakeOpenAIServer({MODEL: Script(steps=["500"])}) as s:
        iv = chest_pain_interview(s)
    a = iv.answers[-1]
    assert a.read_by == "rules" and iv.mode == "rules" and iv.status == "open"
    assert a.text == "衣服都湿透了" and not a.options
