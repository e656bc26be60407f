"""API rate limits: per API key, per page session, and per client address for requests without either.

An ASGI middleware, outermost, so a client over its limit costs one counter update and nothing else.
Every request falls in a **route class** and is counted in the bucket of its caller and class:

- ``login``: ``POST /login``, per client address (whatever credential comes with it);
- ``model``: routes that generate with a model or start background work (note drafts, model chat and
  checks, evaluation runs, knowledge imports), per key or session;
- ``default``: every other route, per key or session;
- ``anonymous``: any route called without a credential (or with one that is not a key or live session),
  per client address. ``/healthz`` is never limited (load balancer probes).

Limits are ``N/second|minute|hour|day`` (or ``off``) per class, and per class and role as ``CLASS.ROLE``
(e.g. ``default.patient_app``), from ``[rate_limits]`` in yizhu.toml, then ``YIZHU_RATE_LIMITS`` (JSON).
The defaults are far above what a ward does (a ward's busiest EMR integration key sends a few requests
a second) and stop only a runaway client. Counters live in the database (``yizhu.store.ratelimit``), or in
Redis when ``YIZHU_REDIS_URL`` is set, never in the process: every replica counts into the same buckets.

Every limited response carries ``RateLimit-Limit``, ``RateLimit-Remaining``, ``RateLimit-Reset`` (seconds)
and ``RateLimit-Policy``; a request over the limit gets 429 ``application/problem+json`` with
``Retry-After``. The client address is the connection's peer; behind a load balancer run uvicorn with
``--proxy-headers --forwarded-allow-ips`` so it is the client's (deploy/compose.yaml does).
"""

from __future__ import annotations

import hashlib
import logging
import math
import re
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Protocol

import sqlalchemy as sa
from anyio import to_thread
from pydantic import BaseModel, ConfigDict, RootModel, field_validator
from sqlalchemy.engine import Engine
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from yizhu.api.errors import problem
from yizhu.config import Settings
from yizhu.errors import ConfigError, YizhuError
from yizhu.store import ratelimit as counters
from yizhu.store.db import transaction, utcnow
from yizhu.store.keys import _KEY_RE
from yizhu.store.schema import ROLES, api_keys, web_sessions

log = logging.getLogger(__name__)

CLASSES = ("default", "model", "anonymous", "login")
#: far above a ward's use; a runaway script or a password-guessing loop hits them
DEFAULTS: dict[str, str] = {
    "default": "3000/minute",
    "model": "300/minute",
    "anonymous": "600/minute",
    "login": "30/minute",
}
PERIODS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}
_RATE = re.compile(r"^\s*(\d+)\s*(?:/|per)\s*(second|minute|hour|day)s?\s*$", re.IGNORECASE)
_MODEL_ROUTE = re.compile(
    r"^(?:/v1/notes/draft|/notes/draft|/v1/models/[^/]+/(?:chat|check)|/v1/eval/runs"
    r"|/v1/tasks/notes\.[^/]+/run|/v1/knowledge/import|/v1/jobs)/?$"
)
EXEMPT = frozenset({"/healthz"})
COOKIE = b"yizhu_session"
_SESSION = re.compile(r"^[A-Za-z0-9_-]{32,64}$")


@dataclass(frozen=True)
class Rate:
    """``count`` requests per ``period_s`` seconds."""

    count: int
    period_s: int

    def __str__(self) -> str:
        unit = {v: k for k, v in PERIODS.items()}[self.period_s]
        return f"{self.count}/{unit}"


def parse_rate(text: str) -> Rate | None:
    """``"600/minute"`` → Rate(600, 60); ``"off"`` → None; anything else is a ConfigError."""
    if text.strip().lower() == "off":
        return None
    m = _RATE.match(text)
    if m is None or int(m.group(1)) < 1:
        raise ConfigError(f"rate limit {text!r} is not N/second, N/minute, N/hour, N/day or off (e.g. '600/minute')")
    return Rate(int(m.group(1)), PERIODS[m.group(2).lower()])


