"""Retries and the circuit breaker: a model's concurrency slots, retryable failures retried with backoff
and jitter, and a breaker that stops sending to a model after consecutive failures.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Literal

from yizhu.errors import ModelCallError
from yizhu.llm.gateway.calls import CallState, ModelRuntime, R
from yizhu.llm.types import Attempt

log = logging.getLogger("yizhu.llm.gateway")  # one logger for the whole gateway


class RetryMixin:
    """Concurrency slots, retries with exponential backoff and jitter, and the circuit breaker per model.

    Mixed into ``Gateway``; reads its ``metrics`` and each ``ModelRuntime``.
    """

    @asynccontextmanager
    async def _slot(self, rt: ModelRuntime) -> AsyncIterator[None]:
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

    def _breaker_gauge(self, rt: ModelRuntime) -> None:
        self.metrics.set("yizhu_llm_breaker_open", 1.0 if rt.breaker.state == "open" else 0.0, model=rt.config.name)

    async def _backoff(self, rt: ModelRuntime, attempt: int, err: ModelCallError) -> None:
        delay = min(rt.config.backoff_s * (2**attempt), 10.0) * (0.5 + random.random() / 2)
        if err.retry_after_s:
            delay = max(delay, min(err.retry_after_s, 10.0))
        await asyncio.sleep(delay)

    async def _with_retries(self, rt: ModelRuntime, task: str, state: CallState, op: Callable[[], Awaitable[R]]) -> R:
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

    def _failed(self, name: str, outcome: Literal["error", "invalid_output"], exc: Exception, state: CallState, t: float) -> Attempt:
        return Attempt(
            model=name, outcome=outcome, tries=state.tries, error=str(exc), latency_ms=round((time.perf_counter() - t) * 1000, 3)
        )
