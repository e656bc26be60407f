"""The QC office's index of stored QC results: one row per encounter (its newest ``qc.record`` run) and one
row per finding of that run, read incrementally from the audit log.

``task_runs`` stays the source of truth. ``sync`` reads the qc.record runs appended since the last sync
(``qc_sync.last_seq``) and upserts them, so the worklist and the dashboards are SQL over two indexed tables
instead of a scan of every run's JSON. Dropping the three tables and syncing again rebuilds the same rows.

Batch runs started from the page (``qc_batches``) live here too: their progress is a row, so a reload or
another replica shows it, and ``start_batch`` refuses a second batch while one is running.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from yizhu.errors import InputError
from yizhu.store.audit import external_ref, get_run
from yizhu.store.db import transaction, utcnow
from yizhu.store.schema import (
    encounters,
    patients,
    qc_batches,
    qc_defects,
    qc_results,
    qc_sync,
    task_runs,
)

QC_TASK = "qc.record"
SYNC_PAGE = 500
UNGRADED = "未评级"
NO_DEPARTMENT = "未知科室"
NO_DOCTOR = "未登记"
#: a running batch that has not reported for this long is taken to have died with its process
BATCH_STALE_S = 120.0

Kind = Literal["all", "running", "terminal"]
SORTS = {
    "score": (qc_results.c.score.asc().nulls_last(), qc_results.c.encounter_id),
    "-score": (qc_results.c.score.desc().nulls_last(), qc_results.c.encounter_id),
    "checked": (qc_results.c.checked_at.desc(), qc_results.c.encounter_id),
    "defects": (qc_results.c.defects.desc(), qc_results.c.encounter_id),
}


class BatchRunning(InputError):
    """A batch QC run is already in progress; a second one is refused."""


#: store-written times (naive UTC) in the rows handed out; they leave as aware UTC so pages show local time
_UTC_COLS = ("checked_at", "started_at", "updated_at", "finished_at")


def _out(row: Any) -> dict[str, Any]:
    d = dict(row._mapping)
    for col in _UTC_COLS:
        if isinstance(d.get(col), datetime) and d[col].tzinfo is None:
            d[col] = d[col].replace(tzinfo=UTC)
    return d


# --- sync from the audit log ---------------------------------------------------------------------------


def _text(value: Any, limit: int) -> str | None:
    return None if value is None else str(value)[:limit]


def _run_output(engine: Engine, row: Any) -> dict[str, Any]:
    out = row.output
    if external_ref(out) is not None:  # a large output lives in run_outputs
        out = get_run(engine, row.id, full=True).output
    return out if isinstance(out, dict) else {}


def _encounter_facts(conn: Connection, encounter_ids: list[str]) -> dict[str, dict[str, Any]]:
    """Patient name, department, attending and times of each encounter (one query for a page of runs)."""
    out: dict[str, dict[str, Any]] = {}
    for chunk in range(0, len(encounter_ids), 400):
        rows = conn.execute(
            sa.select(encounters.c.id, encounters.c.patient_id, encounters.c.department, encounters.c.admitted_at,
                      encounters.c.discharged_at, encounters.c.data, patients.c.name)
            .select_from(encounters.outerjoin(patients, patients.c.id == encounters.c.patient_id))
            .where(encounters.c.id.in_(encounter_ids[chunk:chunk + 400]))
        ).all()
        for row in rows:
            data = row.data if isinstance(row.data, dict) else {}
            out[row.id] = {
                "patient_id": row.patient_id,
                "patient_name": _text(row.name, 128),
                "department": _text(row.department, 128),
                "attending": _text(data.get("attending"), 128),
                "admitted_at": row.admitted_at,
                "discharged_at": row.discharged_at,
            }
    return out


def _defect_rows(encounter_id: str, run_id: str, findings: Iterable[Any], document_id: str | None) -> Iterator[dict[str, Any]]:
    for f in findings:
        if not isinstance(f, dict) or not f.get("rule_id"):
            continue
        data = f.get("data") if isinstance(f.get("data"), dict) else {}
        ev = f.get("evidence") if isinstance(f.get("evidence"), dict) else None
        doc = data.get("document") if isinstance(data.get("document"), str) else None
        try:
            points = float(data.get("points", 0) or 0)
        except (TypeError, ValueError):
            points = 0.0
        yield {
            "encounter_id": encounter_id,
            "run_id": run_id,
            "rule_id": str(f["rule_id"])[:128],
            "severity": str(f.get("severity") or "info")[:32],
            "points": points,
            "message": str(f.get("message") or ""),
            "section": _text(f.get("section"), 128),
            "document_id": _text(doc or document_id, 128),
            "start": int(ev["start"]) if ev and isinstance(ev.get("start"), int) else None,
            "end": int(ev["end"]) if ev and isinstance(ev.get("end"), int) else None,
        }


def _result_row(engine: Engine, row: Any, facts: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The qc_results row and the qc_defects rows of one run."""
    result = _run_output(engine, row)
    inner = result.get("output") if isinstance(result.get("output"), dict) else {}
    findings = result.get("findings") if isinstance(result.get("findings"), list) else []
    discharged_at = facts.get("discharged_at")
    admitted_at = facts.get("admitted_at")
    month_from = discharged_at or admitted_at or row.started_at
    score = inner.get("score")
    defects = list(_defect_rows(row.encounter_id, row.id, findings, row.document_id))
    values = {
        "encounter_id": row.encounter_id,
        "run_id": row.id,
        "seq": int(row.seq),
        "patient_id": facts.get("patient_id"),
        "patient_name": facts.get("patient_name"),
        "department": facts.get("department") or NO_DEPARTMENT,
        "attending": facts.get("attending") or NO_DOCTOR,
        "discharged": discharged_at is not None,
        "admitted_at": admitted_at,
        "discharged_at": discharged_at,
        "month": month_from.strftime("%Y-%m"),
        "mode": str(inner.get("mode") or "encounter")[:16],
        "score": float(score) if isinstance(score, int | float) else None,
        "grade": str(inner.get("grade") or UNGRADED)[:8],
        "defects": len(defects),
        "vetoed": bool(inner.get("vetoes")),
        "checked_at": row.started_at,
    }
    return values, defects


