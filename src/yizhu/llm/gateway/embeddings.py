"""Embeddings: vectors for texts from the first model on the task's route that can embed.
"""

from __future__ import annotations

import time

from yizhu.errors import ModelCallError
from yizhu.llm.gateway.calls import CallState
from yizhu.llm.gateway.results import Embeddings
from yizhu.llm.guard import protect_texts
from yizhu.llm.types import (
    Attempt,
    CallRecord,
    Message,
)


class EmbeddingMixin:
    """``embed`` / ``aembed``: vectors for texts from the task's embedding route.

    Mixed into ``Gateway``.
    """

    def embed(self, task: str, texts: list[str], *, patient_key: str | None = None, model: str | None = None) -> Embeddings:
        """Vectors for texts from the task's route (blocking)."""
        return self._portal.call(self._embed(task, texts, patient_key, model))

    async def aembed(
        self, task: str, texts: list[str], *, patient_key: str | None = None, model: str | None = None
    ) -> Embeddings:
        """Vectors for texts (async)."""
        return await self._portal.run(self._embed(task, texts, patient_key, model))

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
            state = CallState()
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
