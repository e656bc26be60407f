"""Batch work on a queue: the same job API in process (embedded) and over Redis with Dramatiq workers
(production), and a worker killed with -9 mid-job loses nothing and repeats nothing."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from yizhu.errors import InputError
from yizhu.jobs import Job, JobQueue, LocalQueue, RedisQueue
from yizhu.jobs.kinds import ResultLog


def _rows(path: Path) -> list[dict[str, object]]:
    if not path.exists():
        return []
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


def _wait(queue: JobQueue, job_id: str, timeout_s: float = 60) -> Job:
    deadline = time.monotonic() + timeout_s
    while (job := queue.get(job_id)).state in ("queued", "running"):
        assert time.monotonic() < deadline, f"job still {job.state} after {timeout_s} s"
        time.sleep(0.05)
    return job


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    from yizhu.api.services import load_demo
    from yizhu.store.db import init_db

    url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'demo.db'}"
    engine = init_db(url)
    load_demo(engine)
    engine.dispose()
    return url


def _discharged(url: str) -> set[str]:
    from yizhu.store.db import init_db
    from yizhu.store.repo import list_encounters

    engine = init_db(url)
    try:
        return {e.id for e in list_encounters(engine, limit=1000) if e.discharged_at is not None}
    finally:
        engine.dispose()


# ── embedded profile ──


def test_local_queue_runs_nightly_qc_of_every_discharge(demo_db: str, tmp_path: Path) -> None:
    queue = LocalQueue()
    job = queue.submit("qc.discharges", {"out": str(tmp_path / "out"), "database_url": demo_db})
    done = queue.wait(job.id)
    assert done.state == "done", done.error
    rows = _rows(tmp_path / "out" / "results.jsonl")
    assert {r["_key"] for r in rows} == _discharged(demo_db) and len(rows) == len(_discharged(demo_db)) > 0
    assert all("score" in r or "findings" in r for r in rows)
    again = queue.wait(queue.submit("qc.discharges", {"out": str(tmp_path / "out"), "database_url": demo_db}).id)
    assert again.result is not None and again.result["checked_now"] == 0  # resumed: nothing redone
    assert len(_rows(tmp_path / "out" / "results.jsonl")) == len(rows)


def test_an_evaluation_run_is_a_job(tmp_path: Path) -> None:
    queue = LocalQueue()
    done = queue.wait(queue.submit("eval.run", {"suite": "qc", "out": str(tmp_path / "eval"), "limit": 5}).id)
    assert done.state == "done", done.error
    assert done.result is not None and (tmp_path / "eval" / "report.json").is_file()


def test_bad_jobs_are_clear_errors(tmp_path: Path) -> None:
    queue = LocalQueue()
    with pytest.raises(InputError, match=r"unknown job kind 'qc.nope'; known kinds: .*qc.discharges"):
        queue.submit("qc.nope", {})
    failed = queue.wait(queue.submit("qc.batch", {"path": str(tmp_path / "missing"), "out": str(tmp_path)}).id)
    assert failed.state == "failed" and "does not exist" in (failed.error or "")


def test_result_log_drops_a_torn_last_line(tmp_path: Path) -> None:
    (tmp_path / "results.jsonl").write_text('{"_key": "a", "n": 1}\n{"_key": "b", "n"', encoding="utf-8")
    log = ResultLog(tmp_path)
    assert set(log.done) == {"a"}
    log.add("b", {"n": 2})
    log.close()
    assert [r["_key"] for r in _rows(tmp_path / "results.jsonl")] == ["a", "b"]


# ── production profile: Redis + Dramatiq workers ──


@pytest.fixture
def workers(redis_url: str, tmp_path: Path) -> Iterator[list[subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []
    yield started
    for proc in started:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(5)


def start_worker(redis_url: str, log: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "YIZHU_REDIS_URL": redis_url, "YIZHU_JOBS_HEARTBEAT_MS": "1500",
           "YIZHU_JOBS_MAINTENANCE_CHANCE": "1000000"}
    return subprocess.Popen(
        [sys.executable, "-m", "yizhu.cli.main", "jobs", "worker", "--processes", "1", "--threads", "1"],
        env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True,
    )


def test_redis_queue_runs_nightly_qc_on_a_worker(redis_url: str, workers: list, demo_db: str, tmp_path: Path) -> None:
    workers.append(start_worker(redis_url, tmp_path / "worker.log"))
    queue = RedisQueue(redis_url)
    try:
        job = queue.submit("qc.discharges", {"out": str(tmp_path / "out"), "database_url": demo_db})
        assert queue.get(job.id).state in ("queued", "running")
        done = _wait(queue, job.id, 120)
    finally:
        queue.close()
    assert done.state == "done", done.error or (tmp_path / "worker.log").read_text()
    assert done.result is not None and done.result["records"] == len(_discharged(demo_db))


def test_a_worker_killed_mid_job_loses_and_repeats_nothing(redis_url: str, workers: list, tmp_path: Path) -> None:
    log = tmp_path / "worker.log"
    first = start_worker(redis_url, log)
    workers.append(first)
    out = tmp_path / "out"
    queue = RedisQueue(redis_url)
    try:
        job = queue.submit("sleep", {"n": 24, "seconds": 0.15, "out": str(out)})
        deadline = time.monotonic() + 60
        while len(_rows(out / "results.jsonl")) < 4:
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.02)
        os.killpg(first.pid, signal.SIGKILL)  # the whole worker, mid-job, no chance to clean up
        first.wait(10)
        assert queue.get(job.id).state == "running"
        workers.append(start_worker(redis_url, log))
        done = _wait(queue, job.id, 90)
    finally:
        queue.close()
    assert done.state == "done", done.error
    assert done.attempts == 2  # the message came back after the dead worker's heartbeat lapsed
    rows = _rows(out / "results.jsonl")
    assert [r["item"] for r in rows] == list(range(24))  # every item once: nothing lost, nothing repeated
    assert len({r["pid"] for r in rows}) == 2


def test_cli_submits_to_the_embedded_queue_and_waits(demo_db: str, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "YIZHU_REDIS_URL"}
    env["YIZHU_DATABASE_URL"] = demo_db
    done = subprocess.run(
        [sys.executable, "-m", "yizhu.cli.main", "jobs", "submit", "qc.discharges", "-p", f"out={tmp_path / 'out'}"],
        capture_output=True, text=True, env=env, timeout=300, check=False,
    )
    assert done.returncode == 0, done.stderr
    job = json.loads(done.stdout)
    assert job["state"] == "done" and job["result"]["records"] == len(_discharged(demo_db))
    bad = subprocess.run([sys.executable, "-m", "yizhu.cli.main", "jobs", "submit", "qc.batch", "-p", "nonsense"],
                         capture_output=True, text=True, env=env, timeout=120, check=False)
    assert bad.returncode == 2 and "is not KEY=VALUE" in bad.stderr and len(bad.stderr.strip().splitlines()) == 1
