"""An app on a fresh database per test, with one key per role: every API test runs on SQLite and on a real
PostgreSQL (``db_url`` in tests/conftest.py; the PostgreSQL cases skip with the reason where it cannot start)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import yizhu.store as store
from yizhu.api.app import create_app
from yizhu.config import Settings

ROLES = ("admin", "clinician", "pharmacist", "qc_officer", "patient_app")


@pytest.fixture
def settings(tmp_path: Path, db_url: str) -> Settings:
    return Settings(data_dir=tmp_path, database_url=db_url, max_body_bytes=64_000)


@pytest.fixture
def engine(settings: Settings):
    eng = store.init_db(settings.resolved_database_url)
    yield eng
    eng.dispose()


@pytest.fixture
def keys(engine) -> dict[str, str]:
    return {role: store.create_api_key(engine, role=role, name=f"test-{role}") for role in ROLES}


@pytest.fixture
def client(settings: Settings, engine) -> Iterator[TestClient]:
    with TestClient(create_app(settings, engine=engine)) as c:
        yield c


def auth(key: str) -> dict[str, str]:
    return {"X-API-Key": key}
