"""管理员 / 信息科 pages (admin only): configured models and their health, audit-chain verification with
progress, knowledge-pack versions and imports. API keys are ``yizhu.web.admin_pages``.

Nothing slow runs inside a request. A model health check (the gateway's own ``check``: reachable, model
served, structured probe) and the audit verification run on background threads; their state lives on the
app (``app.state``), the page shows it at once and refreshes itself every 2 s (no script) until the work
is done. A check that has not answered within its deadline is shown as 超时 even while its thread waits.
"""

from __future__ import annotations

import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

import yizhu.store as store
from yizhu.api.deps import EngineDep
from yizhu.errors import InputError, NotFoundError, PermissionDenied, YizhuError
from yizhu.web.charts import num
from yizhu.web.pages import PageRoute, PageUser, templates

router = APIRouter(route_class=PageRoute, include_in_schema=False)

#: the longest a health check may take beyond the model's own timeout before the page calls it 超时
HEALTH_GRACE_S = 10.0
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
IMPORT_KIND = {"icd": "ICD 编码表", "formulary": "院内药品目录", "document": "指南/制度文档"}
PACK_KIND = {
    "diagnosis": "诊断（ICD-10）", "drug": "药品", "interaction": "相互作用", "lab": "检验项目", "symptom": "症状",
    "department": "科室", "guideline": "指南卡片",
}
BACKEND = {"openai": "OpenAI 兼容接口", "vllm": "vLLM", "ollama": "Ollama", "llamacpp": "llama.cpp（内嵌）",
           "none": "未配置"}
BREAKER = {"closed": "正常", "open": "熔断中", "half_open": "试探恢复"}


def _admin(user: Any) -> None:
    if user.role != "admin":
        raise PermissionDenied("系统管理仅限管理员")


@router.get("/admin")
def admin_home(user: PageUser) -> RedirectResponse:
    """系统管理 starts at the keys."""
    _admin(user)
    return RedirectResponse("/admin/keys", status_code=303)


# --- models and their health ------------------------------------------------------------------------


@dataclass
class Health:
    """One model's last health check, as the page shows it."""

    started: float  # monotonic
    started_at: datetime
    deadline_s: float
    by: str
    report: Any = None  # CheckReport when finished
    error: str | None = None
    finished_at: datetime | None = None

    @property
    def state(self) -> str:
        if self.report is not None:
            return "ok" if self.report.ok else "bad"
        if self.error is not None:
            return "bad"
        if time.monotonic() - self.started > self.deadline_s:
            return "timeout"
        return "checking"


@dataclass
class HealthBoard:
    """Checks per model name, shared by the app's requests."""

    checks: dict[str, Health] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _board(request: Request) -> HealthBoard:
    board = getattr(request.app.state, "model_health", None)
    if board is None:
        board = request.app.state.model_health = HealthBoard()
    return board  # type: ignore[no-any-return]


def _gateway(request: Request) -> Any:
    gateway = getattr(request.app.state, "gateway", None)
    if gateway is None:
        raise InputError("模型网关未启用")
    return gateway


def start_check(board: HealthBoard, gateway: Any, name: str, by: str) -> bool:
    """Start a background health check of ``name`` unless one is running; True when one was started."""
    cfg = gateway.config.models.get(name)
    if cfg is None:
        raise NotFoundError(f"no model {name!r}")
    with board.lock:
        current = board.checks.get(name)
        if current is not None and current.state == "checking":
            return False
        health = Health(started=time.monotonic(), started_at=datetime.now(UTC),
                        deadline_s=float(cfg.timeout_s) * 2 + HEALTH_GRACE_S, by=by)
        board.checks[name] = health

    def run() -> None:
        try:
            health.report = gateway.check(name)
        except YizhuError as exc:
            health.error = str(exc)
        except Exception as exc:  # the page must show a failed check, not hang on it
            health.error = f"{type(exc).__name__}: {exc}"
        health.finished_at = datetime.now(UTC)

    threading.Thread(target=run, daemon=True, name=f"model-check-{name}").start()
    return True


