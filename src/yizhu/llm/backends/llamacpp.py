"""In-process llama.cpp (llama-cpp-python) for a GGUF file: the one-machine option, no server.

The model is loaded on first use and generates one request at a time (a llama.cpp context is
not thread-safe), in a worker thread so the gateway's event loop stays free. Generation always
runs token by token, so a timeout or a cancelled caller stops it at the next token instead of
holding the model until ``max_tokens``. Schema-constrained output uses llama.cpp's grammar built
from the JSON schema; that grammar ignores numeric bounds, which is why the gateway validates
every structured reply with pydantic afterwards.

Needs the ``llm`` extra (``pip install 'yizhu[llm]'``, which builds llama-cpp-python from source;
on shared machines set ``CMAKE_ARGS="-DGGML_NATIVE=OFF"``).
"""

from __future__ import annotations

import asyncio
import importlib.util
import os
import threading
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

from yizhu.errors import ConfigError, ModelCallError
from yizhu.llm.backends.base import Backend, register_backend
from yizhu.llm.config import ModelConfig
from yizhu.llm.types import Capabilities, ChatChunk, ChatRequest, ChatResponse, ServedModel, Usage


def _stop_guard(cancel: threading.Event, deadline: float, eos: int, stopped: list[str]) -> Any:
    """A logits processor run for every token: the one hook that fires even while llama-cpp-python holds
    back streamed text (an incomplete UTF-8 sequence, a possible stop string). When the caller has gone
    or time is up it leaves only end-of-sequence possible, so the model stops at the next token.
    (Raising here would not work: the processor runs in a ctypes callback, which swallows exceptions.)"""
    from llama_cpp import LogitsProcessorList

    def guard(_input_ids: Any, scores: Any) -> Any:
        reason = "cancelled" if cancel.is_set() else "timeout" if time.monotonic() > deadline else None
        if reason is not None:
            if not stopped:
                stopped.append(reason)
            scores[:] = -float("inf")
            scores[eos] = 0.0
        return scores

    return LogitsProcessorList([guard])

DEFAULT_CONTEXT = 4096
DEFAULT_MAX_TOKENS = 512
_END = object()


