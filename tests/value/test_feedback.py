"""Feedback: clinicians accept, edit or reject a recorded run."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.engine import Engine

from yizhu.errors import InputError, NotFoundError
from yizhu.store import record_run
from yizhu.value import count_feedback, list_feedback, record_feedback


def _run(engine: Engine, task: str = "note.draft") -> str:
    return record_run(
        engine,
        task=task,
        task_version="1",
        input_obj={"q": 1},
        output_obj={"text": "草稿"},
        actor="dr.li",
        duration_ms=900,
    )


def test_record_and_list(engine: Engine) -> None:
    run = _run(engine)
    qc_run = _run(engine, task="qc.admission")
    accepted = record_feedback(engine, run_id=run, actor="dr.li", decision="accept")
    edited = record_feedback(
        engine, run_id=run, actor="dr.wang", decision="edit", edited_text="主诉：胸闷3天。", reason="时间不准"
    )
    record_feedback(engine, run_id=qc_run, actor="qc.zhao", decision="reject", reason="误报")
    assert list_feedback(engine, run_id=run) == [accepted, edited]
    assert [f.decision for f in list_feedback(engine, task="qc.admission")] == ["reject"]
    assert [f.actor for f in list_feedback(engine, decision="edit")] == ["dr.wang"]
    assert list_feedback(engine, actor="dr.li")[0].task == "note.draft"
    assert count_feedback(engine) == 3 and count_feedback(engine, task="note.draft", decision="accept") == 1


def test_time_window(engine: Engine) -> None:
    run = _run(engine)
    record_feedback(engine, run_id=run, actor="dr.li", decision="accept")
    now = datetime.now(UTC)
    assert count_feedback(engine, since=now - timedelta(minutes=1)) == 1
    assert count_feedback(engine, since=now + timedelta(minutes=1)) == 0
    assert list_feedback(engine, until=now - timedelta(minutes=1)) == []


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"decision": "maybe"}, InputError, "decision must be one of"),
        ({"decision": "edit"}, InputError, "needs edited_text"),
        ({"decision": "accept", "actor": ""}, InputError, "actor"),
        ({"decision": "accept", "run_id": "nope"}, NotFoundError, "not in the audit log"),
    ],
)
def test_bad_feedback(engine: Engine, kwargs: dict, error: type[Exception], message: str) -> None:
    args = {"run_id": _run(engine), "actor": "dr.li", **kwargs}
    with pytest.raises(error, match=message):
        record_feedback(engine, **args)
    assert count_feedback(engine) == 0
