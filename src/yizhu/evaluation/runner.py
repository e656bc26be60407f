"""The runner: one suite × one or more models (and the no-LLM path), concurrent, cached, resumable.

A run lives in a directory (default ``<data_dir>/eval/<run-id>/``, i.e. ``var/eval/…``):

    run.json       the settings that make it reproducible: suite and engine versions, dataset hash,
                   models (endpoint, model id), temperature, seed, prompt hashes, knowledge-pack
                   versions, code version; and its status
    results.jsonl  one line per (case, model), appended as each finishes
    report.json    the metrics with 95% bootstrap intervals (machine-readable)
    report.html    the same for people (``yizhu.evaluation.report``)

Every result line carries a cache key over (case, model identity, prompt hashes, sampling settings);
running again into the same directory skips what is already there, so an interrupted run resumes and a
finished one is re-summarised for free. Each model gets at most its configured ``max_concurrency``
cases at once (the gateway's own limit), and a case that fails is recorded as an error, never dropped.
"""

from __future__ import annotations

import json
import logging
import platform
import re
import secrets
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from yizhu import __version__
from yizhu.config import Settings, load_settings
from yizhu.errors import ConfigError, InputError, ModelUnavailable, NotFoundError, UnknownModel, YizhuError
from yizhu.evaluation.dataset import Case, Dataset, sha256_json
from yizhu.evaluation.records import CaseResult, ModelIdentity, ModelReport, RunReport, RunSettings
from yizhu.evaluation.report import write_report
from yizhu.evaluation.suites import ENGINE, NO_LLM, Outcome, ResultView, RunEnv, Suite, Summary, get_suite

log = logging.getLogger(__name__)

RUN_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,127}$")
DEFAULT_CONCURRENCY = 8
Progress = Callable[[int, int], None]


@dataclass
class RunOutcome:
    """Where a run was written and what it measured."""

    run_dir: Path
    report: RunReport


# ── versions and identities ──────────────────────────────────────────────────────────────


def git_commit(start: Path | None = None) -> str | None:
    """The checked-out commit of the source tree, read from .git (no git command is run)."""
    here = (start or Path(__file__)).resolve()
    for d in [here, *here.parents]:
        git = d / ".git"
        if git.is_dir():
            try:
                head = (git / "HEAD").read_text().strip()
                if not head.startswith("ref:"):
                    return head
                ref = head.split(" ", 1)[1]
                ref_file = git / ref
                if ref_file.is_file():
                    return ref_file.read_text().strip()
                packed = git / "packed-refs"
                if packed.is_file():
                    for line in packed.read_text().splitlines():
                        if line.endswith(" " + ref):
                            return line.split(" ", 1)[0]
            except OSError:
                return None
            return None
    return None


def code_version() -> dict[str, str | None]:
    """yizhu version, source commit, Python and platform."""
    return {"yizhu": __version__, "git": git_commit(), "python": platform.python_version(), "platform": platform.platform()}


def knowledge_versions() -> dict[str, dict[str, str]]:
    """Version and sha256 of every built-in knowledge pack file (what rule/terminology engines read)."""
    import hashlib

    try:
        from yizhu.knowledge.packs import PACK_KINDS, discover_pack_files
    except ImportError:  # pragma: no cover - knowledge ships with yizhu
        return {}
    out: dict[str, dict[str, str]] = {}
    for kind in PACK_KINDS:
        for path in discover_pack_files(kind):
            data = path.read_bytes()
            version = "-"
            if path.suffix == ".jsonl":
                try:
                    first = json.loads(data.split(b"\n", 1)[0])
                    version = str(first.get("_meta", {}).get("version", "-"))
                except ValueError:
                    pass
            out[path.name] = {"kind": kind, "version": version, "sha256": hashlib.sha256(data).hexdigest()[:16]}
    return out


def _identity(gateway: Any, name: str) -> ModelIdentity:
    if name in (ENGINE, NO_LLM):
        return ModelIdentity(name=name, backend="none" if name == NO_LLM else "engine")
    cfg = gateway.config.models[name]
    return ModelIdentity(name=name, backend=cfg.backend, base_url=cfg.base_url, model=cfg.model, path=cfg.path,
                         profile=cfg.profile, external=cfg.external, clinical=cfg.clinical, label=cfg.label,
                         max_concurrency=cfg.max_concurrency)


