"""Clinician pages: patient list → patient → encounter → document, with the task results that ran.

Server-rendered with Jinja2 and no JavaScript: sections expand with ``<details>``, search and
paging are plain query parameters. ``/login`` checks an API key once and sets the HttpOnly
``yizhu_session`` cookie to a random server-side session id (``yizhu.store.sessions``), never the key;
a page request without a live session is sent to ``/login``, and a missing record gets a Chinese 404
page instead of problem+json.

Every POST a signed-in browser makes is checked twice: its ``Origin`` (or ``Referer``) must be this
host, and its form must carry the session's CSRF token (``{{ csrf_input(request) }}`` in each form).
The login form carries a token of its own, double-submitted in a short-lived cookie.
"""

from __future__ import annotations

import itertools
import math
import secrets
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, urlsplit

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.routing import APIRoute
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape
from pydantic import ValidationError
from sqlalchemy.engine import Engine

from yizhu import store
from yizhu.api.deps import COOKIE, READERS, EngineDep, Principal
from yizhu.core import ClinicalDocument, Encounter, Finding, Patient, Section
from yizhu.errors import AuthError, InputError, NotFoundError, PermissionDenied, StoreError
from yizhu.store import TaskRun
from yizhu.web import fmt as web_fmt

HERE = Path(__file__).parent
STATIC_DIR = HERE / "static"
PAGE_SIZE = 20
#: the largest page the store hands out in one call
STORE_PAGE = 1000
#: task runs shown per encounter or document, newest first
RUNS_SHOWN = 50
#: a working shift; the key itself stays valid until revoked
COOKIE_MAX_AGE_S = 12 * 3600
#: the login form's own CSRF token (double-submit: cookie and hidden field must match)
LOGIN_CSRF_COOKIE = "yizhu_login_csrf"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")

SEX = {"male": "男", "female": "女", "unknown": "未知"}
ENCOUNTER_CLASS = {"outpatient": "门诊", "inpatient": "住院", "emergency": "急诊"}
CONDITION = {"critical": "病危", "serious": "病重", "stable": "一般"}
SEVERITY = {
    "critical": "危急",
    "contraindicated": "禁忌",
    "major": "严重",
    "moderate": "中等",
    "minor": "轻微",
    "info": "提示",
}
SEVERITY_RANK = {name: i for i, name in enumerate(SEVERITY)}
LAB_FLAG = {"H": "↑ 偏高", "L": "↓ 偏低", "HH": "↑↑ 危急高", "LL": "↓↓ 危急低", "A": "异常", "N": "正常"}
ORDER_STATUS = {"draft": "草稿", "active": "执行中", "completed": "已完成", "cancelled": "已取消"}
DIAGNOSIS_KIND = {
    "admission": "入院诊断",
    "preliminary": "初步诊断",
    "discharge": "出院诊断",
    "outpatient": "门诊诊断",
    "other": "其他",
}
ALLERGY_SEVERITY = {"mild": "轻度", "moderate": "中度", "severe": "重度"}
ROLE = {"admin": "管理员", "clinician": "临床医师", "pharmacist": "药师", "qc_officer": "质控员"}
TASK_TITLE = {"document.structure": "文书结构检查"}
RUN_STATUS = {"ok": "成功", "error": "失败", "degraded": "降级"}


# --- formatting used by the templates ---------------------------------------------------------------


def fmt_dt(value: datetime | date | str | None, *, with_time: bool = True) -> str:
    """Hospital-local time as ``2026-03-01 09:30``; aware times (the audit log's UTC) are converted; an ISO
    8601 string is read first."""
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone()
        return value.strftime("%Y-%m-%d %H:%M" if with_time else "%Y-%m-%d")
    return value.strftime("%Y-%m-%d")


def age_text(patient: Patient, today: date | None = None) -> str:
    """``58岁``, ``7月`` or ``12天``: the way a Chinese chart writes age."""
    years = patient.age_on(today or date.today())
    if years is None or years < 0:
        return "—"
    if years >= 1:
        return f"{int(years)}岁"
    if years * 12 >= 1:
        return f"{int(years * 12)}月"
    return f"{int(years * 365.25)}天"


