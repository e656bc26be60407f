"""The privacy guard: an external model only ever receives de-identified text, and engines cannot skip it.

The PHI test reads every byte the external endpoint received (request line, headers, body) and
looks for each identifier of a synthetic (合成) patient, raw and JSON-escaped.
"""

from __future__ import annotations

import asyncio
import json

import pytest
from pydantic import BaseModel

from tests.llm.conftest import MakeGateway, endpoint
from yizhu.errors import ModelCallError
from yizhu.llm.backends.openai import OpenAIBackend
from yizhu.llm.config import ModelConfig
from yizhu.llm.testing import FakeOpenAIServer, Script
from yizhu.llm.types import ChatRequest, GenParams, Message

ID_BODY = "11010519790315421"


def id_card() -> str:
    from yizhu.privacy.validators import cn_id_check_char

    return ID_BODY + cn_id_check_char(ID_BODY)


def phi() -> dict[str, str]:
    return {
        "name": "欧阳建国",
        "phone": "13912345678",
        "id_card": id_card(),
        "address": "北京市朝阳区建国路88号",
        "mrn": "ZY20240315007",
    }


def note(p: dict[str, str]) -> str:
    return (
        f"【合成病历 · synthetic】患者{p['name']}，男，45岁，身份证号{p['id_card']}，联系电话{p['phone']}，"
        f"住址{p['address']}，住院号{p['mrn']}。主诉：胸痛2小时。"
    )


def leaked(server: FakeOpenAIServer, values: list[str]) -> list[str]:
    sent = b"".join(r.raw for r in server.requests)
    found = []
    for v in values:
        forms = {v.encode("utf-8"), json.dumps(v).strip('"').encode("ascii")}
        if any(f in sent for f in forms):
            found.append(v)
    return found


@pytest.fixture
def guard_factory(tmp_path):
    from yizhu.config import Settings
    from yizhu.llm.guard import egress_guard_factory

    factory = egress_guard_factory(Settings(data_dir=tmp_path))
    if factory is None:
        pytest.skip("yizhu.privacy.EgressGuard is not available")
    return factory


class Summary(BaseModel):
    summary: str


def test_no_phi_in_any_byte_sent_to_an_external_model(
    fake: FakeOpenAIServer, make_gateway: MakeGateway, guard_factory
) -> None:
    p = phi()
    fake.scripts["cloud"] = Script(reply="echo", chunk_chars=3)
    gw = make_gateway({"cloud": endpoint(fake, "cloud", external=True)}, {"default": ["cloud"]}, guard_factory=guard_factory)
    text = note(p)
    system = Message(role="system", content=f"为患者{p['name']}（电话{p['phone']}）写摘要。")
    reply = gw.chat("notes.summary", [system, Message(role="user", content=text)], patient_key="P001")
    streamed = "".join(e.text for e in gw.stream("notes.summary", text, patient_key="P001") if e.type == "delta")
    gw.embed("retrieval", [text], patient_key="P001")

    async def via_async() -> str:
        return (await gw.achat("notes.summary", text, patient_key="P001")).text

    async_reply = asyncio.run(via_async())
    assert len(fake.requests) == 4
    assert leaked(fake, list(p.values())) == []
    # the echo comes back in surrogates and is re-identified locally
    assert reply.text == text and streamed == text and async_reply == text


def test_structured_reply_from_an_external_model_is_reidentified(
    fake: FakeOpenAIServer, make_gateway: MakeGateway, guard_factory
) -> None:
    p = phi()
    fake.scripts["cloud"] = Script(reply="echo")
    gw = make_gateway({"cloud": endpoint(fake, "cloud", external=True)}, {"default": ["cloud"]}, guard_factory=guard_factory)
    payload = json.dumps({"summary": note(p)}, ensure_ascii=False)
    out = gw.structured("notes.summary", payload, Summary, patient_key="P001")
    assert out.value.summary == note(p)
    assert leaked(fake, list(p.values())) == []


def test_local_models_get_the_text_as_is(fake: FakeOpenAIServer, make_gateway: MakeGateway) -> None:
    fake.scripts["local"] = Script(reply="echo")
    gw = make_gateway({"local": endpoint(fake, "local")}, {"default": ["local"]})
    gw.chat("t", "患者欧阳建国（合成）")
    assert leaked(fake, ["欧阳建国"]) == ["欧阳建国"]  # inside the hospital: no de-identification


def test_a_failing_guard_sends_nothing_and_falls_back_to_a_local_model(
    fake: FakeOpenAIServer, make_gateway: MakeGateway
) -> None:
    class BrokenGuard:
        def protect(self, text: str, patient_key: str) -> str:
            raise RuntimeError("recognizer crashed")

        def restore(self, reply_text: str) -> str:
            return reply_text

    fake.scripts["local"] = Script(reply="本地回复")
    gw = make_gateway(
        {"cloud": endpoint(fake, "cloud", external=True), "local": endpoint(fake, "local")},
        {"default": ["cloud", "local"]},
        guard_factory=BrokenGuard,
    )
    c = gw.chat("t", "患者欧阳建国（合成）")
    assert c.model == "local" and "de-identification failed" in (c.attempts[0].error or "")
    assert [r.model for r in fake.requests] == ["local"]


def test_the_backend_refuses_text_that_skipped_the_guard(fake: FakeOpenAIServer) -> None:
    cfg = ModelConfig(name="cloud", base_url=fake.base_url, model="cloud", external=True)
    backend = OpenAIBackend(cfg)
    request = ChatRequest(messages=[Message(role="user", content="患者欧阳建国")], params=GenParams())

    async def send() -> None:
        try:
            await backend.chat(request)
        finally:
            await backend.aclose()

    with pytest.raises(ModelCallError, match="not de-identified; refusing to send"):
        asyncio.run(send())
    assert fake.requests == []


SURROGATES = {"张伟": "欧阳建国", "13800000000": "13912345678"}


def restore(text: str) -> str:
    for surrogate, original in SURROGATES.items():
        text = text.replace(surrogate, original)
    return text


@pytest.mark.parametrize("size", [1, 2, 3, 7])
def test_streamed_reply_is_reidentified_without_splitting_a_surrogate(size: int) -> None:
    from yizhu.llm.guard import StreamRestorer

    reply = "患者张伟，电话13800000000。复诊时间另行通知\n张伟已知晓"
    restorer = StreamRestorer(restore)
    out = "".join(restorer.feed(reply[i: i + size]) for i in range(0, len(reply), size)) + restorer.close()
    assert out == restore(reply)


def test_repair_errors_for_an_external_model_never_hold_restored_values() -> None:
    from pydantic import ConfigDict

    from yizhu.llm.structured import InvalidReply, parse_reply

    class Strict(BaseModel):
        model_config = ConfigDict(extra="forbid")
        summary: str

    with pytest.raises(InvalidReply) as exc:
        parse_reply('{"summary": "x", "张伟": "13800000000"}', Strict, restore)
    assert "张伟" in exc.value.errors and "欧阳建国" not in exc.value.errors  # a key from the reply, as written
    assert parse_reply('{"summary": "患者张伟"}', Strict, restore).summary == "患者欧阳建国"