def is_loopback(host: str) -> bool:
    """True for a host name or address that can only be this machine (127.0.0.0/8, ::1, localhost)."""
    import ipaddress

    h = host.strip("[]").lower()
    if h == "localhost" or h.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(h).is_loopback
    except ValueError:
        return False


def adhoc_model(spec: str, *, local: bool = False) -> Any:
    """A ModelConfig for ``--model http://host:port/v1#MODEL_ID`` (one flag for any OpenAI-compatible endpoint).

    Without ``#MODEL_ID`` the endpoint's first served model is used (one GET /models). Such an
    endpoint is nobody's configured model, so it is **external** (every call de-identified, replies
    re-identified locally) unless it is on loopback and ``local`` declares it inside the hospital.
    """
    from yizhu.llm.config import ModelConfig

    url, _, model_id = spec.partition("#")
    url = url.rstrip("/")
    if not url.endswith("/v1"):
        url = url + "/v1"
    if not model_id:
        import httpx

        try:
            resp = httpx.get(url + "/models", timeout=10.0)
            resp.raise_for_status()
            data = resp.json().get("data") or []
            model_id = str(data[0]["id"])
        except (httpx.HTTPError, ValueError, KeyError, IndexError, TypeError) as exc:
            raise ConfigError(
                f"cannot list the models of {url} ({exc}); name one: --model '{url}#MODEL_ID'"
            ) from exc
    import httpx

    host = httpx.URL(url).host or ""
    if local and not is_loopback(host):
        raise ConfigError(
            f"{url} is not on loopback, so it cannot be declared local; add it to yizhu.toml as "
            "[models.NAME] with external = false if it runs inside the hospital"
        )
    external = not (local and is_loopback(host))
    hostport = re.sub(r"^https?://", "", url).split("/")[0]
    name = re.sub(r"[^A-Za-z0-9_.\-]", "-", f"{model_id}@{hostport}")[:64].strip("-.") or "endpoint"
    return ModelConfig(name=name, backend="openai", base_url=url, model=model_id, label=f"{model_id} at {url}",
                       external=external)


def _is_url(spec: str) -> bool:
    return spec.startswith(("http://", "https://"))


def build_eval_gateway(settings: Settings, specs: Sequence[str], *, local: bool = False) -> tuple[Any, list[str]]:
    """The gateway of yizhu.toml plus any endpoints given as URLs (external unless ``local`` and on
    loopback, see :func:`adhoc_model`); returns it and the model names."""
    from yizhu.llm import Gateway
    from yizhu.llm.config import load_llm_config
    from yizhu.llm.guard import egress_guard_factory

    config = load_llm_config(settings)
    names = []
    for spec in specs:
        if _is_url(spec):
            cfg = adhoc_model(spec, local=local)
            config.models[cfg.name] = cfg
            names.append(cfg.name)
        else:
            names.append(spec)
    return Gateway(config, guard_factory=egress_guard_factory(settings)), names


def default_grader(settings: Settings) -> str | None:
    """``[eval] grader = "NAME"`` from yizhu.toml, if set."""
    section = (settings.extra_sections or {}).get("eval") or {}
    grader = section.get("grader") if isinstance(section, dict) else None
    return str(grader) if grader else None


def _resolve_models(suite: Suite, gateway: Any, names: Sequence[str]) -> list[str]:
    if not suite.uses_model:
        return [ENGINE]
    if not names:
        configured = [] if gateway is None else [m.name for m in gateway.config.models.values() if m.backend != "none"]
        return [*configured, NO_LLM]
    out = []
    for n in names:
        if n == NO_LLM:
            out.append(n)
            continue
        if gateway is None or n not in gateway.config.models:
            known = [] if gateway is None else sorted(gateway.config.models)
            raise UnknownModel(
                f"unknown model '{n}'; configured models: {', '.join(known) or '(none in yizhu.toml)'}, none "
                "— add [models.NAME] to yizhu.toml or pass an endpoint URL: --model 'http://127.0.0.1:8000/v1#MODEL_ID'"
            )
        out.append(n)
    return list(dict.fromkeys(out))


# ── the run directory ────────────────────────────────────────────────────────────────────


def eval_root(settings: Settings | None = None) -> Path:
    """Where runs live by default: ``<data_dir>/eval``."""
    s = settings or load_settings()
    return Path(s.data_dir) / "eval"


