"""Pharmacist pages (药师审方工作台): pending reviews with their alerts, accept or override with a reason, a form
to review a pasted order, and the override report.

Same conventions as :mod:`yizhu.web.pages`: server-rendered, no JavaScript, the ``yizhu_key`` login cookie,
our errors shown as Chinese pages. Anyone who may read records may look; only pharmacists (and admins)
decide on alerts. Decisions are recorded as feedback on the audited review run (see
:mod:`yizhu.clinical.rx.api`).
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy.engine import Engine

from yizhu import store
from yizhu.api.deps import EngineDep, Principal, ensure_may
from yizhu.clinical.registry import task_roles
from yizhu.clinical.rx.api import (
    decisions_for,
    overrides_report,
    record_decision,
    review_context,
    review_output,
    run_alerts,
)
from yizhu.clinical.rx.document import load_payload
from yizhu.clinical.rx.engine import TASK_NAME
from yizhu.clinical.rx.rules import SEVERITY_RANK, default_rules
from yizhu.errors import InputError, NotFoundError
from yizhu.web import fmt as web_fmt
from yizhu.web import worklist
from yizhu.web.doctor_pages import _url, clamp_page, is_partial, page_count
from yizhu.web.pages import PageRoute, PageUser, _safe_next, templates

router = APIRouter(route_class=PageRoute, include_in_schema=False)

TYPE_CN = {
    "interaction": "相互作用", "duplicate": "重复用药", "dose": "剂量", "frequency": "频次", "route": "给药途径",
    "allergy": "过敏", "pregnancy": "妊娠期", "lactation": "哺乳期", "pediatric": "儿童", "geriatric": "老年人",
    "renal": "肾功能", "hepatic": "肝功能", "contraindication": "禁忌证", "antimicrobial": "抗菌药物分级",
    "high_alert": "高警示", "unknown_drug": "未识别药品", "incomplete": "医嘱不完整",
}  # fmt: skip
DECISION_CN = {"override": "已放行（超越提示）", "accept": "已确认（退回医师）"}
#: the evidence values a pharmacist reads, in Chinese; other keys (pack item ids, class keys) stay behind 详情
EVIDENCE_CN = {
    "measure": "指标", "value": "患者数值", "below": "阈值（低于）", "limit": "说明书限量", "per_day": "日剂量",
    "max_per_day": "日最大量", "usual_max": "常用最大量", "usual_max_per_day": "常用日最大量", "dose": "单次剂量",
    "unit": "单位", "below_years": "年龄下限（岁）", "mechanism": "机制", "scope": "范围", "beers": "Beers 标准",
    "route": "给药途径", "risk": "风险", "level": "级别", "category": "分级", "lab": "检验", "x_uln": "倍正常上限",
    "condition": "情况", "missing": "缺少项目", "allergy": "过敏史", "group": "药物组", "action": "处理",
    "patient": "患者情况", "form": "剂型", "labelled": "说明书", "mode": "方式", "already_adjusted_to": "已调整为",
    "frequency_per_day": "每日次数",
}  # fmt: skip
_EVIDENCE_WORDS = {
    "avoid": "避免使用", "caution": "慎用", "contraindicated": "禁用", "reduce_dose": "减量",
    "extend_interval": "延长给药间隔", "monitor": "监测", "inh": "吸入", "po": "口服", "iv": "静脉",
}  # fmt: skip


def evidence_value(key: str, value: Any) -> str:
    """One evidence value as read: numbers without ``.0``, lists joined, known codes in Chinese."""
    if isinstance(value, list):
        return "、".join(evidence_value(key, v) for v in value) or "—"
    if isinstance(value, float | int) and not isinstance(value, bool):
        return web_fmt.fmt_number(value)
    if isinstance(value, str):
        return _EVIDENCE_WORDS.get(value, value)
    return web_fmt.fmt_number(value) if value is not None else "—"


def shown_evidence(evidence: dict[str, Any]) -> list[tuple[str, str]]:
    """(Chinese label, value) for the evidence a person reads; the rest is internal."""
    return [(EVIDENCE_CN[k], evidence_value(k, v)) for k, v in evidence.items()
            if k in EVIDENCE_CN and v not in (None, "", [], {})]


def internal_evidence(evidence: dict[str, Any]) -> list[tuple[str, str]]:
    """The evidence's internal keys (pack items, class keys), for the 详情 toggle."""
    return [(k, str(v)) for k, v in evidence.items() if k not in EVIDENCE_CN and v not in (None, "", [], {})]


templates.env.globals.update(RX_TYPE=TYPE_CN, RX_DECISION=DECISION_CN, shown_evidence=shown_evidence,
                             internal_evidence=internal_evidence)


def _render(request: Request, name: str, user: Principal, status: int = 200, **context: Any) -> HTMLResponse:
    return templates.TemplateResponse(request, name, {"user": user, **context}, status_code=status)


def _can_decide(user: Principal) -> bool:
    return task_roles(TASK_NAME).may_decide(user.role)


