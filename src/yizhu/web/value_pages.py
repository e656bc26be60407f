"""价值度量 (/value): adoption, draft edits, time to signature, alert decisions and time saved.

The same figures as ``GET /v1/value/...`` (``yizhu.value.metrics``), for the admin and the QC office;
each table links to its CSV. Bars are ``<meter>`` elements (no script, no inline style).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from yizhu.api.deps import EngineDep
from yizhu.errors import InputError, PermissionDenied
from yizhu.value import metrics
from yizhu.value.api import to_csv
from yizhu.web.pages import PageRoute, PageUser, templates

#: a short query value (a grouping, an ISO date, a flag)
Short = Annotated[str, Query(max_length=64)]

router = APIRouter(route_class=PageRoute, include_in_schema=False)

BY = {"task": "任务", "department": "科室", "doctor": "医师", "model": "模型", "month": "月份"}
ALERT_BY = {"rule": "规则", "pharmacist": "药师", "department": "科室", "month": "月份"}
TASK_LABEL = {
    "notes.discharge": "出院记录起草", "notes.progress": "病程记录起草", "notes.admission": "入院记录起草",
    "notes.outpatient": "门诊病历起草", "rx.review": "处方审核", "qc.record": "病历质控",
    "document.structure": "文书结构检查",
}
VIEWERS = ("admin", "qc_officer")
TABLES = ("adoption", "drafts", "alerts")


def _check(user: Any) -> None:
    if user.role not in VIEWERS:
        raise PermissionDenied("价值度量含按医师统计的数据，仅管理员与质控科可查看")


def _date(value: str, what: str) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise InputError(f"{what}日期格式应为 YYYY-MM-DD，收到 {value!r}") from None


def _args(by: str, since: str, until: str, synthetic: str) -> tuple[str, datetime | None, datetime | None, bool]:
    if by not in BY:
        raise InputError(f"分组方式应为 {'、'.join(BY)} 之一，收到 {by!r}")
    return by, _date(since, "起始"), _date(until, "截止"), synthetic != "0"


@router.get("/value")
def value_page(request: Request, engine: EngineDep, user: PageUser, by: Short = "task", since: Short = "",
               until: Short = "", synthetic: Short = "1") -> HTMLResponse:
    """价值度量 dashboard for one grouping and period."""
    _check(user)
    by, s, u, synth = _args(by, since, until, synthetic)
    data = metrics.summary(engine, since=s, until=u, by=by, include_synthetic=synth)
    query = f"by={by}&since={since}&until={until}&synthetic={'1' if synth else '0'}"
    return templates.TemplateResponse(request, "value.html", {
        "user": user, "data": data, "by": by, "BY": BY, "since": since, "until": until, "synth": synth,
        "query": query, "TASK_LABEL": TASK_LABEL,
    })


@router.get("/value/{table}.csv")
def value_csv(table: str, engine: EngineDep, user: PageUser, by: Short = "task", since: Short = "",
              until: Short = "", synthetic: Short = "1") -> Response:
    """One dashboard table as CSV (UTF-8 with BOM)."""
    _check(user)
    if table not in TABLES:
        raise InputError(f"可导出的表为 {'、'.join(TABLES)}，收到 {table!r}")
    by, s, u, synth = _args(by, since, until, synthetic)
    items = metrics.decisions(engine, since=s, until=u, include_synthetic=synth)
    if table == "adoption":
        return to_csv(metrics.adoption(items, by), f"adoption-by-{by}")
    if table == "drafts":
        return to_csv(metrics.drafts(items, by), f"drafts-by-{by}")
    return to_csv(metrics.alerts(items, "rule"), "alerts-by-rule")
