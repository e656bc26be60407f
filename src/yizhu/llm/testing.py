"""A purpose-built, misbehaving OpenAI-compatible server on loopback, for tests and benchmarks.

It speaks real HTTP/1.1 (keep-alive, chunked SSE) over a real socket, so the gateway's transport,
parsing, timeouts and cancellation are exercised exactly as against vLLM or llama.cpp, and it
records every byte it receives (the privacy test reads them). What it does is scripted per model
id: each request takes the next step of that model's script (the last step repeats).

Steps:
    ok            a normal reply (``Script.reply``; ``echo`` returns the last user message)
    say:TEXT      reply with TEXT
    500 503 429 400 401
                  that HTTP status with an error body (429 and 503 carry ``Retry-After: 0``)
    hang          accept the request and never answer (until the client goes away)
    malformed     200 with a body that is not JSON (stream: an event that is not JSON)
    truncate      stop mid-body / mid-stream and close the connection
    stall         stream: send one chunk, then nothing
    slow:SECONDS  stream with that delay between chunks
    reset         close the connection without answering
    error_event   stream: an ``{"error": ...}`` event

Run standalone (benchmarks): ``python -m yizhu.llm.testing --port 18080``.
Loopback only: it refuses any other bind address.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hashlib
import json
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_REASONS = {200: "OK", 400: "Bad Request", 401: "Unauthorized", 404: "Not Found", 429: "Too Many Requests",
            500: "Internal Server Error", 503: "Service Unavailable"}


@dataclass
class Script:
    """How the server answers requests for one model id."""

    steps: list[str] = field(default_factory=lambda: ["ok"])
    reply: str = "好的，已收到。"
    chunk_chars: int = 4
    reasoning: str | None = None
    think: str | None = None

    def __post_init__(self) -> None:
        self._next = 0

    def take(self) -> str:
        step = self.steps[min(self._next, len(self.steps) - 1)]
        self._next += 1
        return step


@dataclass
class RecordedRequest:
    """One request as received: the raw bytes (head and body) and the parsed JSON body."""

    method: str
    path: str
    raw: bytes
    body: bytes
    json: Any = None

    @property
    def model(self) -> str | None:
        return self.json.get("model") if isinstance(self.json, dict) else None


class FakeOpenAIServer:
    """Scripted OpenAI-compatible server in a background thread; use as a context manager."""

    def __init__(
        self,
        scripts: dict[str, Script] | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        record: bool = True,
    ) -> None:
        if not host.startswith("127.") and host not in ("localhost", "::1"):
            raise ValueError("the fake server binds loopback only")
        self.scripts: dict[str, Script] = dict(scripts or {})
        self.host = host
        self.port = port
        self.record = record
        self.requests: list[RecordedRequest] = []
        self.inflight: dict[str, int] = {}
        self.max_inflight: dict[str, int] = {}
        self.disconnects = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: asyncio.AbstractServer | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    # ── lifecycle ──

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}/v1"

    def start(self) -> FakeOpenAIServer:
        ready = threading.Event()
        self._loop = asyncio.new_event_loop()

        def run() -> None:
            assert self._loop is not None
            asyncio.set_event_loop(self._loop)
            self._server = self._loop.run_until_complete(
                asyncio.start_server(self._handle, self.host, self.port, backlog=1024)
            )
            self.port = self._server.sockets[0].getsockname()[1]
            ready.set()
            self._loop.run_forever()

        self._thread = threading.Thread(target=run, name="fake-openai", daemon=True)
        self._thread.start()
        ready.wait(10)
        return self

    def stop(self) -> None:
        loop = self._loop
        if loop is None:
            return

        async def shutdown() -> None:
            if self._server is not None:
                self._server.close()
            for task in asyncio.all_tasks():
                if task is not asyncio.current_task():
                    task.cancel()

        asyncio.run_coroutine_threadsafe(shutdown(), loop).result(5)
        loop.call_soon_threadsafe(loop.stop)
        if self._thread is not None:
            self._thread.join(5)
        loop.close()
        self._loop = None

    def __enter__(self) -> FakeOpenAIServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def script(self, model: str) -> Script:
        """The script for a model id (a default ``ok`` script when none was given)."""
        with self._lock:
            if model not in self.scripts:
                self.scripts[model] = Script()
            return self.scripts[model]

    def requests_for(self, path_suffix: str) -> list[RecordedRequest]:
        return [r for r in self.requests if r.path.endswith(path_suffix)]

    # ── HTTP ──

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
                    return
                lines = head.decode("latin-1").split("\r\n")
                method, path, _ = lines[0].split(" ", 2)
                headers = {}
                for line in lines[1:]:
                    if ":" in line:
                        k, v = line.split(":", 1)
                        headers[k.strip().lower()] = v.strip()
                body = await reader.readexactly(int(headers.get("content-length", "0") or 0))
                try:
                    parsed = json.loads(body) if body else None
                except ValueError:
                    parsed = None
                req = RecordedRequest(method=method, path=path, raw=head + body, body=body, json=parsed)
                if self.record:
                    with self._lock:
                        self.requests.append(req)
                keep = await self._route(req, reader, writer)
                if not keep or headers.get("connection", "").lower() == "close":
                    return
        except (ConnectionError, asyncio.IncompleteReadError):
            with self._lock:
                self.disconnects += 1
        finally:
            with contextlib.suppress(Exception):
                writer.close()

    async def _route(self, req: RecordedRequest, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bool:
        if req.method == "GET" and req.path.endswith("/models"):
            ids = sorted(self.scripts) or ["fake"]
            return await self._json(writer, 200, {"object": "list", "data": [{"id": i, "object": "model", "max_model_len": 8192} for i in ids]})
        if req.method == "POST" and req.path.endswith("/embeddings"):
            texts = req.json.get("input", []) if isinstance(req.json, dict) else []
            texts = [texts] if isinstance(texts, str) else texts
            data = [{"object": "embedding", "index": i, "embedding": _vector(t)} for i, t in enumerate(texts)]
            return await self._json(writer, 200, {"object": "list", "data": data, "model": req.model})
        if req.method == "POST" and req.path.endswith("/chat/completions") and isinstance(req.json, dict):
            model = str(req.json.get("model"))
            script = self.script(model)
            with self._lock:
                step = script.take()
                self.inflight[model] = self.inflight.get(model, 0) + 1
                self.max_inflight[model] = max(self.max_inflight.get(model, 0), self.inflight[model])
            try:
                return await self._chat(req, script, step, reader, writer)
            finally:
                with self._lock:
                    self.inflight[model] -= 1
        return await self._json(writer, 404, {"error": {"message": f"no route {req.method} {req.path}"}})

    async def _write(self, writer: asyncio.StreamWriter, data: bytes) -> None:
        writer.write(data)
        await writer.drain()

    async def _json(self, writer: asyncio.StreamWriter, status: int, obj: Any, extra: str = "") -> bool:
        body = json.dumps(obj, ensure_ascii=False).encode("utf-8")
        head = (
            f"HTTP/1.1 {status} {_REASONS.get(status, 'Status')}\r\ncontent-type: application/json\r\n"
            f"content-length: {len(body)}\r\n{extra}\r\n"
        )
        await self._write(writer, head.encode("latin-1") + body)
        return True

    async def _wait_gone(self, reader: asyncio.StreamReader, limit_s: float = 3600.0) -> None:
        """Hold the request until the client closes the connection (counted as a disconnect)."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(reader.read(), limit_s)
        with self._lock:
            self.disconnects += 1

    async def _chat(
        self, req: RecordedRequest, script: Script, step: str, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> bool:
        body = req.json
        stream = bool(body.get("stream"))
        if step in ("500", "503", "429", "400", "401"):
            extra = "retry-after: 0\r\n" if step in ("429", "503") else ""
            return await self._json(writer, int(step), {"error": {"message": f"scripted {step}", "type": "server_error"}}, extra)
        if step == "hang":
            await self._wait_gone(reader)
            return False
        if step == "reset":
            return False
        text = script.reply
        if step.startswith("say:"):
            text = step[4:]
        elif text == "echo":
            users = [m.get("content", "") for m in body.get("messages", []) if m.get("role") == "user"]
            text = users[-1] if users else ""
        if script.think:
            text = f"<think>{script.think}</think>\n\n{text}"
        model_id = str(body.get("model"))
        prompt_tokens = sum(len(str(m.get("content", ""))) for m in body.get("messages", []))
        if not stream:
            if step == "malformed":
                raw = b'{"choices": [{"message": {"content": "unterminated'
                await self._write(writer, b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
                                  + f"content-length: {len(raw)}\r\n\r\n".encode() + raw)
                return True
            message: dict[str, Any] = {"role": "assistant", "content": text}
            if script.reasoning:
                message["reasoning_content"] = script.reasoning
            payload = {
                "id": "chatcmpl-fake",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": model_id,
                "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
                "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": len(text), "total_tokens": prompt_tokens + len(text)},
            }
            if step == "truncate":
                raw = json.dumps(payload, ensure_ascii=False).encode("utf-8")
                await self._write(writer, b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
                                  + f"content-length: {len(raw)}\r\n\r\n".encode() + raw[: len(raw) // 2])
                return False
            return await self._json(writer, 200, payload)
        return await self._sse(req, script, step, text, model_id, prompt_tokens, reader, writer)

    async def _sse(
        self,
        req: RecordedRequest,
        script: Script,
        step: str,
        text: str,
        model_id: str,
        prompt_tokens: int,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
    ) -> bool:
        await self._write(
            writer,
            b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncache-control: no-cache\r\n"
            b"transfer-encoding: chunked\r\n\r\n",
        )
        delay = float(step.split(":", 1)[1]) if step.startswith("slow:") else 0.0

        async def event(obj: Any) -> None:
            data = b"data: " + (obj if isinstance(obj, bytes) else json.dumps(obj, ensure_ascii=False).encode("utf-8")) + b"\n\n"
            await self._write(writer, f"{len(data):x}\r\n".encode() + data + b"\r\n")

        def chunk(delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
            return {"id": "chatcmpl-fake", "object": "chat.completion.chunk", "model": model_id,
                    "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}

        await event(chunk({"role": "assistant", "content": ""}))
        if step == "malformed":
            await event(b"{not json")
        if step == "error_event":
            await event({"error": {"message": "scripted overload", "type": "server_error"}})
        if script.reasoning:
            await event(chunk({"reasoning_content": script.reasoning}))
        n = max(1, script.chunk_chars)
        pieces = [text[i: i + n] for i in range(0, len(text), n)] or [""]
        for i, piece in enumerate(pieces):
            if reader.at_eof():  # the client went away
                with self._lock:
                    self.disconnects += 1
                return False
            await event(chunk({"content": piece}))
            if step == "stall":
                await self._wait_gone(reader)
                return False
            if step == "truncate" and i >= min(1, len(pieces) - 1):
                return False  # close without the terminating chunk
            if delay:
                await asyncio.sleep(delay)
        await event(chunk({}, "stop"))
        if (req.json or {}).get("stream_options", {}).get("include_usage"):
            usage = {"prompt_tokens": prompt_tokens, "completion_tokens": len(text), "total_tokens": prompt_tokens + len(text)}
            await event({"id": "chatcmpl-fake", "object": "chat.completion.chunk", "model": model_id, "choices": [], "usage": usage})
        await event(b"[DONE]")
        await self._write(writer, b"0\r\n\r\n")
        return True


TINY_CHAT_TEMPLATE = (
    "{% for m in messages %}<|{{ m['role'] }}|>{{ m['content'] }}\n{% endfor %}"
    "{% if add_generation_prompt %}<|assistant|>{% endif %}"
)


def write_tiny_gguf(
    path: str | Path, *, seed: int = 0, n_embd: int = 32, n_layer: int = 1, n_ctx: int = 4096, favour_pad: bool = False
) -> Path:
    """Write a tiny llama-architecture GGUF with random weights that llama.cpp loads and runs.

    A SentencePiece-style vocabulary of control tokens, all 256 byte tokens (so any UTF-8 text,
    Chinese included, tokenizes by byte fallback) and printable ASCII pieces; one transformer
    block of width 32. It generates noise, fast (well under a millisecond a token), which is what a
    test of loading, generation, streaming and grammar-constrained output needs. No download.
    Needs ``gguf`` and ``numpy``.

    ``favour_pad`` adds a ``<pad>`` control token (as Gemma's vocabulary has) and wires the model so
    that ``<pad>`` is its most likely next token at every step: the fault that aborted grammar-constrained
    sampling inside the process (issue 16), reproduced on purpose.
    """
    import gguf
    import numpy as np

    path = Path(path)
    rng = np.random.default_rng(seed)
    n_head, n_ff = 2, 2 * n_embd
    w = gguf.GGUFWriter(str(path), "llama")
    w.add_name("yizhu-tiny-random (test model, random weights)")
    w.add_context_length(n_ctx)
    w.add_embedding_length(n_embd)
    w.add_block_count(n_layer)
    w.add_feed_forward_length(n_ff)
    w.add_head_count(n_head)
    w.add_head_count_kv(n_head)
    w.add_layer_norm_rms_eps(1e-5)
    w.add_rope_dimension_count(n_embd // n_head)
    w.add_file_type(gguf.LlamaFileType.ALL_F32)
    tokens = ["<unk>", "<s>", "</s>"]
    types = [gguf.TokenType.UNKNOWN, gguf.TokenType.CONTROL, gguf.TokenType.CONTROL]
    if favour_pad:
        tokens.append("<pad>")
        types.append(gguf.TokenType.CONTROL)
    n_special = len(tokens)
    tokens += [f"<0x{b:02X}>" for b in range(256)]
    types += [gguf.TokenType.BYTE] * 256
    pieces = ["\u2581"] + [chr(c) for c in range(33, 127)] + ["\u2581" + chr(c) for c in range(97, 123)]
    tokens += pieces
    types += [gguf.TokenType.NORMAL] * len(pieces)
    scores = [0.0] * (n_special + 256) + [-float(i) for i in range(len(pieces))]
    w.add_tokenizer_model("llama")
    w.add_token_list(tokens)
    w.add_token_types([int(t) for t in types])
    w.add_token_scores(scores)
    w.add_bos_token_id(1)
    w.add_eos_token_id(2)
    w.add_unk_token_id(0)
    w.add_add_bos_token(True)
    w.add_add_eos_token(False)
    if favour_pad:
        w.add_pad_token_id(3)
    w.add_chat_template(TINY_CHAT_TEMPLATE)

    def rand(*shape: int) -> Any:
        return (rng.standard_normal(shape) * 0.3).astype(np.float32)

    def zero_or_rand(*shape: int) -> Any:
        # favour_pad: blocks add nothing, so the last hidden state is the token's embedding
        return np.zeros(shape, dtype=np.float32) if favour_pad else rand(*shape)

    n_vocab = len(tokens)
    embd, output = rand(n_vocab, n_embd), rand(n_vocab, n_embd)
    if favour_pad:
        embd[:, 0] = 3.0  # every embedding leans the same way along dimension 0 ...
        output[3, :] = 0.0
        output[3, 0] = 40.0  # ... which only <pad>'s output row reads, strongly
    w.add_tensor("token_embd.weight", embd)
    w.add_tensor("output_norm.weight", np.ones(n_embd, dtype=np.float32))
    w.add_tensor("output.weight", output)
    for i in range(n_layer):
        p = f"blk.{i}."
        w.add_tensor(p + "attn_norm.weight", np.ones(n_embd, dtype=np.float32))
        for t in ("attn_q", "attn_k", "attn_v", "attn_output"):
            w.add_tensor(p + t + ".weight", zero_or_rand(n_embd, n_embd))
        w.add_tensor(p + "ffn_norm.weight", np.ones(n_embd, dtype=np.float32))
        w.add_tensor(p + "ffn_gate.weight", zero_or_rand(n_ff, n_embd))
        w.add_tensor(p + "ffn_up.weight", zero_or_rand(n_ff, n_embd))
        w.add_tensor(p + "ffn_down.weight", zero_or_rand(n_embd, n_ff))
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    return path


def _vector(text: str, dim: int = 8) -> list[float]:
    digest = hashlib.sha256(str(text).encode("utf-8")).digest()
    return [round(b / 255.0, 6) for b in digest[:dim]]


def main() -> None:
    """Serve until interrupted (benchmarks run it in its own process)."""
    parser = argparse.ArgumentParser(description="Scripted OpenAI-compatible server on loopback")
    parser.add_argument("--port", type=int, default=18080)
    parser.add_argument("--reply", default="好的，已收到。这是一个用于基准测试的固定回复。")
    parser.add_argument("--slow", type=float, default=0.0, help="delay between stream chunks of model bench-slow, seconds")
    args = parser.parse_args()
    scripts = {
        "bench": Script(reply=args.reply),
        "bench-slow": Script(steps=[f"slow:{args.slow}"] if args.slow else ["ok"], reply=args.reply),
    }
    server = FakeOpenAIServer(scripts, port=args.port, record=False)
    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass
    server.start()
    print(server.base_url, flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        server.stop()


if __name__ == "__main__":
    main()