class RateLimitConfig(RootModel[dict[str, str]]):
    """``[rate_limits]``: ``CLASS = "N/period"`` or ``"CLASS.ROLE" = "N/period"``."""

    model_config = ConfigDict(frozen=True)

    @field_validator("root")
    @classmethod
    def _known(cls, value: dict[str, str]) -> dict[str, str]:
        for name, rate in value.items():
            klass, _, role = name.partition(".")
            if klass not in CLASSES or (role and (role not in ROLES or klass in ("anonymous", "login"))):
                raise ValueError(
                    f"unknown rate limit {name!r}: use one of {', '.join(CLASSES)}, or default.ROLE / model.ROLE "
                    f"with a role of {', '.join(ROLES)}"
                )
            parse_rate(rate)
        return value


class Limits(BaseModel):
    """The limits in force: class → rate, and (class, role) → rate where a role has its own."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    table: dict[str, str]

    def rate(self, klass: str, role: str | None = None) -> Rate | None:
        text = self.table.get(f"{klass}.{role}") if role else None
        return parse_rate(text if text is not None else self.table[klass])


def limits_from(settings: Settings) -> Limits:
    """Defaults, then yizhu.toml's ``[rate_limits]``, then ``YIZHU_RATE_LIMITS``/``Settings.rate_limits``."""
    table = dict(DEFAULTS)
    for source, raw in (("[rate_limits] in yizhu.toml", settings.extra_sections.get("rate_limits") or {}),
                        ("YIZHU_RATE_LIMITS", settings.rate_limits or {})):
        try:
            table.update(RateLimitConfig.model_validate({str(k): str(v) for k, v in raw.items()}).root)
        except (ValueError, ConfigError) as exc:
            raise ConfigError(f"{source}: {exc}") from None
    return Limits(table=table)


class Counter(Protocol):
    def hit(self, bucket: str, period_s: int) -> tuple[int, float]:
        """Count one request; ``(hits in this window, seconds until the window ends)``."""


class DatabaseCounter:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._calls = 0

    def hit(self, bucket: str, period_s: int) -> tuple[int, float]:
        window = counters.hit(self.engine, bucket, period_s)
        self._calls += 1
        if self._calls % 10_000 == 0:
            counters.prune(self.engine)
        return window.hits, max(0.0, (window.resets_at - utcnow()).total_seconds())


class RedisCounter:
    """``SET bucket 0 EX period NX; INCR bucket; PTTL bucket`` in one MULTI."""

    def __init__(self, url: str) -> None:
        try:
            import redis
        except ImportError as exc:
            raise ConfigError("YIZHU_REDIS_URL is set but the redis client is not installed: "
                              "pip install 'yizhu[production]'") from exc
        self.client = redis.Redis.from_url(url)

    def hit(self, bucket: str, period_s: int) -> tuple[int, float]:
        key = f"yizhu:rl:{bucket}"
        pipe = self.client.pipeline(transaction=True)
        pipe.set(key, 0, ex=period_s, nx=True)
        pipe.incr(key)
        pipe.pttl(key)
        _, hits, pttl = pipe.execute()
        return int(hits), max(0.0, int(pttl) / 1000.0)


class _RoleCache:
    """key_id / session hash → role, per process, for choosing a limit (never for authentication: the route
    still checks the key). A key's role never changes; a session's is its key's. Bounded, short-lived."""

    def __init__(self, engine: Engine, size: int = 4096, ttl_s: float = 60.0) -> None:
        self.engine = engine
        self.size = size
        self.ttl_s = ttl_s
        self._data: OrderedDict[str, tuple[str | None, float]] = OrderedDict()

    def _get(self, name: str, load: Any) -> str | None:
        now = time.monotonic()
        found = self._data.get(name)
        if found is not None and found[1] > now:
            return found[0]
        role = load()
        self._data[name] = (role, now + self.ttl_s)
        self._data.move_to_end(name)
        while len(self._data) > self.size:
            self._data.popitem(last=False)
        return role

    def key_role(self, key_id: str) -> str | None:
        def load() -> str | None:
            with transaction(self.engine) as conn:
                return conn.execute(sa.select(api_keys.c.role).where(api_keys.c.key_id == key_id)).scalar()

        return self._get(f"k:{key_id}", load)

    def session_role(self, id_hash: str) -> str | None:
        def load() -> str | None:
            with transaction(self.engine) as conn:
                return conn.execute(
                    sa.select(api_keys.c.role)
                    .select_from(web_sessions.join(api_keys, api_keys.c.key_id == web_sessions.c.key_id))
                    .where(web_sessions.c.id_hash == id_hash, web_sessions.c.expires_at > utcnow())
                ).scalar()

        return self._get(f"s:{id_hash}", load)