def label(table: dict[str, str], value: Any) -> str:
    """The Chinese label of an enum value; the value itself when the table does not know it."""
    if value is None:
        return "—"
    key = getattr(value, "value", value)
    return table.get(str(key), str(key))


templates = Jinja2Templates(directory=str(HERE / "templates"))
templates.env.globals.update(
    SEX=SEX,
    ENCOUNTER_CLASS=ENCOUNTER_CLASS,
    CONDITION=CONDITION,
    SEVERITY=SEVERITY,
    LAB_FLAG=LAB_FLAG,
    ORDER_STATUS=ORDER_STATUS,
    DIAGNOSIS_KIND=DIAGNOSIS_KIND,
    ALLERGY_SEVERITY=ALLERGY_SEVERITY,
    ROLE=ROLE,
    TASK_TITLE=TASK_TITLE,
    RUN_STATUS=RUN_STATUS,
    label=label,
    age_text=age_text,
)
templates.env.filters["dt"] = fmt_dt
web_fmt.install(templates.env)  # num, unit, qty, route, freq, days, clean, plain (yizhu.web.fmt)
templates.env.filters["date"] = lambda v: fmt_dt(v, with_time=False)


# --- errors and authentication as pages ---------------------------------------------------------


class LoginRequired(AuthError):
    """A page was asked for without a valid key: the browser is sent to ``/login``."""


class CrossSiteRequest(PermissionDenied):
    """A cookie-authenticated POST from another origin, or without this session's CSRF token."""


def csrf_input(request: Request) -> Markup:
    """The hidden CSRF field every page form carries (the session's token, or the login form's)."""
    token = getattr(request.state, "csrf", None) or ""
    return Markup(f'<input type="hidden" name="csrf" value="{escape(token)}">')


templates.env.globals["csrf_input"] = csrf_input


def same_origin(request: Request) -> bool:
    """The POST comes from a page of this host: ``Origin`` (else ``Referer``) names it; neither sent = allowed
    (non-browser clients), since the CSRF token is checked as well."""
    claimed = request.headers.get("origin") or request.headers.get("referer")
    if not claimed:
        return True
    if claimed == "null":
        return False
    host = request.headers.get("host") or request.url.netloc
    return urlsplit(claimed).netloc.lower() == host.lower()


async def _form_csrf(request: Request) -> str | None:
    """The ``csrf`` field of a form POST (read once; FastAPI keeps the parsed form for the handler)."""
    if request.method in SAFE_METHODS:
        return None
    ctype = request.headers.get("content-type", "")
    if not ctype.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        return request.headers.get("x-csrf-token")
    form = await request.form()
    value = form.get("csrf")
    return value if isinstance(value, str) else None


_SECURITY_HEADERS = {
    # Pages show patient data: never cache them, never frame them, load nothing from elsewhere.
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
    ),
}


def _safe_next(path: str | None) -> str:
    """Only a local path may be the target after login (no open redirect)."""
    if not path or not path.startswith("/") or path.startswith("//") or "\\" in path or path.startswith("/login"):
        return "/"  # the role's home page
    return path


def _login_redirect(request: Request) -> RedirectResponse:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    url = "/login" if target in ("/", "/patients") else f"/login?next={quote(target, safe='')}"
    return RedirectResponse(url, status_code=303)


def error_page(request: Request, status: int, title: str, message: str) -> HTMLResponse:
    """A Chinese error page with the given status (404, 403, 503, …)."""
    return templates.TemplateResponse(
        request, "error.html", {"status": status, "title": title, "message": message, "user": None},
        status_code=status,
    )


def _refusal(request: Request, exc: PermissionDenied) -> str:
    """Why a page refused, in Chinese: reading needs a reader's key; a decision needs the task's decide role."""
    text = str(exc)
    if any("\u4e00" <= ch <= "\u9fff" for ch in text):  # the page already said who may open it, in Chinese
        return text
    if request.method in SAFE_METHODS:
        return "当前密钥的角色不能查看病历；请退出后使用临床、药学、质控或管理员密钥登录。"
    return "当前角色无权执行此操作：签署或驳回病历草稿、处理质控发现需临床医师，放行或确认审方提示需药师。"


