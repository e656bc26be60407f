"""Pharmacist pages (药师审方工作台): pending reviews with their alerts, accept or override with a reason, a form
to review a pasted order, and the override report.

Same conventions as :mod:`yizhu.web.pages`: server-rendered, no JavaScript, the ``yizhu_key`` login cookie,
our errors shown as Chinese pages. Anyone who may read records may look; only pharmacists (and admins)
decide on alerts. Decisions are recorded as feedback on the audited review run (see
:mod:`yizhu.clinical.rx.api`).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from yizhu import store
from yizhu.api.deps import EngineDep, Principal, ensure_may
from yizhu.clinical.registry import task_roles
from yizhu.clinical.rx.api import (
    decisions_for,
    overrides_report,
    pending_reviews,
    record_decision,
    review_context,
    review_output,
    run_alerts,
)
from yizhu.clinical.rx.document import load_payload
from yizhu.clinical.rx.engine import TASK_NAME
from yizhu.clinical.rx.rules import SEVERITY_RANK
from yizhu.errors import InputError
from yizhu.web.pages import PageRoute, PageUser, templates

router = APIRouter(route_class=PageRoute, include_in_schema=False)

TYPE_CN = {
    "interaction": "相互作用", "duplicate": "重复用药", "dose": "剂量", "frequency": "频次", "route": "给药途径",
    "allergy": "过敏", "pregnancy": "妊娠期", "lactation": "哺乳期", "pediatric": "儿童", "geriatric": "老年人",
    "renal": "肾功能", "hepatic": "肝功能", "contraindication": "禁忌证", "antimicrobial": "抗菌药物分级",
    "high_alert": "高警示", "unknown_drug": "未识别药品", "incomplete": "医嘱不完整",
}  # fmt: skip
DECISION_CN = {"override": "已放行（超越提示）", "accept": "已确认（退回医师）"}
templates.env.globals.update(RX_TYPE=TYPE_CN, RX_DECISION=DECISION_CN)


def _render(request: Request, name: str, user: Principal, status: int = 200, **context: Any) -> HTMLResponse:
    return templates.TemplateResponse(request, name, {"user": user, **context}, status_code=status)


def _can_decide(user: Principal) -> bool:
    return task_roles(TASK_NAME).may_decide(user.role)


@router.get("/rx")
def pending_page(request: Request, engine: EngineDep, user: PageUser, message: str | None = None) -> HTMLResponse:
    """待审处方: reviews whose moderate-or-worse alerts still wait for a decision, most severe first."""
    pending = pending_reviews(engine)
    return _render(request, "rx/pending.html", user, pending=pending, can_decide=_can_decide(user),
                   message=message, example=_EXAMPLE)


@router.post("/rx/review")
def submit_review(
    request: Request, engine: EngineDep, user: PageUser, document: Annotated[str, Form(max_length=1_000_000)] = ""
) -> Any:
    """Review a pasted order document or FHIR Bundle; the review is audited and shown."""
    ensure_may(user, TASK_NAME, "run")
    try:
        ctx = load_payload(document)
    except InputError as exc:
        pending = pending_reviews(engine)
        return _render(request, "rx/pending.html", user, status=422, pending=pending, can_decide=_can_decide(user),
                       message=f"无法审核：{exc}", example=document or _EXAMPLE)
    _, run_id = review_context(engine, ctx, actor=user.name)
    return RedirectResponse(f"/rx/reviews/{run_id}", status_code=303)


@router.get("/rx/reviews/{run_id}")
def review_page(request: Request, run_id: str, engine: EngineDep, user: PageUser, error: str | None = None) -> HTMLResponse:
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
) -> Any:
    """Record 放行 (override, reason required) or 确认 (uphold) for one alert, then back to the review."""
    ensure_may(user, TASK_NAME, "decide")
    if decision not in ("override", "accept"):
        raise InputError("请选择“放行”或“确认”")
    try:
        record_decision(engine, run_id, alert, decision, reason, actor=user.name)  # type: ignore[arg-type]
    except InputError as exc:
        return review_page(request, run_id, engine, user, error=str(exc))
    return RedirectResponse(f"/rx/reviews/{run_id}#decided", status_code=303)


@router.get("/rx/overrides")
def overrides_page(request: Request, engine: EngineDep, user: PageUser) -> HTMLResponse:
    """超越提示报告: overrides per rule and pharmacist, and each override with its reason."""
    return _render(request, "rx/overrides.html", user, report=overrides_report(engine))


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
