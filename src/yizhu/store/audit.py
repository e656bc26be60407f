"""The audit log: every AI task run, append-only and hash-chained.

Each row carries ``seq`` (1, 2, 3, ... without gaps), ``prev_hash`` (the previous row's hash, or
64 zeros for the first) and ``row_hash`` = sha256 of the canonical JSON of its fields plus
``prev_hash``. The one-row ``audit_head`` table holds the last seq and hash: every append locks it
(``SELECT ... FOR UPDATE`` on PostgreSQL, ``BEGIN IMMEDIATE`` on SQLite), so appends from many
threads or processes form one chain, and it anchors the end of the chain so that rows cut off the
end are noticed too. Triggers refuse UPDATE and DELETE on ``task_runs``; ``verify_chain`` catches
whoever removes them first: an edited row fails its own hash, a deleted row leaves a seq gap and a
broken link, a re-ordered row fails both.

The inputs themselves are not stored (they hold patient data); ``input_hash`` proves which input
a run saw when the input is produced again.

An output whose canonical JSON is over ``EXTERNAL_OUTPUT_BYTES`` (a review of hundreds of orders) is
stored once in ``run_outputs`` under its sha256; the row keeps a summary of the same shape (what the
task's ``audit_summary`` makes of it: the most severe findings, counts) plus ``"$external": {"sha256",
"bytes"}``, and its row_hash covers both. Listing runs and verifying the chain read rows only;
``get_run`` and :func:`load_output` return the whole output, checked against its hash.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict, Field
from pydantic_core import to_jsonable_python
from sqlalchemy.engine import Engine

from yizhu.errors import AuditIntegrityError, InputError, NotFoundError
from yizhu.store.db import JSONText, _unstorable, transaction, utcnow
from yizhu.store.schema import audit_head, run_outputs, task_runs

GENESIS_HASH = "0" * 64
HEAD_ID = 1
#: Outputs larger than this (canonical JSON, bytes) are stored in run_outputs; the row keeps a summary.
EXTERNAL_OUTPUT_BYTES = 64 * 1024
EXTERNAL_KEY = "$external"
#: The fields covered by ``row_hash`` (with ``prev_hash``); changing this list needs a new chain version.
HASHED_FIELDS = (
    "id",
    "seq",
    "task",
    "task_version",
    "input_hash",
    "output",
    "model",
    "prompt_version",
    "actor",
    "started_at",
    "duration_ms",
    "status",
    "encounter_id",
    "document_id",
    "prev_hash",
)


def canonical_json(obj: Any) -> str:
    """One spelling per value: sorted keys, no spaces, UTF-8 kept, no NaN; pydantic models and dates allowed."""
    try:
        text = json.dumps(
            to_jsonable_python(obj),
            sort_keys=True,
            ensure_ascii=False,
            separators=(",", ":"),
            allow_nan=False,
        )
        text.encode("utf-8")  # a lone surrogate has no UTF-8 form (UnicodeEncodeError is a ValueError)
        return text
    except (ValueError, TypeError) as exc:
        # pydantic_core raises its own PydanticSerializationError, a ValueError subclass.
        raise InputError(
            f"cannot audit a value that has no JSON form ({exc}); convert it to JSON types."
        ) from exc


def sha256_hex(text: str) -> str:
    """Hex sha256 of UTF-8 text (text with a lone surrogate has no UTF-8 form: InputError)."""
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InputError("text with a lone UTF-16 surrogate cannot be audited; send valid Unicode") from exc
    return hashlib.sha256(data).hexdigest()


def input_hash(input_obj: Any) -> str:
    """sha256 of the canonical JSON of a task input: how to prove later which input a run saw."""
    return sha256_hex(canonical_json(input_obj))


_OUTPUT_SLOT = "\x1fyizhu-output-slot\x1f"


def row_hash(fields: dict[str, Any], *, output_json: str | None = None) -> str:
    """The hash of one audit row: sha256 over the canonical JSON of HASHED_FIELDS (with prev_hash).

    ``output_json``, when given, is the canonical JSON of ``fields["output"]`` already made: it is put in
    its place in the row's text instead of serialising the output again (the same bytes: canonical JSON
    of canonical JSON's value is itself)."""
    body = {k: fields[k] for k in HASHED_FIELDS}
    started = body["started_at"]
    if isinstance(started, datetime):
        body["started_at"] = started.replace(tzinfo=None).isoformat(timespec="microseconds")
    if output_json is None:
        return sha256_hex(canonical_json(body))
    body["output"] = _OUTPUT_SLOT
    text = canonical_json(body)
    slot = json.dumps(_OUTPUT_SLOT, ensure_ascii=False)
    if text.count(slot) != 1:  # another field spells the slot (never in practice): the long way
        body["output"] = json.loads(output_json)
        return sha256_hex(canonical_json(body))
    return sha256_hex(text.replace(slot, output_json, 1))