def _index_page(engine: Engine, conn: Connection, rows: list[Any]) -> None:
    """Replace the index rows of every encounter a page of runs is about (the newest run of each wins)."""
    newest: dict[str, Any] = {}
    for row in rows:  # in seq order: a later run of the same encounter replaces an earlier one
        if row.encounter_id:
            newest[row.encounter_id] = row
    if not newest:
        return
    ids = list(newest)
    facts = _encounter_facts(conn, ids)
    results, defects = [], []
    for enc, row in newest.items():
        values, found = _result_row(engine, row, facts.get(enc, {}))
        results.append(values)
        defects.extend(found)
    for chunk in range(0, len(ids), 400):
        part = ids[chunk:chunk + 400]
        conn.execute(qc_defects.delete().where(qc_defects.c.encounter_id.in_(part)))
        conn.execute(qc_results.delete().where(qc_results.c.encounter_id.in_(part)))
    conn.execute(qc_results.insert(), results)
    if defects:
        conn.execute(qc_defects.insert(), defects)


def sync(engine: Engine, *, page: int = SYNC_PAGE, max_runs: int | None = None) -> int:
    """Index the qc.record runs appended since the last sync; returns how many runs were read. With
    ``max_runs`` it stops after about that many (a page view reads a large backlog over several views)."""
    read = 0
    with transaction(engine) as conn:  # the common case, nothing new, costs one read and no write lock
        last = conn.execute(sa.select(qc_sync.c.last_seq).where(qc_sync.c.id == 1)).scalar()
        newer = conn.execute(sa.select(task_runs.c.seq).where(
            task_runs.c.task == QC_TASK, task_runs.c.seq > (last or 0)).limit(1)).first()
    if last is not None and newer is None:
        return 0
    while True:
        with transaction(engine, write_lock=True) as conn:
            last = conn.execute(sa.select(qc_sync.c.last_seq).where(qc_sync.c.id == 1)).scalar()
            if last is None:
                conn.execute(qc_sync.insert().values(id=1, last_seq=0))
                last = 0
            rows = conn.execute(
                sa.select(task_runs.c.id, task_runs.c.seq, task_runs.c.output, task_runs.c.started_at,
                          task_runs.c.encounter_id, task_runs.c.document_id)
                .where(task_runs.c.task == QC_TASK, task_runs.c.seq > last)
                .order_by(task_runs.c.seq)
                .limit(page)
            ).all()
            if not rows:
                return read
            _index_page(engine, conn, list(rows))
            conn.execute(qc_sync.update().where(qc_sync.c.id == 1).values(last_seq=int(rows[-1].seq)))
            read += len(rows)
        if len(rows) < page or (max_runs is not None and read >= max_runs):
            return read


