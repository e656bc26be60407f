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


# ── imports and model training as jobs ──


def _triage_data(path: Path, repeat: int = 1) -> Path:
    """Synthetic (合成) labelled questions for the triage trainer (the same as tests/clinical/triage)."""
    from tests.clinical.triage.test_model import _records

    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in _records() * repeat), encoding="utf-8")
    return path


def test_knowledge_and_terminology_imports_are_a_job(tmp_path: Path) -> None:
    from yizhu.knowledge.imported import KnowledgeStore

    icd = tmp_path / "icd.csv"
    icd.write_text("code,name\nI10,高血压（合成）\nE11.900,2型糖尿病（合成）\n", encoding="utf-8")
    docs = tmp_path / "guidelines"
    docs.mkdir()
    (docs / "htn.md").write_text("# 高血压随访（合成示例）\n\n## 随访\n未达标者每2至4周随访一次。\n", encoding="utf-8")
    (docs / "dm.md").write_text("# 糖尿病随访（合成示例）\n\n## 随访\n每3个月查一次糖化血红蛋白。\n", encoding="utf-8")
    (docs / "stray.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    data_dir = tmp_path / "var"
    queue = LocalQueue()
    terms = {"path": str(icd), "kind": "icd", "out": str(tmp_path / "out-icd"), "data_dir": str(data_dir)}
    done = queue.wait(queue.submit("kb.import", terms).id)
    assert done.state == "done", done.error
    assert done.result is not None and done.result["imported_now"] == 1
    assert len(KnowledgeStore(data_dir).icd_rows()) == 2
    guides = {"path": str(docs), "out": str(tmp_path / "out-docs"), "data_dir": str(data_dir), "source": "合成示例, 2026"}
    done = queue.wait(queue.submit("kb.import", guides).id)
    assert done.state == "done", done.error
    assert done.result is not None and done.result["imported_now"] == 2
    assert [Path(e["file"]).name for e in done.result["errors"]] == ["stray.csv"]  # named, the rest loaded
    rows = _rows(tmp_path / "out-docs" / "results.jsonl")
    assert sorted(Path(str(r["file"])).name for r in rows) == ["dm.md", "htn.md"]
    again = queue.wait(queue.submit("kb.import", guides).id)
    assert again.result is not None and again.result["imported_now"] == 0 and again.result["skipped"] == 2
    assert len(_rows(tmp_path / "out-docs" / "results.jsonl")) == 2
    bad = queue.wait(queue.submit("kb.import", {"path": str(tmp_path / "nope"), "out": str(tmp_path / "o2")}).id)
    assert bad.state == "failed" and "does not exist" in (bad.error or "")


def test_model_training_is_a_job(tmp_path: Path) -> None:
    from yizhu.learn.store import active_model

    data = _triage_data(tmp_path / "triage.jsonl")
    params = {"kind": "triage", "data": str(data), "data_dir": str(tmp_path / "var"), "out": str(tmp_path / "out")}
    queue = LocalQueue()
    done = queue.wait(queue.submit("train", params).id)
    assert done.state == "done", done.error
    model = active_model("triage", tmp_path / "var")
    assert model is not None and done.result is not None and done.result["trained_now"] == 1
    row = _rows(tmp_path / "out" / "results.jsonl")[0]
    assert row["version"] == model.version and "macro_f1" in row["metrics"]
    again = queue.wait(queue.submit("train", params).id)
    assert again.result is not None and again.result["trained_now"] == 0
    assert active_model("triage", tmp_path / "var").version == model.version  # not trained twice
    for bad, why in (({"kind": "triage", "out": str(tmp_path / "o")}, "needs params.kind and params.data"),
                     ({"kind": "nope", "data": str(data), "out": str(tmp_path / "o")}, "unknown model kind"),
                     ({**params, "rounds": 3}, "unknown parameter")):
        failed = queue.wait(queue.submit("train", bad).id)
        assert failed.state == "failed" and why in (failed.error or ""), failed.error


def test_a_worker_killed_mid_training_loses_and_repeats_no_model(redis_url: str, workers: list, tmp_path: Path) -> None:
    log = tmp_path / "worker.log"
    first = start_worker(redis_url, log)
    workers.append(first)
    out, models = tmp_path / "out", tmp_path / "models"
    data = _triage_data(tmp_path / "triage.jsonl", repeat=3)
    runs = [{"kind": "triage", "data": str(data), "seed": seed, "models": str(models), "data_dir": str(tmp_path)}
            for seed in range(10)]
    queue = RedisQueue(redis_url)
    try:
        job = queue.submit("train", {"runs": runs, "out": str(out)})
        deadline = time.monotonic() + 120
        while len(_rows(out / "results.jsonl")) < 3:
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.02)
        os.killpg(first.pid, signal.SIGKILL)  # mid-job, most likely mid-training
        first.wait(10)
        workers.append(start_worker(redis_url, log))
        done = _wait(queue, job.id, 180)
    finally:
        queue.close()
    assert done.state == "done", done.error or log.read_text()[-2000:]
    assert done.attempts == 2
    rows = _rows(out / "results.jsonl")
    assert len(rows) == 10 and len({r["_key"] for r in rows}) == 10  # every training once
    assert len({r["pid"] for r in rows}) == 2
    finished = sorted(p.name for p in (models / "triage").iterdir() if p.is_dir() and not p.name.startswith("."))
    assert finished == sorted(str(r["version"]) for r in rows)  # no model from the killed attempt, none twice


def test_the_api_queues_jobs_for_admins(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    import yizhu.store as store
    from yizhu.api.app import create_app
    from yizhu.config import Settings

    settings = Settings(data_dir=tmp_path / "var", database_url=f"sqlite:///{tmp_path / 'api.db'}")
    engine = store.init_db(settings.resolved_database_url)
    admin = {"X-API-Key": store.create_api_key(engine, role="admin", name="ops")}
    clinician = {"X-API-Key": store.create_api_key(engine, role="clinician", name="dr")}
    data = _triage_data(tmp_path / "triage.jsonl")
    body = {"kind": "train", "params": {"kind": "triage", "data": str(data), "data_dir": str(tmp_path / "var"),
                                        "out": str(tmp_path / "out")}}
    with TestClient(create_app(settings, engine=engine)) as client:
        assert client.post("/v1/jobs", json=body, headers=clinician).status_code == 403
        r = client.post("/v1/jobs", json=body, headers=admin)
        assert r.status_code == 202, r.text
        job_id = r.json()["id"]
        deadline = time.monotonic() + 60
        while (job := client.get(f"/v1/jobs/{job_id}", headers=admin).json())["state"] in ("queued", "running"):
            assert time.monotonic() < deadline
            time.sleep(0.05)
        assert job["state"] == "done" and job["result"]["trained_now"] == 1, job
        missing = client.get("/v1/jobs/nope", headers=admin)
        assert missing.status_code == 404 and missing.headers["content-type"].startswith("application/problem+json")
        unknown = client.post("/v1/jobs", json={"kind": "qc.nope"}, headers=admin)
        assert unknown.status_code == 422 and "known kinds" in unknown.json()["detail"]
