"""Streaming: a reply as token events, guarded and re-identified as it arrives, from the first model on
the route that starts answering.
"""

from __future__ import annotations

import asyncio
import queue
import time
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from typing import Any

from yizhu.errors import ModelCallError
from yizhu.llm.gateway.calls import END, Call, CallState, MidStream, ModelRuntime, PromptInput
from yizhu.llm.guard import StreamRestorer
from yizhu.llm.think import ThinkSplitter
from yizhu.llm.types import (
    Attempt,
    Completion,
    GenParams,
    StreamEvent,
    Usage,
)


class StreamingMixin:
    """``stream`` / ``astream``: token events from the first model on the route that starts answering.

    Mixed into ``Gateway``; a model that fails mid-stream is not retried (the caller has the tokens).
    """

    async def astream(
        self,
        task: str,
        prompt: PromptInput,
        *,
        patient_key: str | None = None,
        params: GenParams | None = None,
        model: str | None = None,
        identifiers: Sequence[tuple[str, str]] = (),
    ) -> AsyncIterator[StreamEvent]:
        """Stream a reply: ``delta`` events, then one ``done`` (with the Completion) or ``error``.

        Failures before the first delta fall back along the route and, if nothing answers, raise
        (ModelUnavailable) before any event, so an API can still answer with a plain error. Closing
        the iterator (client gone) cancels the upstream request.
        """
        call = self._new_call("stream", task, prompt, patient_key, params, model, identifiers=identifiers)
        loop = asyncio.get_running_loop()
        events: asyncio.Queue[Any] = asyncio.Queue()

        def put(item: Any) -> None:
            loop.call_soon_threadsafe(events.put_nowait, item)

        future = self._portal.submit(self._stream(call, put))
        future.add_done_callback(lambda f: put(END))
        try:
            while True:
                item = await events.get()
                if item is END:
                    break
                yield item
            exc = future.exception()
            if exc is not None:
                raise exc
        finally:
            if not future.done():
                future.cancel()

    def stream(
        self,
        task: str,
        prompt: PromptInput,
        *,
        patient_key: str | None = None,
        params: GenParams | None = None,
        model: str | None = None,
        identifiers: Sequence[tuple[str, str]] = (),
    ) -> Iterator[StreamEvent]:
        """Stream a reply to a sync caller (the CLI)."""
        call = self._new_call("stream", task, prompt, patient_key, params, model, identifiers=identifiers)
        events: queue.Queue[Any] = queue.Queue()
        future = self._portal.submit(self._stream(call, events.put))
        future.add_done_callback(lambda f: events.put(END))
        try:
            while True:
                item = events.get()
                if item is END:
                    break
                yield item
            exc = future.exception()
            if exc is not None:
                raise exc
        finally:
            if not future.done():
                future.cancel()

    async def _stream(self, call: Call, put: Callable[[Any], None]) -> None:
        attempts: list[Attempt] = []
        rt: ModelRuntime | None = None
        try:
            for rt in self._candidates(call, attempts):
                name = rt.config.name
                state = CallState()
                t = time.perf_counter()
                try:
                    completion = await self._stream_one(rt, call, state, put, attempts)
                except MidStream as exc:
                    attempts.append(self._failed(name, "error", exc.error, state, t))
                    self._record_failed(call, "failed", attempts, str(exc.error))
                    put(StreamEvent(type="error", error=str(exc.error), error_type=type(exc.error).__name__))
                    return
                except ModelCallError as exc:
                    attempts.append(self._failed(name, "error", exc, state, t))
                    self.metrics.inc("yizhu_llm_fallbacks_total", task=call.task)
                    continue
                self._record_ok(rt, call, completion)
                put(StreamEvent(type="done", completion=completion))
                return
        except asyncio.CancelledError:
            attempts.append(Attempt(model=rt.config.name if rt else "-", outcome="cancelled"))
            self._record_failed(call, "cancelled", attempts, "the client went away")
            raise
        error = self._no_answer(call, attempts)
        status = "no_llm" if all(a.outcome == "no_llm" for a in attempts) else "failed"
        self._record_failed(call, status, attempts, str(error))
        raise error

    async def _stream_one(
        self, rt: ModelRuntime, call: Call, state: CallState, put: Callable[[Any], None], attempts: list[Attempt]
    ) -> Completion:
        cfg = rt.config
        guard = self._guard_for(rt)
        request = self._request(rt, call, guard)
        delivered = False
        async with self._slot(rt):
            for attempt in range(cfg.retries + 1):
                if attempt > 0 and not rt.breaker.allow():
                    raise ModelCallError(f"model '{cfg.name}': circuit breaker opened during retries")
                state.tries += 1
                t = time.perf_counter()
                splitter = ThinkSplitter()
                restorer = StreamRestorer(guard.restore) if guard else None
                text: list[str] = []
                reasoning: list[str] = []
                usage, model_id, finish = Usage(), cfg.model or cfg.name, None
                try:
                    async with asyncio.timeout(cfg.stream_max_s):
                        chunks = rt.backend.stream(request)
                        try:
                            async for chunk in chunks:
                                content, inline = splitter.feed(chunk.text)
                                if chunk.reasoning or inline:
                                    reasoning.append(chunk.reasoning + inline)
                                if restorer is not None and content:
                                    content = restorer.feed(content)
                                if content:
                                    delivered = True
                                    text.append(content)
                                    put(StreamEvent(type="delta", text=content))
                                usage = chunk.usage or usage
                                model_id = chunk.model_id or model_id
                                finish = chunk.finish_reason or finish
                        finally:
                            await chunks.aclose()  # type: ignore[attr-defined]
                    content, inline = splitter.close()
                    if inline:
                        reasoning.append(inline)
                    if restorer is not None:
                        content = restorer.feed(content) + restorer.close()
                    if content:
                        text.append(content)
                        put(StreamEvent(type="delta", text=content))
                except (ModelCallError, TimeoutError) as exc:
                    err = exc if isinstance(exc, ModelCallError) else ModelCallError(
                        f"model '{cfg.name}': the stream lasted longer than {cfg.stream_max_s:g} s", retryable=False
                    )
                    self.metrics.inc("yizhu_llm_requests_total", model=cfg.name, task=call.task, outcome="error")
                    if err.retryable:
                        rt.breaker.failure()
                    self._breaker_gauge(rt)
                    if delivered:
                        raise MidStream(err) from exc
                    if not err.retryable or attempt == cfg.retries:
                        raise err from exc
                    await self._backoff(rt, attempt, err)
                    continue
                rt.breaker.success()
                self._breaker_gauge(rt)
                self.metrics.inc("yizhu_llm_requests_total", model=cfg.name, task=call.task, outcome="ok")
                self.metrics.observe("yizhu_llm_request_seconds", time.perf_counter() - t, model=cfg.name, task=call.task)
                reasoning_text = "".join(reasoning).strip() or None
                if guard is not None and reasoning_text:
                    reasoning_text = guard.restore(reasoning_text)
                return self._completion(
                    rt,
                    call,
                    text="".join(text),
                    reasoning=reasoning_text,
                    model_id=model_id,
                    usage=usage,
                    finish_reason=finish,
                    attempts=[*attempts, Attempt(model=cfg.name, outcome="ok", tries=state.tries)],
                    repairs=0,
                )
        raise AssertionError("unreachable")  # pragma: no cover