#: the severity floors the worklist offers (the default hides 轻微 and 提示, as the API's pending list does)
FLOORS = {"moderate": "中等及以上", "major": "严重及以上", "all": "全部级别"}
SORT_CN = {"severity": "严重程度", "ward": "病区", "drug": "药品", "time": "审方时间", "patient": "患者"}
PER_PAGE = 25


def _floor_rank(floor: str) -> int | None:
    return None if floor == "all" else worklist.SEVERITY_RANK.get(floor, worklist.SEVERITY_RANK["moderate"])


@router.get("/rx")
def pending_page(
    request: Request,
    engine: EngineDep,
    user: PageUser,
    sort: Annotated[str, Query(max_length=16)] = "severity",
    reverse: Annotated[int, Query(ge=0, le=1)] = 0,
    status: Annotated[str, Query(max_length=16)] = "pending",
    ward: Annotated[str, Query(max_length=128)] = "",
    floor: Annotated[str, Query(max_length=16)] = "moderate",
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    message: Annotated[str | None, Query(max_length=500)] = None,
) -> HTMLResponse:
    """审方工作台: every alert of the stored orders' newest reviews, one row per alert with the order's drug,
    dose, route, frequency and days; sortable by severity, ward, drug, time or patient; paged in SQL."""
    query = {"sort": sort, "reverse": reverse, "status": status, "ward": ward.strip(), "floor": floor}
    return worklist_page(request, engine, user, query, page, message=message, example=_EXAMPLE)


def worklist_page(request: Request, engine: Engine, user: Principal, query: dict[str, Any], page: int, *,
                  message: str | None, example: str, status_code: int = 200) -> HTMLResponse:
    """The worklist for a query (sort, reverse, status, ward, floor), with the paste form below it."""
    behind = worklist.catch_up(engine)
    query["sort"] = query["sort"] if query["sort"] in worklist.SORTS else "severity"
    query["status"] = query["status"] if query["status"] in worklist.STATUSES else "pending"
    query["floor"] = query["floor"] if query["floor"] in FLOORS else "moderate"
    sort, reverse = query["sort"], query["reverse"]
    args: dict[str, Any] = {"status": query["status"], "department": query["ward"] or None,
                            "max_rank": _floor_rank(query["floor"])}
    rows, total = worklist.list_items(engine, "rx_alert", sort=sort, reverse=bool(reverse), limit=PER_PAGE,
                                      offset=(page - 1) * PER_PAGE, **args)
    pages = page_count(total, PER_PAGE)
    if page > pages:  # a stale link past the end shows the last page
        page = pages
        rows, total = worklist.list_items(engine, "rx_alert", sort=sort, reverse=bool(reverse), limit=PER_PAGE,
                                          offset=(page - 1) * PER_PAGE, **args)
    here = _url("/rx", **_shown(query), page=page)
    return _render(request, "rx/pending.html", user, status=status_code, behind=behind, rows=rows, total=total, page=page,
                   pages=pages, can_decide=_can_decide(user), message=message, example=example, q=query, here=here,
                   wards=worklist.departments(engine, "rx_alert"), FLOORS=FLOORS, SORT_CN=SORT_CN,
                   page_url=lambda p: _url("/rx", **_shown(query), page=p),
                   sort_url=lambda col: _url("/rx", **_shown({**query, "sort": col,
                                                              "reverse": int(sort == col and not reverse)})),
                   filter_url=lambda **kw: _url("/rx", **_shown({**query, **kw})))


def _shown(query: dict[str, Any]) -> dict[str, Any]:
    """The query without its defaults, so links stay short."""
    defaults = {"sort": "severity", "reverse": 0, "status": "pending", "ward": "", "floor": "moderate"}
    return {k: v for k, v in query.items() if defaults.get(k) != v}


@router.post("/rx/review")
def submit_review(
    request: Request, engine: EngineDep, user: PageUser, document: Annotated[str, Form(max_length=1_000_000)] = ""
) -> Any:
    """Review a pasted order document or FHIR Bundle; the review is audited and shown."""
    ensure_may(user, TASK_NAME, "run")
    try:
        ctx = load_payload(document)
    except InputError as exc:
        query = {"sort": "severity", "reverse": 0, "status": "pending", "ward": "", "floor": "moderate"}
        return worklist_page(request, engine, user, query, 1, message=f"无法审核：{exc}",
                             example=document or _EXAMPLE, status_code=422)
    _, run_id = review_context(engine, ctx, actor=user.name)
    return RedirectResponse(f"/rx/reviews/{run_id}", status_code=303)