def new_run_id(suite: str) -> str:
    """``<suite>-<UTC time>-<random>``: sortable and unique."""
    return f"{suite}-{datetime.now(UTC):%Y%m%d-%H%M%S}-{secrets.token_hex(2)}"


def run_dir_for(root: Path, run_id: str) -> Path:
    """The directory of a run id under ``root``; an id that could escape it is refused."""
    if not RUN_ID.match(run_id) or ".." in run_id:
        raise InputError(f"'{run_id}' is not a run id (letters, digits, '-', '_', '.')")
    return root / run_id


def read_settings(run_dir: Path) -> RunSettings:
    """run.json of a run directory."""
    p = run_dir / "run.json"
    if not p.is_file():
        raise NotFoundError(f"{run_dir} is not a run directory (no run.json); run `yizhu eval run SUITE` first")
    return RunSettings.model_validate_json(p.read_text(encoding="utf-8"))


def write_settings(run_dir: Path, settings: RunSettings) -> None:
    """Write run.json atomically (readers never see half a file)."""
    tmp = run_dir / "run.json.tmp"
    tmp.write_text(settings.model_dump_json(indent=2), encoding="utf-8")
    tmp.replace(run_dir / "run.json")


def read_results(run_dir: Path) -> list[CaseResult]:
    """Every line of results.jsonl (a torn last line from an interrupted run is skipped)."""
    p = run_dir / "results.jsonl"
    if not p.is_file():
        return []
    out = []
    for line in p.read_text(encoding="utf-8").splitlines():
        if line.strip():
            try:
                out.append(CaseResult.model_validate_json(line))
            except ValueError:
                log.warning("skipping an unreadable line of %s", p)
    return out


def read_report(run_dir: Path) -> RunReport:
    """report.json of a finished run."""
    p = run_dir / "report.json"
    if not p.is_file():
        raise NotFoundError(f"{run_dir} has no report.json yet; the run may still be going (see run.json)")
    return RunReport.model_validate_json(p.read_text(encoding="utf-8"))


# ── running ──────────────────────────────────────────────────────────────────────────────


def cache_key(suite: Suite, case: Case, model: ModelIdentity, settings: RunSettings) -> str:
    """sha256 over (suite version, case, model identity, prompt hashes, sampling settings, grader)."""
    return sha256_json({
        "suite": suite.name, "suite_version": suite.version, "case": case.fingerprint(),
        "model": model.model_dump(mode="json"), "prompts": settings.prompts,
        "temperature": settings.temperature, "seed": settings.seed, "max_tokens": settings.max_tokens,
        "grader": settings.grader.model_dump(mode="json") if settings.grader else None,
        "engine_versions": settings.engine_versions,
    })


def _run_one(suite: Suite, case: Case, env: RunEnv, dataset: Dataset, key: str, model: str) -> CaseResult:
    t0 = time.perf_counter()
    try:
        outcome = suite.run_case(case, env, dataset)
    except ModelUnavailable as exc:
        outcome = Outcome(status="abstained", error=str(exc), degraded=[exc.degraded])
    except YizhuError as exc:
        outcome = Outcome(status="error", error=f"{type(exc).__name__}: {exc}")
    except Exception as exc:  # one broken case must not end the run; it is recorded and counted
        log.exception("suite %s case %s model %s failed", suite.name, case.id, model)
        outcome = Outcome(status="error", error=f"{type(exc).__name__}: {exc}")
    return CaseResult(
        key=key, case_id=case.id, model=model, category=case.category, status=outcome.status, output=outcome.output,
        scores=outcome.scores, data=outcome.data, model_id=outcome.model_id,
        latency_ms=round((time.perf_counter() - t0) * 1000, 2), error=outcome.error, degraded=outcome.degraded,
    )


def summarise(suite: Suite, dataset: Dataset, settings: RunSettings, results: Sequence[CaseResult]) -> RunReport:
    """report.json from the results of a run (the latest line per case and model wins)."""
    latest: dict[tuple[str, str], CaseResult] = {}
    for r in results:
        latest[(r.model, r.case_id)] = r
    reports = []
    labels = {m.name: m.label for m in settings.models}
    for ident in settings.models:
        rows = [latest[(ident.name, c.id)] for c in dataset.cases if (ident.name, c.id) in latest]
        views = [ResultView.model_validate(r.model_dump()) for r in rows]
        summary = suite.summarise(dataset, views, seed=settings.seed) if views else Summary(notes=["no results"])
        reports.append(ModelReport(
            model=ident.name, label=labels.get(ident.name), cases=len(rows),
            ok=sum(r.status == "ok" for r in rows), abstained=sum(r.status == "abstained" for r in rows),
            errors=sum(r.status == "error" for r in rows), degraded=sum(bool(r.degraded) for r in rows),
            summary=summary,
        ))
    status = "done" if settings.status in ("done", "running") else settings.status
    return RunReport(run_id=settings.run_id, suite=suite.name, title=suite.title, status=status,  # type: ignore[arg-type]
                     reason=settings.reason, settings=settings, models=reports)


