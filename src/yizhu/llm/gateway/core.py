"""The ``Gateway``: engines ask for "a model for task X" and never care which.

This module holds routing — the public sync and async API, walking the task's route, guarding external
models, building the request, validating and re-asking structured output — and ``build_gateway``. The
other jobs are mixins beside it: ``retries`` (slots, backoff, circuit breaker), ``streaming``,
``embeddings``, ``health`` (``check``) and ``audit`` (one CallRecord per call).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import suppress
from typing import Any

from pydantic import BaseModel

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
from yizhu.llm.backends import backend_class
from yizhu.llm.config import NONE, LLMConfig, load_llm_config
from yizhu.llm.gateway.audit import AuditMixin
from yizhu.llm.gateway.breaker import CircuitBreaker
from yizhu.llm.gateway.calls import Call, CallKind, CallState, LoopPortal, ModelRuntime, PromptInput, T
from yizhu.llm.gateway.embeddings import EmbeddingMixin
from yizhu.llm.gateway.health import HealthMixin
from yizhu.llm.gateway.results import ModelInfo, Structured, capabilities_of, join_text
from yizhu.llm.gateway.retries import RetryMixin
from yizhu.llm.gateway.streaming import StreamingMixin
from yizhu.llm.guard import (
    Guard,
    GuardFactory,
    egress_guard_factory,
    protect_messages,
)
from yizhu.llm.metrics import Metrics
from yizhu.llm.prompts import RenderedPrompt
from yizhu.llm.think import split_think
from yizhu.llm.types import (
    Attempt,
    CallRecord,
    ChatRequest,
    ChatResponse,
    Completion,
    GenParams,
    Message,
    Usage,
)

# ── the gateway ─────────────────────────────────────────────────────────────────────────────


class Gateway(StreamingMixin, EmbeddingMixin, HealthMixin, RetryMixin, AuditMixin):
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
        self._portal = LoopPortal()
        self._runtimes: dict[str, ModelRuntime] = {}
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
            self._runtimes[name] = ModelRuntime(
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
                    capabilities=capabilities_of(rt.backend) if rt else {},
                    breaker=rt.breaker.state if rt else "n/a",
                    inflight=rt.inflight if rt else 0,
                    routes=sorted(t for t, chain in self.config.routes.items() if name in chain),
                )
            )
        return out

    def _runtime(self, name: str) -> ModelRuntime:
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
    ) -> Call:
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
        return Call(
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

    def _route(self, call: Call) -> tuple[str, ...]:
        return (call.model,) if call.model else self.config.route_for(call.task)

    def _guard_for(self, rt: ModelRuntime) -> Guard | None:
        if not rt.config.external:
            return None
        assert self._guard_factory is not None  # refused at construction otherwise
        try:
            return self._guard_factory()
        except Exception as exc:  # the guard could not start: nothing may be sent
            raise ModelCallError(f"model '{rt.config.name}' is external and the privacy guard failed to start ({exc})") from exc

    def _request(self, rt: ModelRuntime, call: Call, guard: Guard | None) -> ChatRequest:
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

    def _finish(self, resp: ChatResponse, guard: Guard | None) -> tuple[str, str, str | None]:
        """(text as the model wrote it, clinical text, reasoning): <think> split off, re-identified."""
        raw, inline_reasoning = split_think(resp.text)
        reasoning = join_text(resp.reasoning, inline_reasoning)
        if guard is None:
            return raw, raw, reasoning
        return raw, guard.restore(raw), (guard.restore(reasoning) if reasoning else None)

    def _completion(
        self,
        rt: ModelRuntime,
        call: Call,
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

    async def _attempt(self, rt: ModelRuntime, call: Call, state: CallState) -> tuple[ChatResponse, str, str | None, Any]:
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

    def _candidates(self, call: Call, attempts: list[Attempt]) -> Iterator[ModelRuntime]:
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

    async def _run(self, call: Call) -> tuple[Completion, Any]:
        attempts: list[Attempt] = []
        rt: ModelRuntime | None = None
        try:
            for rt in self._candidates(call, attempts):
                name = rt.config.name
                state = CallState()
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

    def _no_answer(self, call: Call, attempts: list[Attempt]) -> ModelError:
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

    async def _chat(self, call: Call) -> Completion:
        completion, _ = await self._run(call)
        return completion

    async def _structured(self, call: Call, schema: type[T]) -> Structured[T]:
        completion, value = await self._run(call)
        return Structured(value=value, completion=completion)

def build_gateway(settings: Settings, *, on_call: Callable[[CallRecord], None] | None = None) -> Gateway:
    """The gateway for these settings: models and routes from yizhu.toml, the privacy guard, the sink.

    Raises ConfigError at start-up for any bad table, unset ``api_key_env`` variable, missing GGUF
    file, or an external model without the privacy package.
    """
    config = load_llm_config(settings)
    return Gateway(config, guard_factory=egress_guard_factory(settings), on_call=on_call)