# --- the worklist -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WorklistFilter:
    """What the QC officer narrows the list to."""

    kind: Kind = "all"
    department: str = ""
    attending: str = ""
    grade: str = ""
    month: str = ""
    q: str = ""

    def where(self) -> list[Any]:
        conds: list[Any] = []
        if self.kind == "running":
            conds.append(qc_results.c.discharged.is_(False))
        elif self.kind == "terminal":
            conds.append(qc_results.c.discharged.is_(True))
        if self.department:
            conds.append(qc_results.c.department == self.department)
        if self.attending:
            conds.append(qc_results.c.attending == self.attending)
        if self.grade:
            conds.append(qc_results.c.grade == self.grade)
        if self.month:
            conds.append(qc_results.c.month == self.month)
        if self.q:
            like = f"%{self.q}%"
            conds.append(sa.or_(qc_results.c.patient_name.like(like), qc_results.c.encounter_id.like(like)))
        return conds


def worklist(engine: Engine, flt: WorklistFilter, *, limit: int, offset: int, sort: str = "score") -> tuple[list[dict[str, Any]], int]:
    """One page of the worklist and the number of rows matching."""
    order = SORTS.get(sort)
    if order is None:
        raise InputError(f"排序方式应为 {'、'.join(SORTS)} 之一，收到 {sort!r}")
    conds = flt.where()
    with transaction(engine) as conn:
        total = conn.execute(sa.select(sa.func.count()).select_from(qc_results).where(*conds)).scalar() or 0
        rows = conn.execute(
            sa.select(qc_results).where(*conds).order_by(*order).limit(limit).offset(offset)
        ).all()
    return [_out(r) for r in rows], int(total)


def options(engine: Engine) -> dict[str, list[str]]:
    """The departments, doctors and months present, for the filter menus."""
    with transaction(engine) as conn:
        def distinct(col: Any) -> list[str]:
            return [str(v) for v in conn.execute(sa.select(col).distinct().order_by(col)).scalars()]

        return {"department": distinct(qc_results.c.department), "attending": distinct(qc_results.c.attending),
                "month": distinct(qc_results.c.month)}


def defects_of(engine: Engine, encounter_id: str) -> list[dict[str, Any]]:
    """The indexed findings of one encounter's newest QC run, most points first."""
    with transaction(engine) as conn:
        rows = conn.execute(
            sa.select(qc_defects).where(qc_defects.c.encounter_id == encounter_id)
            .order_by(qc_defects.c.points.desc(), qc_defects.c.id)
        ).all()
    return [dict(r._mapping) for r in rows]


def defects_by_rule(engine: Engine, rule_id: str, flt: WorklistFilter, *, limit: int, offset: int) -> tuple[list[dict[str, Any]], int]:
    """Every current finding of one rule (for the drill-down), with its record's facts."""
    conds = [qc_defects.c.rule_id == rule_id, *flt.where()]
    joined = qc_defects.join(qc_results, qc_results.c.encounter_id == qc_defects.c.encounter_id)
    cols = [qc_defects, qc_results.c.patient_name, qc_results.c.department, qc_results.c.attending,
            qc_results.c.grade, qc_results.c.score, qc_results.c.month]
    with transaction(engine) as conn:
        total = conn.execute(sa.select(sa.func.count()).select_from(joined).where(*conds)).scalar() or 0
        rows = conn.execute(
            sa.select(*cols).select_from(joined).where(*conds).order_by(qc_defects.c.id).limit(limit).offset(offset)
        ).all()
    return [_out(r) for r in rows], int(total)


# --- dashboards ---------------------------------------------------------------------------------------

DIMENSIONS = {"department": qc_results.c.department, "doctor": qc_results.c.attending, "month": qc_results.c.month}
#: score bins of the distribution, [lo, hi)
SCORE_BINS: tuple[tuple[float, float], ...] = ((0, 60), (60, 75), (75, 90), (90, 100.01))


def _grade_counts() -> list[Any]:
    g = qc_results.c.grade
    return [
        sa.func.sum(sa.case((g == "甲", 1), else_=0)).label("jia"),
        sa.func.sum(sa.case((g == "乙", 1), else_=0)).label("yi"),
        sa.func.sum(sa.case((g == "丙", 1), else_=0)).label("bing"),
        sa.func.sum(sa.case((g == UNGRADED, 1), else_=0)).label("ungraded"),
    ]


