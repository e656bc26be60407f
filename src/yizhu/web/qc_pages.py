"""质控科 pages: the department QC worklist, batch QC from the page, dashboards, CSV and drill-down.

Everything is read from stored QC results: the newest ``qc.record`` run of each encounter in the audit log,
indexed by ``yizhu.store.qcindex`` (synced on each page view; cheap when nothing is new).

- ``/qc``: the worklist, 在院 (运行病历) and 出院 (终末质控) records, filtered and paged (50 a page, any
  depth: the benchmark pages 10,000 records), worst score first; CSV of the whole filtered list.
- ``POST /qc/batch``: QC every record of a scope now, on a background thread of this process; progress is
  a database row, so ``/qc/batch/{id}`` (refreshing itself every 2 s, no script) survives a reload, and a
  second start while one runs is refused with a 409 page saying who started the running one.
- ``/qc/dashboard?by=department|doctor|rule|month``: score distribution, 甲/乙/丙 rates, top defects and
  the monthly trend as server-drawn SVG, each table with its CSV.
- ``/qc/rules/{rule_id}``: every current finding of a rule with its sentence highlighted and a link to the
  note (``/documents/{id}#ev-{start}``, where the document page highlights it).
"""

from __future__ import annotations

import csv
import io
import logging
import math
import re
import threading
from collections.abc import Iterable
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup, escape
from sqlalchemy.engine import Engine

import yizhu.store as store
from yizhu.api.deps import EngineDep
from yizhu.errors import InputError, NotFoundError, PermissionDenied, YizhuError
from yizhu.store import qcindex
from yizhu.store.qcindex import WorklistFilter
from yizhu.web import charts
from yizhu.web.pages import SEVERITY, PageRoute, PageUser, error_page, fmt_dt, templates

router = APIRouter(route_class=PageRoute, include_in_schema=False)
log = logging.getLogger(__name__)

#: every text a page takes is bounded (a huge query string is refused before any page code runs)
Short = Annotated[str, Query(max_length=16)]
Name = Annotated[str, Query(max_length=128)]
Search = Annotated[str, Query(max_length=64)]

VIEWERS = ("admin", "qc_officer")
PAGE_SIZE = 50
DRILL_PAGE = 30
KIND = {"all": "全部", "running": "在院（运行病历）", "terminal": "出院（终末质控）"}
SCOPE = {"running": "在院病历（运行病历质控）", "terminal": "出院病历（终末质控）", "all": "全部病历"}
BY = {"department": "科室", "doctor": "医师", "rule": "规则", "month": "月份"}
SORT = {"score": "得分从低到高", "-score": "得分从高到低", "defects": "缺陷数从多到少", "checked": "最近质控"}
GRADES = ("甲", "乙", "丙", qcindex.UNGRADED)
BATCH_STATE = {"running": "进行中", "done": "已完成", "failed": "失败", "interrupted": "已中断"}
CATEGORY = {
    "completeness": "完整性", "timeliness": "及时性", "consistency": "一致性", "standardisation": "规范性",
    "copy_paste": "复制粘贴", "semantic": "内涵质量",
}
#: sentence ends for the drill-down snippet
_SENTENCE_END = re.compile(r"[。！？!?；;\n]")
SNIPPET_MAX = 160


def _check(user: Any) -> None:
    if user.role not in VIEWERS:
        raise PermissionDenied("质控科页面仅限质控员与管理员")


def _page(value: str) -> int:
    try:
        return max(1, int(value))
    except ValueError:
        return 1


def _filter(kind: str, department: str, doctor: str, grade: str, month: str, q: str) -> WorklistFilter:
    if kind not in KIND:
        raise InputError(f"病历范围应为 {'、'.join(KIND.values())} 之一")
    if grade and grade not in GRADES:
        raise InputError(f"等级应为 {'、'.join(GRADES)} 之一，收到 {grade!r}")
    if month and not re.fullmatch(r"\d{4}-\d{2}", month):
        raise InputError(f"月份格式应为 YYYY-MM，收到 {month!r}")
    return WorklistFilter(kind=kind, department=department.strip()[:128], attending=doctor.strip()[:128],  # type: ignore[arg-type]
                          grade=grade, month=month, q=q.strip()[:64])


