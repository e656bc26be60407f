"""Alembic environment: run migrations on the connection ``init_db`` hands over.

Configured in code (``yizhu.store.db``), so there is no alembic.ini. For ``alembic revision
--autogenerate`` during development, pass a URL: ``-x url=sqlite:///var/yizhu.db``.
"""

from __future__ import annotations

from alembic import context

from yizhu.store.schema import metadata

config = context.config


def _run(connection: object) -> None:
    context.configure(
        connection=connection,  # type: ignore[arg-type]
        target_metadata=metadata,
        render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies the table instead
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    from yizhu.store.db import make_engine

    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option("sqlalchemy.url")
    if not url:
        raise SystemExit("pass the database with `-x url=...` (or use yizhu.store.init_db)")
    with make_engine(url).connect() as conn:
        _run(conn)
        conn.commit()