def run_suite(
    suite: str | Suite,
    *,
    data: Path | None = None,
    format: str | None = None,
    models: Sequence[str] = (),
    out: Path | None = None,
    settings: Settings | None = None,
    gateway: Any = None,
    grader: str | None = None,
    temperature: float = 0.0,
    seed: int = 0,
    max_tokens: int | None = None,
    limit: int | None = None,
    concurrency: int | None = None,
    progress: Progress | None = None,
    run_id: str | None = None,
    local_endpoints: bool = False,
) -> RunOutcome:
    """Run a suite and write run.json, results.jsonl, report.json and report.html; resume if ``out`` has a run.

    ``models`` are names from yizhu.toml, ``none`` (the no-LLM path) or endpoint URLs
    (``http://host:port/v1#MODEL_ID``, external unless ``local_endpoints`` and on loopback). Pass
    ``gateway`` to use one already built (tests, the API).
    """

    s = suite if isinstance(suite, Suite) else get_suite(suite)
    cfg = settings or load_settings()
    if out is None:
        rid = run_id or new_run_id(s.name)
        out = run_dir_for(eval_root(cfg), rid)
    out.mkdir(parents=True, exist_ok=True)
    previous = read_settings(out) if (out / "run.json").is_file() else None
    rid = previous.run_id if previous else (run_id or out.name)

    reason = s.unavailable()
    if reason is not None:
        rs = RunSettings(run_id=rid, suite=s.name, suite_version=s.version, suite_title=s.title, engine=s.engine,
                         status="engine_unavailable", reason=reason, code=code_version(),
                         finished_at=datetime.now(UTC))
        write_settings(out, rs)
        report = RunReport(run_id=rid, suite=s.name, title=s.title, status="engine_unavailable", reason=reason,
                           settings=rs)
        write_report(out, report)
        return RunOutcome(out, report)

    dataset = s.dataset(data, format=format, seed=seed).limited(limit)
    own_gateway = False
    needs_gateway = s.uses_model and (any(m != NO_LLM for m in models) or not models)
    grader = grader or (default_grader(cfg) if s.needs_grader else None)
    if gateway is None and (needs_gateway or grader):
        gateway, model_names = build_eval_gateway(cfg, [*models, *([grader] if grader else [])], local=local_endpoints)
        own_gateway = True
        if grader:
            grader = model_names[-1]
            model_names = model_names[:-1]
    else:
        model_names = list(models)
    try:
        names = _resolve_models(s, gateway, model_names)
        if s.needs_grader and any(n != NO_LLM for n in names):
            if not grader:
                raise ConfigError(
                    f"suite '{s.name}' grades answers with a grader model: pass --grader NAME "
                    "or set [eval] grader = \"NAME\" in yizhu.toml"
                )
            if gateway is None or grader not in gateway.config.models:
                raise ConfigError(f"grader model '{grader}' is not configured; add [models.{grader}] to yizhu.toml")
        idents = [_identity(gateway, n) for n in names]
        rs = RunSettings(
            run_id=rid, suite=s.name, suite_version=s.version, suite_title=s.title, engine=s.engine,
            engine_versions=s.versions(),
            dataset={"name": dataset.name, "path": dataset.path, "format": dataset.format, "cases": len(dataset.cases),
                     "sha256": dataset.fingerprint(), "synthetic": dataset.synthetic, "source": dataset.source},
            models=idents, grader=_identity(gateway, grader) if grader and s.needs_grader else None,
            temperature=temperature, seed=seed, max_tokens=max_tokens, limit=limit, prompts=s.prompts(),
            knowledge_packs=knowledge_versions(), code=code_version(),
            cases_total=len(dataset.cases) * len(idents),
        )
        if previous is not None:
            if previous.suite != rs.suite or previous.dataset.get("sha256") != rs.dataset["sha256"]:
                raise InputError(
                    f"{out} holds a run of suite '{previous.suite}' on other data; pass a new --out to start a new run"
                )
            rs.started_at = previous.started_at
        write_settings(out, rs)
        results = _execute(s, dataset, rs, out, gateway, grader, concurrency, progress)
        rs.status = "done"
        rs.finished_at = datetime.now(UTC)
        rs.cases_done = len({(r.model, r.case_id) for r in results})
        write_settings(out, rs)
        report = summarise(s, dataset, rs, results)
        write_report(out, report)
        return RunOutcome(out, report)
    except BaseException:
        if (out / "run.json").is_file():
            try:
                failed = read_settings(out)
                if failed.status == "running":
                    failed.status = "failed"
                    write_settings(out, failed)
            except (OSError, ValueError, YizhuError):
                pass
        raise
    finally:
        if own_gateway and gateway is not None:
            gateway.close()


