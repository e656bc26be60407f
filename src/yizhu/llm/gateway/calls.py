"""What one call carries through the gateway: its request and route (``Call``), what each attempt learned
(``CallState``), each model's runtime (backend, breaker, slots: ``ModelRuntime``) and the gateway's own
event loop in a daemon thread (``LoopPortal``), which serves sync and async callers alike.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import hashlib
import json
import threading
import time
from collections.abc import Coroutine, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal, TypeVar

from pydantic import BaseModel

from yizhu.errors import ModelCallError
from yizhu.llm.backends import Backend
from yizhu.llm.config import ModelConfig
from yizhu.llm.gateway.breaker import CircuitBreaker
from yizhu.llm.prompts import RenderedPrompt
from yizhu.llm.types import (
    GenParams,
    Message,
)

T = TypeVar("T", bound=BaseModel)
R = TypeVar("R")
PromptInput = RenderedPrompt | Sequence[Message] | str
CallKind = Literal["chat", "stream", "structured", "embed", "check"]
END = object()


class LoopPortal:
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
class ModelRuntime:
    config: ModelConfig
    backend: Backend
    breaker: CircuitBreaker
    semaphore: asyncio.Semaphore | None = None
    inflight: int = 0


@dataclass
class CallState:
    """Counters of one attempt on one model."""

    tries: int = 0
    repairs: int = 0


@dataclass
class Call:
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


class MidStream(Exception):
    """A stream failed after text reached the client: no fallback is possible."""

    def __init__(self, error: ModelCallError) -> None:
        super().__init__(str(error))
        self.error = error
