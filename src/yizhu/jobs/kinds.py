"""The built-in job kinds. Each is resumable at item granularity (see ``ResultLog``)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from yizhu.errors import InputError
from yizhu.jobs.registry import job_kind


class ResultLog:
    """``results.jsonl`` in a job's output directory: one line per finished item, flushed and fsynced
    before the next item starts. Opening it drops a torn last line (a worker killed mid-write), so an
    appended line never lands on a fragment; ``done`` says which items a rerun must skip."""

    def __init__(self, out_dir: Path) -> None:
        out_dir.mkdir(parents=True, exist_ok=True)
        self.path = out_dir / "results.jsonl"
        self.done: dict[str, dict[str, Any]] = {}
        if self.path.exists():
            data = self.path.read_bytes()
            keep = data[: data.rfind(b"\n") + 1]
            if len(keep) != len(data):
                with self.path.open("r+b") as f:
                    f.truncate(len(keep))
            for line in keep.decode("utf-8").splitlines():
                try:
                    row = json.loads(line)
                except json.JSONDecodeError:
                    continue
                self.done[row["_key"]] = row
        self._f = self.path.open("a", encoding="utf-8")

    def add(self, key: str, row: dict[str, Any]) -> None:
        row = {**row, "_key": key}
        self._f.write(json.dumps(row, ensure_ascii=False) + "\n")
        self._f.flush()
        os.fsync(self._f.fileno())
        self.done[key] = row

    def close(self) -> None:
        self._f.close()


def _out_dir(params: dict[str, Any]) -> Path:
    out = params.get("out")
    if not out:
        raise InputError("this job needs params.out, the directory for results.jsonl")
    return Path(str(out))


@job_kind("qc.batch")
def qc_batch(params: dict[str, Any]) -> dict[str, Any]:
    """终末质控 of a directory of records (``yizhu qc PATH --out DIR`` as a job). params: path, out."""
    from yizhu.clinical.qc.batch import context_from_files as from_files
    from yizhu.clinical.qc.batch import discover, record_json
    from yizhu.clinical.qc.engine import evaluate

    path = Path(str(params.get("path") or ""))
    if not path.exists():
        raise InputError(f"qc.batch: params.path '{path}' does not exist")
    log = ResultLog(_out_dir(params))
    errors: list[dict[str, str]] = []
    checked = skipped = 0
    try:
        for src in discover(path):
            key = f"{src.name}:{src.fingerprint()}"
            if key in log.done:
                skipped += 1
                continue
            try:
                ctx = from_files(src.files)
                if not ctx.documents:
                    raise InputError(f"{src.name}: no notes found")
                row = record_json(src.name, evaluate(ctx), ctx)
            except InputError as exc:
                errors.append({"record": src.name, "error": str(exc)})
                continue
            log.add(key, row)
            checked += 1
    finally:
        log.close()
    return {"results": str(log.path), "records": len(log.done), "checked_now": checked, "skipped": skipped,
            "errors": errors}


def _discharged(engine: Any, page: int = 200) -> Iterator[str]:
    from yizhu.store.repo import list_encounters

    offset = 0
    while True:
        batch = list_encounters(engine, limit=page, offset=offset)
        for enc in batch:
            if enc.discharged_at is not None:
                yield enc.id
        if len(batch) < page:
            return
        offset += page


@job_kind("qc.discharges")
def qc_discharges(params: dict[str, Any]) -> dict[str, Any]:
    """Nightly 终末质控: QC every discharged encounter in the store. params: out, database_url (optional)."""
    from yizhu.clinical.qc.batch import record_json
    from yizhu.clinical.qc.engine import evaluate
    from yizhu.config import get_settings
    from yizhu.store.db import init_db
    from yizhu.store.repo import load_context

    url = str(params.get("database_url") or get_settings().resolved_database_url)
    engine = init_db(url)
    log = ResultLog(_out_dir(params))
    checked = skipped = 0
    try:
        for encounter_id in _discharged(engine):
            if encounter_id in log.done:
                skipped += 1
                continue
            ctx = load_context(engine, encounter_id)
            log.add(encounter_id, record_json(encounter_id, evaluate(ctx), ctx))
            checked += 1
    finally:
        log.close()
        engine.dispose()
    return {"results": str(log.path), "records": len(log.done), "checked_now": checked, "skipped": skipped}


@job_kind("sleep")
def sleep_items(params: dict[str, Any]) -> dict[str, Any]:
    """Operations check: ``n`` items of ``seconds`` each, logged like any job (for drills and tests)."""
    import time

    n = int(params.get("n", 10))
    seconds = float(params.get("seconds", 0.1))
    log = ResultLog(_out_dir(params))
    try:
        for i in range(n):
            key = f"item-{i}"
            if key in log.done:
                continue
            time.sleep(seconds)
            log.add(key, {"item": i, "pid": os.getpid()})
    finally:
        log.close()
    return {"results": str(log.path), "records": len(log.done)}


@job_kind("eval.run")
def eval_run(params: dict[str, Any]) -> dict[str, Any]:
    """An evaluation run (``yizhu eval run SUITE --out DIR`` as a job); resumes from DIR's results.jsonl.
    params: suite, out, models (list of configured names, default the suite's), data, limit."""
    from yizhu.evaluation.runner import run_suite

    suite = params.get("suite")
    if not suite:
        raise InputError("eval.run needs params.suite, e.g. qc (see `yizhu eval list`)")
    models = params.get("models") or []
    if isinstance(models, str):
        models = [models]
    data = params.get("data")
    limit = params.get("limit")
    outcome = run_suite(str(suite), out=_out_dir(params), models=[str(m) for m in models],
                        data=Path(str(data)) if data else None, limit=int(limit) if limit is not None else None)
    return {"run_dir": str(outcome.run_dir), "status": str(outcome.report.status)}


def _spec_key(prefix: str, spec: dict[str, Any], path: Path) -> str:
    """An item's key: what it does and the content it reads (a changed file is new work, the same is not)."""
    from yizhu.learn.registry import file_sha256

    body = json.dumps({k: v for k, v in sorted(spec.items()) if k != "out"}, ensure_ascii=False, sort_keys=True,
                      default=str)
    return f"{prefix}:{file_sha256(path)}:{body}"


def _import_files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
    raise InputError(f"kb.import: params.path '{path}' does not exist")


@job_kind("kb.import")
def kb_import(params: dict[str, Any]) -> dict[str, Any]:
    """Knowledge and terminology import (``yizhu kb import`` as a job): an ICD table, a formulary or
    guideline documents; a directory imports each file. params: path, out, kind (icd|formulary|document,
    default guessed), name, source, data_dir (default the configured one). One item per file; an import
    replaces its source atomically, so a file imported again after a worker died is stored once."""
    from yizhu.knowledge.importers import import_file

    path = Path(str(params.get("path") or ""))
    files = _import_files(path)
    kind = params.get("kind")
    data_dir = params.get("data_dir")
    if data_dir is None:
        from yizhu.config import get_settings

        data_dir = get_settings().data_dir
    log = ResultLog(_out_dir(params))
    imported = skipped = 0
    errors: list[dict[str, str]] = []
    try:
        for f in files:
            key = _spec_key("import", {"file": str(f), "kind": kind, "name": params.get("name"),
                                       "source": params.get("source"), "data_dir": str(data_dir)}, f)
            if key in log.done:
                skipped += 1
                continue
            try:
                report = import_file(f, kind, data_dir=data_dir, name=params.get("name") if len(files) == 1 else None,
                                     source=params.get("source"))
            except InputError as exc:
                errors.append({"file": str(f), "error": str(exc)})
                continue
            row = report.to_dict()
            row["errors"] = row["errors"][:50]  # the report's first rows say enough; the count is in "skipped"
            log.add(key, {"file": str(f), **row, "pid": os.getpid()})
            imported += 1
    finally:
        log.close()
    if errors and not log.done:
        raise InputError(f"kb.import: nothing imported; {errors[0]['file']}: {errors[0]['error']}")
    return {"results": str(log.path), "files": len(log.done), "imported_now": imported, "skipped": skipped,
            "errors": errors}


def _training_runs(params: dict[str, Any]) -> list[dict[str, Any]]:
    runs = params.get("runs")
    if runs is None:
        runs = [{k: v for k, v in params.items() if k != "out"}]
    if not isinstance(runs, list) or not runs or not all(isinstance(r, dict) for r in runs):
        raise InputError("train: params.runs must be a non-empty list of {kind, data, ...} tables")
    allowed = {"kind", "data", "models", "data_dir", "layout", "seed", "test_fraction", "activate", "params"}
    for r in runs:
        unknown = set(r) - allowed
        if unknown:
            raise InputError(f"train: unknown parameter(s) {', '.join(sorted(unknown))}; "
                             f"use {', '.join(sorted(allowed))}")
        if not r.get("kind") or not r.get("data"):
            raise InputError("train needs params.kind and params.data, e.g. -p kind=triage -p data=train.jsonl")
    return runs


@job_kind("train")
def train(params: dict[str, Any]) -> dict[str, Any]:
    """Model training (``yizhu train KIND --data FILE`` as a job). params: kind, data, out, and optionally
    models (directory, default <data_dir>/models), data_dir, layout, seed, test_fraction, activate,
    params (trainer hyper-parameters); or runs: a list of such tables, trained in order, one item each.
    A training is one item: a worker that dies mid-training leaves no model (models are written to a
    temporary directory and renamed when whole) and the next worker trains it again; a finished one is
    never trained again."""
    from yizhu.learn.registry import run_training

    log = ResultLog(_out_dir(params))
    trained = skipped = 0
    try:
        for run in _training_runs(params):
            data = Path(str(run["data"]))
            if not data.is_file():
                raise InputError(f"train: params.data '{data}' is not a file")
            key = _spec_key("train", run, data)
            if key in log.done:
                skipped += 1
                continue
            hyper = run.get("params") or {}
            if not isinstance(hyper, dict):
                raise InputError("train: params.params must be a table of trainer hyper-parameters")
            outcome = run_training(
                str(run["kind"]), data, out=run.get("models"), data_dir=run.get("data_dir"), layout=run.get("layout"),
                seed=int(run.get("seed", 0)), test_fraction=float(run.get("test_fraction", 0.2)),
                activate=bool(run.get("activate", True)), **hyper,
            )
            ref = outcome.model
            log.add(key, {"kind": ref.kind, "version": ref.version, "path": str(ref.path), "active": ref.active,
                          "metrics": outcome.metrics, "pid": os.getpid()})
            trained += 1
    finally:
        log.close()
    return {"results": str(log.path), "models": len(log.done), "trained_now": trained, "skipped": skipped}
