"""HTTP routes of the model gateway: list, check, chat (optionally as Server-Sent Events), metrics.

The app factory puts the gateway at ``app.state.gateway`` (``build_gateway(settings, on_call=...)``)
and includes ``router``. A client that disconnects cancels its model call: SSE responses watch for
the disconnect themselves (whatever ASGI version the server speaks), and plain chat requests are
polled for it while the model works.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Coroutine
from typing import Annotated, Any

import anyio
from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import PlainTextResponse, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.types import Receive, Scope, Send

from yizhu.api.deps import Admin, Reader
from yizhu.errors import ConfigError, InputError, NotFoundError
from yizhu.llm.gateway import CheckReport, Gateway, ModelInfo
from yizhu.llm.metrics import CONTENT_TYPE
from yizhu.llm.types import Completion, GenParams, Message, StreamEvent

router = APIRouter(tags=["models"])
DISCONNECT_POLL_S = 0.25


def get_gateway(request: Request) -> Gateway:
    gateway = getattr(request.app.state, "gateway", None)
    if gateway is None:
        raise ConfigError("the model gateway is not set up: the app factory must set app.state.gateway = build_gateway(settings)")
    return gateway


GatewayDep = Annotated[Gateway, Depends(get_gateway)]


class ModelsOut(BaseModel):
    """Configured models and routes."""

    models: list[ModelInfo]
    routes: dict[str, list[str]]


class ChatIn(BaseModel):
    """One turn with one model: a text or a list of messages."""

    model_config = ConfigDict(extra="forbid")
    text: str | None = Field(default=None, max_length=200_000)
    messages: list[Message] | None = Field(default=None, max_length=200)
    task: str = Field(default="models.chat", pattern=r"^[a-z0-9_.\-]{1,100}$")
    patient_key: str | None = Field(default=None, max_length=200, description="for consistent surrogates on external models")
    params: GenParams | None = None
    stream: bool = Field(default=False, description="reply as Server-Sent Events (delta, done, error)")


class ChatOut(BaseModel):
    """The reply and which model gave it (reasoning stays in the audit log)."""

    completion: Completion


def _public(completion: Completion) -> dict[str, Any]:
    return completion.model_dump(mode="json", exclude={"reasoning"})


def _known(gateway: Gateway, name: str) -> None:
    if name not in gateway.config.models:
        known = ", ".join(sorted(gateway.config.models)) or "(none configured)"
        raise NotFoundError(f"no model '{name}'; configured models: {known}")


class _DisconnectAwareStream(StreamingResponse):
    """A streaming response that stops (and so cancels the model call) as soon as the client leaves."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async with anyio.create_task_group() as tg:

            async def stream() -> None:
                with contextlib.suppress(OSError):  # the client vanished mid-write
                    await self.stream_response(send)
                tg.cancel_scope.cancel()

            async def watch() -> None:
                await self.listen_for_disconnect(receive)
                tg.cancel_scope.cancel()

            tg.start_soon(stream)
            tg.start_soon(watch)


def _sse(event: StreamEvent) -> bytes:
    if event.type == "delta":
        data: dict[str, Any] = {"text": event.text}
    elif event.type == "done" and event.completion is not None:
        data = _public(event.completion)
    else:
        data = {"error": event.error, "type": event.error_type}
    return f"event: {event.type}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n".encode()


async def _events(first: StreamEvent | None, rest: AsyncIterator[StreamEvent]) -> AsyncIterator[bytes]:
    try:
        if first is not None:
            yield _sse(first)
        async for event in rest:
            yield _sse(event)
    finally:
        await rest.aclose()  # type: ignore[attr-defined]


async def _until_disconnect(request: Request, work: Coroutine[Any, Any, Completion]) -> Completion | None:
    """Run the model call; cancel it if the client disconnects first (then return None)."""
    task = asyncio.ensure_future(work)
    try:
        while True:
            done, _ = await asyncio.wait({task}, timeout=DISCONNECT_POLL_S)
            if done:
                return task.result()
            if await request.is_disconnected():
                task.cancel()
                return None
    finally:
        if not task.done():
            task.cancel()


@router.get("/v1/models", response_model=ModelsOut)
def list_models(_: Reader, gateway: GatewayDep) -> ModelsOut:
    """Configured models with their live state (breaker, in flight) and the task routes."""
    return ModelsOut(models=gateway.models(), routes={t: list(c) for t, c in gateway.config.routes.items()})


@router.post("/v1/models/{name}/check", response_model=CheckReport)
async def check_model(name: str, _: Admin, gateway: GatewayDep) -> CheckReport:
    """Reachability, served model id, capabilities and a tiny structured-output probe."""
    _known(gateway, name)
    return await gateway.acheck(name)


@router.post("/v1/models/{name}/chat", response_model=ChatOut, response_model_exclude={"completion": {"reasoning"}},
             responses={200: {"content": {"text/event-stream": {"schema": {"type": "object"}}}}})
async def chat(name: str, body: ChatIn, request: Request, _: Reader, gateway: GatewayDep) -> Any:
    """One turn with one model through the gateway (privacy guard included); ``stream`` gives SSE."""
    _known(gateway, name)
    if (body.text is None) == (body.messages is None):
        raise InputError("give exactly one of: text, messages")
    prompt: str | list[Message] = body.text if body.text is not None else list(body.messages or [])
    kwargs: dict[str, Any] = {"patient_key": body.patient_key, "params": body.params, "model": name}
    if body.stream:
        events = gateway.astream(body.task, prompt, **kwargs)
        try:
            first: StreamEvent | None = await events.__anext__()
        except StopAsyncIteration:
            first = None
        except BaseException:
            await events.aclose()  # type: ignore[attr-defined]
            raise  # nothing was sent yet: answer with problem+json
        return _DisconnectAwareStream(
            _events(first, events),
            media_type="text/event-stream",
            headers={"cache-control": "no-cache", "x-accel-buffering": "no"},
        )
    completion = await _until_disconnect(request, gateway.achat(body.task, prompt, **kwargs))
    if completion is None:
        return Response(status_code=499)  # client closed the request; nobody reads this
    return {"completion": _public(completion)}


@router.get("/metrics", response_class=PlainTextResponse, include_in_schema=False)
def metrics(_: Reader, gateway: GatewayDep) -> PlainTextResponse:
    """Prometheus counters and latency histograms per model and task."""
    return PlainTextResponse(gateway.metrics.render(), media_type=CONTENT_TYPE)