def _query(flt: WorklistFilter, **extra: Any) -> str:
    from urllib.parse import urlencode

    pairs = {"kind": flt.kind, "department": flt.department, "doctor": flt.attending, "grade": flt.grade,
             "month": flt.month, "q": flt.q, **extra}
    return urlencode({k: v for k, v in pairs.items() if v not in ("", None)})


def rule_labels() -> dict[str, dict[str, str]]:
    """Chinese label (the rule's message), category and source of every QC rule, by id."""
    from yizhu.clinical.qc import default_rules

    out: dict[str, dict[str, str]] = {}
    for r in default_rules().rules:
        out[r.id] = {"label": rule_label(r.message), "category": CATEGORY.get(r.category, r.category), "source": r.source}
    return out


_PLACEHOLDER = re.compile(r"\{[^}]*\}")


def rule_label(message: str) -> str:
    """A rule's name for people: its message, or for a message template (``过敏与用药冲突：患者对“{allergen}”…``)
    the part before the first colon, never a ``{placeholder}``."""
    text = message.strip().rstrip("。")
    if _PLACEHOLDER.search(text):
        head = re.split(r"[：:]", text, maxsplit=1)[0]
        text = head if head and not _PLACEHOLDER.search(head) else _PLACEHOLDER.sub("…", text)
    return text


#: a page view indexes at most this many new QC runs; a larger backlog is read over the next views
SYNC_PER_VIEW = 5000


def _sync(engine: Engine) -> bool:
    """Bring the index up to date (at most SYNC_PER_VIEW runs); True when more remain to be read."""
    return qcindex.sync(engine, max_runs=SYNC_PER_VIEW) >= SYNC_PER_VIEW


