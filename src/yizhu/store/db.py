"""Engines, migrations and transactions: the only place that knows which database is in use.

SQLite (the embedded default) gets WAL mode, foreign keys and a busy timeout on every connection,
and we issue ``BEGIN`` ourselves so a writer can ask for ``BEGIN IMMEDIATE`` (the audit chain
does) instead of pysqlite's implicit, lock-upgrading transactions. PostgreSQL needs nothing
special. Every SQLAlchemy failure leaves this package as a ``StoreError`` whose message names
the fix.

Text neither database can keep the same way is refused before it reaches either, with one
``InputError``: NUL characters (PostgreSQL rejects them, SQLite would store them) and lone UTF-16
surrogates (no UTF-8 form). The check runs on every statement's parameters (``_refuse_unstorable``),
so no write path — API, CLI, import, audit — can differ between the two.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.util import CommandError
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.pool import StaticPool

from yizhu.errors import ConfigError, InputError, StoreError, YizhuError

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
SQLITE_BUSY_TIMEOUT_S = 30.0
SQLITE_POOL_SIZE = 40
# Any constant works; it only has to be the same for every process that migrates this database.
_PG_MIGRATION_LOCK = 0x7969_7A68  # "yizh"


def utcnow() -> datetime:
    """Naive UTC now, microsecond precision: what the store writes and what round-trips everywhere."""
    return datetime.now(UTC).replace(tzinfo=None)


def safe_url(url: str | sa.URL) -> str:
    """The URL with its password masked, for messages."""
    try:
        return sa.make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<unparseable URL>"


def make_engine(url: str) -> Engine:
    """An Engine for ``url`` configured for yizhu, without touching the schema (see ``init_db``)."""
    try:
        parsed = sa.make_url(url)
    except ArgumentError as exc:
        raise ConfigError(
            f"database URL {url!r} is not a SQLAlchemy URL; use e.g. sqlite:///var/yizhu.db or "
            "postgresql+psycopg://user:password@host/yizhu in YIZHU_DATABASE_URL."
        ) from exc
    try:
        if parsed.get_backend_name() == "sqlite":
            engine = _sqlite_engine(parsed)
        else:
            engine = sa.create_engine(parsed, pool_pre_ping=True, json_serializer=_json_serializer)
        sa.event.listen(engine, "before_cursor_execute", _refuse_unstorable)
        return engine
    except NoSuchModuleError as exc:
        raise ConfigError(
            f"no database driver for {safe_url(parsed)}; for PostgreSQL install the extra "
            "`pip install 'yizhu[postgres]'` and use a postgresql+psycopg:// URL."
        ) from exc
    except ImportError as exc:
        raise ConfigError(
            f"database driver for {safe_url(parsed)} failed to import ({exc}); install it."
        ) from exc


def _unstorable(value: Any) -> str | None:
    if isinstance(value, str):
        if "\x00" in value:
            return "NUL characters (\\u0000) cannot be stored; remove them from the text"
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return "text with a lone UTF-16 surrogate cannot be stored; send valid Unicode"
    elif isinstance(value, dict):
        for v in value.values():
            if (why := _unstorable(v)) is not None:
                return why
    elif isinstance(value, list | tuple):
        for v in value:
            if (why := _unstorable(v)) is not None:
                return why
    return None


class JSONText(str):
    """A JSON column value already serialised (and checked) by the caller: stored as it is, not again."""


def _json_serializer(obj: Any) -> str:
    """JSON columns: the Python value is checked before it is serialised (where NUL becomes ``\\u0000``)."""
    if isinstance(obj, JSONText):
        return str(obj)
    why = _unstorable(obj)
    if why is not None:
        raise InputError(why)
    return json.dumps(obj)


def _refuse_unstorable(_conn: Any, _cursor: Any, _statement: str, parameters: Any, _context: Any,
                       _executemany: bool) -> None:
    why = _unstorable(parameters)
    if why is not None:
        raise InputError(why)


def _sqlite_engine(url: sa.URL) -> Engine:
    database = url.database or ""
    in_memory = database in ("", ":memory:") or url.query.get("mode") == "memory"
    if not in_memory:
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    kwargs: dict[str, Any] = {"connect_args": {"timeout": SQLITE_BUSY_TIMEOUT_S, "check_same_thread": False},
                              "json_serializer": _json_serializer}
    if in_memory:
        # One shared connection, or every checkout would see its own empty database.
        kwargs["poolclass"] = StaticPool
    else:
        # As many kept connections as the server's worker threads (anyio's 40): an overflow connection is
        # closed on return, and reopening one costs its PRAGMAs on every request under load.
        kwargs.update(pool_size=SQLITE_POOL_SIZE, max_overflow=10)
    engine = sa.create_engine(url, **kwargs)

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Driver-level autocommit: transactions start only with the BEGIN we emit below.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        try:
            if not in_memory:
                cur.execute("PRAGMA journal_mode=WAL")
                cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute(f"PRAGMA busy_timeout={int(SQLITE_BUSY_TIMEOUT_S * 1000)}")
        finally:
            cur.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine


@contextmanager
def transaction(engine: Engine, *, write_lock: bool = False) -> Iterator[Connection]:
    """One transaction; SQLAlchemy errors become StoreError.

    ``write_lock`` takes SQLite's write lock up front (``BEGIN IMMEDIATE``) so that a read-then-write
    sequence cannot be overtaken by another writer; on PostgreSQL callers lock rows themselves.
    """
    try:
        with engine.connect() as conn:
            if write_lock and conn.dialect.name == "sqlite":
                conn.execution_options(sqlite_begin="IMMEDIATE")
            with conn.begin():
                yield conn
    except YizhuError:
        raise
    except SQLAlchemyError as exc:
        if isinstance(getattr(exc, "orig", None), YizhuError):  # ours, raised while binding (unstorable text)
            raise exc.orig from None  # type: ignore[misc]
        raise store_error(exc, engine) from exc


def store_error(exc: SQLAlchemyError, engine: Engine | None = None) -> StoreError:
    """Map a SQLAlchemy failure to a StoreError whose message says what to do."""
    where = f" ({safe_url(engine.url)})" if engine is not None else ""
    # The driver's own message (first line) says what went wrong; SQLAlchemy's wrapper adds the SQL.
    lines = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    text = lines[0] if lines else type(exc).__name__
    low = text.lower()
    if "no such table" in low or ("relation" in low and "does not exist" in low):
        return StoreError(f"database{where} has no yizhu schema: {text}; run `yizhu init` to create it.")
    if isinstance(exc, sa.exc.OperationalError) and any(
        s in low for s in ("connect", "connection", "unable to open", "could not translate", "timeout")
    ):
        return StoreError(
            f"cannot reach the database{where}: {text}; check YIZHU_DATABASE_URL and that the server "
            "is running and accepts connections."
        )
    if "database is locked" in low:
        return StoreError(
            f"database{where} stayed locked by another writer: {text}; retry, or move to "
            "PostgreSQL if many processes write at once."
        )
    return StoreError(f"database error{where}: {text}")


def _alembic_config(conn: Connection) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["connection"] = conn
    return cfg


def init_db(url: str | None = None) -> Engine:
    """Create or upgrade the schema to the newest migration and return a ready Engine.

    Safe to call on every start: an up-to-date database is left as it is, and concurrent callers
    are serialised (SQLite write lock, PostgreSQL advisory lock). Without ``url`` the configured
    ``Settings.resolved_database_url`` is used; the parent directory of a SQLite file is created.
    """
    if url is None:
        from yizhu.config import get_settings

        url = get_settings().resolved_database_url
    engine = make_engine(url)
    try:
        with transaction(engine, write_lock=True) as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_MIGRATION_LOCK})
            command.upgrade(_alembic_config(conn), "head")
    except CommandError as exc:
        engine.dispose()
        raise StoreError(
            f"cannot migrate {safe_url(engine.url)}: {exc}; the database was probably created by a newer "
            "yizhu, so upgrade yizhu (or point YIZHU_DATABASE_URL at another database)."
        ) from exc
    except BaseException:
        engine.dispose()
        raise
    return engine


def schema_revision(engine: Engine) -> str | None:
    """The Alembic revision the database is at (None when never initialised)."""
    from alembic.runtime.migration import MigrationContext

    with transaction(engine) as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str:
    """The newest migration shipped with this version of yizhu."""
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    head = ScriptDirectory.from_config(cfg).get_current_head()
    assert head is not None
    return head


def dialect_insert(conn: Connection, table: sa.Table) -> Any:
    """The dialect's INSERT that supports ON CONFLICT (SQLite and PostgreSQL)."""
    name: Literal["sqlite", "postgresql"] | str = conn.dialect.name
    if name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(table)
    if name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        return sqlite_insert(table)
    raise ConfigError(f"database dialect {name!r} is not supported; use SQLite or PostgreSQL.")


def upsert(conn: Connection, table: sa.Table, values: dict[str, Any], *, keep: tuple[str, ...] = ()) -> None:
    """Insert a row or update it in place when its primary key exists; ``keep`` columns are not updated."""
    keys = [c.name for c in table.primary_key.columns]
    stmt = dialect_insert(conn, table).values(**values)
    update = {k: stmt.excluded[k] for k in values if k not in keys and k not in keep}
    conn.execute(stmt.on_conflict_do_update(index_elements=keys, set_=update))
