"""The child process that holds an in-process llama.cpp model (``python -m yizhu.llm.backends.llamacpp_worker``).

llama.cpp is native code: an exception thrown across its C boundary (``std::runtime_error`` from the
grammar sampler, say) or an out-of-memory kill ends the whole process. So the ``llamacpp`` backend
never loads a model into the server or CLI process; it starts this worker and talks to it over a pipe.
When the worker dies, only the worker dies: the parent sees the pipe close, turns it into a
ModelCallError (the route falls back to its next model) and starts a fresh worker on the next call.

Protocol: one JSON object a line. The parent writes requests on the worker's stdin::

    {"op": "load"}                                    -> {"type": "loaded", "n_ctx": 4096, "model_id": ...}
    {"op": "generate", "kwargs": {...}, "timeout_s": 60}
                                                      -> {"type": "chunk", "text": "..."} ...
                                                         {"type": "done", "finish": "stop", "prompt_tokens": n,
                                                          "completion_tokens": n, "stopped": null|"timeout"|"cancelled"}
    {"op": "cancel"}                                  (while generating: stop at the next token)

and reads replies from the file descriptor named by ``--reply-fd``; the worker points its own stdout
at stderr so that nothing native can write into the reply stream. Any failure the worker can catch
comes back as ``{"type": "error", "message": "..."}``.

Special tokens are kept out of sampling: every control token that does not end generation (``<pad>``,
``<start_of_turn>``, ``<mask>``, …) gets probability zero before the grammar sees it. A grammar sampler
that accepts such a piece is what aborted the process in issue 16 (``Unexpected empty grammar stack
after accepting piece: <pad>``); end-of-generation tokens stay allowed, so the grammar still decides
when a JSON reply may end.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
from typing import Any


def _special_tokens(llm: Any) -> list[int]:
    """Control (and user-defined special) tokens of the vocabulary that do not end generation."""
    import llama_cpp

    model = llm._model  # llama-cpp-python's LlamaModel wrapper
    vocab = getattr(model, "vocab", None) or model.model
    n_vocab = llm.n_vocab()
    get_attr = getattr(llama_cpp, "llama_vocab_get_attr", None) or getattr(llama_cpp, "llama_token_get_attr", None)
    is_eog = getattr(llama_cpp, "llama_vocab_is_eog", None) or getattr(llama_cpp, "llama_token_is_eog", None)
    control = int(getattr(llama_cpp, "LLAMA_TOKEN_ATTR_CONTROL", 1 << 3))
    unknown = int(getattr(llama_cpp, "LLAMA_TOKEN_ATTR_UNKNOWN", 1 << 0))
    special: list[int] = []
    for tok in range(n_vocab):
        if get_attr is not None:
            attr = int(get_attr(vocab, tok))
            is_special = bool(attr & (control | unknown))
        else:  # older bindings: a token whose text only shows when special tokens are rendered
            is_special = llm.detokenize([tok], special=False) == b"" and llm.detokenize([tok], special=True) != b""
        if not is_special:
            continue
        if is_eog is not None and is_eog(vocab, tok):
            continue
        if tok == llm.token_eos():
            continue
        special.append(tok)
    return special


class Worker:
    def __init__(self, args: argparse.Namespace, reply: Any) -> None:
        self.args = args
        self.reply = reply
        self.reply_lock = threading.Lock()
        self.llm: Any = None
        self.special: list[int] = []
        self.cancel = threading.Event()
        self.requests: list[dict[str, Any]] = []
        self.have_request = threading.Condition()

    def send(self, obj: dict[str, Any]) -> None:
        line = json.dumps(obj, ensure_ascii=False) + "\n"
        with self.reply_lock:
            self.reply.write(line.encode("utf-8"))
            self.reply.flush()

    def load(self) -> None:
        if self.llm is not None:
            return
        from llama_cpp import Llama

        self.llm = Llama(
            model_path=self.args.model,
            n_ctx=self.args.n_ctx,
            n_threads=self.args.threads,
            chat_format=self.args.chat_format or None,
            verbose=False,
        )
        self.special = _special_tokens(self.llm)

    def logits_guard(self, deadline: float, stopped: list[str]) -> Any:
        """Run for every token (it fires even while llama-cpp-python holds back streamed text): masks the
        special tokens, and when the caller has gone or time is up leaves only end-of-sequence possible.
        (Raising here would not work: the processor runs in a ctypes callback, which swallows exceptions.)"""
        import numpy as np
        from llama_cpp import LogitsProcessorList

        special = np.asarray(self.special, dtype=np.intp)
        eos = self.llm.token_eos()
        cancel = self.cancel

        def guard(_input_ids: Any, scores: Any) -> Any:
            if special.size:
                scores[special] = -np.inf
            reason = "cancelled" if cancel.is_set() else "timeout" if time.monotonic() > deadline else None
            if reason is not None:
                if not stopped:
                    stopped.append(reason)
                scores[:] = -np.inf
                scores[eos] = 0.0
            return scores

        return LogitsProcessorList([guard])

    def generate(self, kwargs: dict[str, Any], timeout_s: float) -> None:
        self.load()
        deadline = time.monotonic() + timeout_s
        stopped: list[str] = []
        kwargs = dict(kwargs, stream=True, logits_processor=self.logits_guard(deadline, stopped))
        finish: str | None = None
        completion_tokens = 0
        for chunk in self.llm.create_chat_completion(**kwargs):
            if self.cancel.is_set():
                finish = "cancelled"
                break
            choice = chunk["choices"][0]
            text = (choice.get("delta") or {}).get("content") or ""
            if text:
                completion_tokens += 1
                self.send({"type": "chunk", "text": text})
            finish = choice.get("finish_reason") or finish
        prompt_tokens = max(int(getattr(self.llm, "n_tokens", 0)) - completion_tokens, 0) or None
        self.send({
            "type": "done",
            "finish": finish,
            "stopped": stopped[0] if stopped else None,
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
        })

    def read_requests(self) -> None:
        """stdin reader thread: a cancel takes effect at once; everything else is queued for the main loop."""
        for raw in sys.stdin.buffer:
            try:
                req = json.loads(raw)
            except ValueError:
                continue
            if req.get("op") == "cancel":
                self.cancel.set()
                continue
            with self.have_request:
                self.requests.append(req)
                self.have_request.notify()
        with self.have_request:  # parent gone: end the main loop
            self.requests.append({"op": "exit"})
            self.have_request.notify()

    def serve(self) -> None:
        threading.Thread(target=self.read_requests, daemon=True).start()
        while True:
            with self.have_request:
                while not self.requests:
                    self.have_request.wait()
                req = self.requests.pop(0)
            op = req.get("op")
            if op == "exit":
                return
            self.cancel.clear()
            try:
                if op == "load":
                    self.load()
                    self.send({"type": "loaded", "n_ctx": int(self.llm.n_ctx()), "special_masked": len(self.special)})
                elif op == "generate":
                    self.generate(req.get("kwargs") or {}, float(req.get("timeout_s") or 60.0))
                else:
                    self.send({"type": "error", "message": f"unknown op {op!r}"})
            except Exception as exc:  # a Python-level failure: report it, keep serving
                self.send({"type": "error", "message": f"{type(exc).__name__}: {exc}"})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True)
    parser.add_argument("--n-ctx", type=int, required=True)
    parser.add_argument("--threads", type=int, required=True)
    parser.add_argument("--chat-format", default="")
    parser.add_argument("--reply-fd", type=int, required=True)
    args = parser.parse_args(argv)
    reply = os.fdopen(args.reply_fd, "wb", buffering=0)
    os.dup2(2, 1)  # native code printing to stdout lands in stderr, never in the reply stream
    sys.stdout = sys.stderr
    Worker(args, reply).serve()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
