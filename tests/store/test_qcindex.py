"""The QC index: synced incrementally from qc.record runs in the audit log; paged worklist; one batch at a time."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.engine import Engine

from yizhu.store import qcindex, record_run, save_context
from yizhu.store.qcindex import WorklistFilter

from .conftest import make_context


def _qc_output(score: float | None, grade: str, findings: list[dict[str, Any]]) -> dict[str, Any]:
    return {"task": "qc.record", "task_version": "1.0.0", "output": {"score": score, "grade": grade, "mode": "encounter",
            "vetoes": []}, "findings": findings, "degraded": []}


def _finding(rule: str, points: float, doc: str = "D1", start: int | None = 0, end: int | None = 2) -> dict[str, Any]:
    ev = None if start is None else {"start": start, "end": end, "text": ""}
    return {"rule_id": rule, "severity": "major", "category": "completeness", "message": f"{rule} 缺陷",
            "evidence": ev, "section": None, "source": "合成", "data": {"points": points, "document": doc}}


def _record(engine: Engine, enc: str, score: float | None, grade: str, findings: list[dict[str, Any]]) -> str:
    return record_run(engine, task="qc.record", task_version="1.0.0", input_obj={"e": enc},
                      output_obj=_qc_output(score, grade, findings), actor="qc-test", duration_ms=1, encounter_id=enc)


def test_sync_indexes_the_newest_run_per_encounter_with_its_defects(engine: Engine) -> None:
    save_context(engine, make_context("E1", "P1"))
    _record(engine, "E1", 80.0, "乙", [_finding("qc.a.b.v1", 20)])
    assert qcindex.sync(engine) == 1
    rows, total = qcindex.worklist(engine, WorklistFilter(), limit=10, offset=0)
    assert total == 1 and rows[0]["score"] == 80.0 and rows[0]["grade"] == "乙" and rows[0]["defects"] == 1
    run2 = _record(engine, "E1", 95.0, "甲", [_finding("qc.c.d.v1", 3), _finding("qc.c.e.v1", 2, start=None)])
    record_run(engine, task="rx.review", task_version="1", input_obj={}, output_obj={}, actor="x", duration_ms=1)
    assert qcindex.sync(engine) == 1  # only qc.record runs are read
    rows, total = qcindex.worklist(engine, WorklistFilter(), limit=10, offset=0)
    assert total == 1 and rows[0]["run_id"] == run2 and rows[0]["grade"] == "甲"
    assert sorted(d["rule_id"] for d in qcindex.defects_of(engine, "E1")) == ["qc.c.d.v1", "qc.c.e.v1"]
    assert qcindex.sync(engine) == 0


def test_a_run_about_a_deleted_encounter_still_lists_under_unknown(engine: Engine) -> None:
    _record(engine, "GONE", None, "未评级", [])
    qcindex.sync(engine)
    rows, _ = qcindex.worklist(engine, WorklistFilter(), limit=10, offset=0)
    assert rows[0]["department"] == qcindex.NO_DEPARTMENT and rows[0]["score"] is None


def test_pages_cover_every_row_once_in_order(engine: Engine) -> None:
    for i in range(23):
        enc = f"E{i:02d}"
        save_context(engine, make_context(enc, f"P{i:02d}"))
        _record(engine, enc, float(60 + i), "丙" if i < 15 else "乙", [_finding("qc.a.b.v1", 40 - i)])
    qcindex.sync(engine, page=7)  # several sync pages
    seen: list[str] = []
    for page in range(3):
        rows, total = qcindex.worklist(engine, WorklistFilter(), limit=10, offset=page * 10)
        assert total == 23
        seen += [r["encounter_id"] for r in rows]
    assert seen == [f"E{i:02d}" for i in range(23)]  # worst score first
    rows, total = qcindex.worklist(engine, WorklistFilter(grade="乙"), limit=50, offset=0)
    assert total == 8
    groups = qcindex.by_group(engine, "month", WorklistFilter())
    assert sum(g["records"] for g in groups) == 23
    rules = qcindex.by_rule(engine, WorklistFilter())
    assert rules[0]["findings"] == 23 and rules[0]["records"] == 23


def test_only_one_batch_runs_at_a_time(engine: Engine) -> None:
    first = qcindex.start_batch(engine, scope="terminal", started_by="甲质控员", total=3)
    with pytest.raises(qcindex.BatchRunning, match="甲质控员"):
        qcindex.start_batch(engine, scope="all", started_by="乙质控员", total=1)
    qcindex.batch_progress(engine, first, done=2, failed=1)
    qcindex.finish_batch(engine, first, state="done", message="ok")
    b = qcindex.get_batch(engine, first)
    assert b is not None and (b["done"], b["failed"], b["state"]) == (2, 1, "done") and b["finished_at"] is not None
    second = qcindex.start_batch(engine, scope="all", started_by="乙质控员", total=1)
    assert second != first
    qcindex.finish_batch(engine, second, state="done")


def test_a_large_backlog_is_read_over_several_syncs_when_capped(engine: Engine) -> None:
    for i in range(12):
        _record(engine, f"X{i:02d}", 90.0, "甲", [])
    assert qcindex.sync(engine, page=5, max_runs=5) == 5
    assert qcindex.worklist(engine, WorklistFilter(), limit=50, offset=0)[1] == 5
    assert qcindex.sync(engine, page=5, max_runs=5) == 5
    assert qcindex.sync(engine, page=5, max_runs=5) == 2
    assert qcindex.worklist(engine, WorklistFilter(), limit=50, offset=0)[1] == 12