def _csv(rows: Iterable[dict[str, Any]], columns: list[tuple[str, str]], name: str) -> Response:
    """Rows as CSV with Chinese headers, UTF-8 with BOM (Excel opens the Chinese correctly)."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow([title for _, title in columns])
    for r in rows:
        w.writerow([_cell(r.get(key)) for key, _ in columns])
    return Response("\ufeff" + buf.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return charts.num(value)
    if hasattr(value, "strftime"):
        return fmt_dt(value)
    return str(value)


# --- worklist -----------------------------------------------------------------------------------------

WORKLIST_CSV = [
    ("patient_name", "患者"), ("department", "科室"), ("attending", "主治医师"), ("status", "状态"),
    ("score", "得分"), ("grade", "等级"), ("defects", "缺陷数"), ("vetoed", "单项否决"), ("month", "月份"),
    ("checked_at", "质控时间"), ("encounter_id", "就诊号"),
]


def _status(row: dict[str, Any]) -> str:
    return "出院" if row["discharged"] else "在院"


@router.get("/qc")
def qc_worklist(request: Request, engine: EngineDep, user: PageUser, kind: Short = "all", department: Name = "",
                doctor: Name = "", grade: Short = "", month: Short = "", q: Search = "", sort: Short = "score",
                page: Short = "1") -> HTMLResponse:
    """质控工作台: records worst first, filtered; with the batch panel."""
    _check(user)
    behind = _sync(engine)
    flt = _filter(kind, department, doctor, grade, month, q)
    current = _page(page)
    rows, total = qcindex.worklist(engine, flt, limit=PAGE_SIZE, offset=(current - 1) * PAGE_SIZE, sort=sort)
    pages = max(1, math.ceil(total / PAGE_SIZE))
    if current > pages:
        current = pages
        rows, total = qcindex.worklist(engine, flt, limit=PAGE_SIZE, offset=(current - 1) * PAGE_SIZE, sort=sort)
    batches = qcindex.recent_batches(engine, limit=3)
    return templates.TemplateResponse(request, "qc/worklist.html", {
        "user": user, "rows": rows, "total": total, "page": current, "pages": pages, "flt": flt, "sort": sort,
        "KIND": KIND, "SORT": SORT, "GRADES": GRADES, "SCOPE": SCOPE, "options": qcindex.options(engine),
        "query": _query(flt, sort=sort), "batches": batches, "BATCH_STATE": BATCH_STATE, "num": charts.num,
        "status": _status, "totals": qcindex.totals(engine, flt), "pct": charts.pct, "behind": behind,
    })


@router.get("/qc/worklist.csv")
def qc_worklist_csv(engine: EngineDep, user: PageUser, kind: Short = "all", department: Name = "", doctor: Name = "",
                    grade: Short = "", month: Short = "", q: Search = "", sort: Short = "score") -> Response:
    """The whole filtered worklist as CSV."""
    _check(user)
    _sync(engine)
    flt = _filter(kind, department, doctor, grade, month, q)
    out: list[dict[str, Any]] = []
    offset = 0
    while True:
        rows, _ = qcindex.worklist(engine, flt, limit=2000, offset=offset, sort=sort)
        out.extend({**r, "status": _status(r)} for r in rows)
        if len(rows) < 2000:
            break
        offset += 2000
    return _csv(out, WORKLIST_CSV, "qc-worklist")


# --- batch runs ---------------------------------------------------------------------------------------


def _run_batch(engine: Engine, batch_id: str, encounter_ids: list[str], actor: str) -> None:
    """QC each encounter (终末/运行, encounter mode, audited) and report progress; runs on its own thread."""
    from yizhu.api.services import run_task
    from yizhu.clinical.qc.engine import QC_MODE_KEY

    done = failed = 0
    try:
        for i, encounter_id in enumerate(encounter_ids):
            try:
                ctx = store.load_context(engine, encounter_id)
                ctx = ctx.model_copy(update={"extra": {**ctx.extra, QC_MODE_KEY: "encounter"}})
                run_task(engine, "qc.record", ctx, actor=actor, encounter_id=encounter_id)
                done += 1
            except YizhuError as exc:
                failed += 1
                log.warning("batch %s: %s failed: %s", batch_id, encounter_id, exc)
            if i % 5 == 4 or i == len(encounter_ids) - 1:
                qcindex.batch_progress(engine, batch_id, done=done, failed=failed)
        qcindex.sync(engine)
        message = f"完成 {done} 份" + (f"，{failed} 份失败（见服务日志）" if failed else "")
        qcindex.finish_batch(engine, batch_id, state="done", message=message)
    except Exception as exc:  # the batch row must not stay "running" after a bug
        log.exception("batch %s failed", batch_id)
        qcindex.batch_progress(engine, batch_id, done=done, failed=failed)
        qcindex.finish_batch(engine, batch_id, state="failed", message=f"批量质控中止：{type(exc).__name__}")


def start_batch(engine: Engine, scope: str, actor: str) -> str:
    """Start a batch of ``scope`` on a background thread; ``BatchRunning`` if one is already running."""
    ids = qcindex.encounters_to_check(engine, scope)
    batch_id = qcindex.start_batch(engine, scope=scope, started_by=actor, total=len(ids))
    threading.Thread(target=_run_batch, args=(engine, batch_id, ids, actor), daemon=True,
                     name=f"qc-batch-{batch_id[:8]}").start()
    return batch_id


@router.post("/qc/batch")
def qc_batch_start(request: Request, engine: EngineDep, user: PageUser,
                   scope: Annotated[str, Form(max_length=16)] = "terminal") -> Response:
    """Start a batch QC run; a second start while one runs gets a 409 page."""
    _check(user)
    if scope not in SCOPE:
        raise InputError(f"批量质控范围应为 {'、'.join(SCOPE.values())} 之一")
    try:
        batch_id = start_batch(engine, scope, user.name)
    except qcindex.BatchRunning as exc:
        running = next((b for b in qcindex.recent_batches(engine, limit=5) if b["state"] == "running"), None)
        if running is None:  # it ended between the two reads
            return error_page(request, 409, "已有批量质控在运行", str(exc))
        return _batch_page(request, user, running, refused=str(exc), status=409)
    return RedirectResponse(f"/qc/batch/{batch_id}", status_code=303)


@router.get("/qc/batch/{batch_id}")
def qc_batch_page(request: Request, batch_id: str, engine: EngineDep, user: PageUser) -> HTMLResponse:
    """Progress of one batch; refreshes itself every 2 s while it runs."""
    _check(user)
    qcindex.recent_batches(engine, limit=1)  # marks a batch whose process died as interrupted
    batch = qcindex.get_batch(engine, batch_id[:32])
    if batch is None:
        raise NotFoundError(f"no batch {batch_id!r}")
    return _batch_page(request, user, batch)


def _batch_page(request: Request, user: Any, batch: dict[str, Any], *, refused: str | None = None,
                status: int = 200) -> HTMLResponse:
    finished = batch["done"] + batch["failed"]
    return templates.TemplateResponse(request, "qc/batch.html", {
        "user": user, "b": batch, "SCOPE": SCOPE, "BATCH_STATE": BATCH_STATE, "refused": refused,
        "percent": int(100 * finished / batch["total"]) if batch["total"] else 100, "finished": finished,
    }, status_code=status)


# --- dashboards ---------------------------------------------------------------------------------------

GROUP_CSV = [("group", "分组"), ("records", "病历数"), ("mean", "平均分"), ("min", "最低分"), ("jia", "甲"),
             ("jia_rate", "甲级率"), ("yi", "乙"), ("yi_rate", "乙级率"), ("bing", "丙"), ("bing_rate", "丙级率"),
             ("ungraded", "未评级"), ("defects", "缺陷数")]
RULE_CSV = [("label", "缺陷"), ("category", "类别"), ("findings", "出现次数"), ("records", "涉及病历"),
            ("points", "累计扣分"), ("before_signing", "草稿阶段提示次数"), ("rule_id", "规则编号"), ("source", "依据")]


def _group_rows(engine: Engine, by: str, flt: WorklistFilter) -> list[dict[str, Any]]:
    rows = qcindex.by_group(engine, by, flt)
    for r in rows:
        graded = (r["jia"] or 0) + (r["yi"] or 0) + (r["bing"] or 0)
        r["graded"] = graded
        for g in ("jia", "yi", "bing"):
            r[f"{g}_rate"] = charts.pct(r[g] or 0, graded)
        r["mean"] = round(r["mean"], 1) if r["mean"] is not None else None
    return rows


def _rule_rows(engine: Engine, flt: WorklistFilter, limit: int | None = None,
               drafts: dict[str, int] | None = None) -> list[dict[str, Any]]:
    labels = rule_labels()
    drafts = qcindex.draft_qc_defects(engine) if drafts is None else drafts
    rows = qcindex.by_rule(engine, flt, limit=limit)
    for r in rows:
        meta = labels.get(r["rule_id"], {})
        r["label"] = meta.get("label") or r["example"]
        r["category"] = meta.get("category", "—")
        r["source"] = meta.get("source", "")
        r["before_signing"] = drafts.get(r["rule_id"], 0)
    return rows


def _caught(engine: Engine, flt: WorklistFilter, drafts: dict[str, int] | None = None) -> dict[str, Any]:
    """QC defects flagged on note drafts before signing vs found at 终末质控, per rule (terminal records)."""
    labels = rule_labels()
    drafts = qcindex.draft_qc_defects(engine) if drafts is None else drafts
    terminal = {r["rule_id"]: r for r in qcindex.by_rule(engine, WorklistFilter(
        kind="terminal", department=flt.department, attending=flt.attending, month=flt.month))}
    ids = sorted(set(drafts) | set(terminal), key=lambda k: -(drafts.get(k, 0) + terminal.get(k, {}).get("findings", 0)))
    rows = [{"rule_id": k, "label": labels.get(k, {}).get("label", k), "before": drafts.get(k, 0),
             "terminal": terminal.get(k, {}).get("findings", 0)} for k in ids]
    return {"rows": rows[:12], "before": sum(drafts.values()), "terminal": sum(r["findings"] for r in terminal.values()),
            "drafts_checked": bool(drafts)}


@router.get("/qc/dashboard")
def qc_dashboard(request: Request, engine: EngineDep, user: PageUser, by: Short = "department", kind: Short = "all",
                 department: Name = "", doctor: Name = "", grade: Short = "", month: Short = "") -> HTMLResponse:
    """Dashboards per department, doctor, rule or month."""
    _check(user)
    if by not in BY:
        raise InputError(f"分组应为 {'、'.join(BY.values())} 之一，收到 {by!r}")
    _sync(engine)
    flt = _filter(kind, department, doctor, grade, month, "")
    totals = qcindex.totals(engine, flt)
    dist = qcindex.distribution(engine, flt)
    trend_rows = _group_rows(engine, "month", flt)
    drafts = qcindex.draft_qc_defects(engine)
    rules = _rule_rows(engine, flt, drafts=drafts) if by == "rule" else []
    top = rules[:10] if by == "rule" else _rule_rows(engine, flt, limit=10, drafts=drafts)
    groups = (trend_rows if by == "month" else _group_rows(engine, by, flt)) if by != "rule" else []
    grade_chart = charts.grade_stack(
        [(str(g["group"]), {"甲": g["jia"] or 0, "乙": g["yi"] or 0, "丙": g["bing"] or 0, "未评级": g["ungraded"] or 0})
         for g in (groups or _group_rows(engine, "department", flt))[:30]],
        title=f"各{BY[by] if by != 'rule' else '科室'}甲/乙/丙构成", chart_id="chart-grades")
    return templates.TemplateResponse(request, "qc/dashboard.html", {
        "user": user, "by": by, "BY": BY, "KIND": KIND, "GRADES": GRADES, "flt": flt, "totals": totals,
        "groups": groups, "rules": rules, "top": top, "options": qcindex.options(engine),
        "query": _query(flt), "num": charts.num, "pct": charts.pct, "caught": _caught(engine, flt, drafts),
        "dist_chart": charts.bars([(d["label"], d["count"]) for d in dist], title="得分分布（份）", chart_id="chart-dist",
                                  unit=" 份"),
        "grade_chart": grade_chart,
        "trend_chart": charts.trend([(str(t["group"]), t["mean"]) for t in trend_rows], title="月度平均分",
                                    chart_id="chart-trend", unit=" 分"),
        "jia_trend_chart": charts.trend(
            [(str(t["group"]), (100.0 * (t["jia"] or 0) / t["graded"]) if t["graded"] else None) for t in trend_rows],
            title="月度甲级率（%）", chart_id="chart-jia-trend", unit="%"),
        "top_chart": charts.hbars([(r["label"], r["findings"]) for r in top], title="高频缺陷（次）",
                                 chart_id="chart-top", unit=" 次"),
    })


@router.get("/qc/dashboard.csv")
def qc_dashboard_csv(engine: EngineDep, user: PageUser, by: Short = "department", kind: Short = "all",
                     department: Name = "", doctor: Name = "", grade: Short = "", month: Short = "") -> Response:
    """The dashboard's table (per department, doctor, month or rule) as CSV."""
    _check(user)
    if by not in BY:
        raise InputError(f"分组应为 {'、'.join(BY.values())} 之一，收到 {by!r}")
    _sync(engine)
    flt = _filter(kind, department, doctor, grade, month, "")
    if by == "rule":
        return _csv(_rule_rows(engine, flt), RULE_CSV, "qc-by-rule")
    columns = [("group", BY[by]), *GROUP_CSV[1:]]
    return _csv(_group_rows(engine, by, flt), columns, f"qc-by-{by}")


