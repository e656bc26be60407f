"""An app on a fresh SQLite file per test, with one key per role."""

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
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'api.db'}", max_body_bytes=64_000)


@pytest.fixture
def engine(settings: Settings):
    return store.init_db(settings.resolved_database_url)


@pytest.fixture
def keys(engine) -> dict[str, str]:
    return {role: store.create_api_key(engine, role=role, name=f"test-{role}") for role in ROLES}


@pytest.fixture
def client(settings: Settings, engine) -> Iterator[TestClient]:
    with TestClient(create_app(settings, engine=engine)) as c:
        yield c


def auth(key: str) -> dict[str, str]:
    return {"X-API-Key": key}
