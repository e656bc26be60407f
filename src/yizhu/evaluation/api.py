"""``/v1/eval``: list suites, start a run in the background, follow it, read its report, compare two runs.

Runs are the same directories the CLI writes (``<data_dir>/eval/<run-id>/``), so a run started here
can be re-reported or gated with ``yizhu eval`` and vice versa. Model calls go through the app's own
gateway (``app.state.gateway``), so every call of a run is in the audit log; only models configured
in yizhu.toml (or ``none``) can be named here — never an arbitrary URL. Starting a run needs the
admin or qc_officer role; reading needs any clinical reader role.
"""

from __future__ import annotations

import logging
import re
import threading
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from yizhu.api.deps import Principal, Reader, SettingsDep, require
from yizhu.errors import ConfigError, InputError, NotFoundError
from yizhu.evaluation.dataset import DATA_DIR, Case, Dataset, shipped_examples, write_dataset
from yizhu.evaluation.report import compare
from yizhu.evaluation.runner import (
    eval_root,
    list_runs,
    new_run_id,
    read_report,
    read_results,
    read_settings,
    run_dir_for,
    run_suite,
)
from yizhu.evaluation.suites import get_suite, list_suites

log = logging.getLogger(__name__)
router = APIRouter(prefix="/v1/eval", tags=["evaluation"])

#: runs that may execute at once in one API process (the rest are refused with the reason)
MAX_ACTIVE = 2
EvalRunner = Annotated[Principal, require("qc_officer")]
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,127}$")

_live: dict[str, dict[str, Any]] = {}
_lock = threading.Lock()


class RunRequest(BaseModel):
    """What to run: a suite, its data (shipped, a server file, or inline cases) and the models."""

    model_config = ConfigDict(extra="forbid", str_max_length=1024)

    suite: str
    dataset: str | None = Field(default=None, description="a shipped example (see GET /v1/eval/datasets) or a file "
                                "name under <data_dir>/eval/datasets/")
    format: str | None = Field(default=None, description="force a dataset layout (mcq, cdn, cmeee, …)")
    cases: list[Case] | None = Field(default=None, max_length=5000, description="inline cases in yizhu's own layout")
    models: list[str] = Field(default_factory=list, max_length=16,
                              description="names from yizhu.toml, or 'none'; empty: every configured model and none")
    grader: str | None = None
    limit: int | None = Field(default=None, ge=1)
    seed: int = 0
    temperature: float = Field(default=0.0, ge=0, le=2)
    max_tokens: int | None = Field(default=None, ge=1, le=131072)


def _dataset_path(settings: Any, req: RunRequest, run_dir: Path) -> Path | None:
    if req.cases is not None:
        if req.dataset is not None:
            raise InputError("send either 'dataset' or 'cases', not both")
        path = run_dir / "dataset.jsonl"
        write_dataset(Dataset(name=f"{req.suite}-inline", source="sent to /v1/eval/runs", cases=req.cases), path)
        return path
    if req.dataset is None:
        return None
    if not _NAME.match(req.dataset) or ".." in req.dataset:
        raise InputError(f"'{req.dataset}' is not a dataset name (a file name, no folders)")
    for base in (Path(settings.data_dir) / "eval" / "datasets", DATA_DIR):
        p = base / req.dataset
        if p.is_file():
            return p
    raise NotFoundError(f"no dataset '{req.dataset}': not shipped and not in {Path(settings.data_dir) / 'eval' / 'datasets'}")


def _run_in_background(run_id: str, kwargs: dict[str, Any]) -> None:
    def progress(done: int, total: int) -> None:
        with _lock:
            _live[run_id].update(done=done, total=total)

    try:
        run_suite(progress=progress, **kwargs)
        state = "done"
    except Exception as exc:  # the run is marked failed in run.json; the reason is kept for GET /runs/{id}
        log.exception("evaluation run %s failed", run_id)
        state = f"failed: {type(exc).__name__}: {exc}"
    with _lock:
        _live[run_id]["state"] = state


@router.get("/suites")
def suites(_: Reader) -> list[dict[str, Any]]:
    """Every suite: what it measures, the layouts it reads, and whether its engine is available."""
    out = []
    for s in list_suites():
        reason = s.unavailable()
        out.append({"name": s.name, "title": s.title, "engine": s.engine, "uses_model": s.uses_model,
                    "needs_grader": s.needs_grader, "formats": list(s.formats), "default_data": s.default_data,
                    "headline": list(s.headline), "available": reason is None, "reason": reason})
    return out


@router.get("/datasets")
def datasets(_: Reader, settings: SettingsDep) -> dict[str, list[str]]:
    """Shipped synthetic examples, and the files a hospital placed under ``<data_dir>/eval/datasets``."""
    own = Path(settings.data_dir) / "eval" / "datasets"
    return {
        "shipped": [p.name for p in shipped_examples()],
        "server": sorted(p.name for p in own.iterdir() if p.is_file()) if own.is_dir() else [],
    }


