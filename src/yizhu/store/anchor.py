"""External anchors of the audit chain: what ``verify_chain`` alone cannot see.

The chain proves that no row inside it was edited, dropped or re-ordered, and ``audit_head`` (guarded
by triggers) that no row was cut off its end. Someone with full database access can still drop the
triggers and cut the tail with the head moved back, wipe everything, or rewrite and re-seal the whole
chain — and the result verifies. An *anchor* is the head (seq, hash) copied somewhere the database
administrator cannot rewrite: an append-only file on another machine, a WORM share, a syslog or a
timestamping endpoint. ``verify_against`` then checks that every anchored row is still there with the
same hash:

- tail cut with the head moved back, or a full wipe → the chain ends before an anchored seq;
- re-seal (rows rewritten and every hash recomputed) → an anchored seq carries another hash.

Anchor lines are JSON: ``{"seq": 42, "hash": "…64 hex…", "rows": 42, "at": "2026-12-07T01:00:00+00:00"}``.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy.engine import Engine

from yizhu.errors import AuditIntegrityError, InputError
from yizhu.store.audit import HEAD_ID, VerifyReport, verify_chain
from yizhu.store.db import transaction
from yizhu.store.schema import audit_head, task_runs


class Anchor(BaseModel):
    """The head of the audit chain at one moment."""

    model_config = ConfigDict(extra="forbid")

    seq: int = Field(ge=0, description="seq of the newest row (0: empty chain)")
    hash: str = Field(pattern=r"^[0-9a-f]{64}$", description="row_hash of that row (64 zeros: empty chain)")
    rows: int = Field(ge=0, description="rows in task_runs when the anchor was taken")
    at: datetime = Field(description="when the anchor was taken (UTC, with offset)")


def current_head(engine: Engine) -> Anchor:
    """The head (``audit_head``) and the row count, read in one transaction."""
    with transaction(engine) as conn:
        head = conn.execute(
            sa.select(audit_head.c.last_seq, audit_head.c.last_hash).where(audit_head.c.id == HEAD_ID)
        ).first()
        rows = int(conn.execute(sa.select(sa.func.count()).select_from(task_runs)).scalar_one())
    if head is None:
        raise AuditIntegrityError("audit_head row is missing; run `yizhu audit verify` and restore from a backup")
    return Anchor(seq=int(head.last_seq), hash=head.last_hash, rows=rows, at=datetime.now(UTC))


def write_anchor(anchor: Anchor, target: str, *, timeout_s: float = 10.0) -> str:
    """Append the anchor to a file (one JSON line, fsynced) or POST it to an http(s) endpoint."""
    line = anchor.model_dump_json()
    if target.startswith(("http://", "https://")):
        import httpx

        try:
            r = httpx.post(target, content=line, headers={"Content-Type": "application/json"}, timeout=timeout_s)
        except httpx.HTTPError as exc:
            raise InputError(f"anchor endpoint {target} did not answer: {exc}") from exc
        if r.status_code >= 300:
            raise InputError(f"anchor endpoint {target} answered {r.status_code}: {r.text[:200]}")
        return f"posted to {target}"
    path = Path(target).expanduser()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as fh:
        fh.write(line + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    return f"appended to {path}"


def read_anchors(source: str | Path) -> list[Anchor]:
    """Every anchor in a file of JSON lines (blank lines skipped); a bad line is an error, not skipped."""
    path = Path(source).expanduser()
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read anchor file {path}: {exc.strerror or exc}") from exc
    out = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            out.append(Anchor.model_validate(json.loads(line)))
        except (json.JSONDecodeError, ValidationError) as exc:
            raise InputError(f"{path}:{n}: not an anchor line ({exc.__class__.__name__}); fix or remove it") from exc
    if not out:
        raise InputError(f"{path} holds no anchors; take one with `yizhu audit anchor --to {path}`")
    return out


def verify_against(engine: Engine, anchors: list[Anchor]) -> VerifyReport:
    """``verify_chain`` plus: every anchored row is still in the chain with its anchored hash."""
    report = verify_chain(engine)
    problems = list(report.problems)
    wanted = sorted({a.seq for a in anchors if a.seq > 0})
    found: dict[int, str] = {}
    with transaction(engine) as conn:
        for i in range(0, len(wanted), 500):
            chunk = wanted[i : i + 500]
            for seq, h in conn.execute(sa.select(task_runs.c.seq, task_runs.c.row_hash).where(task_runs.c.seq.in_(chunk))):
                found[int(seq)] = h
        last = conn.execute(sa.select(sa.func.max(task_runs.c.seq))).scalar_one_or_none() or 0
    for a in sorted(anchors, key=lambda x: x.seq):
        if a.seq == 0:
            continue
        when = a.at.isoformat(timespec="seconds")
        if a.seq not in found:
            if last < a.seq:
                what = "the audit log is empty (wiped)" if last == 0 else f"the chain now ends at seq {last}"
                problems.append(f"anchor of {when} recorded seq {a.seq}, but {what}: rows were deleted")
            else:
                problems.append(f"anchor of {when}: row seq {a.seq} is missing")
        elif found[a.seq] != a.hash:
            problems.append(
                f"anchor of {when}: row seq {a.seq} has hash {found[a.seq][:12]}…, the anchor {a.hash[:12]}…: "
                "the chain was rewritten and re-sealed"
            )
    return VerifyReport(ok=not problems, rows=report.rows, problems=problems, last_hash=report.last_hash)
