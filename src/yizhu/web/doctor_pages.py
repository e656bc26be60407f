"""医生工作台 (``/doctor``): the doctor's day on one page.

Four tabs, each paginated in SQL (``yizhu.web.worklist``): note drafts waiting for my signature, QC findings
on my notes (each with a jump to the highlighted sentence, ``/documents/{id}#ev-<start>``), prescription alerts
on my orders (with the pharmacist's decision), and my encounters. Whose day: a clinician's own (the API key's
name is the doctor's name as the EMR writes it in ``attending`` / ``prescriber``); an admin or the QC office
may pick a doctor (``?doctor=``).

Decisions go through the existing feedback path and each task's own declaration (``task_roles``):
a draft is signed as it is (accept), opened to edit (the draft page signs it as ``edit`` with the edit
distance) or rejected with a reason; a QC finding is accepted (to be corrected) or rejected with a reason.
Prescription alerts are decided by pharmacists (``rx.review`` decide_roles), so the doctor sees them and the
pharmacist's decision. A decision form posts normally (303 back here) or, with ``worklist.js``, as a partial
update that replaces only its row.
"""

from __future__ import annotations

import math
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.engine import Engine

from yizhu import store, value
from yizhu.api.deps import EngineDep, Principal, ensure_may
from yizhu.clinical.notes.types import NOTE_TYPES, SPECS
from yizhu.clinical.registry import task_roles
from yizhu.errors import InputError, NotFoundError, PermissionDenied
from yizhu.value.edits import edit_stats, feedback_reason
from yizhu.web import worklist
from yizhu.web.pages import PageRoute, PageUser, _safe_next, templates

router = APIRouter(route_class=PageRoute, include_in_schema=False)

#: a decision as the worklists name it, per kind of row
WL_DECISION = {
    "draft:accept": "已签署", "draft:edit": "修改后签署", "draft:reject": "已驳回",
    "qc_finding:accept": "已确认，待修改", "qc_finding:reject": "不成立",
    "rx_alert:accept": "药师已确认（退回医师）", "rx_alert:override": "药师已放行",
}  # fmt: skip
templates.env.globals.update(WL_DECISION=WL_DECISION, NOTE_TITLE={t: SPECS[t].doc_type for t in NOTE_TYPES})

PER_PAGE = 20
TABS = {"drafts": "待签署草稿", "qc": "质控发现", "rx": "处方提示", "encounters": "我的就诊"}
TAB_KIND: dict[str, worklist.Kind] = {"drafts": "draft", "qc": "qc_finding", "rx": "rx_alert"}
#: roles that may look at another doctor's worklist (management and the QC office)
OVERSEERS = ("admin", "qc_officer")


def page_count(total: int, per_page: int = PER_PAGE) -> int:
    return max(1, math.ceil(total / per_page))


def clamp_page(page: int, total: int, per_page: int = PER_PAGE) -> int:
    """A page number past the end shows the last page; below 1 the first."""
    return min(max(1, page), page_count(total, per_page))


def doctor_for(engine: Engine, user: Principal, requested: str) -> tuple[str | None, list[tuple[str, int]]]:
    """Whose worklist to show, and the doctors an overseer may pick from (empty for a clinician)."""
    if user.role not in OVERSEERS:
        return user.name, []
    choices = worklist.doctors(engine)
    if requested.strip():
        return requested.strip(), choices
    return (choices[0][0] if choices else None), choices


def is_partial(request: Request) -> bool:
    """The form was posted by ``worklist.js``: answer with the row's HTML, not a redirect."""
    return request.headers.get("x-partial") == "row"


def _url(base: str, **params: Any) -> str:
    kept = {k: v for k, v in params.items() if v not in (None, "") and not (k == "page" and v == 1)}
    return f"{base}?{urlencode(kept)}" if kept else base


