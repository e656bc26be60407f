"""init_db: migrations to head, idempotent, the same schema on SQLite and PostgreSQL."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.engine import Engine

from yizhu.errors import ConfigError, StoreError
from yizhu.store import count_patients, head_revision, init_db, make_engine, schema_revision
from yizhu.store.schema import metadata


def test_init_db_brings_schema_to_head(engine: Engine) -> None:
    assert schema_revision(engine) == head_revision()
    assert count_patients(engine) == 0


def test_migrated_schema_matches_the_table_definitions(engine: Engine) -> None:
    """The hand-written migration and schema.py describe the same tables (no autogenerate diff)."""
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), metadata)
    assert diff == []


def test_init_db_is_idempotent_and_keeps_data(db_url: str, sample_context) -> None:
    from yizhu.store import load_context, save_context

    first = init_db(db_url)
    save_context(first, sample_context)
    first.dispose()
    again = init_db(db_url)
    try:
        assert schema_revision(again) == head_revision()
        assert load_context(again, "E1") == sample_context
    finally:
        again.dispose()


@pytest.mark.sqlite_only  # SQLite pragmas of a file engine
def test_sqlite_file_gets_its_directory_wal_and_foreign_keys(tmp_path: Path) -> None:
    db = tmp_path / "deep" / "var" / "yizhu.db"
    engine = init_db(f"sqlite:///{db}")
    try:
        assert db.is_file()
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        engine.dispose()


def test_default_url_comes_from_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from yizhu.config import get_settings

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("YIZHU_DATABASE_URL", raising=False)
    monkeypatch.delenv("YIZHU_DATA_DIR", raising=False)
    monkeypatch.delenv("YIZHU_CONFIG", raising=False)
    get_settings.cache_clear()
    try:
        engine = init_db()
        engine.dispose()
    finally:
        get_settings.cache_clear()
    assert (tmp_path / "var" / "yizhu.db").is_file()


def test_in_memory_sqlite_works_for_throwaway_use() -> None:
    engine = init_db("sqlite://")
    try:
        assert count_patients(engine) == 0
    finally:
        engine.dispose()


def test_unmigrated_database_says_run_init(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    try:
        with pytest.raises(StoreError, match="yizhu init"):
            count_patients(engine)
    finally:
        engine.dispose()


def test_unreachable_postgres_is_a_store_error() -> None:
    with socket.socket() as s:  # a loopback port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(StoreError, match="YIZHU_DATABASE_URL"):
        init_db(f"postgresql+psycopg://nobody:secret@127.0.0.1:{port}/yizhu?connect_timeout=2")


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("not a url", "not a SQLAlchemy URL"),
        ("mysql+nosuchdriver://x/y", "no database driver"),
    ],
)
def test_bad_urls_are_config_errors(url: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        make_engine(url)


def test_password_never_appears_in_errors() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(StoreError) as info:
        init_db(f"postgresql+psycopg://nobody:hunter2@127.0.0.1:{port}/yizhu?connect_timeout=2")
    assert "hunter2" not in str(info.value)


def test_tables(engine: Engine) -> None:
    names = set(sa.inspect(engine).get_table_names())
    assert {
        "patients",
        "encounters",
        "documents",
        "encounter_items",
        "task_runs",
        "audit_head",
        "feedback",
        "api_keys",
        "alembic_version",
    } <= names


def test_alembic_commands_work_without_init_db(db_url: str) -> None:
    """Developers run Alembic directly (e.g. to autogenerate a revision); env.py then opens its own engine."""
    from alembic import command
    from alembic.config import Config

    from yizhu.store.db import MIGRATIONS_DIR

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", db_url.replace("%", "%%"))
    command.upgrade(cfg, "head")
    engine = make_engine(db_url)
    try:
        assert schema_revision(engine) == head_revision()
        command.downgrade(cfg, "base")
        assert schema_revision(engine) is None
        assert set(sa.inspect(engine).get_table_names()) <= {"alembic_version"}
    finally:
        engine.dispose()


def test_database_from_a_newer_yizhu_is_refused(engine: Engine, db_url: str) -> None:
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(StoreError, match="upgrade yizhu"):
        init_db(db_url)


@pytest.mark.parametrize(
    ("name", "why"),
    [("王\x00五", "NUL"), ("王\ud800五", "surrogate")],
)
def test_unstorable_text_is_refused_alike_on_every_database(engine: Engine, name: str, why: str) -> None:
    """NUL: PostgreSQL refuses it (once a 503), SQLite stored it; now both refuse it with one InputError."""
    from yizhu.core.models import Patient, Sex
    from yizhu.errors import InputError
    from yizhu.store import record_run, save_patient

    # (the API's models refuse a lone surrogate already; model_construct skips that, as a caller in code could)
    with pytest.raises(InputError, match=why):
        save_patient(engine, Patient.model_construct(id="p-nul", name=name, sex=Sex.male, synthetic=True))
    with pytest.raises(InputError, match=why):
        record_run(engine, task="t", task_version="1", input_obj={}, output_obj={"text": name}, actor="a",
                   duration_ms=1)
    assert count_patients(engine) == 0
    save_patient(engine, Patient(id="p-ok", name="王\\u0000五 (a backslash, not a NUL)", sex=Sex.male, synthetic=True))
    assert count_patients(engine) == 1