@router.get("/admin/models")
def models_page(request: Request, user: PageUser) -> HTMLResponse:
    """Configured models, their routes, breaker state and the last health check of each."""
    _admin(user)
    gateway = _gateway(request)
    board = _board(request)
    models = gateway.models()
    checks = {m.name: board.checks.get(m.name) for m in models}
    refresh = any(h is not None and h.state == "checking" for h in checks.values())
    return templates.TemplateResponse(request, "sys/models.html", {
        "user": user, "models": models, "checks": checks, "routes": {t: list(c) for t, c in gateway.config.routes.items()},
        "refresh": refresh, "BACKEND": BACKEND, "BREAKER": BREAKER, "num": num,
    })


@router.post("/admin/models/check")
def models_check(request: Request, user: PageUser, name: Annotated[str, Form(max_length=128)] = "") -> RedirectResponse:
    """Start health checks (one model, or every model when no name is given); back to the page at once."""
    _admin(user)
    gateway = _gateway(request)
    board = _board(request)
    names = [name] if name else list(gateway.config.models)
    for n in names:
        start_check(board, gateway, n, user.name)
    return RedirectResponse("/admin/models", status_code=303)


# --- audit chain verification -------------------------------------------------------------------------


@dataclass
class Verification:
    """One run of ``verify_chain`` from the page."""

    started_at: datetime
    by: str
    checked: int = 0
    expected: int = 0
    report: Any = None
    error: str | None = None
    finished_at: datetime | None = None

    @property
    def running(self) -> bool:
        return self.report is None and self.error is None


def _verification(request: Request) -> Verification | None:
    return getattr(request.app.state, "audit_verification", None)


_verify_lock = threading.Lock()


@router.get("/admin/audit")
def audit_page(request: Request, engine: EngineDep, user: PageUser) -> HTMLResponse:
    """The chain's head and the last verification, with progress while one runs."""
    _admin(user)
    from yizhu.store.anchor import current_head

    try:
        head: Any = current_head(engine)
    except YizhuError as exc:  # a missing head is itself the finding to show
        head = str(exc)
    v = _verification(request)
    percent = int(100 * v.checked / v.expected) if v and v.expected else (100 if v and not v.running else 0)
    return templates.TemplateResponse(request, "sys/audit.html", {
        "user": user, "v": v, "head": head, "percent": percent, "refresh": bool(v and v.running),
    })


@router.post("/admin/audit/verify")
def audit_verify(request: Request, engine: EngineDep, user: PageUser) -> Response:
    """Start verifying the whole chain on a background thread (one at a time)."""
    _admin(user)
    with _verify_lock:
        current = _verification(request)
        if current is not None and current.running:
            return RedirectResponse("/admin/audit", status_code=303)
        v = Verification(started_at=datetime.now(UTC), by=user.name)
        request.app.state.audit_verification = v

    def progress(checked: int, expected: int) -> None:
        v.checked, v.expected = checked, expected

    def run() -> None:
        try:
            v.report = store.verify_chain(engine, progress=progress)
            v.checked = v.report.rows
        except YizhuError as exc:
            v.error = str(exc)
        except Exception as exc:  # shown on the page; the chain itself is untouched (read only)
            v.error = f"{type(exc).__name__}: {exc}"
        v.finished_at = datetime.now(UTC)

    threading.Thread(target=run, daemon=True, name="audit-verify").start()
    return RedirectResponse("/admin/audit", status_code=303)


# --- knowledge packs and imports --------------------------------------------------------------------


def _packs() -> list[dict[str, Any]]:
    from yizhu.knowledge.packs import get_kb

    kb = get_kb()
    rows = []
    for kind, pack in kb.packs.items():
        for f in pack.files:
            rows.append({"kind": PACK_KIND.get(str(kind), str(kind)), "kind_id": str(kind), "name": f.meta.name,
                         "version": f.meta.version, "updated": f.meta.updated or "—", "items": f.count,
                         "source": f.meta.source or "各条目自带来源", "file": f.path.name,
                         "compiled_from": (f.meta.compiled_from or "")[:12]})
    return rows