@router.get("/doctor")
def doctor_page(
    request: Request,
    engine: EngineDep,
    user: PageUser,
    tab: Annotated[str, Query(max_length=16)] = "",
    doctor: Annotated[str, Query(max_length=128)] = "",
    status: Annotated[str, Query(max_length=16)] = "pending",
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
) -> HTMLResponse:
    """医生工作台: drafts to sign, QC findings, prescription alerts and encounters of one doctor."""
    behind = worklist.catch_up(engine)
    who, choices = doctor_for(engine, user, doctor)
    status = status if status in worklist.STATUSES else "pending"
    pending = worklist.counts(engine, doctor=who) if who else {"draft": 0, "qc_finding": 0, "rx_alert": 0}
    if tab not in TABS:
        tab = next((t for t, k in TAB_KIND.items() if pending[k]), "encounters")
    rows: list[worklist.Row] = []
    encounters: list[dict[str, Any]] = []
    total = 0
    if who is not None and tab in TAB_KIND:
        sort = "time" if tab == "drafts" else "severity"
        rows, total = worklist.list_items(engine, TAB_KIND[tab], doctor=who, status=status, sort=sort,
                                          limit=PER_PAGE, offset=(page - 1) * PER_PAGE)
        if page > page_count(total):  # a stale link past the end shows the last page
            page = clamp_page(page, total)
            rows, total = worklist.list_items(engine, TAB_KIND[tab], doctor=who, status=status, sort=sort,
                                              limit=PER_PAGE, offset=(page - 1) * PER_PAGE)
    elif who is not None:
        total = worklist.count_encounters_of(engine, who)
        page = clamp_page(page, total)
        encounters = worklist.encounters_of(engine, who, limit=PER_PAGE, offset=(page - 1) * PER_PAGE)
    base = {"tab": tab, "doctor": doctor if user.role in OVERSEERS else "", "status": status}
    here = _url("/doctor", **base, page=page)
    return templates.TemplateResponse(request, "doctor/worklist.html", {
        "user": user, "behind": behind, "who": who, "choices": choices, "tab": tab, "TABS": TABS, "pending": pending,
        "status": status, "rows": rows, "encounters": encounters, "total": total, "page": page,
        "pages": page_count(total), "here": here, "can_sign": task_roles("notes.discharge").may_decide(user.role),
        "can_qc": task_roles("qc.record").may_decide(user.role),
        "page_url": lambda p: _url("/doctor", **base, page=p),
        "tab_url": lambda t: _url("/doctor", tab=t, doctor=base["doctor"]),
        "status_url": lambda s: _url("/doctor", tab=tab, doctor=base["doctor"], status=s),
    })


def sign_draft(engine: Engine, run: store.TaskRun, actor: str, decision: str, final_text: str, reason: str) -> None:
    """Sign (accept, or edit when the text changed) or reject a draft, with the edit distance — the one way
    the draft page and the worklist record a signature."""
    draft_text = str((run.output.get("output") or {}).get("text", "")) if isinstance(run.output, dict) else ""
    if decision == "reject":
        if len(reason.strip()) < 2:
            raise InputError("驳回草稿需要填写理由（至少 2 个字）。")
        stats: dict[str, Any] = {"edit_distance": None, "draft_chars": len(draft_text), "final_chars": 0,
                                 "edit_ratio": None}
        value.record_feedback(engine, run_id=run.id, actor=actor, decision="reject",
                              reason=feedback_reason(stats, reason.strip()))
        return
    if decision not in ("sign", "accept"):
        raise InputError("请选择“签署”或“驳回”。")
    final = final_text.replace("\r\n", "\n")
    final = final if final.strip() else draft_text
    changed = final != draft_text
    value.record_feedback(engine, run_id=run.id, actor=actor, decision="edit" if changed else "accept",
                          edited_text=final if changed else None,
                          reason=feedback_reason(edit_stats(draft_text, final), reason.strip() or None))


@router.post("/doctor/items/{item_id}/decide")
def decide_item(
    request: Request,
    item_id: int,
    engine: EngineDep,
    user: PageUser,
    decision: Annotated[str, Form(max_length=16)] = "",
    reason: Annotated[str, Form(max_length=1800)] = "",
    next: Annotated[str, Form(max_length=2048)] = "/doctor",
) -> Response:
    """A doctor's decision on one worklist row: a draft (签署 / 驳回) or a QC finding (确认 / 不成立), with a
    reason; recorded as feedback on the audited run. Answers with the row (partial) or 303 back."""
    row = worklist.get_item(engine, item_id)
    if row is None:
        raise NotFoundError(f"worklist item {item_id} does not exist")
    error = None
    try:
        if row.kind == "draft":
            run = store.get_run(engine, row.run_id)
            ensure_may(user, run.task, "decide")
            sign_draft(engine, run, user.name, decision, "", reason)
        elif row.kind == "qc_finding":
            ensure_may(user, row.task, "decide")
            if decision not in task_roles(row.task).decisions:
                raise InputError("请选择“确认”或“不成立”。")
            if decision == "reject" and len(reason.strip()) < 2:
                raise InputError("认为质控发现不成立时需要填写理由（至少 2 个字）。")
            value.record_feedback(engine, run_id=row.run_id, actor=user.name, decision=decision,
                                  item=row.item, reason=reason.strip() or None)
        else:
            raise PermissionDenied("处方提示由药师审核；请在审方工作台处理。")
    except InputError as exc:
        if not is_partial(request):
            raise
        error = str(exc)
    if is_partial(request):
        fresh = worklist.get_item(engine, item_id) or row
        return templates.TemplateResponse(request, "doctor/_row.html", {
            "user": user, "r": fresh, "here": _safe_next(next), "error": error,
            "can_sign": task_roles("notes.discharge").may_decide(user.role),
            "can_qc": task_roles("qc.record").may_decide(user.role),
        }, status_code=422 if error else 200)
    return RedirectResponse(_safe_next(next), status_code=303)