@router.get("/qc/caught.csv")
def qc_caught_csv(engine: EngineDep, user: PageUser) -> Response:
    """Defects flagged on drafts before signing vs found at 终末质控, per rule, as CSV."""
    _check(user)
    _sync(engine)
    data = _caught(engine, WorklistFilter())
    return _csv(data["rows"], [("label", "缺陷"), ("before", "草稿阶段（签署前）提示"), ("terminal", "终末质控发现"),
                               ("rule_id", "规则编号")], "qc-before-vs-terminal")


# --- drill-down ---------------------------------------------------------------------------------------


def sentence_of(text: str, start: int | None, end: int | None) -> Markup | None:
    """The sentence around ``text[start:end]`` with that span in ``<mark>``; None without a place."""
    if start is None or end is None or not (0 <= start <= end <= len(text)):
        return None
    lo = start
    while lo > 0 and not _SENTENCE_END.match(text[lo - 1]) and start - lo < SNIPPET_MAX:
        lo -= 1
    hi = end
    while hi < len(text) and not _SENTENCE_END.match(text[hi]) and hi - end < SNIPPET_MAX:
        hi += 1
    if hi < len(text) and _SENTENCE_END.match(text[hi]) and text[hi] != "\n":
        hi += 1
    marked = text[start:end] or "（此处）"
    return Markup(f"{escape(text[lo:start])}<mark>{escape(marked)}</mark>{escape(text[end:hi])}")