@register_backend
class LlamaCppBackend(Backend):
    """A GGUF model inside this process."""

    name = "llamacpp"
    capabilities = Capabilities(can_stream=True, supports_schema=True, supports_embeddings=False, in_process=True)

    def __init__(self, config: ModelConfig, *, api_key: str | None = None) -> None:
        super().__init__(config, api_key=api_key)
        self.path = Path(config.path or "")
        self.model_id = config.model or self.path.name
        self._llm: Any = None
        self._load_lock = threading.Lock()
        self._gen_lock = threading.Lock()

    @classmethod
    def validate_config(cls, config: ModelConfig, source: str) -> None:
        where = f"{source}: [models.{config.name}]"
        if not config.path:
            raise ConfigError(f'{where} needs path, the GGUF file, e.g. path = "models/qwen2.5-7b-instruct-q4_k_m.gguf"')
        p = Path(config.path)
        if not p.is_file():
            raise ConfigError(f"{where} path '{config.path}' is not a file; fix the path (relative to the working directory)")
        if config.base_url:
            raise ConfigError(f'{where} has base_url, which the in-process llamacpp backend does not use; remove it or set backend = "openai"')
        if config.external:
            raise ConfigError(f"{where} runs in this process, so it cannot be external; remove external = true")
        if importlib.util.find_spec("llama_cpp") is None:
            raise ConfigError(
                f"{where} needs llama-cpp-python: install the llm extra (pip install 'yizhu[llm]'; "
                'set CMAKE_ARGS="-DGGML_NATIVE=OFF" when building on a shared machine) or use backend = "openai"'
            )

    def _load(self) -> Any:
        with self._load_lock:
            if self._llm is None:
                try:
                    from llama_cpp import Llama
                except ImportError as exc:  # validated at start-up; this is the race with an uninstall
                    raise ModelCallError(f"model '{self.config.name}': llama-cpp-python is not installed") from exc
                try:
                    self._llm = Llama(
                        model_path=str(self.path),
                        n_ctx=self.config.context_length or DEFAULT_CONTEXT,
                        n_threads=self.config.threads or max(1, (os.cpu_count() or 2)),
                        chat_format=self.config.chat_format,
                        verbose=False,
                    )
                except (ValueError, RuntimeError, OSError) as exc:
                    raise ModelCallError(
                        f"model '{self.config.name}': llama.cpp cannot load {self.path} ({exc}); is it a GGUF file?"
                    ) from exc
            return self._llm

    def _generate(
        self, request: ChatRequest, emit: Callable[[ChatChunk], None] | None, cancel: threading.Event
    ) -> ChatResponse:
        deadline = time.monotonic() + self.config.timeout_s
        params = request.params
        kwargs: dict[str, Any] = {
            "messages": [{"role": m.role, "content": m.content} for m in request.messages],
            "stream": True,
            "max_tokens": params.max_tokens or DEFAULT_MAX_TOKENS,
            "temperature": 0.2 if params.temperature is None else params.temperature,
        }
        if params.top_p is not None:
            kwargs["top_p"] = params.top_p
        if params.stop:
            kwargs["stop"] = params.stop
        if params.seed is not None:
            kwargs["seed"] = params.seed
        if request.json_schema is not None:
            kwargs["response_format"] = {"type": "json_object", "schema": request.json_schema}
        stopped: list[str] = []
        with self._gen_lock:
            llm = self._load()
            kwargs["logits_processor"] = _stop_guard(cancel, deadline, llm.token_eos(), stopped)
            parts: list[str] = []
            finish: str | None = None
            try:
                for chunk in llm.create_chat_completion(**kwargs):
                    if cancel.is_set():
                        finish = "cancelled"
                        break
                    if time.monotonic() > deadline:
                        raise ModelCallError(
                            f"model '{self.config.name}': generation took longer than {self.config.timeout_s:g} s; "
                            "lower max_tokens or raise timeout_s"
                        )
                    choice = chunk["choices"][0]
                    text = (choice.get("delta") or {}).get("content") or ""
                    if text:
                        parts.append(text)
                        if emit is not None:
                            emit(ChatChunk(text=text))
                    finish = choice.get("finish_reason") or finish
            except (ValueError, RuntimeError) as exc:
                raise ModelCallError(f"model '{self.config.name}': llama.cpp failed ({exc})") from exc
            if stopped == ["timeout"]:
                raise ModelCallError(
                    f"model '{self.config.name}': generation took longer than {self.config.timeout_s:g} s; "
                    "lower max_tokens or raise timeout_s"
                )
            if stopped == ["cancelled"]:
                finish = "cancelled"
            completion_tokens = len(parts)
            prompt_tokens = max(int(getattr(llm, "n_tokens", 0)) - completion_tokens, 0) or None
        return ChatResponse(
            text="".join(parts),
            model_id=self.model_id,
            usage=Usage(prompt_tokens=prompt_tokens, completion_tokens=completion_tokens),
            finish_reason=finish,
        )

    async def chat(self, request: ChatRequest) -> ChatResponse:
        cancel = threading.Event()
        try:
            return await asyncio.to_thread(self._generate, request, None, cancel)
        finally:
            cancel.set()  # a cancelled caller stops the worker at the next token

    async def stream(self, request: ChatRequest) -> AsyncIterator[ChatChunk]:  # type: ignore[override]
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[Any] = asyncio.Queue()
        cancel = threading.Event()

        def emit(chunk: ChatChunk) -> None:
            loop.call_soon_threadsafe(queue.put_nowait, chunk)

        work = asyncio.ensure_future(asyncio.to_thread(self._generate, request, emit, cancel))
        work.add_done_callback(lambda _f: queue.put_nowait(_END))
        try:
            while True:
                item = await queue.get()
                if item is _END:
                    break
                yield item
            response = work.result()
            yield ChatChunk(finish_reason=response.finish_reason or "stop", usage=response.usage, model_id=self.model_id)
        finally:
            cancel.set()

    async def list_models(self) -> list[ServedModel]:
        llm = await asyncio.to_thread(self._load)
        return [ServedModel(id=self.model_id, context_length=int(llm.n_ctx()))]

    async def aclose(self) -> None:
        with self._load_lock:
            llm, self._llm = self._llm, None
        if llm is not None and hasattr(llm, "close"):
            llm.close()