def by_group(engine: Engine, by: str, flt: WorklistFilter) -> list[dict[str, Any]]:
    """Records, mean score, 甲/乙/丙 counts and defects per department, doctor or month."""
    col = DIMENSIONS.get(by)
    if col is None:
        raise InputError(f"分组应为 {'、'.join(DIMENSIONS)} 之一，收到 {by!r}")
    stmt = (
        sa.select(col.label("group"), sa.func.count().label("records"), sa.func.avg(qc_results.c.score).label("mean"),
                  sa.func.min(qc_results.c.score).label("min"), *_grade_counts(),
                  sa.func.sum(qc_results.c.defects).label("defects"))
        .where(*flt.where()).group_by(col).order_by(col)
    )
    with transaction(engine) as conn:
        return [dict(r._mapping) for r in conn.execute(stmt)]


def by_rule(engine: Engine, flt: WorklistFilter, *, limit: int | None = None) -> list[dict[str, Any]]:
    """Per rule: findings, records affected, points deducted; the most frequent first."""
    joined = qc_defects.join(qc_results, qc_results.c.encounter_id == qc_defects.c.encounter_id)
    stmt = (
        sa.select(qc_defects.c.rule_id, sa.func.count().label("findings"),
                  sa.func.count(sa.distinct(qc_defects.c.encounter_id)).label("records"),
                  sa.func.sum(qc_defects.c.points).label("points"), sa.func.min(qc_defects.c.message).label("example"),
                  sa.func.min(qc_defects.c.severity).label("severity"))
        .select_from(joined).where(*flt.where()).group_by(qc_defects.c.rule_id)
        .order_by(sa.desc("findings"), qc_defects.c.rule_id)
    )
    if limit:
        stmt = stmt.limit(limit)
    with transaction(engine) as conn:
        return [dict(r._mapping) for r in conn.execute(stmt)]


def distribution(engine: Engine, flt: WorklistFilter) -> list[dict[str, Any]]:
    """How many graded records fall in each score bin."""
    s = qc_results.c.score
    cols = [sa.func.sum(sa.case((sa.and_(s >= lo, s < hi), 1), else_=0)).label(f"b{i}")
            for i, (lo, hi) in enumerate(SCORE_BINS)]
    with transaction(engine) as conn:
        row = conn.execute(sa.select(*cols).where(*flt.where(), s.is_not(None))).first()
    out = []
    for i, (lo, hi) in enumerate(SCORE_BINS):
        top = 100 if hi > 100 else hi
        out.append({"label": f"{lo:g}–{top:g}" if top == 100 else f"{lo:g}–<{hi:g}", "count": int((row and row[i]) or 0)})
    return out


def totals(engine: Engine, flt: WorklistFilter) -> dict[str, Any]:
    """Records, mean score and grade counts of everything the filter admits."""
    stmt = sa.select(sa.func.count().label("records"), sa.func.avg(qc_results.c.score).label("mean"), *_grade_counts(),
                     sa.func.sum(qc_results.c.defects).label("defects")).where(*flt.where())
    with transaction(engine) as conn:
        return dict(conn.execute(stmt).one()._mapping)


_draft_cache: dict[tuple[int, int, int], dict[str, int]] = {}


def draft_qc_defects(engine: Engine, *, page: int = 500) -> dict[str, int]:
    """Per rule, how many QC findings note drafts carried before they were signed (``notes.*`` runs whose
    findings come from QC, ``data.from == "qc"``): defects the doctor saw while writing.

    The audit log is append-only, so the answer is kept per (database, newest notes run, count of them)."""
    with transaction(engine) as conn:
        newest, n = conn.execute(sa.select(sa.func.max(task_runs.c.seq), sa.func.count())
                                 .where(task_runs.c.task.like("notes.%"))).one()
    key = (id(engine), int(newest or 0), int(n or 0))
    cached = _draft_cache.get(key)
    if cached is not None:
        return dict(cached)
    counts = _count_draft_defects(engine, page)
    if len(_draft_cache) > 64:
        _draft_cache.clear()
    _draft_cache[key] = counts
    return dict(counts)


def _count_draft_defects(engine: Engine, page: int) -> dict[str, int]:
    counts: dict[str, int] = {}
    last = 0
    while True:
        with transaction(engine) as conn:
            rows = conn.execute(
                sa.select(task_runs.c.id, task_runs.c.seq, task_runs.c.output)
                .where(task_runs.c.task.like("notes.%"), task_runs.c.seq > last)
                .order_by(task_runs.c.seq).limit(page)
            ).all()
        for row in rows:
            out = _run_output(engine, row)
            inner = out.get("output") if isinstance(out.get("output"), dict) else {}
            for f in inner.get("findings") or out.get("findings") or []:
                data = f.get("data") if isinstance(f, dict) and isinstance(f.get("data"), dict) else {}
                if data.get("from") == "qc" and f.get("rule_id"):
                    counts[str(f["rule_id"])] = counts.get(str(f["rule_id"]), 0) + 1
        if len(rows) < page:
            return counts
        last = int(rows[-1].seq)