@router.post("/runs", status_code=202)
def start_run(body: RunRequest, request: Request, settings: SettingsDep, principal: EvalRunner) -> dict[str, Any]:
    """Start a run in the background; poll ``GET /v1/eval/runs/{run_id}`` until ``status`` is done."""
    try:
        suite = get_suite(body.suite)
    except ConfigError as exc:
        raise NotFoundError(str(exc)) from None
    with _lock:
        active = [k for k, v in _live.items() if v.get("state") == "running"]
        if len(active) >= MAX_ACTIVE:
            raise InputError(f"{len(active)} evaluation runs are in progress ({', '.join(active)}); wait for one to finish")
        run_id = new_run_id(suite.name)
        _live[run_id] = {"state": "running", "done": 0, "total": None, "by": principal.name}
    run_dir = run_dir_for(eval_root(settings), run_id)
    run_dir.mkdir(parents=True, exist_ok=True)
    try:
        data = _dataset_path(settings, body, run_dir)
        for m in body.models:
            if m.startswith(("http://", "https://")):
                raise InputError("name a model configured in yizhu.toml (or 'none'); URLs are accepted only by the CLI")
    except Exception:
        with _lock:
            _live.pop(run_id, None)
        raise
    gateway = getattr(request.app.state, "gateway", None)
    kwargs = {"suite": suite, "data": data, "format": body.format, "models": body.models, "out": run_dir,
              "settings": settings, "gateway": gateway, "grader": body.grader, "temperature": body.temperature,
              "seed": body.seed, "max_tokens": body.max_tokens, "limit": body.limit}
    threading.Thread(target=_run_in_background, args=(run_id, kwargs), name=f"eval-{run_id}", daemon=True).start()
    return {"run_id": run_id, "status": "running", "links": {"run": f"/v1/eval/runs/{run_id}",
                                                           "report": f"/v1/eval/runs/{run_id}/report",
                                                           "page": f"/eval/runs/{run_id}"}}


def run_status(run_id: str, settings_status: str) -> dict[str, Any]:
    """The status of a run: run.json's, overridden by live progress while this process runs it."""
    with _lock:
        live = dict(_live.get(run_id) or {})
    out: dict[str, Any] = {"status": settings_status}
    if live:
        out["progress"] = {"done": live.get("done", 0), "total": live.get("total")}
        if live.get("state", "").startswith("failed"):
            out["status"] = "failed"
            out["error"] = live["state"][len("failed: "):]
        elif live.get("state") == "running":
            out["status"] = "running"
    return out


@router.get("/runs")
def runs(_: Reader, settings: SettingsDep, limit: Annotated[int, Query(ge=1, le=500)] = 50) -> list[dict[str, Any]]:
    """Runs, newest first, with suite, models, dataset and status."""
    out = []
    for rs in list_runs(eval_root(settings))[:limit]:
        out.append({"run_id": rs.run_id, "suite": rs.suite, "models": [m.name for m in rs.models],
                    "dataset": rs.dataset.get("name"), "cases": rs.dataset.get("cases"),
                    "started_at": rs.started_at, "finished_at": rs.finished_at, **run_status(rs.run_id, rs.status)})
    return out


def _dir(settings: Any, run_id: str) -> Path:
    d = run_dir_for(eval_root(settings), run_id)
    if not (d / "run.json").is_file():
        with _lock:
            pending = run_id in _live
        if pending:
            return d
        raise NotFoundError(f"no evaluation run '{run_id}'")
    return d


@router.get("/runs/{run_id}")
def run(run_id: str, _: Reader, settings: SettingsDep) -> dict[str, Any]:
    """A run's settings (run.json) and live progress."""
    d = _dir(settings, run_id)
    if not (d / "run.json").is_file():
        return {"run_id": run_id, **run_status(run_id, "running")}
    rs = read_settings(d)
    return {**rs.model_dump(mode="json"), **run_status(run_id, rs.status)}


@router.get("/runs/{run_id}/report")
def report(run_id: str, _: Reader, settings: SettingsDep) -> dict[str, Any]:
    """report.json: every model's metrics with 95% intervals, breakdowns, confusion, calibration."""
    return read_report(_dir(settings, run_id)).model_dump(mode="json")


@router.get("/runs/{run_id}/results")
def results(
    run_id: str, _: Reader, settings: SettingsDep,
    offset: Annotated[int, Query(ge=0, le=1_000_000_000)] = 0, limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    model: Annotated[str | None, Query(max_length=256)] = None,
    status: Annotated[str | None, Query(max_length=32)] = None,
) -> dict[str, Any]:
    """Per-case results (outputs, scores, grader reasoning), paged."""
    rows = read_results(_dir(settings, run_id))
    if model:
        rows = [r for r in rows if r.model == model]
    if status:
        rows = [r for r in rows if r.status == status]
    return {"total": len(rows), "offset": offset,
            "results": [r.model_dump(mode="json") for r in rows[offset: offset + limit]]}


@router.get("/compare")
def compare_runs(
    a: Annotated[str, Query(max_length=128)], b: Annotated[str, Query(max_length=128)], _: Reader,
    settings: SettingsDep, max_drop: Annotated[float, Query(ge=0)] = 0.02,
) -> dict[str, Any]:
    """The release gate over HTTP: ``ok`` is false when a gated metric of run b dropped beyond ``max_drop``."""
    comparison = compare(read_report(_dir(settings, a)), read_report(_dir(settings, b)), max_drop=max_drop)
    return {**comparison.model_dump(mode="json"), "ok": comparison.ok}
