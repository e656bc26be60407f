"""In-process llama.cpp (llama-cpp-python) for a GGUF file: the one-machine option, no server.

"In-process" means no server to run, not "inside this process": the model lives in a child process
(``yizhu.llm.backends.llamacpp_worker``) that this backend starts on first use and supervises. A
native crash in llama.cpp (an abort from the grammar sampler, an out-of-memory kill) ends only that
child; the call becomes a ModelCallError naming the signal and llama.cpp's last words, the gateway
falls back to the route's next model, and the next call starts a fresh child. The child generates
one request at a time (a llama.cpp context is not thread-safe) and always streams token by token, so
a timeout or a cancelled caller stops it at the next token; a child that does not answer within
``timeout_s`` plus a grace period (a native hang, a prompt that never finishes evaluating) is killed.
Schema-constrained output uses llama.cpp's grammar built from the JSON schema, with every special
token that does not end generation masked out; that grammar ignores numeric bounds, which is why the
gateway validates every structured reply with pydantic afterwards.

Needs the ``llm`` extra (``pip install 'yizhu[llm]'``, which builds llama-cpp-python from source;
on shared machines set ``CMAKE_ARGS="-DGGML_NATIVE=OFF"``).
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import importlib.util
import json
import os
import select
import signal
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

from yizhu.errors import ConfigError, ModelCallError
from yizhu.llm.backends.base import Backend, register_backend
from yizhu.llm.config import ModelConfig
from yizhu.llm.types import Capabilities, ChatChunk, ChatRequest, ChatResponse, ServedModel, Usage

DEFAULT_CONTEXT = 4096
DEFAULT_MAX_TOKENS = 512
_END = object()


@register_backend
class LlamaCppBackend(Backend):
    """A GGUF model run by llama.cpp in a supervised child process."""

    name = "llamacpp"
    capabilities = Capabilities(can_stream=True, supports_schema=True, supports_embeddings=False, in_process=True)

    def __init__(self, config: ModelConfig, *, api_key: str | None = None) -> None:
        super().__init__(config, api_key=api_key)
        self.path = Path(config.path or "")
        self.model_id = config.model or self.path.name
        self._child: _Child | None = None
        self._n_ctx: int | None = None
        self._gen_lock = threading.Lock()
        #: children started so far (1 after the first call; each crash adds one on the next call)
        self.starts = 0

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

    @property
    def worker_pid(self) -> int | None:
        """The pid of the live child holding the model, if one is running."""
        child = self._child
        return child.proc.pid if child is not None and child.proc.poll() is None else None

    @property
    def busy(self) -> bool:
        """A request has been handed to the child and has not finished."""
        child = self._child
        return child is not None and child.generating

    def _start(self) -> _Child:
        """The live child with the model loaded, starting (and loading) one if needed. Holds _gen_lock."""
        if self._child is not None and self._child.proc.poll() is None:
            return self._child
        self._child = None
        child = _Child.spawn(
            self.config.name,
            model=str(self.path),
            n_ctx=self.config.context_length or DEFAULT_CONTEXT,
            threads=self.config.threads or max(1, (os.cpu_count() or 2)),
            chat_format=self.config.chat_format,
        )
        self.starts += 1
        try:
            child.send({"op": "load"})
            msg = child.receive(time.monotonic() + max(self.config.timeout_s, LOAD_TIMEOUT_S), threading.Event())
        except ModelCallError:
            child.kill()
            raise
        if msg.get("type") != "loaded":
            child.kill()
            raise ModelCallError(
                f"model '{self.config.name}': llama.cpp cannot load {self.path} ({msg.get('message')}); is it a GGUF file?"
            )
        self._n_ctx = int(msg.get("n_ctx") or 0) or None
        self._child = child
        return child

    def _kwargs(self, request: ChatRequest) -> dict[str, Any]:
        params = request.params
        kwargs: dict[str, Any] = {
            "messages": [{"role": m.role, "content": m.content} for m in request.messages],
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
        return kwargs

    def _timed_out(self) -> ModelCallError:
        return ModelCallError(
            f"model '{self.config.name}': generation took longer than {self.config.timeout_s:g} s; "
            "lower max_tokens or raise timeout_s"
        )

    def _generate(
        self, request: ChatRequest, emit: Callable[[ChatChunk], None] | None, cancel: threading.Event
    ) -> ChatResponse:
        timeout_s = self.config.timeout_s
        with self._gen_lock:
            child = self._start()
            hard_deadline = time.monotonic() + timeout_s + KILL_GRACE_S
            parts: list[str] = []
            try:
                child.send({"op": "generate", "kwargs": self._kwargs(request), "timeout_s": timeout_s})
                child.generating = True
                while True:
                    msg = child.receive(hard_deadline, cancel)
                    kind = msg.get("type")
                    if kind == "chunk":
                        text = str(msg.get("text") or "")
                        parts.append(text)
                        if emit is not None:
                            emit(ChatChunk(text=text))
                    elif kind == "done":
                        break
                    else:
                        raise ModelCallError(f"model '{self.config.name}': llama.cpp failed ({msg.get('message')})")
            except _HardTimeout:
                self._child = None
                child.kill()
                raise self._timed_out() from None
            except ModelCallError:
                if child.proc.poll() is not None:
                    self._child = None  # died: the next call starts a fresh child
                raise
            finally:
                child.generating = False
        if msg.get("stopped") == "timeout":
            raise self._timed_out()
        finish = "cancelled" if msg.get("stopped") == "cancelled" else msg.get("finish")
        return ChatResponse(
            text="".join(parts),
            model_id=self.model_id,
            usage=Usage(prompt_tokens=msg.get("prompt_tokens"), completion_tokens=msg.get("completion_tokens")),
            finish_reason=finish,
        )

    async def chat(self, request: ChatRequest) -> ChatResponse:
        cancel = threading.Event()
        try:
            return await asyncio.to_thread(self._generate, request, None, cancel)
        finally:
            cancel.set()  # a cancelled caller stops the child at the next token

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
        def load() -> int | None:
            with self._gen_lock:
                self._start()
                return self._n_ctx

        n_ctx = await asyncio.to_thread(load)
        return [ServedModel(id=self.model_id, context_length=n_ctx)]

    async def aclose(self) -> None:
        child, self._child = self._child, None
        if child is not None:
            await asyncio.to_thread(child.stop)


LOAD_TIMEOUT_S = 120.0
#: past timeout_s the child stops itself at the next token; this much later it is killed (within the
#: gateway's own backstop of timeout_s + 1 s, so the caller hears why)
KILL_GRACE_S = 0.5
_STDERR_LINES = 40


class _HardTimeout(Exception):
    pass


def _describe_exit(code: int | None) -> str:
    if code is None:
        return "closed its pipe"
    if code < 0:
        try:
            return f"was killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"was killed by signal {-code}"
    return f"exited with code {code}"


class _Child:
    """One llamacpp_worker process and its pipes."""

    def __init__(self, name: str, proc: subprocess.Popen[bytes], reply_fd: int) -> None:
        self.name = name
        self.proc = proc
        self.reply_fd = reply_fd
        self.buffer = b""
        self.stderr: deque[str] = deque(maxlen=_STDERR_LINES)
        self.generating = False
        threading.Thread(target=self._drain_stderr, daemon=True).start()

    @classmethod
    def spawn(cls, name: str, *, model: str, n_ctx: int, threads: int, chat_format: str | None) -> _Child:
        read_fd, write_fd = os.pipe()
        try:
            proc = subprocess.Popen(
                [sys.executable, "-m", "yizhu.llm.backends.llamacpp_worker", "--model", model, "--n-ctx", str(n_ctx),
                 "--threads", str(threads), "--chat-format", chat_format or "", "--reply-fd", str(write_fd)],
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                pass_fds=(write_fd,),
                start_new_session=True,  # a terminal's Ctrl-C reaches the parent, which stops the child
            )
        except OSError as exc:
            os.close(read_fd)
            raise ModelCallError(f"model '{name}': cannot start the llama.cpp worker process ({exc})") from exc
        finally:
            os.close(write_fd)
        child = cls(name, proc, read_fd)
        _LIVE.add(child)
        return child

    def _drain_stderr(self) -> None:
        assert self.proc.stderr is not None
        for raw in self.proc.stderr:
            line = raw.decode("utf-8", "replace").strip()
            if line:
                self.stderr.append(line)

    def send(self, obj: dict[str, Any]) -> None:
        assert self.proc.stdin is not None
        try:
            self.proc.stdin.write((json.dumps(obj, ensure_ascii=False) + "\n").encode("utf-8"))
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError):
            raise self._died() from None

    def _died(self) -> ModelCallError:
        try:
            code = self.proc.wait(2)
        except subprocess.TimeoutExpired:
            self.kill()
            code = self.proc.returncode
        time.sleep(0.05)  # let the stderr reader take the last words
        words = " | ".join(list(self.stderr)[-3:])[-400:]
        self.close_fds()
        return ModelCallError(
            f"model '{self.name}': the llama.cpp worker process {_describe_exit(code)}"
            + (f" ({words})" if words else "")
            + "; a fresh one starts on the next call"
        )

    def receive(self, deadline: float, cancel: threading.Event) -> dict[str, Any]:
        """The next reply; ModelCallError if the child dies, _HardTimeout past the deadline."""
        cancel_sent = False
        while b"\n" not in self.buffer:
            if cancel.is_set() and not cancel_sent:
                cancel_sent = True
                with contextlib.suppress(ModelCallError):
                    self.send({"op": "cancel"})
            left = deadline - time.monotonic()
            if left <= 0:
                raise _HardTimeout()
            ready, _, _ = select.select([self.reply_fd], [], [], min(left, 0.1))
            if not ready:
                continue
            data = os.read(self.reply_fd, 65536)
            if not data:
                raise self._died()
            self.buffer += data
        line, _, self.buffer = self.buffer.partition(b"\n")
        return json.loads(line)

    def close_fds(self) -> None:
        with contextlib.suppress(OSError):
            os.close(self.reply_fd)
        self.reply_fd = -1
        if self.proc.stdin is not None:
            with contextlib.suppress(OSError):
                self.proc.stdin.close()
        _LIVE.discard(self)

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            self.proc.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(5)
        self.close_fds()

    def stop(self) -> None:
        """Ask politely (stdin closes, the child exits), then kill."""
        if self.proc.stdin is not None:
            with contextlib.suppress(OSError):
                self.proc.stdin.close()
        try:
            self.proc.wait(3)
        except subprocess.TimeoutExpired:
            self.kill()
        self.close_fds()


_LIVE: set[_Child] = set()


@atexit.register
def _kill_children() -> None:
    for child in list(_LIVE):
        child.kill()