def route_class(method: str, path: str) -> str:
    if method == "POST" and path.rstrip("/") == "/login":
        return "login"
    if method == "POST" and _MODEL_ROUTE.match(path):
        return "model"
    return "default"


def _cookie(headers: dict[bytes, bytes], name: bytes) -> str | None:
    for part in headers.get(b"cookie", b"").split(b";"):
        k, _, v = part.strip().partition(b"=")
        if k == name:
            return v.strip().strip(b'"').decode("latin-1")
    return None


class RateLimit:
    """The middleware; see the module docstring."""

    def __init__(self, app: ASGIApp, engine: Engine, settings: Settings) -> None:
        self.app = app
        self.limits = limits_from(settings)
        self.counter: Counter = RedisCounter(settings.redis_url) if settings.redis_url else DatabaseCounter(engine)
        self.roles = _RoleCache(engine)

    def _caller(self, scope: Scope, klass: str) -> tuple[str, str | None, str]:
        """``(bucket owner, role or None, class)``: a key, a live session, or the client address."""
        client = scope.get("client")
        address = f"addr:{client[0] if client else 'unknown'}"
        if klass == "login":
            return address, None, "login"
        headers = dict(scope.get("headers", []))
        credential = headers.get(b"x-api-key")
        if credential is None:
            auth = headers.get(b"authorization", b"")
            credential = auth[7:] if auth[:7].lower() == b"bearer " else None
        if credential is not None:
            m = _KEY_RE.match(credential.decode("latin-1").strip())
            if m is not None and (role := self.roles.key_role(m["key_id"])) is not None:
                return f"key:{m['key_id']}", role, klass
            return address, None, "anonymous"
        session = _cookie(headers, COOKIE)
        if session and _SESSION.match(session):
            id_hash = hashlib.sha256(session.encode("ascii")).hexdigest()
            if (role := self.roles.session_role(id_hash)) is not None:
                return f"session:{id_hash[:32]}", role, klass
        return address, None, "anonymous"

    def _count(self, scope: Scope) -> tuple[Rate, int, float, str] | None:
        klass = route_class(scope["method"], scope["path"])
        owner, role, klass = self._caller(scope, klass)
        rate = self.limits.rate(klass, role)
        if rate is None:
            return None
        try:
            hits, reset_s = self.counter.hit(f"{owner}:{klass}", rate.period_s)
        except (YizhuError, OSError, sa.exc.SQLAlchemyError) as exc:  # fail open: the route meets the outage
            log.warning("rate limit counter unavailable, request not limited: %s", exc)
            return None
        except Exception as exc:  # redis.RedisError and the like
            if type(exc).__module__.split(".")[0] != "redis":
                raise
            log.warning("rate limit counter unavailable, request not limited: %s", exc)
            return None
        return rate, hits, reset_s, klass

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in EXEMPT:
            await self.app(scope, receive, send)
            return
        counted = await to_thread.run_sync(self._count, scope)
        if counted is None:
            await self.app(scope, receive, send)
            return
        rate, hits, reset_s, klass = counted
        reset = max(1, math.ceil(reset_s))
        headers = [
            (b"ratelimit-limit", str(rate.count).encode()),
            (b"ratelimit-remaining", str(max(0, rate.count - hits)).encode()),
            (b"ratelimit-reset", str(reset).encode()),
            (b"ratelimit-policy", f"{rate.count};w={rate.period_s}".encode()),
        ]
        if hits > rate.count:
            resp = problem(429, "Too many requests",
                           f"rate limit {rate} for {klass} requests from this caller is used up; retry in {reset} s",
                           instance=scope.get("path", ""))
            resp.headers["Retry-After"] = str(reset)
            resp.raw_headers.extend(headers)
            await resp(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *headers]}
            await send(message)

        await self.app(scope, receive, with_headers)