def _execute(
    suite: Suite, dataset: Dataset, rs: RunSettings, out: Path, gateway: Any, grader: str | None,
    concurrency: int | None, progress: Progress | None,
) -> list[CaseResult]:
    previous = read_results(out)
    done_keys = {r.key for r in previous if r.status in ("ok", "abstained")}
    jobs: list[tuple[Case, str, str, RunEnv]] = []
    for ident in rs.models:
        env = RunEnv(model=None if ident.name in (ENGINE, NO_LLM) else ident.name, gateway=gateway,
                     temperature=rs.temperature, seed=rs.seed, max_tokens=rs.max_tokens, grader=grader)
        for case in dataset.cases:
            key = cache_key(suite, case, ident, rs)
            if key not in done_keys:
                jobs.append((case, ident.name, key, env))
    total = len(dataset.cases) * len(rs.models)
    done = total - len(jobs)
    if progress:
        progress(done, total)
    lock = threading.Lock()
    new: list[CaseResult] = []
    limit = concurrency or DEFAULT_CONCURRENCY
    pools: dict[str, ThreadPoolExecutor] = {}
    for ident in rs.models:
        workers = suite.parallel if not suite.uses_model else (
            max(1, min(ident.max_concurrency, limit)) if ident.name != NO_LLM else 2)
        pools[ident.name] = ThreadPoolExecutor(max_workers=workers, thread_name_prefix=f"eval-{ident.name}"[:30])
    try:
        futures = [pools[m].submit(_run_one, suite, case, env, dataset, key, m) for case, m, key, env in jobs]
        with (out / "results.jsonl").open("a", encoding="utf-8") as fh:
            for fut in as_completed(futures):
                result = fut.result()
                with lock:
                    fh.write(result.model_dump_json() + "\n")
                    fh.flush()
                    new.append(result)
                    done += 1
                if progress:
                    progress(done, total)
    finally:
        for pool in pools.values():
            pool.shutdown(wait=True, cancel_futures=True)
    return [*previous, *new]


def resummarise(run_dir: Path) -> RunReport:
    """Recompute report.json and report.html of a run from its results (``yizhu eval report``)."""

    rs = read_settings(run_dir)
    suite = get_suite(rs.suite)
    if rs.status == "engine_unavailable":
        report = RunReport(run_id=rs.run_id, suite=rs.suite, title=rs.suite_title, status="engine_unavailable",
                           reason=rs.reason, settings=rs)
        write_report(run_dir, report)
        return report
    path = Path(rs.dataset["path"]) if rs.dataset.get("path") else None
    dataset = suite.dataset(path, format=rs.dataset.get("format") if path else None, seed=rs.seed).limited(rs.limit)
    if dataset.fingerprint() != rs.dataset.get("sha256"):
        raise InputError(f"the dataset of run {rs.run_id} changed since the run ({dataset.path}); rerun it instead")
    report = summarise(suite, dataset, rs, read_results(run_dir))
    write_report(run_dir, report)
    return report


def list_runs(root: Path) -> list[RunSettings]:
    """Every run under ``root``, newest first (directories without run.json are ignored)."""
    if not root.is_dir():
        return []
    runs = []
    for d in root.iterdir():
        if (d / "run.json").is_file():
            try:
                rs = read_settings(d)
            except (ValueError, YizhuError):
                continue
            rs.run_id = d.name  # the directory is the run's identity under the root (runs may be copied or renamed)
            runs.append(rs)
    return sorted(runs, key=lambda r: r.started_at, reverse=True)
