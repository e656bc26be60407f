"""The model's wording of a question, through the real gateway against the scripted OpenAI-compatible server
on loopback (yizhu.llm.testing): the slot and the options stay the rule engine's; the model's words are shown
only when they pass the checks (a question about the same thing, no diagnosis, no advice, no new number, not
too long); any failure — no answer, a timeout, broken JSON, a wording that fails — shows the bank's wording
and the interview says degraded."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from yizhu.clinical.intake.engine import AnswerIn, Engine, Interview
from yizhu.clinical.intake.phrasing import load_rules, problem
from yizhu.clinical.intake.record import build_record
from yizhu.llm import Gateway, parse_llm_config
from yizhu.llm.testing import FakeOpenAIServer, Script

BANK_DURATION = "这次不舒服有多长时间了？"


def say(text: str) -> str:
    return "say:" + json.dumps({"text": text}, ensure_ascii=False)


@pytest.fixture
def server() -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer() as s:
        yield s


def gateway(server: FakeOpenAIServer, steps: list[str], **keys: object) -> Gateway:
    server.scripts["p"] = Script(steps=steps)
    cfg = parse_llm_config({"p": {"base_url": server.base_url, "model": "p", "backoff_s": 0.001, "retries": 0, **keys}},
                           {"intake.phrase": ["p"], "intake.parse": ["none"]})
    return Gateway(cfg)


def start(gw: Gateway) -> tuple[Engine, Interview]:
    eng = Engine(gateway=gw)
    return eng, eng.start("胸口疼", age=58, sex="male")


def test_an_accepted_wording_is_shown_with_the_rule_engines_slot_and_options(server: FakeOpenAIServer) -> None:
    gw = gateway(server, [say("胸口疼这个情况，大概有多长时间了呀？"), say("是一下子突然疼起来的，还是慢慢开始的呢？")])
    try:
        eng, iv = start(gw)
        rule = Engine().next_question(Engine().start("胸口疼", age=58, sex="male"))
        q = eng.next_question(iv)
        assert q is not None and rule is not None
        assert q.prompt == "胸口疼这个情况，大概有多长时间了呀？" and q.rule_prompt == BANK_DURATION
        assert q.phrased_by == "llm:p" and q.id == rule.id and q.options == rule.options
        eng.answer(iv, AnswerIn(question_id="duration", options=["d3"]))
        a = iv.answers[-1]
        assert a.question == q.prompt and a.rule_question == BANK_DURATION  # kept as shown, with the bank's
        assert eng.next_question(iv).prompt.startswith("是一下子")  # type: ignore[union-attr]
        assert iv.mode == "rules+llm" and iv.degraded == []
    finally:
        gw.close()
    assert len(server.requests) == 2  # one wording per question, not one per page view
    body = server.requests[0].body.decode("utf-8")
    assert BANK_DURATION in body and "几个小时" in body  # the model sees the question and the fixed options


@pytest.mark.parametrize(("wording", "why"), [
    ("您是不是心梗了？疼了多长时间？", "diagnosis word 梗"),
    ("建议您先去急诊看看，疼了多久了？", "advice word 建议"),
    ("别担心，疼了多久了？", "advice word 别担心"),
    ("疼了超过3天了吗？", "a number not in the question (3)"),
    ("您今年多大了？", "does not ask about duration"),
    ("胸口疼有多长时间了。", None),  # no question mark, but 多长 makes it a question
    ("请告诉我胸口疼的时间", "not a question"),
    ("这次胸口不舒服，" * 8 + "多久了？", "too long (68 characters)"),
    ("**多久了？**", "not a single plain sentence"),
])
def test_the_checks_on_a_wording(wording: str, why: str | None) -> None:
    got = problem(wording, BANK_DURATION, "duration")
    if why is None:
        assert got is None
    else:
        assert got is not None and got.startswith(why)


def test_rules_are_data_with_a_source() -> None:
    r = load_rules()
    assert "2022" in r.source and r.diagnosis and r.advice and "duration" in r.topics


@pytest.mark.parametrize(("steps", "degraded"), [
    ([say("您这是心肌梗死吧？疼多久了？")], "phrase:duration: rejected (diagnosis word"),
    ([say("建议马上吃点药。疼了多久了？")], "phrase:duration: rejected (advice word"),
    ([say("疼了10天以上吗？")], "phrase:duration: rejected (a number"),
    (["500"], "phrase:duration: no_llm"),  # the gateway says why: every model on the route failed
    (["malformed"], "phrase:duration:"),
    ([say("")], "phrase:duration: rejected (too short)"),
])
def test_a_misbehaving_model_leaves_the_banks_wording_and_the_record_says_degraded(
        server: FakeOpenAIServer, steps: list[str], degraded: str) -> None:
    gw = gateway(server, steps)
    try:
        eng, iv = start(gw)
        q = eng.next_question(iv)
    finally:
        gw.close()
    assert q is not None and q.prompt == BANK_DURATION and q.phrased_by is None and q.rule_prompt is None
    assert iv.mode == "rules" and len(iv.degraded) == 1 and iv.degraded[0].startswith(degraded)
    assert build_record(iv, Engine())["degraded"] == iv.degraded


def test_a_model_that_does_not_answer_in_time_is_not_waited_for(server: FakeOpenAIServer) -> None:
    gw = gateway(server, ["hang"], timeout_s=0.5)
    try:
        eng, iv = start(gw)
        q = eng.next_question(iv)
        assert q is not None and q.prompt == BANK_DURATION
        assert iv.degraded and iv.degraded[0].startswith("phrase:duration:")
        eng.answer(iv, AnswerIn(question_id="duration", options=["d3"]))  # the interview goes on
        assert iv.status == "open" and len(iv.answers) == 2
    finally:
        gw.close()


def test_without_a_routed_model_the_bank_speaks_and_nothing_is_degraded(server: FakeOpenAIServer) -> None:
    gw = Gateway(parse_llm_config({}, {}))
    try:
        eng, iv = start(gw)
        assert eng.next_question(iv).prompt == BANK_DURATION  # type: ignore[union-attr]
    finally:
        gw.close()
    assert iv.degraded == [] and iv.mode == "rules" and not server.requests


def test_a_childs_interview_asks_the_model_for_the_parents_wording(server: FakeOpenAIServer) -> None:
    gw = gateway(server, [say("宝宝不舒服有几天了呀？")])
    try:
        eng = Engine(gateway=gw)
        iv = eng.start("宝宝8个月，拉肚子")
        assert eng.next_question(iv).prompt == "宝宝不舒服有几天了呀？"  # type: ignore[union-attr]
    finally:
        gw.close()
    assert "孩子的家长" in server.requests[0].body.decode("utf-8")


def parse_gateway(server: FakeOpenAIServer, steps: list[str]) -> Gateway:
    server.scripts["r"] = Script(steps=steps)
    cfg = parse_llm_config({"r": {"base_url": server.base_url, "model": "r", "backoff_s": 0.001, "retries": 0}},
                           {"intake.parse": ["r"], "intake.phrase": ["none"]})
    return Gateway(cfg)


ONSET_STEPS = [("duration", ["d3"])]


@pytest.mark.parametrize(("reply", "options", "degraded"), [
    ({"present": ["sudden"], "absent": []}, ["sudden"], None),
    ({"present": ["sudden", "gradual"], "absent": []}, [], "parse:onset: rejected (several options"),
    ({"present": ["heart_attack"], "absent": []}, [], "parse:onset: rejected (no option"),
])
def test_free_text_is_read_into_the_slots_own_options_only(server: FakeOpenAIServer, reply: dict, options: list[str],
                                                           degraded: str | None) -> None:
    gw = parse_gateway(server, ["say:" + json.dumps(reply)])
    try:
        eng, iv = start(gw)
        eng.answer(iv, AnswerIn(question_id="duration", options=["d3"]))
        eng.answer(iv, AnswerIn(question_id="onset", text="那天搬完箱子就这样了"))
    finally:
        gw.close()
    a = iv.answers[-1]
    assert a.options == options and a.text == "那天搬完箱子就这样了"
    if degraded is None:
        assert a.read_by == "llm:r" and iv.degraded == []
    else:
        assert a.read_by == "rules" and iv.degraded[0].startswith(degraded)


def test_a_failing_reader_is_said_in_degraded(server: FakeOpenAIServer) -> None:
    gw = parse_gateway(server, ["503"])
    try:
        eng, iv = start(gw)
        eng.answer(iv, AnswerIn(question_id="duration", options=["d3"]))
        eng.answer(iv, AnswerIn(question_id="onset", text="那天搬完箱子就这样了"))
    finally:
        gw.close()
    assert iv.answers[-1].read_by == "rules" and iv.degraded[0].startswith("parse:onset: no_llm")
