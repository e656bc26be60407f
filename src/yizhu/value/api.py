"""``/v1/value``: adoption, draft edits and time to signature, alert decisions and time saved, as JSON or CSV.

Computed on each request from the audit log and the feedback table (``yizhu.value.metrics``); nothing
is stored or invented. Per-doctor figures are management information: readable by the admin and
qc_officer roles only. ``synthetic`` in every reply counts decisions made by the demo (合成).
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from yizhu.api.deps import AuditReader, EngineDep
from yizhu.value import metrics

router = APIRouter(prefix="/v1/value", tags=["value"])

By = Annotated[Literal["task", "department", "doctor", "model", "month"], Query(description="grouping")]
Since = Annotated[datetime | None, Query(description="decisions at or after (ISO 8601; naive = UTC)")]
Until = Annotated[datetime | None, Query(description="decisions before")]
Synth = Annotated[bool, Query(description="count the demo's synthetic decisions (合成)")]
#: the table endpoints answer JSON, or CSV with format=csv: both documented
TABLE = {200: {"description": "the table as JSON, or as CSV (UTF-8 with BOM) with format=csv",
               "content": {"application/json": {"schema": {"type": "object"}},
                           "text/csv": {"schema": {"type": "string"}}}}}
Fmt = Annotated[Literal["json", "csv"], Query(description="json, or csv for a spreadsheet")]


def to_csv(rows: list[dict[str, Any]], name: str) -> Response:
    """Rows as a UTF-8 CSV (with BOM, so spreadsheet programs read the Chinese right)."""
    flat = metrics.flatten(rows)
    buf = io.StringIO()
    cols: list[str] = []
    for r in flat:
        cols.extend(k for k in r if k not in cols)
    w = csv.DictWriter(buf, fieldnames=cols or ["empty"])
    w.writeheader()
    w.writerows(flat)
    return Response("\ufeff" + buf.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})


def _items(engine: Any, since: datetime | None, until: datetime | None, synthetic: bool) -> list[metrics.Decided]:
    return metrics.decisions(engine, since=since, until=until, include_synthetic=synthetic)


@router.get("/summary")
def summary(engine: EngineDep, _: AuditReader, by: By = "task", since: Since = None, until: Until = None,
            include_synthetic: Synth = True,
            chars_per_minute: Annotated[float, Query(ge=1, le=1000)] = metrics.DEFAULT_CHARS_PER_MINUTE) -> dict[str, Any]:
    """Every value figure for one grouping: adoption, drafts, alerts (per rule) and time saved with its method."""
    return metrics.summary(engine, since=since, until=until, by=by, include_synthetic=include_synthetic,
                           chars_per_minute=chars_per_minute)


@router.get("/adoption", response_model=None, responses=TABLE)
def adoption(engine: EngineDep, _: AuditReader, by: By = "task", since: Since = None, until: Until = None,
             include_synthetic: Synth = True, format: Fmt = "json") -> Any:
    """Accepted / edited / rejected / overridden per task, department, doctor, model or month."""
    rows = metrics.adoption(_items(engine, since, until, include_synthetic), by)
    return to_csv(rows, f"adoption-by-{by}") if format == "csv" else {"by": by, "rows": rows}


@router.get("/drafts", response_model=None, responses=TABLE)
def drafts(engine: EngineDep, _: AuditReader, by: By = "task", since: Since = None, until: Until = None,
           include_synthetic: Synth = True, format: Fmt = "json") -> Any:
    """Note drafts: edit distance draft → signed text and minutes from draft to signature."""
    rows = metrics.drafts(_items(engine, since, until, include_synthetic), by)
    return to_csv(rows, f"drafts-by-{by}") if format == "csv" else {"by": by, "rows": rows}


@router.get("/alerts", response_model=None, responses=TABLE)
def alerts(engine: EngineDep, _: AuditReader,
           by: Annotated[Literal["rule", "pharmacist", "department", "month"], Query()] = "rule",
           since: Since = None, until: Until = None, include_synthetic: Synth = True, format: Fmt = "json") -> Any:
    """Prescription alerts upheld vs overridden, with the most frequent override reasons."""
    rows = metrics.alerts(_items(engine, since, until, include_synthetic), by)
    return to_csv(rows, f"alerts-by-{by}") if format == "csv" else {"by": by, "rows": rows}


@router.get("/time-saved")
def time_saved(engine: EngineDep, _: AuditReader, since: Since = None, until: Until = None,
               include_synthetic: Synth = True,
               chars_per_minute: Annotated[float, Query(ge=1, le=1000)] = metrics.DEFAULT_CHARS_PER_MINUTE) -> dict[str, Any]:
    """The estimated typing time saved by signed drafts, with the method and its assumption."""
    return metrics.time_saved(_items(engine, since, until, include_synthetic), chars_per_minute=chars_per_minute)
