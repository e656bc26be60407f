"""Clinician feedback on a task run: accept, edit, reject or override, with the edited text, the item of the
output it is about (an alert key, ...) and a reason. Every field is typed: nothing is read back out of the
reason text.

Feedback is what adoption and time-saved metrics (``yizhu.value``) are computed from. It is kept
apart from the audit chain: a clinician may give feedback later, or more than once, without
touching the append-only log.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict
from sqlalchemy.engine import Engine

from yizhu.errors import InputError, NotFoundError
from yizhu.store.db import transaction, utcnow
from yizhu.store.schema import DECISIONS, feedback, task_runs

Decision = Literal["accept", "edit", "reject", "override"]


class FeedbackRecord(BaseModel):
    """One stored decision about a run; ``task`` is the run's task, joined in for per-task metrics."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: int
    run_id: str
    task: str
    actor: str
    decision: Decision
    edited_text: str | None = None
    reason: str | None = None
    item: str | None = None
    created_at: datetime


def record_feedback(
    engine: Engine,
    *,
    run_id: str,
    actor: str,
    decision: Decision | str,
    edited_text: str | None = None,
    reason: str | None = None,
    item: str | None = None,
) -> FeedbackRecord:
    """Store a clinician's decision about run ``run_id`` (or one ``item`` of its output); ``edit`` needs the
    edited text and ``override`` a reason."""
    if decision not in DECISIONS:
        raise InputError(f"decision must be one of {', '.join(DECISIONS)}, got {decision!r}.")
    if decision == "edit" and not edited_text:
        raise InputError("decision 'edit' needs edited_text: the text as the clinician corrected it.")
    if decision == "override" and len((reason or "").strip()) < 2:
        raise InputError("decision 'override' needs a reason: why the output is let go.")
    if item is not None and not 1 <= len(item) <= 256:
        raise InputError("item must be 1-256 characters: the key of what in the output is decided on.")
    if not actor or len(actor) > 128:
        raise InputError("feedback needs an actor of 1-128 characters: who decided.")
    now = utcnow()
    with transaction(engine, write_lock=True) as conn:
        task = conn.execute(sa.select(task_runs.c.task).where(task_runs.c.id == run_id)).scalar_one_or_none()
        if task is None:
            raise NotFoundError(
                f"task run {run_id!r} is not in the audit log; feedback needs a recorded run."
            )
        new_id = conn.execute(
            sa.insert(feedback)
            .values(
                run_id=run_id,
                actor=actor,
                decision=decision,
                edited_text=edited_text,
                reason=reason,
                item=item,
                created_at=now,
            )
            .returning(feedback.c.id)
        ).scalar_one()
    return FeedbackRecord(
        id=int(new_id),
        run_id=run_id,
        task=task,
        actor=actor,
        decision=decision,  # type: ignore[arg-type]
        edited_text=edited_text,
        reason=reason,
        item=item,
        created_at=now.replace(tzinfo=UTC),
    )


def _where(
    run_id: str | None,
    actor: str | None,
    decision: str | None,
    task: str | None,
    since: datetime | None,
    until: datetime | None,
) -> list[sa.ColumnElement[bool]]:
    where: list[sa.ColumnElement[bool]] = []
    for col, value in (
        (feedback.c.run_id, run_id),
        (feedback.c.actor, actor),
        (feedback.c.decision, decision),
        (task_runs.c.task, task),
    ):
        if value is not None:
            where.append(col == value)
    if since is not None:
        where.append(feedback.c.created_at >= _naive_utc(since))
    if until is not None:
        where.append(feedback.c.created_at < _naive_utc(until))
    return where


def _naive_utc(when: datetime) -> datetime:
    return when.astimezone(UTC).replace(tzinfo=None) if when.tzinfo is not None else when


def list_feedback(
    engine: Engine,
    *,
    run_id: str | None = None,
    actor: str | None = None,
    decision: Decision | str | None = None,
    task: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[FeedbackRecord]:
    """Feedback, oldest first, filtered by run, actor, decision, task and time (naive means UTC)."""
    if not 1 <= limit <= 10000 or not 0 <= offset <= 2**62:
        raise InputError(f"limit must be 1-10000 and offset >= 0 (got {limit}, {offset}).")
    stmt = (
        sa.select(feedback, task_runs.c.task)
        .join(task_runs, task_runs.c.id == feedback.c.run_id)
        .where(*_where(run_id, actor, decision, task, since, until))
        .order_by(feedback.c.created_at, feedback.c.id)
        .limit(limit)
        .offset(offset)
    )
    with transaction(engine) as conn:
        out = []
        for row in conn.execute(stmt):
            data = dict(row._mapping)
            data["created_at"] = data["created_at"].replace(tzinfo=UTC)
            out.append(FeedbackRecord.model_validate(data))
        return out


def count_feedback(
    engine: Engine,
    *,
    decision: Decision | str | None = None,
    task: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> int:
    """How many feedback records match (same filters as ``list_feedback``)."""
    stmt = (
        sa.select(sa.func.count())
        .select_from(feedback.join(task_runs, task_runs.c.id == feedback.c.run_id))
        .where(*_where(None, None, decision, task, since, until))
    )
    with transaction(engine) as conn:
        return int(conn.execute(stmt).scalar_one())