class TaskRun(BaseModel):
    """One audited task run as stored."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    seq: int
    task: str
    task_version: str
    input_hash: str
    output: Any
    model: str | None = None
    prompt_version: str | None = None
    actor: str
    started_at: datetime = Field(description="UTC")
    duration_ms: int
    status: str
    encounter_id: str | None = None
    document_id: str | None = None
    prev_hash: str
    row_hash: str


class VerifyReport(BaseModel):
    """The outcome of ``verify_chain``: ``ok`` only when ``problems`` is empty."""

    model_config = ConfigDict(extra="forbid")

    ok: bool
    rows: int
    problems: list[str] = Field(default_factory=list)
    last_hash: str = GENESIS_HASH

    def raise_for_problems(self) -> None:
        """Raise AuditIntegrityError listing the problems, when there are any."""
        if not self.ok:
            shown = "; ".join(self.problems[:10]) + (" ..." if len(self.problems) > 10 else "")
            raise AuditIntegrityError(
                f"audit chain broken ({len(self.problems)} problem(s)): {shown}. Restore task_runs from a "
                "backup and compare; do not append until it verifies."
            )


def _text(value: str | None, what: str, max_len: int, *, required: bool = True) -> str | None:
    if value is None or value == "":
        if required:
            raise InputError(f"record_run needs a non-empty {what}.")
        return None
    if len(value) > max_len:
        raise InputError(f"{what} is longer than {max_len} characters; shorten it.")
    return value


def record_run(
    engine: Engine,
    *,
    task: str,
    task_version: str,
    input_obj: Any,
    output_obj: Any,
    actor: str,
    duration_ms: int | float,
    model: str | None = None,
    prompt_version: str | None = None,
    status: str = "ok",
    encounter_id: str | None = None,
    document_id: str | None = None,
    started_at: datetime | None = None,
    summarise: Callable[[Any], Any] | None = None,
) -> str:
    """Append one task run to the chain and return its run id (32 hex characters).

    ``output_obj`` is stored as JSON (pydantic models such as ``Result`` are fine); only the hash of
    ``input_obj`` is stored. ``started_at`` defaults to now minus ``duration_ms`` (UTC), since
    callers record a run when it has finished. An output over ``EXTERNAL_OUTPUT_BYTES`` goes to
    ``run_outputs``; the row keeps ``summarise(output)`` (a dict of the output's shape, or only the
    reference when no summariser is given) with the reference under ``"$external"``.
    """
    if duration_ms < 0:
        raise InputError(f"duration_ms must be >= 0, got {duration_ms}.")
    dur = round(duration_ms)
    if started_at is None:
        started = utcnow() - timedelta(milliseconds=dur)
    elif started_at.tzinfo is not None:
        started = started_at.astimezone(UTC).replace(tzinfo=None)
    else:
        started = started_at
    canonical = canonical_json(output_obj)
    external: tuple[str, int, str] | None = None
    try:
        size = len(canonical.encode("utf-8"))
    except UnicodeEncodeError:
        sha256_hex(canonical)  # raises the InputError that names the lone surrogate
        raise
    if size > EXTERNAL_OUTPUT_BYTES:
        digest = sha256_hex(canonical)
        external = (digest, size, canonical)
        summary = summarise(json.loads(canonical)) if summarise is not None else None
        stored = dict(summary) if isinstance(summary, dict) else {}
        stored[EXTERNAL_KEY] = {"sha256": digest, "bytes": size}
        canonical = canonical_json(stored)
    if "\\u0000" in canonical:  # maybe a NUL (or an escaped backslash before "u0000"): the full check
        why = _unstorable(json.loads(canonical))
        if why is not None:
            raise InputError(why)
    fields: dict[str, Any] = {
        "id": uuid.uuid4().hex,
        "task": _text(task, "task", 128),
        "task_version": _text(task_version, "task_version", 64),
        "input_hash": input_hash(input_obj),
        # Stored exactly as it will be read back (the canonical text itself), so the hash verifies on every
        # database; serialised once, here, not again by the JSON column.
        "output": JSONText(canonical),
        "model": _text(model, "model", 256, required=False),
        "prompt_version": _text(prompt_version, "prompt_version", 64, required=False),
        "actor": _text(actor, "actor", 128),
        "started_at": started,
        "duration_ms": dur,
        "status": _text(status, "status", 32),
        "encounter_id": _text(encounter_id, "encounter_id", 128, required=False),
        "document_id": _text(document_id, "document_id", 128, required=False),
    }
    with transaction(engine, write_lock=True) as conn:
        head = conn.execute(
            sa.select(audit_head.c.last_seq, audit_head.c.last_hash)
            .where(audit_head.c.id == HEAD_ID)
            .with_for_update()
        ).first()
        if head is None:
            raise AuditIntegrityError(
                "audit_head row is missing, so the chain has no anchor; run `yizhu audit verify` and "
                "restore the database from a backup."
            )
        fields["seq"] = int(head.last_seq) + 1
        fields["prev_hash"] = head.last_hash
        fields["row_hash"] = row_hash(fields, output_json=canonical)
        if external is not None:
            digest, size, data = external
            have = conn.execute(sa.select(run_outputs.c.sha256).where(run_outputs.c.sha256 == digest)).first()
            if have is None:
                conn.execute(sa.insert(run_outputs).values(sha256=digest, bytes=size, data=data, created_at=utcnow()))
        conn.execute(sa.insert(task_runs).values(**fields))
        conn.execute(
            sa.update(audit_head)
            .where(audit_head.c.id == HEAD_ID)
            .values(last_seq=fields["seq"], last_hash=fields["row_hash"])
        )
    return str(fields["id"])


def _run(row: sa.Row[Any]) -> TaskRun:
    data = dict(row._mapping)
    data["started_at"] = data["started_at"].replace(tzinfo=UTC)
    return TaskRun.model_validate(data)


def external_ref(output: Any) -> dict[str, Any] | None:
    """The ``{"sha256", "bytes"}`` reference of an output stored outside its row, else None."""
    ref = output.get(EXTERNAL_KEY) if isinstance(output, dict) else None
    return ref if isinstance(ref, dict) and isinstance(ref.get("sha256"), str) else None


def _fetch_output(conn: sa.Connection, ref: dict[str, Any], name: str) -> Any:
    row = conn.execute(sa.select(run_outputs.c.data).where(run_outputs.c.sha256 == ref["sha256"])).first()
    if row is None:
        raise AuditIntegrityError(f"{name}: its output {ref['sha256'][:12]}… is missing from run_outputs")
    if sha256_hex(row.data) != ref["sha256"]:
        raise AuditIntegrityError(f"{name}: its stored output does not match sha256 {ref['sha256'][:12]}… (edited)")
    return json.loads(row.data)


def load_output(engine: Engine, run: TaskRun) -> Any:
    """A run's whole output: the row's, or the one stored outside it (checked against its sha256)."""
    ref = external_ref(run.output)
    if ref is None:
        return run.output
    with transaction(engine) as conn:
        return _fetch_output(conn, ref, f"run {run.id}")


def get_run(engine: Engine, run_id: str, *, full: bool = True) -> TaskRun:
    """One run by id, or NotFoundError; ``full``: an output stored outside the row is read back whole."""
    with transaction(engine) as conn:
        row = conn.execute(sa.select(task_runs).where(task_runs.c.id == run_id)).first()
        if row is None:
            raise NotFoundError(f"task run {run_id!r} is not in the audit log; check the run id.")
        run = _run(row)
        ref = external_ref(run.output) if full else None
        if ref is not None:
            run = run.model_copy(update={"output": _fetch_output(conn, ref, f"run {run.id}")})
    return run


def _runs_where(
    encounter_id: str | None, document_id: str | None, task: str | None, actor: str | None
) -> list[sa.ColumnElement[bool]]:
    where: list[sa.ColumnElement[bool]] = []
    for col, value in (
        (task_runs.c.encounter_id, encounter_id),
        (task_runs.c.document_id, document_id),
        (task_runs.c.task, task),
        (task_runs.c.actor, actor),
    ):
        if value is not None:
            where.append(col == value)
    return where


def list_runs(
    engine: Engine,
    encounter_id: str | None = None,
    document_id: str | None = None,
    *,
    task: str | None = None,
    actor: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[TaskRun]:
    """Runs, newest first, optionally only those about one encounter, document, task or actor."""
    if not 1 <= limit <= 1000 or not 0 <= offset <= 2**62:
        raise InputError(f"limit must be 1-1000 and offset >= 0 (got {limit}, {offset}); page with offset.")
    stmt = (
        sa.select(task_runs)
        .where(*_runs_where(encounter_id, document_id, task, actor))
        .order_by(task_runs.c.seq.desc())
        .limit(limit)
        .offset(offset)
    )
    with transaction(engine) as conn:
        return [_run(r) for r in conn.execute(stmt)]


def count_runs(
    engine: Engine,
    encounter_id: str | None = None,
    document_id: str | None = None,
    *,
    task: str | None = None,
    actor: str | None = None,
) -> int:
    """How many runs match the same filters as ``list_runs``."""
    stmt = (
        sa.select(sa.func.count())
        .select_from(task_runs)
        .where(*_runs_where(encounter_id, document_id, task, actor))
    )
    with transaction(engine) as conn:
        return int(conn.execute(stmt).scalar_one())


def verify_chain(
    engine: Engine, *, batch: int = 1000, progress: Callable[[int, int], None] | None = None
) -> VerifyReport:
    """Recompute every row hash and link in seq order; each problem names the run (seq and id).

    Reads in pages of ``batch`` rows inside one transaction, so memory stays flat on long chains
    and appends made meanwhile do not confuse the check. ``progress(rows_checked, rows_expected)`` is
    called after each page (rows_expected = the head's last seq when the check began).
    """
    problems: list[str] = []
    rows = 0
    expected_seq = 1
    prev_hash = GENESIS_HASH
    prev_seq, prev_id = 0, ""
    with transaction(engine) as conn:
        if conn.dialect.name == "postgresql":
            # One snapshot for all pages and the head row.
            conn.execute(sa.text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY"))
        last_seen = 0
        expected_rows = 0
        if progress is not None:
            expected_rows = int(
                conn.execute(sa.select(audit_head.c.last_seq).where(audit_head.c.id == HEAD_ID)).scalar() or 0
            )
        while True:
            page = conn.execute(
                sa.select(task_runs).where(task_runs.c.seq > last_seen).order_by(task_runs.c.seq).limit(batch)
            ).all()
            if not page:
                break
            for row in page:
                rows += 1
                r = dict(row._mapping)
                name = f"run seq {r['seq']} (id {r['id']})"
                if r["seq"] != expected_seq:
                    if r["seq"] > expected_seq:
                        missing = (
                            f"seq {expected_seq}"
                            if r["seq"] == expected_seq + 1
                            else f"seq {expected_seq}-{r['seq'] - 1}"
                        )
                        problems.append(f"{name}: {missing} missing before it (row deleted)")
                    else:
                        problems.append(f"{name}: seq out of order, expected {expected_seq}")
                if r["prev_hash"] != prev_hash:
                    before = f"run seq {prev_seq} (id {prev_id})" if prev_id else "the chain start"
                    problems.append(
                        f"{name}: prev_hash does not match the hash of {before} "
                        "(a row was edited, deleted, inserted or re-ordered)"
                    )
                if row_hash(r) != r["row_hash"]:
                    problems.append(f"{name}: contents do not match its row_hash (row edited)")
                ref = external_ref(r["output"])
                if ref is not None:
                    try:
                        stored = conn.execute(
                            sa.select(run_outputs.c.data).where(run_outputs.c.sha256 == ref["sha256"])
                        ).scalar()
                    except sa.exc.SQLAlchemyError:
                        stored = None
                    if stored is None:
                        problems.append(f"{name}: its output {ref['sha256'][:12]}… is missing from run_outputs")
                    elif sha256_hex(stored) != ref["sha256"]:
                        problems.append(f"{name}: its stored output does not match its sha256 (output edited)")
                expected_seq = int(r["seq"]) + 1
                prev_hash, prev_seq, prev_id = r["row_hash"], r["seq"], r["id"]
            last_seen = int(page[-1].seq)
            if progress is not None:
                progress(rows, max(expected_rows, rows))
        head = conn.execute(
            sa.select(audit_head.c.last_seq, audit_head.c.last_hash).where(audit_head.c.id == HEAD_ID)
        ).first()
    last_seq = expected_seq - 1
    if head is None:
        problems.append("audit_head row is missing: the end of the chain cannot be checked")
    elif (int(head.last_seq), head.last_hash) != (last_seq, prev_hash):
        if int(head.last_seq) > last_seq:
            problems.append(
                f"audit_head records seq {head.last_seq} but the last row is seq {last_seq}: "
                f"rows after seq {last_seq} were deleted"
            )
        else:
            problems.append(
                f"audit_head (seq {head.last_seq}, hash {head.last_hash[:12]}…) does not match the last row "
                f"(seq {last_seq}, hash {prev_hash[:12]}…): the head or the last row was altered"
            )
    return VerifyReport(ok=not problems, rows=rows, problems=problems, last_hash=prev_hash)