#: what a field's validation error means, in Chinese (pydantic error type → message)
_INVALID = {
    "string_too_long": "过长（最多 {max_length} 个字符）", "missing": "缺失", "int_parsing": "应为整数",
    "greater_than_equal": "应不小于 {ge}", "less_than_equal": "应不大于 {le}", "string_too_short": "过短",
    "int_type": "应为整数", "literal_error": "取值无效", "enum": "取值无效",
}  # fmt: skip


def validation_detail(exc: RequestValidationError) -> str:
    """``查询参数「page」应为整数；表单字段「reason」过长（最多 1800 个字符）``."""
    where = {"query": "查询参数", "body": "表单字段", "path": "地址参数", "header": "请求头"}
    parts = []
    for err in exc.errors()[:3]:
        loc = [str(x) for x in err.get("loc", ())]
        field = loc[-1] if loc else "?"
        what = _INVALID.get(str(err.get("type")), "取值无效").format(**{k: v for k, v in (err.get("ctx") or {}).items()})
        parts.append(f"{where.get(loc[0] if loc else '', '字段')}「{field}」{what}")
    return "；".join(parts) or "请求的内容无法识别。"


def invalid_request(request: Request, exc: RequestValidationError) -> Response:
    """A page request that fails validation: a Chinese error page for browsers; problem+json with a Chinese
    ``title`` and ``detail`` for other clients."""
    detail = validation_detail(exc)
    if "text/html" in request.headers.get("accept", "") or request.headers.get("x-partial"):
        return error_page(request, 422, "请求有误", detail + "。请返回上一页检查后重试。")
    return JSONResponse(
        {"type": "about:blank", "title": "请求有误", "status": 422, "detail": detail, "instance": request.url.path},
        status_code=422, media_type="application/problem+json",
    )


class PageRoute(APIRoute):
    """Turns our errors into pages: no key → ``/login``, missing record → 404 page, and so on."""

    def get_route_handler(self) -> Callable[[Request], Awaitable[Response]]:
        handler = super().get_route_handler()

        async def page_handler(request: Request) -> Response:
            try:
                response = await handler(request)
            except LoginRequired:
                response = _login_redirect(request)
            except CrossSiteRequest:
                response = error_page(request, 403, "请求来源不明", "表单已过期或来自其他网站；请回到医助页面刷新后重试。")
            except PermissionDenied as exc:
                response = error_page(request, 403, "无权访问", _refusal(request, exc))
            except RequestValidationError as exc:
                response = invalid_request(request, exc)
            except NotFoundError:
                response = error_page(request, 404, "未找到", "您要找的记录不存在，可能已被删除或链接有误。")
            except InputError as exc:
                response = error_page(request, 400, "请求有误", str(exc))
            except StoreError:
                response = error_page(request, 503, "数据库暂不可用", "请稍后重试；若持续出现，请联系信息科。")
            for name, value in _SECURITY_HEADERS.items():
                response.headers.setdefault(name, value)
            return response

        return page_handler


def _key_from(request: Request) -> str | None:
    """An API key sent as a header (scripts, tests); browsers use the session cookie instead."""
    key = request.headers.get("x-api-key")
    return key.strip() if key else None


def _check_key(engine: Engine, key: str) -> Principal | None:
    found = store.authenticate_api_key(engine, key)
    if found is None:
        return None
    name, role = found
    return Principal(name=name, role=str(getattr(role, "value", role)))


def _signed_in(request: Request, engine: Engine) -> Principal | None:
    """Who the request is from: an X-API-Key header, or a live session cookie (whose CSRF token is noted)."""
    key = _key_from(request)
    if key:
        return _check_key(engine, key)
    session = store.get_session(engine, request.cookies.get(COOKIE))
    if session is None:
        return None
    request.state.csrf = session.csrf_token
    request.state.session = session
    return Principal(name=session.name, role=session.role)


