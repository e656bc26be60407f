"""``Idempotency-Key`` on every POST: a retry after a lost acknowledgement gets the first answer.

An ASGI middleware inside the request guard (which has read and checked the body). With the header,
the first request claims the key (per caller: the owner is a hash of the credential) and its 2xx answer
is stored; a retry with the same key and the same request gets that answer again with
``Idempotent-Replayed: true`` — nothing runs, nothing is audited twice. The same key with another
request → 422; while the first is still running → 409. Errors are not stored, so a retry after a
failure runs again. Streams (``text/event-stream``) are not stored.
"""

from __future__ import annotations

import hashlib
import re

from anyio import to_thread
from sqlalchemy.engine import Engine
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from yizhu.api.errors import problem
from yizhu.store import idempotency

HEADER = b"idempotency-key"
_KEY = re.compile(r"^[\x21-\x7e]{1,200}$")


def _owner(headers: dict[bytes, bytes]) -> str | None:
    credential = headers.get(b"x-api-key") or headers.get(b"authorization") or headers.get(b"cookie")
    return hashlib.sha256(credential.strip()).hexdigest() if credential else None


class Idempotency:
    def __init__(self, app: ASGIApp, engine: Engine) -> None:
        self.app = app
        self.engine = engine

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers", []))
        raw_key = headers.get(HEADER)
        owner = _owner(headers)
        if raw_key is None or owner is None:  # no key, or no credential (the route answers 401)
            await self.app(scope, receive, send)
            return
        key = raw_key.decode("latin-1")
        if not _KEY.match(key):
            await problem(400, "Invalid Idempotency-Key", "1-200 visible ASCII characters")(scope, receive, send)
            return
        body = scope.get("state", {}).get("body", b"")
        digest = hashlib.sha256()
        for part in (scope["method"].encode(), scope.get("raw_path") or scope["path"].encode(),
                     scope.get("query_string", b""), body):
            digest.update(len(part).to_bytes(8, "big") + part)
        found = await to_thread.run_sync(idempotency.claim, self.engine, owner, key, digest.hexdigest())
        if found.outcome == "replay":
            await self._replay(found, scope, receive, send)
            return
        if found.outcome == "conflict":
            await problem(422, "Idempotency-Key reused", f"key {key!r} was first used with a different request; "
                          "use a new key for a new request")(scope, receive, send)
            return
        if found.outcome == "busy":
            resp = problem(409, "Request in progress", f"the first request with key {key!r} is still running; "
                           "retry in a moment")
            resp.headers["Retry-After"] = "2"
            await resp(scope, receive, send)
            return

        started: Message = {}
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                started.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
            await send(message)

        stored = False
        try:
            await self.app(scope, receive, capture)
            status = int(started.get("status", 500))
            ctype = dict(started.get("headers", [])).get(b"content-type", b"").decode("latin-1")
            if 200 <= status < 300 and not ctype.startswith("text/event-stream"):
                text = b"".join(chunks).decode("utf-8", "replace")
                await to_thread.run_sync(idempotency.complete, self.engine, owner, key, status, ctype, text)
                stored = True
        finally:
            if not stored:
                await to_thread.run_sync(idempotency.release, self.engine, owner, key)

    async def _replay(self, found: idempotency.Claim, scope: Scope, receive: Receive, send: Send) -> None:
        body = (found.body or "").encode("utf-8")
        await send({
            "type": "http.response.start",
            "status": found.status or 200,
            "headers": [
                (b"content-type", (found.content_type or "application/json").encode("latin-1")),
                (b"content-length", str(len(body)).encode()),
                (b"idempotent-replayed", b"true"),
            ],
        })
        await send({"type": "http.response.body", "body": body})