@router.get("/qc/rules/{rule_id}.csv")
def qc_rule_csv(rule_id: str, engine: EngineDep, user: PageUser, kind: Short = "all", department: Name = "",
                doctor: Name = "", month: Short = "") -> Response:
    """One rule's current findings as CSV."""
    _check(user)
    _sync(engine)
    flt = _filter(kind, department, doctor, "", month, "")
    rows, _ = qcindex.defects_by_rule(engine, rule_id[:128], flt, limit=100_000, offset=0)
    cols = [("patient_name", "患者"), ("department", "科室"), ("attending", "主治医师"), ("message", "缺陷描述"),
            ("section", "栏目"), ("points", "扣分"), ("grade", "等级"), ("month", "月份"), ("document_id", "文书号"),
            ("encounter_id", "就诊号")]
    return _csv(rows, cols, "qc-rule-findings")


@router.get("/qc/rules/{rule_id}")
def qc_rule_page(request: Request, rule_id: str, engine: EngineDep, user: PageUser, kind: Short = "all",
                 department: Name = "", doctor: Name = "", month: Short = "", page: Short = "1") -> HTMLResponse:
    """Every current finding of one rule: record, sentence highlighted, link to the note."""
    _check(user)
    _sync(engine)
    rule_id = rule_id[:128]
    flt = _filter(kind, department, doctor, "", month, "")
    current = _page(page)
    rows, total = qcindex.defects_by_rule(engine, rule_id, flt, limit=DRILL_PAGE, offset=(current - 1) * DRILL_PAGE)
    texts: dict[str, str | None] = {}
    for r in rows:
        doc_id = r["document_id"]
        if doc_id and doc_id not in texts:
            try:
                texts[doc_id] = store.get_document(engine, doc_id).text
            except NotFoundError:
                texts[doc_id] = None
        text = texts.get(doc_id) if doc_id else None
        r["snippet"] = sentence_of(text, r["start"], r["end"]) if text else None
        r["severity_label"] = SEVERITY.get(r["severity"], r["severity"])
    meta = rule_labels().get(rule_id, {})
    return templates.TemplateResponse(request, "qc/rule.html", {
        "user": user, "rule_id": rule_id, "meta": meta, "rows": rows, "total": total, "page": current,
        "pages": max(1, math.ceil(total / DRILL_PAGE)), "query": _query(flt), "num": charts.num, "flt": flt,
        "KIND": KIND,
    })
