"""The API fixtures (an app on a fresh database per test, one key per role) shared with tests/api."""

from tests.api.conftest import client, engine, keys, settings  # noqa: F401