def page_user(
    request: Request, engine: EngineDep, csrf: Annotated[str | None, Depends(_form_csrf)] = None
) -> Principal:
    """The signed-in reader of a page; others go to ``/login`` (no key) or get a 403 page (wrong role).

    A cookie-authenticated POST must come from this origin and carry the session's CSRF token."""
    principal = _signed_in(request, engine)
    if principal is None:
        raise LoginRequired("sign in at /login")
    session = getattr(request.state, "session", None)
    if session is not None and request.method not in SAFE_METHODS:
        if not same_origin(request):
            raise CrossSiteRequest("cross-origin POST refused")
        if not store.csrf_ok(session, csrf):
            raise CrossSiteRequest("missing or wrong CSRF token")
    if principal.role not in READERS:
        raise PermissionDenied(f"role {principal.role!r} may not read records; needs one of {', '.join(READERS)}")
    return principal


PageUser = Annotated[Principal, Depends(page_user)]

router = APIRouter(route_class=PageRoute, include_in_schema=False)


def _render(request: Request, name: str, user: Principal | None, status: int = 200, **context: Any) -> HTMLResponse:
    return templates.TemplateResponse(request, name, {"user": user, **context}, status_code=status)


# --- sign-in ---------------------------------------------------------------------------------------


#: each role's home page: the doctor's worklist, the pharmacist's, else the patient list
ROLE_HOME = {"clinician": "/doctor", "pharmacist": "/rx"}


@router.get("/")
def home(request: Request, engine: EngineDep) -> RedirectResponse:
    """Signed in → the role's home page (ROLE_HOME, else the patient list); otherwise the login page."""
    principal = _signed_in(request, engine)
    if principal is None:
        return RedirectResponse("/login", status_code=303)
    return RedirectResponse(ROLE_HOME.get(principal.role, "/patients"), status_code=303)


def _login_page(request: Request, next: str, message: str | None, status: int = 200) -> HTMLResponse:
    token = secrets.token_urlsafe(24)
    request.state.csrf = token
    response = _render(request, "login.html", None, status=status, next=_safe_next(next), message=message)
    response.set_cookie(LOGIN_CSRF_COOKIE, token, max_age=3600, httponly=True, samesite="strict",
                        secure=request.url.scheme == "https", path="/login")
    return response


@router.get("/login")
def login_form(request: Request, next: Annotated[str, Query(max_length=2048)] = "/") -> HTMLResponse:
    """The form to paste an API key into (with its own CSRF token)."""
    return _login_page(request, next, None)


@router.post("/login")
def login(
    request: Request,
    engine: EngineDep,
    key: Annotated[str, Form(max_length=512)] = "",
    next: Annotated[str, Form(max_length=2048)] = "/",
    csrf: Annotated[str, Form(max_length=128)] = "",
) -> Response:
    """Check the key with the store once; a good key starts a server-side session whose random id becomes
    the HttpOnly ``yizhu_session`` cookie. The form must come from this origin with its CSRF token."""
    expected = request.cookies.get(LOGIN_CSRF_COOKIE) or ""
    if not same_origin(request) or not expected or not secrets.compare_digest(expected, csrf):
        return _login_page(request, next, "登录表单已过期或来自其他网站，请重新登录。", status=403)
    key = key.strip()
    principal = _check_key(engine, key) if key else None
    if principal is None:
        message = "请粘贴 API 密钥。" if not key else "密钥无效或已被吊销，请检查后重试（可用 `yizhu keys create` 创建）。"
        return _login_page(request, next, message, status=401)
    if principal.role not in READERS:
        message = f"角色「{principal.role}」不能查看病历；请使用临床、药学、质控或管理员密钥。"
        return _login_page(request, next, message, status=403)
    created = store.create_session(engine, key)
    if created is None:  # revoked between the two checks
        return _login_page(request, next, "密钥无效或已被吊销。", status=401)
    session_id, _ = created
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(
        COOKIE,
        session_id,
        max_age=COOKIE_MAX_AGE_S,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        path="/",
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
    return response


@router.post("/logout")
def logout(request: Request, engine: EngineDep, user: PageUser) -> RedirectResponse:
    """End the session (server-side: the id stops working at once) and forget the cookie."""
    store.end_session(engine, request.cookies.get(COOKIE))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="lax")
    return response