@router.get("/rx/reviews/{run_id}")
def review_page(request: Request, run_id: str, engine: EngineDep, user: PageUser,
                error: Annotated[str | None, Query(max_length=500)] = None) -> HTMLResponse:
    """One review: the orders as resolved, patient facts, and each alert with its decision or the decision form."""
    run = store.get_run(engine, run_id)
    alerts = run_alerts(run)
    decisions = decisions_for(engine, run_id)
    output = review_output(run)
    alerts.sort(key=lambda a: (a.key in decisions, SEVERITY_RANK[a.severity]))
    return _render(request, "rx/review.html", user, run=run, alerts=alerts, decisions=decisions,
                   orders=output.get("orders") or [], patient=output.get("patient") or {},
                   can_decide=_can_decide(user), error=error)


@router.post("/rx/reviews/{run_id}/decide")
def decide(
    request: Request,
    run_id: str,
    engine: EngineDep,
    user: PageUser,
    alert: Annotated[str, Form(max_length=256)] = "",
    decision: Annotated[str, Form(max_length=16)] = "",
    reason: Annotated[str, Form(max_length=1800)] = "",
    next: Annotated[str, Form(max_length=2048)] = "",
) -> Any:
    """Record 放行 (override, reason required) or 确认 (uphold) for one alert, then back to the review (or to
    ``next``, the worklist); from ``worklist.js`` the answer is the worklist row itself."""
    ensure_may(user, TASK_NAME, "decide")
    error = None
    try:
        if decision not in ("override", "accept"):
            raise InputError("请选择“确认提示”或“放行”。")
        if decision == "override" and len(reason.strip()) < 2:
            raise InputError("放行（超越提示）需要填写理由（至少 2 个字），说明为何仍可执行该医嘱。")
        record_decision(engine, run_id, alert, decision, reason, actor=user.name)  # type: ignore[arg-type]
    except InputError as exc:
        error = chinese_error(str(exc))
    if is_partial(request):
        worklist.sync(engine)
        row = worklist.find_item(engine, run_id, alert)
        if row is None:
            raise NotFoundError(f"alert {alert!r} of review {run_id} is not on the worklist")
        return templates.TemplateResponse(request, "rx/_row.html", {
            "user": user, "r": row, "here": _safe_next(next or "/rx"), "error": error,
            "can_decide": _can_decide(user)}, status_code=422 if error else 200)
    if error is not None:
        return review_page(request, run_id, engine, user, error=error)
    if next:
        return RedirectResponse(_safe_next(next), status_code=303)
    return RedirectResponse(f"/rx/reviews/{run_id}#decided", status_code=303)


def chinese_error(message: str) -> str:
    """The engine's English input errors as the pharmacist reads them."""
    if "needs a reason" in message:
        return "放行（超越提示）需要填写理由（至少 2 个字），说明为何仍可执行该医嘱。"
    if message.startswith("alert '") and "is not in review" in message:
        return "该提示不属于此次审方（可能已有更新的审方结果），请刷新页面后重试。"
    return message


@router.get("/rx/overrides")
def overrides_page(request: Request, engine: EngineDep, user: PageUser) -> HTMLResponse:
    """超越提示报告: overrides per rule and pharmacist, and each override with its reason."""
    return _render(request, "rx/overrides.html", user, report=overrides_report(engine), RULES=_rules())


def _rules() -> dict[str, Any]:
    return {r.id: r for r in default_rules().rules}


@router.get("/rx/rules/{rule_id}/overrides")
def rule_overrides_page(
    request: Request,
    rule_id: str,
    engine: EngineDep,
    user: PageUser,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
) -> HTMLResponse:
    """One rule's override history: how often it was upheld or overridden (rate), the reasons given with their
    counts, and every override with its reason, newest first (the latest decision per alert counts)."""
    worklist.sync(engine)
    rule = _rules().get(rule_id)
    history = worklist.rule_history(engine, rule_id)
    if rule is None and not history.decisions:
        raise NotFoundError(f"rule {rule_id!r} has no decisions and is not a review rule")
    total = len(history.overrides)
    page = clamp_page(page, total, PER_PAGE)
    shown = history.overrides[(page - 1) * PER_PAGE: page * PER_PAGE]
    return _render(request, "rx/rule_overrides.html", user, rule_id=rule_id, rule=rule, h=history, shown=shown,
                   page=page, pages=page_count(total, PER_PAGE), total=total,
                   page_url=lambda p: _url(f"/rx/rules/{quote(rule_id, safe='')}/overrides", page=p))


_EXAMPLE = """{
  "synthetic": true,
  "setting": "outpatient",
  "patient": {"sex": "female", "age_years": 72, "weight_kg": 52,
              "allergies": ["青霉素"], "diagnoses": ["高血压", "2型糖尿病"],
              "labs": {"scr_umol_l": 150}, "prescriber_level": "attending"},
  "orders": [
    {"drug": "华法林钠片", "dose": 3, "unit": "mg", "route": "口服", "frequency": "qd"},
    {"drug": "布洛芬缓释胶囊", "dose": 0.3, "unit": "g", "route": "口服", "frequency": "bid"},
    {"drug": "盐酸二甲双胍片", "dose": 0.5, "unit": "g", "route": "口服", "frequency": "tid"}
  ]
}"""
