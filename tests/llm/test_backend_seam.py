"""The Backend seam, worked example (docs/architecture.md, "Backend"): a hospital adds a runtime by
subclassing ``Backend`` and registering it; a ``[models.*]`` table names it, and the gateway's routing,
retries and call records apply to it with no change to the gateway."""

from __future__ import annotations

import pytest

from tests.llm.conftest import MakeGateway
from yizhu.errors import ConfigError, ModelCallError
from yizhu.llm import CallRecord
from yizhu.llm.backends import Backend, backend_class, known_backends, register_backend
from yizhu.llm.types import Capabilities, ChatRequest, ChatResponse


@register_backend
class ReverseBackend(Backend):
    """A toy runtime: answers with the last user message reversed; fails once when asked to."""

    name = "reverse-example"
    capabilities = Capabilities(can_stream=False, supports_schema=False, supports_embeddings=False)
    calls = 0

    async def chat(self, request: ChatRequest) -> ChatResponse:
        type(self).calls += 1
        text = request.messages[-1].content
        if text.startswith("失败一次") and type(self).calls == 1:
            raise ModelCallError("busy", retryable=True)
        return ChatResponse(text=text[::-1], model_id="reverse-1")


@pytest.fixture(autouse=True)
def _reset_calls() -> None:
    ReverseBackend.calls = 0


def test_a_registered_backend_is_named_in_a_models_table_and_answers_through_the_gateway(
    make_gateway: MakeGateway,
) -> None:
    assert "reverse-example" in known_backends() and backend_class("reverse-example") is ReverseBackend
    records: list[CallRecord] = []
    gw = make_gateway({"rev": {"backend": "reverse-example"}}, {"default": ["rev"]}, on_call=records.append)
    reply = gw.chat("notes.discharge", "你好医生")
    assert reply.text == "生医好你" and reply.model == "rev"
    gw.flush()
    assert records[-1].status == "ok" and records[-1].model == "rev"


def test_the_gateway_retries_a_retryable_backend_failure(make_gateway: MakeGateway) -> None:
    gw = make_gateway({"rev": {"backend": "reverse-example", "retries": 1, "backoff_s": 0.001}}, {"default": ["rev"]})
    assert gw.chat("chat", "失败一次再答").text == "答再次一败失"
    assert ReverseBackend.calls == 2


def test_a_class_that_is_not_a_backend_is_refused() -> None:
    with pytest.raises(ConfigError, match="is not a Backend"):
        register_backend(str)  # type: ignore[arg-type]