@router.get("/web/static/{name:path}")
def static(name: str) -> Response:
    """The page stylesheet; only files shipped in ``web/static`` are served."""
    shipped = {p.name for p in STATIC_DIR.iterdir() if p.is_file()}
    if name not in shipped:
        raise NotFoundError(f"no static file {name!r}")
    return FileResponse(STATIC_DIR / name, headers={"Cache-Control": "public, max-age=3600"})


# --- patients --------------------------------------------------------------------------------------


@dataclass
class PatientRow:
    """One line of the patient list."""

    patient: Patient
    encounters: int
    departments: list[str]


def _int(value: str, default: int) -> int:
    try:
        return max(1, int(value))
    except ValueError:
        return default


def find_patients(engine: Engine, q: str, *, limit: int, offset: int) -> tuple[list[Patient], int]:
    """Patients whose name or 病案号 contains ``q`` (case-insensitive), and how many match."""
    q = q.strip() or None
    return store.list_patients(engine, limit=limit, offset=offset, q=q), store.count_patients(engine, q=q)


@router.get("/patients")
def patients_page(request: Request, engine: EngineDep, user: PageUser, q: Annotated[str, Query(max_length=64)] = "",
                  page: Annotated[str, Query(max_length=16)] = "1") -> HTMLResponse:
    """患者列表: search by name or 病案号, twenty to a page."""
    q = q.strip()[:64]
    current = _int(page, 1)
    found, total = find_patients(engine, q, limit=PAGE_SIZE, offset=(current - 1) * PAGE_SIZE)
    pages = max(1, math.ceil(total / PAGE_SIZE))
    if current > pages:  # a stale link past the end shows the last page
        current = pages
        found, total = find_patients(engine, q, limit=PAGE_SIZE, offset=(current - 1) * PAGE_SIZE)
    rows = []
    for p in found:
        encs = store.list_encounters(engine, patient_id=p.id, limit=100)
        depts = list(dict.fromkeys(e.department for e in encs if e.department))
        rows.append(PatientRow(p, store.count_encounters(engine, patient_id=p.id), depts))
    return _render(
        request, "patients.html", user, rows=rows, q=q, page=current, pages=pages, total=total
    )


@dataclass
class EncounterRow:
    """One encounter on the patient page, with its main diagnosis and document count."""

    encounter: Encounter
    main_diagnosis: str | None
    documents: int


@router.get("/patients/{patient_id}")
def patient_page(request: Request, patient_id: str, engine: EngineDep, user: PageUser) -> HTMLResponse:
    """患者详情: demographics, allergies from every encounter, the encounters."""
    patient = store.get_patient(engine, patient_id)
    rows: list[EncounterRow] = []
    allergies: dict[str, Any] = {}
    for enc in store.list_encounters(engine, patient_id=patient_id, limit=STORE_PAGE):
        ctx = store.load_context(engine, enc.id)
        for a in ctx.allergies:
            allergies.setdefault(a.substance, a)
        main = next((d for d in ctx.diagnoses if d.is_main), ctx.diagnoses[0] if ctx.diagnoses else None)
        rows.append(EncounterRow(enc, main.text if main else None, len(ctx.documents)))
    rows.reverse()  # newest first
    return _render(
        request, "patient.html", user, patient=patient, encounters=rows, allergies=list(allergies.values())
    )


# --- task runs and findings ------------------------------------------------------------------------


@dataclass
class RunView:
    """One audited task run as the pages show it."""

    run: TaskRun
    findings: list[Finding]
    degraded: list[str] = field(default_factory=list)
    unreadable: int = 0

    @property
    def title(self) -> str:
        return TASK_TITLE.get(self.run.task, self.run.task)


def _sorted(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: SEVERITY_RANK.get(f.severity.value, 99))


def run_view(run: TaskRun) -> RunView:
    """Read the findings back out of a run's stored output, tolerating outputs of other shapes."""
    output = run.output if isinstance(run.output, dict) else {}
    findings: list[Finding] = []
    unreadable = 0
    for raw in output.get("findings") or []:
        try:
            findings.append(Finding.model_validate(raw))
        except ValidationError:
            unreadable += 1
    degraded = [str(d) for d in output.get("degraded") or []]
    return RunView(run, _sorted(findings), degraded, unreadable)


