"""Rate limit counters in the database: one fixed window per bucket, shared by every API replica.

``hit`` is one statement — an upsert that starts a new window when the stored one has ended, else adds
one, and returns the count and the window's end — so two replicas counting the same bucket at the same
moment cannot both read the old count (SQLite serialises writers; PostgreSQL's ON CONFLICT locks the row).
A bucket is reused window after window; ``prune`` drops buckets idle for a day (client addresses).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from yizhu.store.db import dialect_insert, transaction, utcnow
from yizhu.store.schema import rate_limits

#: buckets whose window ended this long ago are deleted by ``prune``
IDLE = timedelta(days=1)


@dataclass(frozen=True)
class Window:
    """A bucket's count in its current window and when that window ends (naive UTC)."""

    hits: int
    resets_at: datetime


_STATEMENTS: dict[str, Any] = {}


def _upsert(conn: Any) -> Any:
    """The counting upsert for this dialect, built once (with bound parameters) and reused."""
    stmt = _STATEMENTS.get(conn.dialect.name)
    if stmt is None:
        ins = dialect_insert(conn, rate_limits).values(
            bucket=sa.bindparam("bucket"), hits=1, resets_at=sa.bindparam("ends", type_=sa.DateTime))
        expired = rate_limits.c.resets_at <= sa.bindparam("now", type_=sa.DateTime)
        stmt = ins.on_conflict_do_update(
            index_elements=["bucket"],
            set_={
                "hits": sa.case((expired, 1), else_=rate_limits.c.hits + 1),
                "resets_at": sa.case((expired, ins.excluded.resets_at), else_=rate_limits.c.resets_at),
            },
        ).returning(rate_limits.c.hits, rate_limits.c.resets_at)
        _STATEMENTS[conn.dialect.name] = stmt
    return stmt


def hit(engine: Engine, bucket: str, period_s: int, *, now: datetime | None = None) -> Window:
    """Count one request against ``bucket`` in a window of ``period_s`` seconds."""
    now = now or utcnow()
    ends = now + timedelta(seconds=period_s)
    # BEGIN IMMEDIATE on SQLite: a deferred transaction whose snapshot another writer overtook fails at once
    # with "database is locked" (no busy wait); taking the write lock first waits its turn instead.
    with transaction(engine, write_lock=True) as conn:
        row = conn.execute(_upsert(conn), {"bucket": bucket[:200], "ends": ends, "now": now}).one()
    return Window(hits=int(row.hits), resets_at=row.resets_at)


def prune(engine: Engine, *, now: datetime | None = None) -> int:
    """Delete buckets idle for ``IDLE``; the number deleted."""
    now = now or utcnow()
    with transaction(engine) as conn:
        return int(conn.execute(rate_limits.delete().where(rate_limits.c.resets_at < now - IDLE)).rowcount or 0)
