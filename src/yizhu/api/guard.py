"""The request guard: every body is read whole, bounded and checked before any route sees it.

One ASGI middleware, so every route — API, CDS Hooks, pages — gets the same treatment:

- **size**: over ``max_body_bytes`` → 413, whether the client sent ``Content-Length`` or chunks;
- **time**: a body that has not arrived whole within ``body_timeout_s`` → 408 (a slow sender cannot
  hold a connection and a worker indefinitely);
- **JSON text a database cannot store or a parser cannot walk** → 400: lone UTF-16 surrogates
  (``"\\ud800"``), NUL characters (``"\\u0000"``: PostgreSQL refuses them, SQLite would store them), and
  nesting deeper than ``MAX_JSON_DEPTH``.

A route sees the body replayed from memory, so the limits hold whatever the route does with it.
"""

from __future__ import annotations

import asyncio
import re
import time
from itertools import accumulate

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from yizhu.api.errors import problem

#: deepest JSON nesting accepted (a ClinicalContext is ~6 deep; a FHIR Bundle ~10)
MAX_JSON_DEPTH = 64
_ESCAPE = re.compile(rb"\\(?:u([0-9a-fA-F]{4})|.)", re.DOTALL)
_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_DEPTH = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}


def json_text_problem(body: bytes) -> str | None:
    """Why this JSON body is refused (lone surrogate, NUL, too deep), or None. Not a JSON parser: it only
    looks at escapes and brackets, and leaves syntax errors to the parser."""
    if b"\\" in body:
        pending_high = False
        last_end = -1
        for m in _ESCAPE.finditer(body):
            code = m.group(1)
            if code is None:  # another escape (\\n, \\\\, \\" ...)
                if pending_high:
                    return "a lone UTF-16 surrogate (\\ud800-\\udbff without its pair) is not text"
                continue
            value = int(code, 16)
            if value == 0:
                return "NUL characters (\\u0000) are not allowed in text"
            if pending_high:
                if 0xDC00 <= value <= 0xDFFF and m.start() == last_end:
                    pending_high = False
                    last_end = m.end()
                    continue
                return "a lone UTF-16 surrogate (\\ud800-\\udbff without its pair) is not text"
            if 0xD800 <= value <= 0xDBFF:
                pending_high, last_end = True, m.end()
            elif 0xDC00 <= value <= 0xDFFF:
                return "a lone UTF-16 surrogate (\\udc00-\\udfff without its pair) is not text"
        if pending_high:
            return "a lone UTF-16 surrogate (\\ud800-\\udbff without its pair) is not text"
    if body.count(b"[") + body.count(b"{") > MAX_JSON_DEPTH:
        brackets = _STRING.sub(b"", body).translate(None, b"".join(
            bytes([c]) for c in range(256) if c not in _DEPTH))
        deepest = max(accumulate(_DEPTH[c] for c in brackets), default=0)
        if deepest > MAX_JSON_DEPTH:
            return f"JSON nested {deepest} deep; the limit is {MAX_JSON_DEPTH}"
    return None


def form_text_problem(body: bytes) -> str | None:
    """A form body with a NUL character (``%00``) is refused like JSON's ``\\u0000``."""
    return "NUL characters are not allowed in text" if b"%00" in body or b"\x00" in body else None


class _BodyTimeout(Exception):
    pass


_GONE = b"\x00client disconnected"  # a sentinel no checked body can equal (NUL is refused)


class RequestGuard:
    """Read the body whole (bounded in size and time), check its text, then replay it to the app."""

    def __init__(self, app: ASGIApp, max_bytes: int, timeout_s: float = 30.0) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.timeout_s = timeout_s

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS", "DELETE"):
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers", []))
        length = headers.get(b"content-length", b"")
        if length.isdigit() and int(length) > self.max_bytes:
            await self._reject(scope, send, 413, "Request body too large", f"the limit is {self.max_bytes} bytes")
            return
        try:
            body = await self._read(receive)
        except _BodyTimeout:
            await self._reject(scope, send, 408, "Request timeout",
                               f"the request body did not arrive within {self.timeout_s:g} s")
            return
        if body is None:
            await self._reject(scope, send, 413, "Request body too large", f"the limit is {self.max_bytes} bytes")
            return
        if body is _GONE:
            return
        ctype = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
        why = None
        if ctype.endswith(b"json"):
            why = json_text_problem(body)
        elif ctype == b"application/x-www-form-urlencoded":
            why = form_text_problem(body)
        if why is not None:
            await self._reject(scope, send, 400, "Unusable text in the request", why)
            return
        scope.setdefault("state", {})["body"] = body
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _read(self, receive: Receive) -> bytes | None:
        """The whole body; None when over the limit (the rest is not read)."""
        deadline = time.monotonic() + self.timeout_s
        chunks: list[bytes] = []
        size = 0
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise _BodyTimeout
            try:
                message = await asyncio.wait_for(receive(), timeout=left)
            except TimeoutError:
                raise _BodyTimeout from None
            if message["type"] == "http.disconnect":
                return _GONE
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)

    async def _reject(self, scope: Scope, send: Send, status: int, title: str, detail: str) -> None:
        resp = problem(status, title, detail, instance=scope.get("path", ""))
        if status in (408, 413):
            resp.headers["Connection"] = "close"

        async def no_body() -> Message:
            return {"type": "http.disconnect"}

        await resp(scope, no_body, send)
