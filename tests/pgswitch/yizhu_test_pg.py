"""The whole suite on PostgreSQL: every SQLite file URL yizhu opens becomes a schema on the test server.

``install(server_url)`` wraps ``yizhu.store.db.make_engine`` (the one place yizhu makes engines) so that
``sqlite:///PATH`` opens ``SERVER/postgres?options=-csearch_path=f_<sha1(PATH)>`` instead, creating the
schema on first use. The name depends only on the path, so a test and the CLI, replica or worker processes it
starts (which load this through ``sitecustomize`` when ``YIZHU_TEST_PG_SERVER`` is set) meet in the same
schema, and two files stay two databases. The (empty) file is still created, as
the marker the CLI looks for before it opens a database. In-memory SQLite and the path in ``YIZHU_TEST_KEEP_SQLITE`` (the
SQLite cases of the ``db_url`` fixture) are left alone. Test infrastructure only; not shipped.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

SERVER_ENV = "YIZHU_TEST_PG_SERVER"
_made: set[str] = set()


def _sqlite_file(url: Any) -> str | None:
    import sqlalchemy as sa

    try:
        parsed = sa.make_url(url)
    except sa.exc.ArgumentError:
        return None
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    if parsed.query.get("mode") == "memory":
        return None
    return str(Path(parsed.database).expanduser().absolute())


def schema_url(server_url: str, path: str) -> str:
    import sqlalchemy as sa

    schema = "f_" + hashlib.sha1(path.encode("utf-8")).hexdigest()[:24]
    if schema not in _made:
        admin = sa.create_engine(f"{server_url}/postgres", isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as conn:
                conn.exec_driver_sql(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
        except sa.exc.IntegrityError:  # another process made it at the same moment
            pass
        finally:
            admin.dispose()
        _made.add(schema)
    return f"{server_url}/postgres?options=-csearch_path%3D{schema}"


def install(server_url: str) -> Callable[[], None]:
    """Route SQLite file URLs to schemas on ``server_url``; returns the undo."""
    import yizhu.store
    import yizhu.store.db as db

    original = db.make_engine

    def make_engine(url: str) -> Any:
        path = _sqlite_file(url)
        if path is None or path == os.environ.get("YIZHU_TEST_KEEP_SQLITE"):
            return original(url)
        # the file stays as the marker "this database exists" that the CLI looks for before opening one
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).touch()
        return original(schema_url(server_url, path))

    db.make_engine = make_engine  # type: ignore[assignment]
    yizhu.store.make_engine = make_engine  # type: ignore[assignment]

    def undo() -> None:
        db.make_engine = original  # type: ignore[assignment]
        yizhu.store.make_engine = original  # type: ignore[assignment]

    return undo
