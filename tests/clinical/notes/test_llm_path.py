"""The model path through a real OpenAI-compatible HTTP server on loopback (yizhu.llm.testing).

The scripted model answers each section call with schema-valid JSON; two of its sentences are
wrong on purpose — a negation flip (无胸痛 → 胸痛) and a changed duration (3天 → 1周) — and the
grounding check must flag both. Calls: at most one per section, all sharing one prompt prefix.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from yizhu.clinical.notes import dialogue_context, draft_note, spec_for
from yizhu.llm import Gateway, parse_llm_config
from yizhu.llm.testing import FakeOpenAIServer, Script

MODEL = "notes-fake"


def reply(section: str, *sentences: tuple[str, list[str]]) -> str:
    body = {"section": section, "sentences": [{"text": t, "sources": s} for t, s in sentences]}
    return "say:" + json.dumps(body, ensure_ascii=False)


# T-numbers are the turns of data/visit_cough.txt (T2: 咳嗽三天, T7/T8: 胸痛吗？没有。)
SCRIPT = [
    reply("主诉", ("咳嗽、发热1周", ["T2"])),  # changed number: the dialogue says three days
    reply("现病史", ("患者3天前出现咳嗽，伴发热，最高体温38.5℃。", ["T2", "T4"]),
          ("咳黄色痰。", ["T6"]), ("伴胸痛。", ["T8"])),  # negation flip: the patient denied chest pain
    reply("既往史", ("否认高血压、糖尿病病史。", ["T9", "T10"])),
    reply("过敏史", ("青霉素过敏。", ["T12"])),
    reply("体格检查", ("两肺可闻及少量湿啰音，咽部充血。", ["T13"])),
    reply("辅助检查"),
    reply("初步诊断", ("急性支气管炎", ["T14"])),
    reply("处理意见", ("予阿莫西林0.5g tid口服，共5天。", ["T14"]), ("3天不缓解复查血常规。", ["T14"])),
]


@pytest.fixture
def server() -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer({MODEL: Script(steps=list(SCRIPT))}) as s:
        yield s


@pytest.fixture
def gateway(server: FakeOpenAIServer) -> Iterator[Gateway]:
    cfg = parse_llm_config({"fake": {"base_url": server.base_url, "model": MODEL, "backoff_s": 0.001, "retries": 0}},
                           {"notes": ["fake", "none"]})
    gw = Gateway(cfg)
    yield gw
    gw.close()


def test_model_draft_is_checked_sentence_by_sentence(server: FakeOpenAIServer, gateway: Gateway, transcript: str) -> None:
    streamed: list[str] = []
    d = draft_note("outpatient", dialogue_context(transcript), gateway=gateway, on_section=lambda s: streamed.append(s.name))
    assert d.model == "fake" and "no_llm" not in d.degraded
    assert streamed == list(spec_for("outpatient").sections)
    by = {s.name: s for s in d.sections}
    assert all(s.origin == "llm" for s in d.sections)

    chief = by["主诉"].sentences[0]
    assert chief.status == "contradicted" and "1周" in chief.reasons[0]
    flip = next(s for s in by["现病史"].sentences if s.text == "伴胸痛。")
    assert flip.status == "contradicted"
    assert {p.source for p in flip.provenance} >= {"turn:7", "turn:8"}  # the question and the 没有 that denies it
    good = by["现病史"].sentences[0]
    assert good.status == "supported"
    # the model's diagnosis gets its ICD-10 code and a knowledge citation
    assert by["初步诊断"].sentences[0].text == "急性支气管炎（J20.9）"
    assert {f["rule_id"] for f in d.findings} >= {"safety.grounding.contradicted.v1"}
    flagged = [f for f in d.findings if f["rule_id"].startswith("safety.grounding")]
    assert all(f["model_generated"] for f in flagged)


def test_one_call_per_section_with_a_shared_prefix(server: FakeOpenAIServer, gateway: Gateway, transcript: str) -> None:
    d = draft_note("outpatient", dialogue_context(transcript), gateway=gateway)
    calls = server.requests_for("/chat/completions")
    assert len(calls) == d.usage.llm_calls == len(spec_for("outpatient").llm_sections)
    assert d.usage.prompt_tokens > 0 and d.usage.completion_tokens > 0
    assert d.usage.prompt_id == "notes_outpatient" and len(d.usage.prompt_sha256 or "") == 64
    systems = {r.json["messages"][0]["content"] for r in calls}
    assert len(systems) == 1, "the system prompt (with the schema) must be identical for every section"
    users = [r.json["messages"][1]["content"] for r in calls]
    head = users[0][: users[0].index("现在只写")]
    assert all(u.startswith(head) for u in users), "sources come first and are the same for every section"


def test_no_model_on_the_route_gives_the_rule_path(transcript: str) -> None:
    gw = Gateway(parse_llm_config({}, {}))
    try:
        d = draft_note("outpatient", dialogue_context(transcript), gateway=gw)
    finally:
        gw.close()
    assert d.degraded == ["no_llm"] and d.model is None
    assert all(s.origin == "extractive" for s in d.sections)


def test_a_failing_model_falls_back_per_section(transcript: str) -> None:
    with FakeOpenAIServer({MODEL: Script(steps=["say:not json at all"])}) as server:
        cfg = parse_llm_config({"fake": {"base_url": server.base_url, "model": MODEL, "backoff_s": 0.001,
                                         "retries": 0, "max_repairs": 0}}, {"notes": ["fake"]})
        gw = Gateway(cfg)
        try:
            d = draft_note("outpatient", dialogue_context(transcript), gateway=gw)
        finally:
            gw.close()
    assert any(x.startswith("llm_failed:") or x == "llm_unavailable" for x in d.degraded)
    assert all(s.origin == "extractive" for s in d.sections)
    assert d.sections[0].sentences[0].text == "咳嗽伴发热3天"