# --- batch runs ---------------------------------------------------------------------------------------


def _batch(row: Any) -> dict[str, Any]:
    return _out(row)


def _expire_stale(conn: Connection) -> None:
    cutoff = utcnow() - timedelta(seconds=BATCH_STALE_S)
    conn.execute(
        qc_batches.update()
        .where(qc_batches.c.state == "running", qc_batches.c.updated_at < cutoff)
        .values(state="interrupted", finished_at=utcnow(), message="进程中断：超过 2 分钟没有进展报告")
    )


def start_batch(engine: Engine, *, scope: str, started_by: str, total: int) -> str:
    """A new running batch; ``BatchRunning`` when one is running already (one at a time)."""
    if scope not in ("running", "terminal", "all"):
        raise InputError(f"范围应为 running、terminal 或 all，收到 {scope!r}")
    batch_id = uuid.uuid4().hex
    now = utcnow()
    with transaction(engine, write_lock=True) as conn:
        _expire_stale(conn)
        busy = conn.execute(sa.select(qc_batches.c.started_by, qc_batches.c.started_at, qc_batches.c.done,
                                      qc_batches.c.total).where(qc_batches.c.state == "running")).first()
        if busy is not None:
            raise BatchRunning(
                f"已有一个批量质控正在运行（{busy.started_by} 发起，已完成 {busy.done}/{busy.total}），请等待其结束后再启动"
            )
        conn.execute(qc_batches.insert().values(
            id=batch_id, scope=scope, state="running", started_by=started_by[:128], started_at=now, updated_at=now,
            total=total, done=0, failed=0,
        ))
    return batch_id


def batch_progress(engine: Engine, batch_id: str, *, done: int, failed: int) -> None:
    with transaction(engine) as conn:
        conn.execute(qc_batches.update().where(qc_batches.c.id == batch_id)
                     .values(done=done, failed=failed, updated_at=utcnow()))


def finish_batch(engine: Engine, batch_id: str, *, state: str, message: str | None = None) -> None:
    with transaction(engine) as conn:
        conn.execute(qc_batches.update().where(qc_batches.c.id == batch_id)
                     .values(state=state, message=message, finished_at=utcnow(), updated_at=utcnow()))


def get_batch(engine: Engine, batch_id: str) -> dict[str, Any] | None:
    with transaction(engine) as conn:
        row = conn.execute(sa.select(qc_batches).where(qc_batches.c.id == batch_id)).first()
    return None if row is None else _batch(row)


def recent_batches(engine: Engine, limit: int = 5) -> list[dict[str, Any]]:
    """The newest batches (a stale running one is first marked interrupted)."""
    cutoff = utcnow() - timedelta(seconds=BATCH_STALE_S)
    with transaction(engine) as conn:
        stale = conn.execute(sa.select(qc_batches.c.id).where(
            qc_batches.c.state == "running", qc_batches.c.updated_at < cutoff).limit(1)).first()
    if stale is not None:  # write only when there is something to mark
        with transaction(engine, write_lock=True) as conn:
            _expire_stale(conn)
    with transaction(engine) as conn:
        rows = conn.execute(sa.select(qc_batches).order_by(qc_batches.c.started_at.desc()).limit(limit)).all()
    return [_batch(r) for r in rows]


def encounters_to_check(engine: Engine, scope: str) -> list[str]:
    """Encounter ids a batch of ``scope`` covers: 在院 (not discharged), 出院 (终末质控) or all, with notes."""
    from yizhu.store.schema import documents

    has_docs = sa.select(documents.c.encounter_id).where(documents.c.encounter_id == encounters.c.id).exists()
    stmt = sa.select(encounters.c.id).where(has_docs).order_by(encounters.c.id)
    if scope == "running":
        stmt = stmt.where(encounters.c.discharged_at.is_(None))
    elif scope == "terminal":
        stmt = stmt.where(encounters.c.discharged_at.is_not(None))
    with transaction(engine) as conn:
        return [str(v) for v in conn.execute(stmt).scalars()]


