"""Anchors catch what the chain alone cannot: a cut tail with the head moved back, a wipe, a re-seal."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from yizhu.errors import InputError
from yizhu.store import record_run, verify_chain
from yizhu.store.anchor import current_head, read_anchors, verify_against, write_anchor
from yizhu.store.audit import GENESIS_HASH, row_hash
from yizhu.store.schema import audit_head, task_runs


def _append(engine: Engine, n: int) -> None:
    for i in range(n):
        record_run(engine, task="qc.record", task_version="1", input_obj={"i": i}, output_obj={"score": i},
                   actor="dr.synthetic", duration_ms=5)


def _no_guards(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("ALTER TABLE task_runs DISABLE TRIGGER USER"))
        conn.execute(sa.text("ALTER TABLE audit_head DISABLE TRIGGER USER"))
    else:
        for name in ("task_runs_append_only_update", "task_runs_append_only_delete", "audit_head_forward_only",
                     "audit_head_no_delete", "audit_head_one_row"):
            conn.execute(sa.text(f"DROP TRIGGER {name}"))


def _cut_tail(conn: Connection) -> None:
    conn.execute(sa.text("DELETE FROM task_runs WHERE seq > 3"))
    last = conn.execute(sa.select(task_runs.c.row_hash).where(task_runs.c.seq == 3)).scalar_one()
    conn.execute(sa.update(audit_head).values(last_seq=3, last_hash=last))


def _wipe(conn: Connection) -> None:
    conn.execute(sa.text("DELETE FROM task_runs"))
    conn.execute(sa.update(audit_head).values(last_seq=0, last_hash=GENESIS_HASH))


def _reseal(conn: Connection) -> None:
    conn.execute(sa.text("UPDATE task_runs SET actor = 'mallory' WHERE seq = 2"))
    prev = conn.execute(sa.select(task_runs.c.row_hash).where(task_runs.c.seq == 1)).scalar_one()
    for seq in range(2, 6):
        conn.execute(sa.update(task_runs).where(task_runs.c.seq == seq).values(prev_hash=prev))
        row = dict(conn.execute(sa.select(task_runs).where(task_runs.c.seq == seq)).one()._mapping)
        prev = row_hash(row)
        conn.execute(sa.update(task_runs).where(task_runs.c.seq == seq).values(row_hash=prev))
    conn.execute(sa.update(audit_head).values(last_seq=5, last_hash=prev))


ATTACKS: list[tuple[str, Callable[[Connection], None], str]] = [
    ("tail cut, head moved back", _cut_tail, "the chain now ends at seq 3"),
    ("full wipe", _wipe, "wiped"),
    ("re-seal", _reseal, "re-sealed"),
]


@pytest.mark.parametrize(("what", "attack", "said"), ATTACKS, ids=[a[0] for a in ATTACKS])
def test_anchor_catches_what_the_chain_cannot(engine: Engine, tmp_path: Path, what: str, attack, said: str) -> None:
    _append(engine, 5)
    anchors = tmp_path / "anchors.jsonl"
    write_anchor(current_head(engine), str(anchors))
    assert verify_against(engine, read_anchors(anchors)).ok
    with engine.begin() as conn:
        _no_guards(conn)
        attack(conn)
    assert verify_chain(engine).ok, f"{what}: the chain alone should not notice"
    report = verify_against(engine, read_anchors(anchors))
    assert not report.ok and any(said in p for p in report.problems), report.problems


def test_head_guard_refuses_moving_the_head_back(engine: Engine) -> None:
    _append(engine, 3)
    with pytest.raises(sa.exc.DBAPIError, match="audit_head only moves forward"), engine.begin() as conn:
        conn.execute(sa.update(audit_head).values(last_seq=1))
    with pytest.raises(sa.exc.DBAPIError, match="audit_head only moves forward"), engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM audit_head"))
    head = current_head(engine)
    assert (head.seq, head.rows) == (3, 3) and verify_chain(engine).ok
    _append(engine, 1)  # appends still move it
    assert current_head(engine).seq == 4


def test_anchor_file_errors_are_input_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"seq": 1}\n', encoding="utf-8")
    with pytest.raises(InputError, match="not an anchor line"):
        read_anchors(bad)
    with pytest.raises(InputError, match="cannot read"):
        read_anchors(tmp_path / "missing.jsonl")
