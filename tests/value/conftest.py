"""Feedback is stored in the store's database: the same migrated SQLite and PostgreSQL engines as the
store tests."""

from tests.store.conftest import engine  # noqa: F401  (the fixture)