def finding_document(finding: Finding) -> str | None:
    """The document a finding is about, when the task said so in ``data['document']``."""
    doc = finding.data.get("document")
    return doc if isinstance(doc, str) else None


# --- encounter -------------------------------------------------------------------------------------


@router.get("/encounters/{encounter_id}")
def encounter_page(request: Request, encounter_id: str, engine: EngineDep, user: PageUser) -> HTMLResponse:
    """就诊详情: header, diagnoses, orders, labs, documents with sections, and the task results."""
    ctx = store.load_context(engine, encounter_id)
    runs = [run_view(r) for r in store.list_runs(engine, encounter_id=encounter_id, limit=RUNS_SHOWN)]
    total_runs = store.count_runs(engine, encounter_id=encounter_id)
    doc_findings = _latest_findings_by_document(runs)
    return _render(
        request,
        "encounter.html",
        user,
        ctx=ctx,
        patient=ctx.patient,
        encounter=ctx.encounter,
        runs=runs,
        total_runs=total_runs,
        doc_findings=doc_findings,
        rx_review=_latest_rx_review(engine, encounter_id),
        intake=_intake(engine, encounter_id),
    )


def _intake(engine: Engine, encounter_id: str) -> list[dict[str, Any]]:
    """The encounter's 预问诊 records (yizhu.web.intake_pages)."""
    from yizhu.clinical.intake.store import records_for_encounter

    return records_for_encounter(engine, encounter_id)


@dataclass
class RxReviewView:
    """The newest prescription review of an encounter's orders, for the 用药医嘱 card."""

    run: TaskRun
    findings: list[Finding]
    total: int


def _latest_rx_review(engine: Engine, encounter_id: str) -> RxReviewView | None:
    """The newest rx.review run of the encounter with its findings (alerts), most severe first."""
    found = store.list_runs(engine, encounter_id=encounter_id, task="rx.review", limit=1)
    if not found:
        return None
    rv = run_view(found[0])
    inner = found[0].output.get("output") if isinstance(found[0].output, dict) else None
    truncated = (inner or {}).get("truncated") if isinstance(inner, dict) else None
    total = int(truncated.get("alerts", len(rv.findings))) if isinstance(truncated, dict) else len(rv.findings)
    return RxReviewView(found[0], rv.findings, total)


def _latest_findings_by_document(runs: list[RunView]) -> dict[str, list[Finding]]:
    """Per document, the findings of the newest run of each task (older runs are history)."""
    seen_tasks: set[str] = set()
    out: dict[str, list[Finding]] = {}
    for rv in runs:  # newest first
        if rv.run.task in seen_tasks:
            continue
        seen_tasks.add(rv.run.task)
        for f in rv.findings:
            doc = finding_document(f) or rv.run.document_id
            if doc:
                out.setdefault(doc, []).append(f)
    return {k: _sorted(v) for k, v in out.items()}


# --- document --------------------------------------------------------------------------------------


@dataclass
class Mark:
    """A span of the document text to highlight, with the findings that point at it."""

    start: int
    end: int
    findings: list[Finding]


def _worst(findings: list[Finding]) -> str:
    return min((f.severity.value for f in findings), key=lambda s: SEVERITY_RANK.get(s, 99), default="info")


def marked(text: str, offset: int, marks: list[Mark]) -> Markup:
    """``text`` (which starts at ``offset`` of the document) as HTML, with ``<mark>`` over evidence spans."""
    lo, hi = offset, offset + len(text)
    cuts = {lo, hi}
    for m in marks:
        if m.end > lo and m.start < hi:
            cuts.update((max(m.start, lo), min(m.end, hi)))
    points = sorted(cuts)
    starts = {m.start for m in marks if m.start < m.end}
    out: list[str] = []
    for a, b in itertools.pairwise(points):
        piece = escape(text[a - lo : b - lo])
        covering = [f for m in marks if m.start <= a and m.end >= b and m.start < m.end for f in m.findings]
        if covering:
            tip = escape("；".join(f.message for f in covering))
            # ``#ev-<start>`` lets a worklist jump straight to the sentence a finding points at
            anchor = f' id="ev-{a}"' if a in starts else ""
            starts.discard(a)
            out.append(f'<mark{anchor} class="sev-{_worst(covering)}" title="{tip}">{piece}</mark>')
        else:
            out.append(str(piece))
    return Markup("".join(out))


