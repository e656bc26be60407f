"""The model gateway: engines ask for "a model for task X" and never care which.

For each call the gateway walks the task's route (yizhu.llm.config), skipping models whose
circuit breaker is open, and for each model: waits for one of its ``max_concurrency`` slots,
de-identifies the messages if the model is external, sends them with a timeout, retries
retryable failures with exponential backoff and jitter, splits ``<think>`` reasoning from the
text, re-identifies the reply locally, validates structured output (re-asking a bounded number of
times), and moves on to the next model when one fails. The caller learns which model answered,
or gets ModelUnavailable / StructuredOutputError naming every attempt. Each call becomes one
CallRecord for the audit sink and feeds the Prometheus metrics.

All network I/O runs on the gateway's own event loop in a daemon thread, so the same gateway
serves sync engines (``chat``), async API handlers on another loop (``achat``) and the CLI, with
one connection pool per model. Cancelling an async caller (a client that disconnected) cancels
the work on the gateway loop and closes the upstream request.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import hashlib
import json
import logging
import queue
import random
import threading
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Iterator, Sequence
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from yizhu.config import Settings, secret_from_env
from yizhu.errors import (
    ConfigError,
    ModelCallError,
    ModelError,
    ModelUnavailable,
    StructuredOutputError,
    UnknownModel,
)
from yizhu.llm import structured as so
from yizhu.llm.backends import Backend, backend_class
from yizhu.llm.config import NONE, LLMConfig, ModelConfig, load_llm_config
from yizhu.llm.guard import (
    Guard,
    GuardFactory,
    StreamRestorer,
    egress_guard_factory,
    protect_messages,
    protect_texts,
)
from yizhu.llm.metrics import Metrics
from yizhu.llm.prompts import RenderedPrompt, render_prompt
from yizhu.llm.think import ThinkSplitter, split_think
from yizhu.llm.types import (
    Attempt,
    CallRecord,
    ChatRequest,
    ChatResponse,
    Completion,
    GenParams,
    Message,
    StreamEvent,
    Usage,
)

log = logging.getLogger(__name__)

T = TypeVar("T", bound=BaseModel)
R = TypeVar("R")
PromptInput = RenderedPrompt | Sequence[Message] | str
CallKind = Literal["chat", "stream", "structured", "embed", "check"]
_END = object()


# ── small parts ─────────────────────────────────────────────────────────────────────────────


class CircuitBreaker:
    """Stop sending to a model after ``threshold`` consecutive failures; probe again after a cooldown.

    Half-open admits one probe per cooldown: its success closes the breaker, its failure re-opens it,
    and a probe that never reports (cancelled) simply allows another after the next cooldown.
    """

    def __init__(self, threshold: int, cooldown_s: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.threshold = threshold
        self.cooldown_s = cooldown_s
        self._clock = clock
        self.failures = 0
        self.state: Literal["closed", "open", "half_open"] = "closed"
        self._since = 0.0

    def allow(self) -> bool:
        """Whether a request may go to the model now."""
        if self.state == "closed":
            return True
        now = self._clock()
        if now - self._since >= self.cooldown_s:
            self.state = "half_open"
            self._since = now
            return True
        return False

    def success(self) -> None:
        self.state = "closed"
        self.failures = 0

    def failure(self) -> None:
        self.failures += 1
        if self.state == "half_open" or self.failures >= self.threshold:
            self.state = "open"
            self._since = self._clock()


class _Portal:
    """The gateway's event loop, in a daemon thread started on first use."""

    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    @property
    def loop(self) -> asyncio.AbstractEventLoop:
        with self._lock:
            if self._loop is None:
                loop = asyncio.new_event_loop()
                ready = threading.Event()

                def run() -> None:
                    asyncio.set_event_loop(loop)
                    loop.call_soon(ready.set)
                    loop.run_forever()

                self._thread = threading.Thread(target=run, name="yizhu-llm-gateway", daemon=True)
                self._thread.start()
                ready.wait()
                self._loop = loop
            return self._loop

    def in_loop_thread(self) -> bool:
        return self._thread is not None and threading.current_thread() is self._thread

    def submit(self, coro: Coroutine[Any, Any, R]) -> concurrent.futures.Future[R]:
        return asyncio.run_coroutine_threadsafe(coro, self.loop)

    def call(self, coro: Coroutine[Any, Any, R]) -> R:
        """Run on the gateway loop and wait (sync callers)."""
        if self.in_loop_thread():
            coro.close()
            raise RuntimeError("the sync gateway API was called from the gateway's own loop; use the async API")
        return self.submit(coro).result()

    async def run(self, coro: Coroutine[Any, Any, R]) -> R:
        """Run on the gateway loop and await from any loop; cancelling the awaiter cancels the work."""
        if self.in_loop_thread():
            return await coro
        return await asyncio.wrap_future(self.submit(coro))

    def stop(self) -> None:
        with self._lock:
            loop, thread = self._loop, self._thread
            self._loop = self._thread = None
        if loop is not None:
            with suppress(RuntimeError, concurrent.futures.TimeoutError):
                asyncio.run_coroutine_threadsafe(loop.shutdown_asyncgens(), loop).result(5)
            loop.call_soon_threadsafe(loop.stop)
            if thread is not None:
                thread.join(timeout=5)
            loop.close()


