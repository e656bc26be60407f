"""Idempotency keys: the first answer to a POST, kept so that a client's retry gets it again.

A client that lost the acknowledgement of a task run (timeout, dropped connection) retries with the
same ``Idempotency-Key`` header; instead of running — and auditing — the task twice, the service
replays the first answer. Keys are per caller (``owner`` is a hash of the credential), expire after
``TTL``, and a key reused with a different request is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from yizhu.store.db import transaction, utcnow
from yizhu.store.schema import idempotency_keys

#: how long a key is remembered
TTL = timedelta(hours=24)
#: a first request that has not finished in this time is taken as lost (its process died)
ABANDONED = timedelta(minutes=15)


@dataclass(frozen=True)
class Claim:
    """``new``: run the request; ``replay``: send the stored answer; ``conflict``: same key, other request;
    ``busy``: the first request with this key is still running."""

    outcome: Literal["new", "replay", "conflict", "busy"]
    status: int | None = None
    content_type: str | None = None
    body: str | None = None


def claim(engine: Engine, owner: str, key: str, request_hash: str) -> Claim:
    """Claim ``key`` for this request, or say what to do instead."""
    now = utcnow()
    for _ in range(3):
        try:
            with transaction(engine) as conn:
                conn.execute(idempotency_keys.insert().values(
                    owner=owner, key=key, request_hash=request_hash, status=None, created_at=now))
            return Claim("new")
        except Exception as exc:  # the key exists (IntegrityError, wrapped as StoreError by transaction)
            if not isinstance(exc, IntegrityError) and not isinstance(exc.__cause__, IntegrityError):
                raise
        with transaction(engine) as conn:
            row = conn.execute(sa.select(idempotency_keys).where(
                idempotency_keys.c.owner == owner, idempotency_keys.c.key == key)).first()
            if row is None:
                continue
            stale = row.created_at < now - TTL or (row.status is None and row.created_at < now - ABANDONED)
            if stale:
                conn.execute(idempotency_keys.delete().where(
                    idempotency_keys.c.owner == owner, idempotency_keys.c.key == key))
                continue
        if row.request_hash != request_hash:
            return Claim("conflict")
        if row.status is None:
            return Claim("busy")
        return Claim("replay", status=row.status, content_type=row.content_type, body=row.body)
    return Claim("busy")


def complete(engine: Engine, owner: str, key: str, status: int, content_type: str, body: str) -> None:
    """Keep the first answer for replay."""
    with transaction(engine) as conn:
        conn.execute(idempotency_keys.update().where(
            idempotency_keys.c.owner == owner, idempotency_keys.c.key == key,
        ).values(status=status, content_type=content_type[:128], body=body))


def release(engine: Engine, owner: str, key: str) -> None:
    """Forget a claim whose request failed, so that a retry runs it again."""
    with transaction(engine) as conn:
        conn.execute(idempotency_keys.delete().where(
            idempotency_keys.c.owner == owner, idempotency_keys.c.key == key, idempotency_keys.c.status.is_(None)))
