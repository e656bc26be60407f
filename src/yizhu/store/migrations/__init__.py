"""Alembic migrations for the yizhu store (run through ``yizhu.store.init_db``, no alembic.ini needed)."""