@dataclass
class _Runtime:
    config: ModelConfig
    backend: Backend
    breaker: CircuitBreaker
    semaphore: asyncio.Semaphore | None = None
    inflight: int = 0


@dataclass
class _State:
    """Counters of one attempt on one model."""

    tries: int = 0
    repairs: int = 0


@dataclass
class _Call:
    call_id: str
    kind: CallKind
    task: str
    messages: list[Message]
    prompt: RenderedPrompt | None
    patient_key: str | None
    params: GenParams
    schema: type[BaseModel] | None = None
    model: str | None = None
    #: (PHI type, value) pairs known to identify the patient, masked everywhere for external models
    identifiers: tuple[tuple[str, str], ...] = ()
    started_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    t0: float = field(default_factory=time.perf_counter)

    @property
    def input_sha256(self) -> str:
        canonical = json.dumps(
            [[m.role, m.content] for m in self.messages], ensure_ascii=False, separators=(",", ":")
        )
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class _MidStream(Exception):
    """A stream failed after text reached the client: no fallback is possible."""

    def __init__(self, error: ModelCallError) -> None:
        super().__init__(str(error))
        self.error = error


# ── public result types ─────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Structured(Generic[T]):
    """A validated structured reply and the completion it came from."""

    value: T
    completion: Completion


class Embeddings(BaseModel):
    """Vectors for texts, and which model made them."""

    model_config = ConfigDict(extra="forbid")
    model: str
    vectors: list[list[float]]
    latency_ms: float


class ModelInfo(BaseModel):
    """One configured model as listings show it."""

    model_config = ConfigDict(extra="forbid")
    name: str
    backend: str
    endpoint: str
    model: str | None
    profile: str | None
    external: bool
    clinical: bool
    label: str | None
    max_concurrency: int
    timeout_s: float
    capabilities: dict[str, bool]
    breaker: str
    inflight: int
    routes: list[str] = Field(default_factory=list, description="tasks whose route lists this model")


class CheckReport(BaseModel):
    """Result of ``yizhu models check``: reachability, model id, capabilities, a structured probe."""

    model_config = ConfigDict(extra="forbid")
    name: str
    backend: str
    endpoint: str
    ok: bool
    reachable: bool
    served: list[str] = Field(default_factory=list)
    model_found: bool | None = None
    context_length: int | None = None
    capabilities: dict[str, bool] = Field(default_factory=dict)
    profile: str | None = None
    probe_ok: bool | None = None
    probe_latency_ms: float | None = None
    probe_model_id: str | None = None
    clinical: bool = True
    label: str | None = None
    error: str | None = None


class ProbeAnswer(BaseModel):
    """The schema of the structured-output probe."""

    model_config = ConfigDict(extra="forbid")
    answer: Literal["是", "否"]


def _capabilities(backend: Backend) -> dict[str, bool]:
    c = backend.capabilities
    return {
        "stream": c.can_stream,
        "native_schema": c.supports_schema,
        "embeddings": c.supports_embeddings,
        "in_process": c.in_process,
    }


def _join(*parts: str | None) -> str | None:
    text = "\n".join(p for p in parts if p)
    return text or None


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# ── the gateway ─────────────────────────────────────────────────────────────────────────────