def _overrides() -> list[dict[str, Any]]:
    from yizhu.knowledge.packs import get_kb

    out = []
    for o in get_kb().overrides:
        e = o.entry
        item = o.result or o.original
        out.append({"id": getattr(item, "id", "—"), "name": getattr(item, "name", "—"),
                    "action": "停用" if o.result is None else ("新增" if o.original is None else "修改"),
                    "fields": "、".join(o.fields) or "—", "source": e.override.source})
    return out


def _imports(data_dir: Path) -> list[dict[str, Any]]:
    from yizhu.knowledge.imported import KnowledgeStore

    rows = []
    for entry in KnowledgeStore(data_dir).manifest().values():
        rows.append({**entry, "kind_label": IMPORT_KIND.get(entry.get("kind", ""), entry.get("kind", "")),
                     "imported_at_dt": _parse_time(entry.get("imported_at")),
                     "errors_n": len(entry.get("errors") or [])})
    return sorted(rows, key=lambda r: r.get("imported_at") or "", reverse=True)


def _parse_time(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        return None


def _data_dir(request: Request) -> Path:
    return Path(request.app.state.settings.data_dir)


@router.get("/admin/knowledge")
def knowledge_page(request: Request, user: PageUser) -> HTMLResponse:
    """Packs in force (version, items, source), hospital overrides, and imported sources."""
    _admin(user)
    return _knowledge(request, user, "")


def _knowledge(request: Request, user: Any, message: str) -> HTMLResponse:
    return templates.TemplateResponse(request, "sys/knowledge.html", {
        "user": user, "packs": _packs(), "overrides": _overrides(), "imports": _imports(_data_dir(request)),
        "IMPORT_KIND": IMPORT_KIND, "message": message[:200],
    })


@router.post("/admin/knowledge/import")
async def knowledge_import(request: Request, user: PageUser) -> HTMLResponse:
    """Import a hospital source from the page (multipart: file, kind, source); the manifest records who
    imported it and the source note. The form is read here, each field bounded, not declared as parameters."""
    _admin(user)
    form = await request.form()
    upload = form.get("file")
    kind = str(form.get("kind") or "")[:17]
    source = str(form.get("source") or "")
    if len(source) > 300:
        raise InputError("来源说明最长 300 字")
    if kind and kind not in IMPORT_KIND:
        raise InputError(f"导入类型应为 {'、'.join(IMPORT_KIND.values())} 之一")
    if upload is None or isinstance(upload, str):
        raise InputError("请选择要导入的文件")
    filename = Path(upload.filename or "upload").name[:200] or "upload"
    data = await upload.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise InputError(f"{filename} 超过 {MAX_UPLOAD_BYTES // (1024 * 1024)} MB，请用命令行 yizhu kb import 导入")
    if not data:
        raise InputError("请选择要导入的文件")
    message = await run_in_threadpool(_import, _data_dir(request), filename, data, kind, source.strip(), user.name)
    return _knowledge(request, user, message)


def _import(data_dir: Path, filename: str, data: bytes, kind: str, source: str, who: str) -> str:
    from yizhu.knowledge.imported import KnowledgeStore
    from yizhu.knowledge.importers import import_file

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / filename
        path.write_bytes(data)
        report = import_file(path, kind or None, data_dir=data_dir, source=source or None)  # type: ignore[arg-type]
    if not report.unchanged:
        facts = {"imported_by": who, **({"source_note": source} if source else {})}
        KnowledgeStore(data_dir).annotate(report.kind, report.source_id, **facts)
    if report.unchanged:
        return f"「{filename}」与已导入的内容相同，未改变。"
    return (f"已导入「{filename}」：读取 {report.rows} 行，载入 {report.loaded} 行"
            + (f"，{report.skipped} 行有错误已跳过（见下表）" if report.skipped else "") + "。")
