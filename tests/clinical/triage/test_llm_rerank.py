"""The LLM re-rank of triage, through the real gateway against the scripted OpenAI-compatible server on
loopback: the model may only re-order the candidates (by their numbers); it can add none, it cannot change
urgency or red flags, and 急诊 stays first after a red flag. A failing, slow or invalid model leaves the rule
order and says degraded. Texts are synthetic."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from yizhu.clinical.triage import run_triage
from yizhu.llm import Gateway, parse_llm_config
from yizhu.llm.testing import FakeOpenAIServer, Script

TEXT = "头晕，耳鸣，血压有点高"
ACS = "我胸口疼，出了一身冷汗，左胳膊也麻"


@pytest.fixture
def server() -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer() as s:
        yield s


def gateway(server: FakeOpenAIServer, steps: list[str], **keys: object) -> Gateway:
    server.scripts["rr"] = Script(steps=steps)
    cfg = parse_llm_config({"rr": {"base_url": server.base_url, "model": "rr", "backoff_s": 0.001, "retries": 0, **keys}},
                           {"triage.rerank": ["rr"]})
    return Gateway(cfg)


def order(*numbers: int) -> str:
    return "say:" + json.dumps({"order": list(numbers)})


def triage(text: str, gw: Gateway | None, **kw: object) -> dict:
    return run_triage(text, use_model=False, gateway=gw, use_llm=gw is not None, **kw)  # type: ignore[arg-type]


def test_the_model_reorders_the_candidates_and_scores_follow(server: FakeOpenAIServer) -> None:
    rules = triage(TEXT, None)
    names = [d["name"] for d in rules["departments"]]
    assert len(names) >= 2
    gw = gateway(server, [order(2, 1)])
    try:
        out = triage(TEXT, gw)
    finally:
        gw.close()
    got = [d["name"] for d in out["departments"]]
    assert got[:2] == [names[1], names[0]] and got[2:] == names[2:]
    assert sorted(got) == sorted(names)  # nothing added, nothing dropped
    scores = [d["score"] for d in out["departments"]]
    assert scores == sorted(scores, reverse=True) and sorted(scores) == sorted(d["score"] for d in rules["departments"])
    assert "大模型重排（原第2位）" in out["departments"][0]["reasons"]
    assert out["department"] == names[1] and out["mode"].endswith("+llm:rr") and out["degraded"] == []
    assert out["urgency"] == rules["urgency"] and out["red_flags"] == rules["red_flags"]
    body = server.requests[0].body.decode("utf-8")
    assert all(n in body for n in names) and TEXT in body


def test_a_red_flag_keeps_emergency_first_and_urgency_whatever_the_model_says(server: FakeOpenAIServer) -> None:
    rules = triage(ACS, None)
    assert rules["urgency"] == "emergency" and rules["departments"][0]["name"] == "急诊科"
    n = len(rules["departments"])
    gw = gateway(server, [order(*range(n, 0, -1))])  # the model puts 急诊 last
    try:
        out = triage(ACS, gw)
    finally:
        gw.close()
    assert out["departments"][0]["name"] == "急诊科"
    assert out["urgency"] == "emergency" and out["red_flags"] == rules["red_flags"]
    assert out["mode"].endswith("+llm:rr")


@pytest.mark.parametrize(("steps", "why"), [
    ([order(1, 9)], "rerank: rejected (candidate 9 is not in the list)"),
    ([order(2, 2, 1)], "rerank: rejected (a candidate named twice)"),
    ([order()], "rerank: rejected (no candidate number)"),
    (['say:{"order": [2, 1], "urgency": "routine"}'], "rerank:"),  # a field it may not set: invalid output
    (["500"], "rerank: no_llm"),
    (["malformed"], "rerank:"),
    (["truncate"], "rerank:"),
])
def test_a_misbehaving_model_leaves_the_rule_order_and_says_degraded(server: FakeOpenAIServer, steps: list[str],
                                                                     why: str) -> None:
    rules = triage(TEXT, None)
    gw = gateway(server, steps)
    try:
        out = triage(TEXT, gw)
    finally:
        gw.close()
    assert out["departments"] == rules["departments"] and out["mode"] == rules["mode"]
    assert len(out["degraded"]) == 1 and out["degraded"][0].startswith(why)


def test_a_slow_model_is_not_waited_for(server: FakeOpenAIServer) -> None:
    rules = triage(TEXT, None)
    gw = gateway(server, ["hang"], timeout_s=0.5)
    try:
        out = triage(TEXT, gw)
    finally:
        gw.close()
    assert out["departments"] == rules["departments"] and out["degraded"][0].startswith("rerank:")


def test_without_a_routed_model_nothing_changes_and_nothing_is_degraded(server: FakeOpenAIServer) -> None:
    gw = Gateway(parse_llm_config({}, {}))
    try:
        out = triage(TEXT, gw)
    finally:
        gw.close()
    assert out == triage(TEXT, None) and out["degraded"] == [] and not server.requests


def test_a_hospital_list_is_reordered_only_within_itself(server: FakeOpenAIServer) -> None:
    depts = ["耳鼻咽喉科", "神经内科", "心血管内科", "急诊科"]
    rules = triage(TEXT, None, departments=depts)
    gw = gateway(server, [order(*range(len(rules["departments"]), 0, -1))])
    try:
        out = triage(TEXT, gw, departments=depts)
    finally:
        gw.close()
    assert {d["name"] for d in out["departments"]} == {d["name"] for d in rules["departments"]} <= set(depts)
    assert [d["name"] for d in out["departments"]] == [d["name"] for d in reversed(rules["departments"])]