class Gateway:
    """Routes, guards, limits, retries, validates and records every model call."""

    def __init__(
        self,
        config: LLMConfig,
        *,
        guard_factory: GuardFactory | None = None,
        on_call: Callable[[CallRecord], None] | None = None,
        secret: Callable[[str], str | None] = secret_from_env,
        metrics: Metrics | None = None,
        source: str = "yizhu.toml",
    ) -> None:
        self.config = config
        self.metrics = metrics or Metrics()
        self._guard_factory = guard_factory
        self._on_call = on_call
        self._sink = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="yizhu-llm-audit")
        self._portal = _Portal()
        self._runtimes: dict[str, _Runtime] = {}
        for name, cfg in config.models.items():
            cls = backend_class(cfg.backend)
            cls.validate_config(cfg, source)
            if cfg.external and guard_factory is None:
                raise ConfigError(
                    f"{source}: [models.{name}] is external = true but the de-identification guard "
                    "(yizhu.privacy) is not available; install it or set external = false only for a "
                    "model inside the hospital"
                )
            api_key = None
            if cfg.api_key_env:
                api_key = secret(cfg.api_key_env)
                if not api_key:
                    raise ConfigError(
                        f"{source}: [models.{name}] api_key_env = \"{cfg.api_key_env}\" but that environment "
                        f"variable is not set; export {cfg.api_key_env}=<key> or remove api_key_env"
                    )
            if cfg.backend == NONE:
                continue
            self._runtimes[name] = _Runtime(
                config=cfg,
                backend=cls(cfg, api_key=api_key),
                breaker=CircuitBreaker(cfg.breaker_failures, cfg.breaker_cooldown_s),
            )

    # ── introspection ──

    def has_model(self, task: str) -> bool:
        """Whether the task's route names any real model (engines may skip prompt building if not)."""
        return any(name in self._runtimes for name in self.config.route_for(task))

    def models(self) -> list[ModelInfo]:
        """Every configured model with its live state."""
        out = []
        for name, cfg in self.config.models.items():
            rt = self._runtimes.get(name)
            profile = getattr(rt.backend, "profile", None) if rt else None
            out.append(
                ModelInfo(
                    name=name,
                    backend=cfg.backend,
                    endpoint=cfg.endpoint,
                    model=cfg.model or (getattr(rt.backend, "model_id", None) if rt else None),
                    profile=getattr(profile, "name", None),
                    external=cfg.external,
                    clinical=cfg.clinical,
                    label=cfg.label,
                    max_concurrency=cfg.max_concurrency,
                    timeout_s=cfg.timeout_s,
                    capabilities=_capabilities(rt.backend) if rt else {},
                    breaker=rt.breaker.state if rt else "n/a",
                    inflight=rt.inflight if rt else 0,
                    routes=sorted(t for t, chain in self.config.routes.items() if name in chain),
                )
            )
        return out

    def _runtime(self, name: str) -> _Runtime:
        if name in self._runtimes:
            return self._runtimes[name]
        if name in self.config.models:
            raise ModelUnavailable(f"model '{name}' is configured with backend none (no model)", degraded="no_llm")
        known = ", ".join(sorted(self.config.models)) or "(none configured)"
        raise UnknownModel(f"unknown model '{name}'; configured models: {known} (see `yizhu models list`)")

    # ── public API: sync for engines, async for API handlers ──

    def chat(
        self,
        task: str,
        prompt: PromptInput,
        *,
        patient_key: str | None = None,
        params: GenParams | None = None,
        model: str | None = None,
        identifiers: Sequence[tuple[str, str]] = (),
    ) -> Completion:
        """One reply for a task (blocking). Raises ModelUnavailable when no model answers.

        ``identifiers`` are (PHI type, value) pairs known to identify the patient (from the record the
        engine works on, ``yizhu.privacy.record_identifiers``); for an external model every occurrence
        anywhere in the request is masked, as are the patient registry's values for ``patient_key``.
        """
        call = self._new_call("chat", task, prompt, patient_key, params, model, identifiers=identifiers)
        return self._portal.call(self._chat(call))

    async def achat(
        self,
        task: str,
        prompt: PromptInput,
        *,
        patient_key: str | None = None,
        params: GenParams | None = None,
        model: str | None = None,
        identifiers: Sequence[tuple[str, str]] = (),
    ) -> Completion:
        """One reply for a task (async, from any event loop)."""
        call = self._new_call("chat", task, prompt, patient_key, params, model, identifiers=identifiers)
        return await self._portal.run(self._chat(call))

    def structured(
        self,
        task: str,
        prompt: PromptInput,
        schema: type[T],
        *,
        patient_key: str | None = None,
        params: GenParams | None = None,
        model: str | None = None,
        identifiers: Sequence[tuple[str, str]] = (),
    ) -> Structured[T]:
        """A reply validated against a pydantic model (blocking); StructuredOutputError if none validates."""
        call = self._new_call("structured", task, prompt, patient_key, params, model, schema, identifiers=identifiers)
        return self._portal.call(self._structured(call, schema))

    async def astructured(
        self,
        task: str,
        prompt: PromptInput,
        schema: type[T],
        *,
        patient_key: str | None = None,
        params: GenParams | None = None,
        model: str | None = None,
        identifiers: Sequence[tuple[str, str]] = (),
    ) -> Structured[T]:
        """A reply validated against a pydantic model (async)."""
        call = self._new_call("structured", task, prompt, patient_key, params, model, schema, identifiers=identifiers)
        return await self._portal.run(self._structured(call, schema))

    def embed(self, task: str, texts: list[str], *, patient_key: str | None = None, model: str | None = None) -> Embeddings:
        """Vectors for texts from the task's route (blocking)."""
        return self._portal.call(self._embed(task, texts, patient_key, model))

    async def aembed(
        self, task: str, texts: list[str], *, patient_key: str | None = None, model: str | None = None
    ) -> Embeddings:
        """Vectors for texts (async)."""
        return await self._portal.run(self._embed(task, texts, patient_key, model))

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
        future.add_done_callback(lambda f: put(_END))
        try:
            while True:
                item = await events.get()
                if item is _END:
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
        future.add_done_callback(lambda f: events.put(_END))
        try:
            while True:
                item = events.get()
                if item is _END:
                    break
                yield item
            exc = future.exception()
            if exc is not None:
                raise exc
        finally:
            if not future.done():
                future.cancel()

    def check(self, name: str) -> CheckReport:
        """Reachability, served model ids, capabilities and a tiny structured probe (blocking)."""
        return self._portal.call(self._check(name))

    async def acheck(self, name: str) -> CheckReport:
        """The same, async."""
        return await self._portal.run(self._check(name))

    def flush(self, timeout: float = 10.0) -> None:
        """Wait until every CallRecord so far has reached the sink."""
        self._sink.submit(lambda: None).result(timeout=timeout)

    def close(self) -> None:
        """Close connections, unload in-process models, stop the loop."""
        if self._portal._loop is not None:
            async def _close() -> None:
                for rt in self._runtimes.values():
                    await rt.backend.aclose()

            with suppress(RuntimeError):
                self._portal.call(_close())
        self._portal.stop()
        self._sink.shutdown(wait=True)

    def __enter__(self) -> Gateway:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ── internals ──

    def _new_call(
        self,
        kind: CallKind,
        task: str,
        prompt: PromptInput,
        patient_key: str | None,
        params: GenParams | None,
        model: str | None,
        schema: type[BaseModel] | None = None,
        *,
        identifiers: Sequence[tuple[str, str]] = (),
    ) -> _Call:
        rendered = prompt if isinstance(prompt, RenderedPrompt) else None
        if isinstance(prompt, RenderedPrompt):
            messages = prompt.messages
        elif isinstance(prompt, str):
            messages = [Message(role="user", content=prompt)]
        else:
            messages = list(prompt)
        if not messages:
            raise ModelError("a model call needs at least one message")
        if model is not None:
            self._runtime(model)  # unknown names fail now, in the caller's thread
        return _Call(
            call_id=uuid.uuid4().hex,
            kind=kind,
            task=task,
            messages=messages,
            prompt=rendered,
            patient_key=patient_key,
            params=params or GenParams(),
            schema=schema,
            model=model,
            identifiers=tuple((str(t), str(v)) for t, v in identifiers),
        )

    def _route(self, call: _Call) -> tuple[str, ...]:
        return (call.model,) if call.model else self.config.route_for(call.task)

    def _guard_for(self, rt: _Runtime) -> Guard | None:
        if not rt.config.external:
            return None
        assert self._guard_factory is not None  # refused at construction otherwise
        try:
            return self._guard_factory()
        except Exception as exc:  # the guard could not start: nothing may be sent
            raise ModelCallError(f"model '{rt.config.name}' is external and the privacy guard failed to start ({exc})") from exc

    def _request(self, rt: _Runtime, call: _Call, guard: Guard | None) -> ChatRequest:
        messages = list(call.messages)
        if guard is not None:
            messages = protect_messages(
                guard, messages, call.patient_key or f"call:{call.call_id}", rt.config.name, call.identifiers
            )
        schema = schema_name = None
        if call.schema is not None:
            # added after de-identification: it holds no patient data, and a recognizer must not
            # rewrite the schema
            schema, schema_name, _ = so.schema_for(call.schema)
            note = so.instruction(schema)
            if messages[0].role == "system":
                messages[0] = Message(role="system", content=f"{messages[0].content}\n\n{note}")
            else:
                messages.insert(0, Message(role="system", content=note))
        return ChatRequest(
            messages=messages,
            params=call.params.merged_over(rt.config.defaults),
            json_schema=schema,  # each backend uses it as its profile allows (or not at all)
            schema_name=schema_name,
            protected=guard is not None,
        )

    @asynccontextmanager
    async def _slot(self, rt: _Runtime) -> AsyncIterator[None]:
        if rt.semaphore is None:
            rt.semaphore = asyncio.Semaphore(rt.config.max_concurrency)
        try:
            await asyncio.wait_for(rt.semaphore.acquire(), rt.config.timeout_s)
        except TimeoutError:
            raise ModelCallError(
                f"model '{rt.config.name}': all {rt.config.max_concurrency} slots stayed busy for "
                f"{rt.config.timeout_s:g} s; raise max_concurrency if the server can take more"
            ) from None
        rt.inflight += 1
        self.metrics.set("yizhu_llm_inflight", rt.inflight, model=rt.config.name)
        try:
            yield
        finally:
            rt.inflight -= 1
            self.metrics.set("yizhu_llm_inflight", rt.inflight, model=rt.config.name)
            rt.semaphore.release()

    def _breaker_gauge(self, rt: _Runtime) -> None:
        self.metrics.set("yizhu_llm_breaker_open", 1.0 if rt.breaker.state == "open" else 0.0, model=rt.config.name)

    async def _backoff(self, rt: _Runtime, attempt: int, err: ModelCallError) -> None:
        delay = min(rt.config.backoff_s * (2**attempt), 10.0) * (0.5 + random.random() / 2)
        if err.retry_after_s:
            delay = max(delay, min(err.retry_after_s, 10.0))
        await asyncio.sleep(delay)

    async def _with_retries(self, rt: _Runtime, task: str, state: _State, op: Callable[[], Awaitable[R]]) -> R:
        """One backend operation with timeout, retries on retryable errors, breaker and metrics."""
        cfg = rt.config
        for attempt in range(cfg.retries + 1):
            if attempt > 0 and not rt.breaker.allow():
                raise ModelCallError(f"model '{cfg.name}': circuit breaker opened during retries")
            state.tries += 1
            t = time.perf_counter()
            try:
                async with asyncio.timeout(cfg.timeout_s + 1.0):  # backstop over the transport's own timeouts
                    result = await op()
            except TimeoutError:
                err = ModelCallError(f"model '{cfg.name}': no answer within {cfg.timeout_s:g} s", retryable=True)
            except ModelCallError as exc:
                err = exc
            except Exception as exc:  # a backend bug must not take the route down: this model failed
                log.exception("model %s: unexpected error from backend %s", cfg.name, cfg.backend)
                err = ModelCallError(f"model '{cfg.name}': backend error {type(exc).__name__}: {exc}")
            else:
                rt.breaker.success()
                self._breaker_gauge(rt)
                self.metrics.inc("yizhu_llm_requests_total", model=cfg.name, task=task, outcome="ok")
                self.metrics.observe("yizhu_llm_request_seconds", time.perf_counter() - t, model=cfg.name, task=task)
                return result
            self.metrics.inc("yizhu_llm_requests_total", model=cfg.name, task=task, outcome="error")
            if err.retryable:
                rt.breaker.failure()
            else:
                rt.breaker.success()  # the server answered; the request was wrong
            self._breaker_gauge(rt)
            if not err.retryable or attempt == cfg.retries:
                raise err
            await self._backoff(rt, attempt, err)
        raise AssertionError("unreachable")  # pragma: no cover

    def _finish(self, resp: ChatResponse, guard: Guard | None) -> tuple[str, str, str | None]:
        """(text as the model wrote it, clinical text, reasoning): <think> split off, re-identified."""
        raw, inline_reasoning = split_think(resp.text)
        reasoning = _join(resp.reasoning, inline_reasoning)
        if guard is None:
            return raw, raw, reasoning
        return raw, guard.restore(raw), (guard.restore(reasoning) if reasoning else None)

    def _completion(
        self,
        rt: _Runtime,
        call: _Call,
        *,
        text: str,
        reasoning: str | None,
        model_id: str,
        usage: Usage,
        finish_reason: str | None,
        attempts: list[Attempt],
        repairs: int,
    ) -> Completion:
        return Completion(
            call_id=call.call_id,
            task=call.task,
            model=rt.config.name,
            model_id=model_id,
            text=text,
            reasoning=reasoning,
            finish_reason=finish_reason,
            prompt_tokens=usage.prompt_tokens,
            completion_tokens=usage.completion_tokens,
            latency_ms=round((time.perf_counter() - call.t0) * 1000, 3),
            attempts=attempts,
            degraded=[] if rt.config.clinical else ["demo_model"],
            repairs=repairs,
        )

    async def _attempt(self, rt: _Runtime, call: _Call, state: _State) -> tuple[ChatResponse, str, str | None, Any]:
        """One model of the route: guard, slot, send (+ repairs), finish."""
        guard = self._guard_for(rt)
        request = self._request(rt, call, guard)
        async with self._slot(rt):
            resp = await self._with_retries(rt, call.task, state, lambda: rt.backend.chat(request))
            raw, text, reasoning = self._finish(resp, guard)
            if call.schema is None:
                return resp, text, reasoning, None
            while True:
                try:
                    # parsed as written (surrogates) and re-identified string by string, never as raw JSON text
                    value = so.parse_reply(raw, call.schema, guard.restore if guard else None)
                    return resp, text, reasoning, value
                except so.InvalidReply as exc:
                    errors = exc.errors
                    if state.repairs >= rt.config.max_repairs:
                        raise StructuredOutputError(
                            f"model '{rt.config.name}': reply still invalid after {state.repairs} repair(s): "
                            + errors.replace("\n", " ")
                        ) from exc
                state.repairs += 1
                self.metrics.inc("yizhu_llm_repairs_total", model=rt.config.name, task=call.task)
                follow_up = [
                    # as the model wrote it (surrogates included), and field errors without values
                    Message(role="assistant", content=resp.text),
                    Message(role="user", content=so.repair_message(errors)),
                ]
                request = ChatRequest(
                    messages=request.messages + follow_up,
                    params=request.params,
                    json_schema=request.json_schema,
                    schema_name=request.schema_name,
                    protected=request.protected,
                )
                resp = await self._with_retries(rt, call.task, state, lambda req=request: rt.backend.chat(req))
                raw, text, reasoning = self._finish(resp, guard)

    def _candidates(self, call: _Call, attempts: list[Attempt]) -> Iterator[_Runtime]:
        """The route's models to try in order: skips those whose breaker is open (recording it) and
        ends at ``none`` or an unconfigured name (recorded as no_llm)."""
        for name in self._route(call):
            rt = self._runtimes.get(name)
            if rt is None:
                attempts.append(Attempt(model=name, outcome="no_llm"))
                return
            if not rt.breaker.allow():
                attempts.append(Attempt(model=name, outcome="breaker_open", error="circuit breaker open"))
                self.metrics.inc("yizhu_llm_requests_total", model=name, task=call.task, outcome="breaker_open")
                self.metrics.inc("yizhu_llm_fallbacks_total", task=call.task)
                continue
            yield rt

    async def _run(self, call: _Call) -> tuple[Completion, Any]:
        attempts: list[Attempt] = []
        rt: _Runtime | None = None
        try:
            for rt in self._candidates(call, attempts):
                name = rt.config.name
                state = _State()
                t = time.perf_counter()
                try:
                    resp, text, reasoning, value = await self._attempt(rt, call, state)
                except StructuredOutputError as exc:
                    attempts.append(self._failed(name, "invalid_output", exc, state, t))
                    self.metrics.inc("yizhu_llm_fallbacks_total", task=call.task)
                    continue
                except ModelCallError as exc:
                    attempts.append(self._failed(name, "error", exc, state, t))
                    self.metrics.inc("yizhu_llm_fallbacks_total", task=call.task)
                    continue
                attempts.append(
                    Attempt(model=name, outcome="ok", tries=state.tries, latency_ms=round((time.perf_counter() - t) * 1000, 3))
                )
                completion = self._completion(
                    rt,
                    call,
                    text=text,
                    reasoning=reasoning,
                    model_id=resp.model_id,
                    usage=resp.usage,
                    finish_reason=resp.finish_reason,
                    attempts=attempts,
                    repairs=state.repairs,
                )
                self._record_ok(rt, call, completion)
                return completion, value
        except asyncio.CancelledError:
            attempts.append(Attempt(model=rt.config.name if rt else "-", outcome="cancelled"))
            self._record_failed(call, "cancelled", attempts, "the caller went away")
            raise
        error = self._no_answer(call, attempts)
        status = "no_llm" if all(a.outcome == "no_llm" for a in attempts) else "failed"
        self._record_failed(call, status, attempts, str(error))
        raise error

    def _failed(self, name: str, outcome: Literal["error", "invalid_output"], exc: Exception, state: _State, t: float) -> Attempt:
        return Attempt(
            model=name, outcome=outcome, tries=state.tries, error=str(exc), latency_ms=round((time.perf_counter() - t) * 1000, 3)
        )

    def _no_answer(self, call: _Call, attempts: list[Attempt]) -> ModelError:
        route = " → ".join(self._route(call))
        if not attempts or all(a.outcome == "no_llm" for a in attempts):
            return ModelUnavailable(
                f"task '{call.task}': no model configured (route: {route}); the engine's rule path applies",
                degraded="no_llm",
                attempts=attempts,
            )
        detail = "; ".join(f"{a.model}: {a.error or a.outcome}" for a in attempts if a.outcome != "no_llm")
        if any(a.outcome == "invalid_output" for a in attempts):
            return StructuredOutputError(
                f"task '{call.task}': no model produced valid structured output ({detail})", attempts=attempts
            )
        return ModelUnavailable(
            f"task '{call.task}': no model answered ({detail}); check `yizhu models check`",
            degraded="no_llm",
            attempts=attempts,
        )

    async def _chat(self, call: _Call) -> Completion:
        completion, _ = await self._run(call)
        return completion

    async def _structured(self, call: _Call, schema: type[T]) -> Structured[T]:
        completion, value = await self._run(call)
        return Structured(value=value, completion=completion)

    async def _stream(self, call: _Call, put: Callable[[Any], None]) -> None:
        attempts: list[Attempt] = []
        rt: _Runtime | None = None
        try:
            for rt in self._candidates(call, attempts):
                name = rt.config.name
                state = _State()
                t = time.perf_counter()
                try:
                    completion = await self._stream_one(rt, call, state, put, attempts)
                except _MidStream as exc:
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
        self, rt: _Runtime, call: _Call, state: _State, put: Callable[[Any], None], attempts: list[Attempt]
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
                        raise _MidStream(err) from exc
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

    async def _embed(self, task: str, texts: list[str], patient_key: str | None, model: str | None) -> Embeddings:
        call = self._new_call("embed", task, [Message(role="user", content=t) for t in texts] or "", patient_key, None, model)
        attempts: list[Attempt] = []
        for name in self._route(call):
            rt = self._runtimes.get(name)
            if rt is None:
                attempts.append(Attempt(model=name, outcome="no_llm"))
                break
            if not rt.breaker.allow():
                attempts.append(Attempt(model=name, outcome="breaker_open", error="circuit breaker open"))
                continue
            state = _State()
            t = time.perf_counter()
            try:
                guard = self._guard_for(rt)
                sent = protect_texts(guard, texts, patient_key or f"call:{call.call_id}", name) if guard else texts
                async with self._slot(rt):
                    vectors = await self._with_retries(rt, task, state, lambda: rt.backend.embed(sent))  # noqa: B023
            except ModelCallError as exc:
                attempts.append(self._failed(name, "error", exc, state, t))
                continue
            attempts.append(Attempt(model=name, outcome="ok", tries=state.tries))
            latency = round((time.perf_counter() - call.t0) * 1000, 3)
            self._emit(
                CallRecord(
                    call_id=call.call_id,
                    kind="embed",
                    task=task,
                    started_at=call.started_at,
                    status="ok",
                    model=name,
                    model_id=rt.config.model,
                    backend=rt.config.backend,
                    external=rt.config.external,
                    input_sha256=call.input_sha256,
                    latency_ms=latency,
                    attempts=attempts,
                )
            )
            return Embeddings(model=name, vectors=vectors, latency_ms=latency)
        error = self._no_answer(call, attempts)
        self._record_failed(call, "no_llm" if all(a.outcome == "no_llm" for a in attempts) else "failed", attempts, str(error))
        raise error

    async def _check(self, name: str) -> CheckReport:
        cfg = self.config.models.get(name)
        if cfg is None:
            self._runtime(name)  # raises with the known names
            raise AssertionError("unreachable")  # pragma: no cover
        rt = self._runtimes.get(name)
        report = CheckReport(
            name=name, backend=cfg.backend, endpoint=cfg.endpoint, ok=False, reachable=False, clinical=cfg.clinical, label=cfg.label
        )
        if rt is None:
            report.error = "backend none: no model to check"
            return report
        report.capabilities = _capabilities(rt.backend)
        report.profile = getattr(getattr(rt.backend, "profile", None), "name", None)
        try:
            async with asyncio.timeout(cfg.timeout_s + 1.0):
                served = await rt.backend.list_models()
        except (ModelCallError, TimeoutError) as exc:
            report.error = str(exc) or f"no answer within {cfg.timeout_s:g} s"
            return report
        report.reachable = True
        report.served = [s.id for s in served]
        wanted = cfg.model or getattr(rt.backend, "model_id", None)
        if served and wanted:
            match = next((s for s in served if s.id == wanted), None)
            report.model_found = match is not None
            profile_default = getattr(getattr(rt.backend, "profile", None), "default_context", None)
            report.context_length = (match.context_length if match else None) or cfg.context_length or profile_default
        if report.model_found is False:
            report.error = f"the server does not serve '{wanted}'; set model to one of: {', '.join(report.served[:10])}"
        call = self._new_call(
            "check",
            "models.check",
            render_prompt("models.check_probe"),
            None,
            GenParams(temperature=0.0, max_tokens=64),
            name,
            ProbeAnswer,
        )
        t = time.perf_counter()
        try:
            completion, _ = await self._run(call)
            report.probe_ok = True
            report.probe_model_id = completion.model_id
        except ModelError as exc:
            report.probe_ok = False
            report.error = report.error or f"structured-output probe failed: {exc}"
        report.probe_latency_ms = round((time.perf_counter() - t) * 1000, 1)
        report.ok = bool(report.reachable and report.probe_ok and report.model_found is not False)
        return report

    # ── records ──

    def _emit(self, record: CallRecord) -> None:
        self.metrics.inc("yizhu_llm_calls_total", task=record.task, kind=record.kind, status=record.status)
        if self._on_call is None:
            return
        sink = self._on_call

        def deliver() -> None:
            try:
                sink(record)
            except Exception:  # the audit sink failing must be loud in the log but not break the reply
                log.exception("LLM call record %s could not be written to the audit sink", record.call_id)

        self._sink.submit(deliver)

    def _base_record(self, call: _Call) -> dict[str, Any]:
        schema_name = schema_sha = None
        if call.schema is not None:
            _, schema_name, schema_sha = so.schema_for(call.schema)
        return {
            "call_id": call.call_id,
            "kind": call.kind,
            "task": call.task,
            "started_at": call.started_at,
            "prompt_id": call.prompt.template_id if call.prompt else None,
            "prompt_version": call.prompt.version if call.prompt else None,
            "prompt_sha256": call.prompt.sha256 if call.prompt else None,
            "input_sha256": call.input_sha256,
            "params": call.params.model_dump(exclude_none=True),
            "schema_name": schema_name,
            "schema_sha256": schema_sha,
        }

    def _record_ok(self, rt: _Runtime, call: _Call, completion: Completion) -> None:
        cfg = rt.config
        params = call.params.merged_over(cfg.defaults).model_dump(exclude_none=True)
        if completion.completion_tokens is not None:
            self.metrics.inc("yizhu_llm_tokens_total", completion.completion_tokens, model=cfg.name, task=call.task, direction="completion")
        if completion.prompt_tokens is not None:
            self.metrics.inc("yizhu_llm_tokens_total", completion.prompt_tokens, model=cfg.name, task=call.task, direction="prompt")
        base = self._base_record(call)
        base["params"] = params
        self._emit(
            CallRecord(
                **base,
                status="ok",
                model=cfg.name,
                model_id=completion.model_id,
                backend=cfg.backend,
                external=cfg.external,
                output_sha256=_sha(completion.text),
                prompt_tokens=completion.prompt_tokens,
                completion_tokens=completion.completion_tokens,
                latency_ms=completion.latency_ms,
                repairs=completion.repairs,
                attempts=completion.attempts,
                reasoning=completion.reasoning,
                degraded=completion.degraded,
            )
        )

    def _record_failed(
        self, call: _Call, status: Literal["failed", "no_llm", "cancelled"], attempts: list[Attempt], error: str
    ) -> None:
        self._emit(
            CallRecord(
                **self._base_record(call),
                status=status,
                latency_ms=round((time.perf_counter() - call.t0) * 1000, 3),
                attempts=list(attempts),
                error=error,
                degraded=["no_llm"],
            )
        )


def build_gateway(settings: Settings, *, on_call: Callable[[CallRecord], None] | None = None) -> Gateway:
    """The gateway for these settings: models and routes from yizhu.toml, the privacy guard, the sink.

    Raises ConfigError at start-up for any bad table, unset ``api_key_env`` variable, missing GGUF
    file, or an external model without the privacy package.
    """
    config = load_llm_config(settings)
    return Gateway(config, guard_factory=egress_guard_factory(settings), on_call=on_call)
