"""The audit chain: appends, look-ups, and detection of every kind of tampering."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from yizhu.core.models import Finding, Result, Severity
from yizhu.errors import AuditIntegrityError, InputError, NotFoundError
from yizhu.store import (
    GENESIS_HASH,
    count_runs,
    get_run,
    input_hash,
    list_runs,
    make_engine,
    record_run,
    verify_chain,
)
from yizhu.store.audit import canonical_json, row_hash
from yizhu.store.schema import task_runs


def _append(engine: Engine, n: int, **kwargs: object) -> list[str]:
    return [
        record_run(
            engine,
            task=str(kwargs.get("task", "qc.admission")),
            task_version="1.0.0",
            input_obj={"document": f"入院记录 {i}（合成）"},
            output_obj={"findings": [{"rule_id": "qc.admission.allergy_history.v1", "n": i}], "score": 92.5},
            actor="dr.li",
            duration_ms=100 + i,
            encounter_id=kwargs.get("encounter_id"),  # type: ignore[arg-type]
        )
        for i in range(n)
    ]


# --- the hash itself ----------------------------------------------------------------------------------

GOLDEN_ROW = {
    "id": "0123456789abcdef0123456789abcdef",
    "seq": 1,
    "task": "qc.admission",
    "task_version": "1.0.0",
    "input_hash": "a" * 64,
    "output": {
        "findings": [{"rule_id": "qc.admission.allergy_history.v1", "message": "缺少过敏史"}],
        "score": 92.5,
    },
    "model": None,
    "prompt_version": None,
    "actor": "dr.li",
    "started_at": datetime(2024, 5, 2, 9, 30, 0, 123456),
    "duration_ms": 812,
    "status": "ok",
    "encounter_id": "E1",
    "document_id": None,
    "prev_hash": GENESIS_HASH,
}
GOLDEN_CANONICAL = (
    '{"actor":"dr.li","document_id":null,"duration_ms":812,"encounter_id":"E1",'
    '"id":"0123456789abcdef0123456789abcdef","input_hash":"' + "a" * 64 + '","model":null,'
    '"output":{"findings":[{"message":"缺少过敏史","rule_id":"qc.admission.allergy_history.v1"}],"score":92.5},'
    '"prev_hash":"' + "0" * 64 + '","prompt_version":null,"seq":1,'
    '"started_at":"2024-05-02T09:30:00.123456","status":"ok","task":"qc.admission","task_version":"1.0.0"}'
)


def test_row_hash_is_sha256_of_the_canonical_row() -> None:
    """Pinned: changing the hash recipe would make every stored chain fail to verify."""
    assert hashlib.sha256(GOLDEN_CANONICAL.encode("utf-8")).hexdigest() == row_hash(GOLDEN_ROW)
    assert row_hash(GOLDEN_ROW) == "f08e9eeb8f5d07cdf3095ff52326b0dac088e32b23f29dcc643f15d37912ded3"


@pytest.mark.parametrize(
    ("value", "canonical"),
    [
        ({"b": 1, "a": [1.5, "中"]}, '{"a":[1.5,"中"],"b":1}'),
        ({"when": datetime(2024, 1, 2, 3, 4, 5)}, '{"when":"2024-01-02T03:04:05"}'),
        (None, "null"),
    ],
)
def test_canonical_json(value: object, canonical: str) -> None:
    assert canonical_json(value) == canonical


def test_values_without_json_form_are_refused() -> None:
    with pytest.raises(InputError, match="no JSON form"):
        canonical_json({"x": float("nan")})


# --- appending and reading ----------------------------------------------------------------------------


def test_record_run_stores_what_was_given(engine: Engine) -> None:
    result = Result(
        task="qc.admission",
        task_version="1.0.0",
        findings=[
            Finding(
                rule_id="qc.admission.allergy_history.v1",
                severity=Severity.major,
                category="completeness",
                message="缺少过敏史",
                source="病历书写基本规范（2010）第十八条",
            )
        ],
        degraded=["no_llm"],
    )
    ctx_input = {"encounter": "E1", "text": "主诉：胸闷3天。"}
    before = datetime.now(UTC)
    run_id = record_run(
        engine,
        task="qc.admission",
        task_version="1.0.0",
        input_obj=ctx_input,
        output_obj=result,
        actor="dr.li",
        duration_ms=812.4,
        model="qwen2.5-7b-instruct",
        prompt_version="qc.v3",
        encounter_id="E1",
        document_id="E1-adm",
    )
    run = get_run(engine, run_id)
    assert run.id == run_id and len(run_id) == 32
    assert run.seq == 1 and run.prev_hash == GENESIS_HASH
    assert (
        run.input_hash
        == hashlib.sha256(canonical_json(ctx_input).encode()).hexdigest()
        == input_hash(ctx_input)
    )
    assert Result.model_validate(run.output) == result
    assert (run.model, run.prompt_version, run.actor, run.status) == (
        "qwen2.5-7b-instruct",
        "qc.v3",
        "dr.li",
        "ok",
    )
    assert run.duration_ms == 812
    assert before - timedelta(seconds=2) < run.started_at < datetime.now(UTC)
    assert run.row_hash == row_hash(run.model_dump())


def test_explicit_start_time_is_kept_in_utc(engine: Engine) -> None:
    start = datetime(2024, 5, 2, 17, 30, tzinfo=UTC) + timedelta(hours=8)
    run_id = record_run(
        engine,
        task="t",
        task_version="1",
        input_obj=1,
        output_obj=2,
        actor="a",
        duration_ms=0,
        started_at=start,
    )
    assert get_run(engine, run_id).started_at == start
    assert verify_chain(engine).ok


def test_list_and_count_runs(engine: Engine) -> None:
    first = _append(engine, 2, encounter_id="E1")
    other = _append(engine, 1, encounter_id="E2", task="rx.review")
    assert [r.id for r in list_runs(engine)] == [other[0], first[1], first[0]]  # newest first
    assert [r.id for r in list_runs(engine, encounter_id="E1", limit=1)] == [first[1]]
    assert [r.id for r in list_runs(engine, encounter_id="E1", limit=1, offset=1)] == [first[0]]
    assert [r.id for r in list_runs(engine, task="rx.review")] == other
    assert list_runs(engine, document_id="nothing") == []
    assert (
        count_runs(engine) == 3 and count_runs(engine, "E1") == 2 and count_runs(engine, actor="dr.li") == 3
    )


def test_unknown_run_is_not_found(engine: Engine) -> None:
    with pytest.raises(NotFoundError, match="not in the audit log"):
        get_run(engine, "f" * 32)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("task", "", "task"),
        ("actor", "", "actor"),
        ("duration_ms", -1, "duration_ms"),
        ("status", "x" * 33, "status"),
    ],
)
def test_bad_runs_are_refused(engine: Engine, field: str, value: object, message: str) -> None:
    args = {
        "task": "t",
        "task_version": "1",
        "input_obj": {},
        "output_obj": {},
        "actor": "a",
        "duration_ms": 1,
    }
    with pytest.raises(InputError, match=message):
        record_run(engine, **{**args, field: value})  # type: ignore[arg-type]
    assert count_runs(engine) == 0


# --- verification -------------------------------------------------------------------------------------


def test_empty_chain_verifies(engine: Engine) -> None:
    assert verify_chain(engine) == verify_chain(engine).model_copy(
        update={"ok": True, "rows": 0, "problems": []}
    )


def test_untouched_chain_verifies(engine: Engine) -> None:
    ids = _append(engine, 5)
    report = verify_chain(engine, batch=2)  # pages of 2 rows: links across page boundaries are checked too
    assert (report.ok, report.rows, report.problems) == (True, 5, [])
    assert report.last_hash == get_run(engine, ids[-1]).row_hash
    report.raise_for_problems()  # does nothing


@pytest.mark.parametrize("statement", ["UPDATE task_runs SET actor = 'mallory'", "DELETE FROM task_runs"])
def test_triggers_refuse_changes_to_the_log(engine: Engine, statement: str) -> None:
    _append(engine, 2)
    with pytest.raises(sa.exc.DBAPIError, match="append-only"), engine.begin() as conn:
        conn.execute(sa.text(statement))
    assert verify_chain(engine).ok


def _drop_guard(conn: Connection) -> None:
    """What a tamperer with database access does first."""
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("ALTER TABLE task_runs DISABLE TRIGGER USER"))
        conn.execute(sa.text("ALTER TABLE audit_head DISABLE TRIGGER USER"))
    else:
        for name in ("task_runs_append_only_update", "task_runs_append_only_delete", "audit_head_forward_only",
                     "audit_head_no_delete", "audit_head_one_row"):
            conn.execute(sa.text(f"DROP TRIGGER {name}"))


def _recompute_hash(conn: Connection, seq: int) -> None:
    row = dict(conn.execute(sa.select(task_runs).where(task_runs.c.seq == seq)).one()._mapping)
    conn.execute(sa.update(task_runs).where(task_runs.c.seq == seq).values(row_hash=row_hash(row)))


Tamper = Callable[[Connection], None]
TAMPERING: list[tuple[str, Tamper, list[str]]] = [
    # (what, raw SQL, what the report must say; {N} is the run id at seq N)
    (
        "edited output",
        lambda c: c.execute(
            sa.update(task_runs).where(task_runs.c.seq == 2).values(output={"findings": [], "score": 100})
        ),
        ["run seq 2 (id {2}): contents do not match its row_hash (row edited)"],
    ),
    (
        "edited actor",
        lambda c: c.execute(sa.text("UPDATE task_runs SET actor = 'mallory' WHERE seq = 3")),
        ["run seq 3 (id {3}): contents do not match"],
    ),
    (
        "edited time",
        lambda c: c.execute(
            sa.update(task_runs).where(task_runs.c.seq == 1).values(started_at=datetime(2020, 1, 1))
        ),
        ["run seq 1 (id {1}): contents do not match"],
    ),
    (
        "edited row with its hash recomputed",
        lambda c: (
            c.execute(sa.text("UPDATE task_runs SET status = 'ok-ish' WHERE seq = 2")),
            _recompute_hash(c, 2),
        ),
        ["run seq 3 (id {3}): prev_hash does not match the hash of run seq 2 (id {2})"],
    ),
    (
        "deleted middle row",
        lambda c: c.execute(sa.text("DELETE FROM task_runs WHERE seq = 2")),
        [
            "run seq 3 (id {3}): seq 2 missing before it (row deleted)",
            "run seq 3 (id {3}): prev_hash does not match",
        ],
    ),
    (
        "deleted first row",
        lambda c: c.execute(sa.text("DELETE FROM task_runs WHERE seq = 1")),
        ["run seq 2 (id {2}): seq 1 missing before it (row deleted)"],
    ),
    (
        "deleted last row",
        lambda c: c.execute(sa.text("DELETE FROM task_runs WHERE seq = 4")),
        ["audit_head records seq 4 but the last row is seq 3: rows after seq 3 were deleted"],
    ),
    (
        "re-ordered rows",
        lambda c: (
            c.execute(sa.text("UPDATE task_runs SET seq = -1 WHERE seq = 2")),
            c.execute(sa.text("UPDATE task_runs SET seq = 2 WHERE seq = 3")),
            c.execute(sa.text("UPDATE task_runs SET seq = 3 WHERE seq = -1")),
        ),
        ["run seq 2 (id {3}): contents do not match", "run seq 3 (id {2}): contents do not match"],
    ),
    (
        "edited head",
        lambda c: c.execute(sa.text("UPDATE audit_head SET last_hash = 'f' WHERE id = 1")),
        ["audit_head (seq 4, hash f…) does not match the last row"],
    ),
]


@pytest.mark.parametrize(("what", "tamper", "expected"), TAMPERING, ids=[t[0] for t in TAMPERING])
def test_tampering_is_detected_and_named(
    engine: Engine, what: str, tamper: Tamper, expected: list[str]
) -> None:
    ids = _append(engine, 4)
    assert verify_chain(engine).ok
    with engine.begin() as conn:
        _drop_guard(conn)
        tamper(conn)
    report = verify_chain(engine)
    assert not report.ok, what
    for want in expected:
        for seq, run_id in enumerate(ids, start=1):
            want = want.replace(f"{{{seq}}}", run_id)
        assert any(want in p for p in report.problems), (want, report.problems)
    with pytest.raises(AuditIntegrityError, match="audit chain broken"):
        report.raise_for_problems()


def test_concurrent_appends_form_one_chain(db_url: str, engine: Engine) -> None:
    """Writers with their own engines (like separate processes) never fork or gap the chain."""
    writers, per_writer = 4, 8
    engines = [make_engine(db_url) for _ in range(writers)]
    errors: list[BaseException] = []
    barrier = threading.Barrier(writers)

    def write(eng: Engine) -> None:
        try:
            barrier.wait()
            _append(eng, per_writer)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(e,)) for e in engines]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for e in engines:
        e.dispose()
    assert errors == []
    report = verify_chain(engine)
    assert (report.ok, report.rows) == (True, writers * per_writer), report.problems
    with engine.connect() as conn:
        seqs = conn.execute(sa.select(task_runs.c.seq).order_by(task_runs.c.seq)).scalars().all()
    assert seqs == list(range(1, writers * per_writer + 1))


# --- large outputs outside the row ----------------------------------------------------------------


def _big_output(n: int = 3000) -> dict[str, object]:
    return {"task": "rx.review", "findings": [{"rule_id": "rx.x.v1", "i": i, "message": "合成" * 10} for i in range(n)],
            "output": {"alerts": list(range(n))}}


def test_a_large_output_is_stored_once_beside_its_row(engine: Engine) -> None:
    from yizhu.store import external_ref, load_output
    from yizhu.store.audit import EXTERNAL_OUTPUT_BYTES

    big = _big_output()
    assert len(canonical_json(big).encode()) > EXTERNAL_OUTPUT_BYTES
    run_id = record_run(engine, task="rx.review", task_version="1", input_obj={}, output_obj=big, actor="t",
                        duration_ms=1, summarise=lambda out: {"findings": out["findings"][:5], "n": len(out["findings"])})
    [row] = list_runs(engine, task="rx.review")
    ref = external_ref(row.output)
    assert ref is not None and ref["sha256"] == hashlib.sha256(canonical_json(big).encode()).hexdigest()
    assert row.output["n"] == 3000 and len(row.output["findings"]) == 5  # the summary the worklists read
    assert get_run(engine, run_id).output == big == load_output(engine, row)
    assert get_run(engine, run_id, full=False).output == row.output
    record_run(engine, task="rx.review", task_version="1", input_obj={}, output_obj=big, actor="t", duration_ms=1)
    with engine.connect() as conn:  # the same output twice is stored once (content-addressed)
        assert conn.execute(sa.text("SELECT count(*) FROM run_outputs")).scalar_one() == 1
    assert verify_chain(engine).ok


def test_an_edited_or_missing_large_output_fails_verification(engine: Engine) -> None:
    run_id = record_run(engine, task="rx.review", task_version="1", input_obj={}, output_obj=_big_output(),
                        actor="t", duration_ms=1)
    with pytest.raises(sa.exc.DBAPIError, match="append-only"), engine.begin() as conn:
        conn.execute(sa.text("UPDATE run_outputs SET data = '{}'"))
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text("ALTER TABLE run_outputs DISABLE TRIGGER USER"))
        else:
            conn.execute(sa.text("DROP TRIGGER run_outputs_append_only_update"))
            conn.execute(sa.text("DROP TRIGGER run_outputs_append_only_delete"))
        conn.execute(sa.text("UPDATE run_outputs SET data = '{\"findings\": []}'"))
    report = verify_chain(engine)
    assert not report.ok and any("stored output does not match" in p for p in report.problems)
    with pytest.raises(AuditIntegrityError, match="does not match"):
        get_run(engine, run_id)
    with engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM run_outputs"))
    assert any("missing from run_outputs" in p for p in verify_chain(engine).problems)


OUTPUTS = [
    {"评分": 92.5, "grade": "甲", "findings": [{"rule": "R1", "span": [3, 8], "ok": True}], "none": None},
    {"big": 10**20, "small": 1e-7, "neg": -0.0, "text": "line\nbreak \"quoted\" \\ back\u2028slash \U0001f600"},
    [],
    "a bare string with the slot's look-alike \x1fyizhu-output-slot",
]


@pytest.mark.parametrize("output", OUTPUTS, ids=["dict", "numbers-escapes", "empty-list", "string"])
def test_the_row_hash_from_the_output_text_equals_the_one_from_the_value(output: object) -> None:
    fields = {"id": "r1", "seq": 7, "task": "t", "task_version": "1", "input_hash": "0" * 64, "output": output,
              "model": None, "prompt_version": None, "actor": "dr.王", "started_at": datetime(2026, 12, 7, 3, 0),
              "duration_ms": 5, "status": "ok", "encounter_id": None, "document_id": None, "prev_hash": "f" * 64}
    assert row_hash(fields, output_json=canonical_json(output)) == row_hash(fields)


@pytest.mark.parametrize("bad", ["王\x00五", "王\ud800五"])
def test_an_output_the_database_cannot_store_is_refused(engine: Engine, bad: str) -> None:
    with pytest.raises(InputError):
        record_run(engine, task="t", task_version="1", input_obj={}, output_obj={"x": [bad]}, actor="a",
                   duration_ms=1)
    ok = record_run(engine, task="t", task_version="1", input_obj={}, output_obj={"x": "a \\u0000 backslash"},
                    actor="a", duration_ms=1)
    assert get_run(engine, ok).output == {"x": "a \\u0000 backslash"}
    verify_chain(engine).raise_for_problems()


def test_a_field_that_spells_the_output_slot_still_hashes_right(engine: Engine) -> None:
    run_id = record_run(engine, task="t", task_version="1", input_obj={}, output_obj={"a": 1},
                        actor="x\x1fyizhu-output-slot\x1f", duration_ms=1)
    assert get_run(engine, run_id).output == {"a": 1}
    verify_chain(engine).raise_for_problems()