@dataclass
class SectionView:
    """A section with its heading and body as highlighted HTML and the findings about it."""

    section: Section
    heading_html: Markup
    body_html: Markup
    findings: list[Finding]


def document_view(doc: ClinicalDocument, findings: list[Finding]) -> tuple[list[SectionView], list[Finding]]:
    """Sections with their findings attached; returns also the findings that fit no section."""
    marks = [
        Mark(f.evidence.start, f.evidence.end, [f])
        for f in findings
        if f.evidence is not None and f.evidence.end <= len(doc.text)
    ]
    views: list[SectionView] = []
    placed: set[int] = set()
    for s in doc.sections:
        mine = []
        for i, f in enumerate(findings):
            ev = f.evidence
            in_span = (
                ev is not None
                and s.heading_start is not None
                and ev.start < s.end
                and ev.end > s.heading_start
            )
            if in_span or (ev is None and f.section == s.name):
                mine.append(f)
                placed.add(i)
        if s.heading_start is not None and s.start <= len(doc.text):
            heading_html = marked(doc.text[s.heading_start : s.start], s.heading_start, marks)
        else:
            heading_html = Markup(escape(s.heading or s.name))
        body_ok = doc.text[s.start : s.end] == s.text
        body_html = marked(s.text, s.start, marks) if body_ok else Markup(escape(s.text))
        views.append(SectionView(s, heading_html, body_html, mine))
    rest = [f for i, f in enumerate(findings) if i not in placed]
    return views, rest


def unsectioned_html(doc: ClinicalDocument, findings: list[Finding]) -> Markup:
    """The whole text with highlights, for a document the parser found no sections in."""
    marks = [Mark(f.evidence.start, f.evidence.end, [f]) for f in findings if f.evidence is not None]
    return marked(doc.text, 0, marks)


@router.get("/documents/{document_id}")
def document_page(request: Request, document_id: str, engine: EngineDep, user: PageUser) -> HTMLResponse:
    """One document with its sections; findings of the runs about it are highlighted in the text."""
    doc = store.get_document(engine, document_id)
    encounter = store.get_encounter(engine, doc.encounter_id) if doc.encounter_id else None
    patient = store.get_patient(engine, doc.patient_id) if doc.patient_id else None
    runs: dict[str, RunView] = {}
    for r in store.list_runs(engine, document_id=document_id, limit=RUNS_SHOWN):
        runs[r.id] = run_view(r)
    if doc.encounter_id:
        for r in store.list_runs(engine, encounter_id=doc.encounter_id, limit=RUNS_SHOWN):
            rv = run_view(r)
            if r.id not in runs and any(finding_document(f) == document_id for f in rv.findings):
                runs[r.id] = rv
    ordered = sorted(runs.values(), key=lambda rv: rv.run.seq, reverse=True)
    for rv in ordered:  # keep only this document's findings from runs over the whole encounter
        rv.findings = [
            f for f in rv.findings
            if finding_document(f) == document_id or (finding_document(f) is None and rv.run.document_id == document_id)
        ]
    current = _latest_findings_by_document(ordered).get(document_id, [])
    sections, other = document_view(doc, current)
    return _render(
        request,
        "document.html",
        user,
        doc=doc,
        encounter=encounter,
        patient=patient,
        sections=sections,
        other_findings=other,
        current_findings=current,
        runs=ordered,
        preamble=_preamble(doc),
        full_html=None if doc.sections else unsectioned_html(doc, current),
    )


def _preamble(doc: ClinicalDocument) -> str:
    """Text before the first section (title and header lines), shown when there are no header fields."""
    starts = [s.heading_start if s.heading_start is not None else s.start for s in doc.sections]
    return doc.text[: min(starts)] if starts else doc.text
