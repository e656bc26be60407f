"""Resilience against a misbehaving server: retries, timeouts, breaker, limits, fallback, cancellation."""

from __future__ import annotations

import asyncio
import time

import pytest

from tests.llm.conftest import MakeGateway, endpoint
from yizhu.errors import ConfigError, ModelUnavailable
from yizhu.llm import CallRecord, GenParams, Message
from yizhu.llm.prompts import PromptLibrary
from yizhu.llm.testing import FakeOpenAIServer, Script


def wait_for(cond, timeout: float = 3.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if cond():
            return True
        time.sleep(0.01)
    return cond()


@pytest.mark.parametrize(
    ("steps", "tries"),
    [
        (["500", "ok"], 2),
        (["503", "429", "ok"], 3),  # Retry-After: 0 honoured
        (["malformed", "ok"], 2),
        (["truncate", "ok"], 2),
        (["reset", "ok"], 2),
    ],
)
def test_retryable_failures_are_retried(fake: FakeOpenAIServer, make_gateway: MakeGateway, steps: list[str], tries: int) -> None:
    fake.scripts["m"] = Script(steps)
    gw = make_gateway({"m": endpoint(fake, "m")}, {"default": ["m"]})
    c = gw.chat("t", "你好")
    assert (c.model, c.text) == ("m", "好的，已收到。")
    assert c.attempts[0].tries == tries


def test_client_errors_are_not_retried_and_the_route_falls_back(fake: FakeOpenAIServer, make_gateway: MakeGateway) -> None:
    fake.scripts["a"] = Script(["400"])
    gw = make_gateway({"a": endpoint(fake, "a"), "b": endpoint(fake, "b")}, {"default": ["a", "b"]})
    c = gw.chat("t", "你好")
    assert c.model == "b"
    assert [(a.model, a.outcome, a.tries) for a in c.attempts] == [("a", "error", 1), ("b", "ok", 1)]
    assert "HTTP 400" in (c.attempts[0].error or "")


def test_timeout_falls_back_and_closes_the_upstream_request(fake: FakeOpenAIServer, make_gateway: MakeGateway) -> None:
    fake.scripts["slow"] = Script(["hang"])
    gw = make_gateway(
        {"slow": endpoint(fake, "slow", timeout_s=0.3, retries=0), "b": endpoint(fake, "b")}, {"default": ["slow", "b"]}
    )
    t = time.monotonic()
    c = gw.chat("t", "你好")
    assert c.model == "b" and time.monotonic() - t < 2
    assert "no answer within 0.3 s" in (c.attempts[0].error or "")
    assert wait_for(lambda: fake.disconnects >= 1)


def test_no_model_answers_the_caller_learns_none_did(fake: FakeOpenAIServer, make_gateway: MakeGateway) -> None:
    fake.scripts["a"] = Script(["500"])
    records: list[CallRecord] = []
    gw = make_gateway({"a": endpoint(fake, "a", retries=1)}, {"default": ["a", "none"]}, on_call=records.append)
    with pytest.raises(ModelUnavailable, match="no model answered") as exc:
        gw.chat("notes.discharge", "你好")
    assert exc.value.degraded == "no_llm"
    assert [(a.model, a.outcome, a.tries) for a in exc.value.attempts] == [("a", "error", 2), ("none", "no_llm", 0)]
    gw.flush()
    assert records[-1].status == "failed" and records[-1].model is None


def test_route_of_none_sends_nothing(fake: FakeOpenAIServer, make_gateway: MakeGateway) -> None:
    records: list[CallRecord] = []
    gw = make_gateway({"a": endpoint(fake, "a")}, {"default": ["a"], "triage": ["none"]}, on_call=records.append)
    assert not gw.has_model("triage.adult") and gw.has_model("notes")
    with pytest.raises(ModelUnavailable, match="no model configured") as exc:
        gw.chat("triage.adult", "胸痛")
    assert exc.value.degraded == "no_llm"
    assert fake.requests == []
    gw.flush()
    assert records[-1].status == "no_llm"


def test_unknown_pinned_model_lists_the_known_ones(fake: FakeOpenAIServer, make_gateway: MakeGateway) -> None:
    gw = make_gateway({"a": endpoint(fake, "a")})
    with pytest.raises(ConfigError, match="unknown model 'b'; configured models: a"):
        gw.chat("t", "x", model="b")


def test_circuit_breaker_opens_skips_and_probes_after_cooldown(fake: FakeOpenAIServer, make_gateway: MakeGateway) -> None:
    fake.scripts["a"] = Script(["500", "500", "ok"])
    gw = make_gateway(
        {"a": endpoint(fake, "a", retries=0, breaker_failures=2, breaker_cooldown_s=0.3), "b": endpoint(fake, "b")},
        {"default": ["a", "b"]},
    )
    assert gw.chat("t", "1").model == "b"
    assert gw.chat("t", "2").model == "b"  # second failure opens the breaker
    third = gw.chat("t", "3")
    assert [(a.model, a.outcome) for a in third.attempts] == [("a", "breaker_open"), ("b", "ok")]
    assert len([r for r in fake.requests if r.model == "a"]) == 2  # nothing sent while open
    assert gw.metrics.value("yizhu_llm_breaker_open", model="a") == 1
    time.sleep(0.35)
    assert gw.chat("t", "4").model == "a"  # half-open probe succeeds and closes it
    assert gw.models()[0].breaker == "closed"


def test_concurrency_limit_per_model(fake: FakeOpenAIServer, make_gateway: MakeGateway) -> None:
    fake.scripts["a"] = Script(["slow:0.03"], reply="一二三四五六七八")
    gw = make_gateway({"a": endpoint(fake, "a", max_concurrency=2)}, {"default": ["a"]})

    async def one() -> str:
        return "".join([e.text async for e in gw.astream("t", "x") if e.type == "delta"])

    async def many() -> list[str]:
        return await asyncio.gather(*(one() for _ in range(6)))

    assert asyncio.run(many()) == ["一二三四五六七八"] * 6
    assert fake.max_inflight["a"] == 2


def test_async_caller_cancelled_cancels_the_upstream_request(fake: FakeOpenAIServer, make_gateway: MakeGateway) -> None:
    fake.scripts["a"] = Script(["hang"])
    records: list[CallRecord] = []
    gw = make_gateway({"a": endpoint(fake, "a", timeout_s=30)}, {"default": ["a"]}, on_call=records.append)

    async def go() -> None:
        task = asyncio.ensure_future(gw.achat("t", "x"))
        # cancel once the request is at the server (a fixed sleep raced the request on a loaded machine)
        for _ in range(500):
            if fake.requests:
                break
            await asyncio.sleep(0.01)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(go())
    assert wait_for(lambda: fake.disconnects >= 1)
    gw.flush()
    assert wait_for(lambda: bool(records)) and records[-1].status == "cancelled"


# ── streaming ──


def collect(gw, task: str = "t", **kw) -> list:
    return list(gw.stream(task, "你好", **kw))


@pytest.mark.parametrize("steps", [["500", "ok"], ["error_event", "ok"], ["malformed", "ok"]])
def test_stream_failures_before_text_are_retried_transparently(
    fake: FakeOpenAIServer, make_gateway: MakeGateway, steps: list[str]
) -> None:
    fake.scripts["a"] = Script(steps)
    gw = make_gateway({"a": endpoint(fake, "a")}, {"default": ["a"]})
    events = collect(gw)
    assert "".join(e.text for e in events if e.type == "delta") == "好的，已收到。"
    assert events[-1].type == "done" and events[-1].completion.attempts[-1].tries == 2


def test_truncated_stream_after_text_ends_with_an_error_event(fake: FakeOpenAIServer, make_gateway: MakeGateway) -> None:
    fake.scripts["a"] = Script(["truncate"], reply="第一段。第二段。第三段。", chunk_chars=3)
    records: list[CallRecord] = []
    gw = make_gateway({"a": endpoint(fake, "a"), "b": endpoint(fake, "b")}, {"default": ["a", "b"]}, on_call=records.append)
    events = collect(gw)
    assert [e.type for e in events][-1] == "error"
    assert events[0].type == "delta"  # text reached the client, so no silent switch to model b
    assert not any(r.model == "b" for r in fake.requests)
    gw.flush()
    assert records[-1].status == "failed"


def test_slow_stream_is_relayed_as_it_comes(fake: FakeOpenAIServer, make_gateway: MakeGateway) -> None:
    fake.scripts["a"] = Script(["slow:0.1"], reply="一二三四五六七八", chunk_chars=2)
    gw = make_gateway({"a": endpoint(fake, "a")}, {"default": ["a"]})
    arrivals = [(time.monotonic(), e) for e in gw.stream("t", "x")]
    deltas = [t for t, e in arrivals if e.type == "delta"]
    assert len(deltas) == 4 and deltas[-1] - deltas[0] >= 0.25  # not buffered until the end


def test_stalled_stream_times_out_and_closes_upstream(fake: FakeOpenAIServer, make_gateway: MakeGateway) -> None:
    fake.scripts["a"] = Script(["stall"])
    gw = make_gateway({"a": endpoint(fake, "a", timeout_s=0.3)}, {"default": ["a"]})
    t = time.monotonic()
    events = collect(gw)
    assert events[0].type == "delta" and events[-1].type == "error" and "no answer within" in events[-1].error
    assert time.monotonic() - t < 2
    assert wait_for(lambda: fake.disconnects >= 1)


def test_client_leaving_a_stream_cancels_upstream(fake: FakeOpenAIServer, make_gateway: MakeGateway) -> None:
    fake.scripts["a"] = Script(["slow:0.2"], reply="一二三四五六七八九十", chunk_chars=1)
    gw = make_gateway({"a": endpoint(fake, "a")}, {"default": ["a"]})

    async def go() -> None:
        stream = gw.astream("t", "x")
        first = await stream.__anext__()
        assert first.type == "delta"
        await stream.aclose()

    asyncio.run(go())
    assert wait_for(lambda: fake.disconnects >= 1)


def test_stream_with_no_model_raises_before_any_event(fake: FakeOpenAIServer, make_gateway: MakeGateway) -> None:
    gw = make_gateway({"a": endpoint(fake, "a")}, {"default": ["none"]})
    with pytest.raises(ModelUnavailable):
        collect(gw)


# ── reasoning, audit record, embeddings ──


@pytest.mark.parametrize("kind", ["inline", "field"])
@pytest.mark.parametrize("streamed", [False, True])
def test_reasoning_is_kept_out_of_text_and_in_the_audit(
    fake: FakeOpenAIServer, make_gateway: MakeGateway, kind: str, streamed: bool
) -> None:
    fake.scripts["r1"] = Script(
        reply="诊断：社区获得性肺炎。", chunk_chars=3, **({"think": "发热伴咳嗽，先考虑感染"} if kind == "inline" else {"reasoning": "发热伴咳嗽，先考虑感染"})
    )
    records: list[CallRecord] = []
    gw = make_gateway({"r1": endpoint(fake, "r1")}, {"default": ["r1"]}, on_call=records.append)
    if streamed:
        events = collect(gw)
        text = "".join(e.text for e in events if e.type == "delta")
        completion = events[-1].completion
    else:
        completion = gw.chat("t", "你好")
        text = completion.text
    assert text == "诊断：社区获得性肺炎。" and "think" not in text
    assert completion.reasoning == "发热伴咳嗽，先考虑感染"
    gw.flush()
    assert records[-1].reasoning == "发热伴咳嗽，先考虑感染"


def test_call_record_carries_prompt_hash_model_params_tokens_latency(
    fake: FakeOpenAIServer, make_gateway: MakeGateway, tmp_path
) -> None:
    (tmp_path / "notes.discharge.v3.j2").write_text("{% block user %}为（合成）患者写出院小结{% endblock %}", encoding="utf-8")
    prompt = PromptLibrary(tmp_path).render("notes.discharge")
    records: list[CallRecord] = []
    gw = make_gateway({"a": endpoint(fake, "a", temperature=0.1)}, {"default": ["a"]}, on_call=records.append)
    c = gw.chat("notes.discharge", prompt, params=GenParams(max_tokens=50))
    gw.flush()
    r = records[-1]
    assert (r.prompt_id, r.prompt_version, r.prompt_sha256) == ("notes.discharge", "v3", prompt.sha256)
    assert (r.model, r.model_id, r.backend, r.status, r.kind) == ("a", "a", "openai", "ok", "chat")
    assert r.params == {"temperature": 0.1, "max_tokens": 50}
    assert r.prompt_tokens and r.completion_tokens == len(c.text) and r.latency_ms > 0
    assert r.call_id == c.call_id and len(r.input_sha256) == 64
    assert "出院小结" not in r.model_dump_json()  # no input text in the record
    sent = fake.requests_for("/chat/completions")[-1].json
    assert (sent["temperature"], sent["max_tokens"]) == (0.1, 50)


def test_messages_pass_through_in_order(fake: FakeOpenAIServer, make_gateway: MakeGateway) -> None:
    fake.scripts["a"] = Script(reply="echo")
    gw = make_gateway({"a": endpoint(fake, "a")}, {"default": ["a"]})
    msgs = [Message(role="system", content="你是助手"), Message(role="user", content="问一"), Message(role="assistant", content="答一"),
            Message(role="user", content="问二")]
    assert gw.chat("t", msgs).text == "问二"
    assert fake.requests[-1].json["messages"] == [m.model_dump() for m in msgs]


def test_embeddings(fake: FakeOpenAIServer, make_gateway: MakeGateway) -> None:
    gw = make_gateway({"e": endpoint(fake, "e")}, {"retrieval": ["e"]})
    out = gw.embed("retrieval.dense", ["高血压", "糖尿病"])
    assert out.model == "e" and len(out.vectors) == 2 and len(out.vectors[0]) == 8
