"""The clinicians' worklists: rx alerts, QC findings and note drafts waiting for someone's decision.

The rows are derived from the audit log: ``sync`` reads every ``rx.review``, ``qc.record`` and ``notes.*`` run
recorded after ``worklist_head.last_seq`` and writes one ``worklist_items`` row per alert, per finding and per
draft, with the columns the pages sort and filter on (severity, ward, drug, doctor, time) and what they show in
``data`` (the order's dose, route, frequency and days from the stored encounter; the evidence; the source).
Whatever door recorded the run (API, CLI, pages, CDS Hooks, demo, import), the next page view picks it up.
A newer run of the same task about the same encounter makes the older rows ``current = False``.

Decisions are NOT kept here: they are the ``feedback`` rows (accept / edit / reject / override) that the
existing paths write, joined by ``(run_id, item)``; a row with no feedback is pending. So sorting and paging
10,000 rows is one indexed SQL query, and nothing is counted twice.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

import sqlalchemy as sa
from pydantic import ValidationError
from sqlalchemy.engine import Connection, Engine

from yizhu.core import Finding
from yizhu.store.audit import _fetch_output, external_ref
from yizhu.store.db import dialect_insert, transaction
from yizhu.store.schema import (
    encounter_items,
    encounters,
    feedback,
    patients,
    task_runs,
    worklist_head,
    worklist_items,
)

Kind = Literal["rx_alert", "qc_finding", "draft"]
#: one order for every severity word the engines use (QC and rx share the scale)
SEVERITY_RANK = {"critical": 0, "contraindicated": 1, "major": 2, "moderate": 3, "minor": 4, "info": 5}
#: runs read per transaction while catching up
BATCH = 200
SORTS = ("severity", "ward", "drug", "time", "patient")
#: audit runs one page view may index before answering (a first view of a large existing log catches up over
#: several views; the page says so meanwhile)
PAGE_SYNC_RUNS = 5000
STATUSES = ("pending", "decided", "all")


def item_key(*parts: Any, limit: int = 256) -> str:
    """A feedback ``item`` from its parts; over ``limit`` characters the tail becomes a hash (still unique)."""
    text = "|".join("" if p is None else str(p) for p in parts)
    if len(text) <= limit:
        return text
    digest = hashlib.sha256(text.encode()).hexdigest()[:16]
    return text[: limit - 17] + "#" + digest


def finding_key(f: Finding) -> str:
    """The feedback item of one QC finding: rule, document and where in it (stable across page views)."""
    doc = f.data.get("document") if isinstance(f.data.get("document"), str) else (f.evidence.source if f.evidence else None)
    where = f"{f.evidence.start}-{f.evidence.end}" if f.evidence is not None else (f.section or "")
    return item_key(f.rule_id, doc, where)


# --- catching up with the audit log ---------------------------------------------------------------


def _is_tracked(task: str) -> bool:
    return task in ("rx.review", "qc.record") or task.startswith("notes.")


@dataclass
class _EncounterInfo:
    encounter_id: str
    patient_id: str | None
    patient_name: str | None
    synthetic: bool
    department: str | None
    bed: str | None
    attending: str | None
    orders: dict[str, dict[str, Any]]


def _encounter(conn: Connection, cache: dict[str, _EncounterInfo | None], encounter_id: str | None) -> _EncounterInfo | None:
    if not encounter_id:
        return None
    if encounter_id in cache:
        return cache[encounter_id]
    row = conn.execute(
        sa.select(encounters.c.data, encounters.c.patient_id, encounters.c.department, patients.c.name,
                  patients.c.synthetic)
        .select_from(encounters.outerjoin(patients, patients.c.id == encounters.c.patient_id))
        .where(encounters.c.id == encounter_id)
    ).first()
    if row is None:
        cache[encounter_id] = None
        return None
    data = row.data if isinstance(row.data, dict) else {}
    orders: dict[str, dict[str, Any]] = {}
    for (item,) in conn.execute(
        sa.select(encounter_items.c.data).where(
            encounter_items.c.encounter_id == encounter_id, encounter_items.c.kind == "medication_order")
    ):
        if isinstance(item, dict) and item.get("id"):
            orders[str(item["id"])] = item
    info = _EncounterInfo(encounter_id, row.patient_id, row.name, bool(row.synthetic), row.department,
                          data.get("bed"), data.get("attending"), orders)
    cache[encounter_id] = info
    return info


def _output(conn: Connection, run: sa.Row[Any]) -> dict[str, Any]:
    out = run.output
    if external_ref(out) is not None:
        out = _fetch_output(conn, external_ref(out) or {}, f"run {run.id}")
    return out if isinstance(out, dict) else {}


def _patient(enc: _EncounterInfo | None) -> dict[str, Any]:
    if enc is None:
        return {}
    return {"patient_name": enc.patient_name, "synthetic": enc.synthetic, "bed": enc.bed, "attending": enc.attending}


def _rx_rows(run: sa.Row[Any], out: dict[str, Any], enc: _EncounterInfo | None) -> list[dict[str, Any]]:
    inner = out.get("output") if isinstance(out.get("output"), dict) else out
    resolved = {str(o.get("id")): o for o in inner.get("orders") or [] if isinstance(o, dict)}
    rows = []
    for a in inner.get("alerts") or []:
        if not isinstance(a, dict) or not a.get("rule_id"):
            continue
        order_ids = [str(o) for o in a.get("orders") or []]
        key = f"{a['rule_id']}:{'+'.join(sorted(order_ids))}"
        orders = []
        for oid in order_ids:
            stored = (enc.orders.get(oid) if enc else None) or {}
            seen = resolved.get(oid) or {}
            orders.append({
                "id": oid, "drug": stored.get("drug") or seen.get("drug"), "dose": stored.get("dose"),
                "unit": stored.get("unit"), "route": stored.get("route") or seen.get("route"),
                "frequency": stored.get("frequency"), "days": stored.get("days"),
                "prescriber": stored.get("prescriber"), "ordered_at": stored.get("ordered_at"),
            })
        prescriber = next((o["prescriber"] for o in orders if o.get("prescriber")), None)
        drugs = [str(d) for d in a.get("drugs") or []]
        rows.append({
            "kind": "rx_alert", "item": key[:256], "severity": a.get("severity"), "rule_id": a["rule_id"],
            "drug": (drugs[0] if drugs else (orders[0]["drug"] if orders else None)),
            "doctor": prescriber or (enc.attending if enc else None) or run.actor,
            "data": {
                "type": a.get("type"), "severity": a.get("severity"), "message": a.get("message"),
                "recommendation": a.get("recommendation"), "source": a.get("source"), "drugs": drugs,
                "orders": orders, "evidence": a.get("evidence") or {}, "alternatives": a.get("alternatives") or [],
                **_patient(enc),
            },
        })
    return rows


def _qc_rows(run: sa.Row[Any], out: dict[str, Any], enc: _EncounterInfo | None) -> list[dict[str, Any]]:
    rows = []
    seen: set[str] = set()
    for raw in out.get("findings") or []:
        try:
            f = Finding.model_validate(raw)
        except ValidationError:
            continue
        key = finding_key(f)
        if key in seen:
            continue
        seen.add(key)
        doc = f.data.get("document") if isinstance(f.data.get("document"), str) else run.document_id
        rows.append({
            "kind": "qc_finding", "item": key, "severity": f.severity.value, "rule_id": f.rule_id, "drug": None,
            "doctor": (enc.attending if enc else None) or run.actor,
            "data": {
                "severity": f.severity.value, "category": f.category, "message": f.message, "source": f.source,
                "section": f.section, "document": doc, "doc_type": f.data.get("doc_type"),
                "evidence": f.evidence.model_dump(mode="json") if f.evidence else None, **_patient(enc),
            },
        })
    return rows


def _draft_rows(run: sa.Row[Any], out: dict[str, Any], enc: _EncounterInfo | None) -> list[dict[str, Any]]:
    draft = out.get("output") if isinstance(out.get("output"), dict) else None
    if draft is None or not isinstance(draft.get("sections"), list):
        return []
    counts = {"unsupported": 0, "contradicted": 0}
    for sec in draft["sections"]:
        for s in sec.get("sentences") or [] if isinstance(sec, dict) else []:
            if isinstance(s, dict) and s.get("status") in counts:
                counts[s["status"]] += 1
    severity = "major" if counts["contradicted"] else "moderate" if counts["unsupported"] else "info"
    return [{
        "kind": "draft", "item": None, "severity": severity, "rule_id": None, "drug": None,
        "doctor": (enc.attending if enc else None) or run.actor,
        "data": {"note_type": run.task.split(".", 1)[1], "chars": len(str(draft.get("text") or "")),
                 "drafted_by": run.actor, **counts, **_patient(enc)},
    }]


def _rows_for(conn: Connection, run: sa.Row[Any], cache: dict[str, _EncounterInfo | None]) -> list[dict[str, Any]]:
    enc = _encounter(conn, cache, run.encounter_id)
    out = _output(conn, run)
    if run.task == "rx.review":
        rows = _rx_rows(run, out, enc)
    elif run.task == "qc.record":
        rows = _qc_rows(run, out, enc)
    else:
        rows = _draft_rows(run, out, enc)
    for r in rows:
        r.update(
            run_id=run.id, run_seq=run.seq, task=run.task, encounter_id=run.encounter_id,
            patient_id=enc.patient_id if enc else None, department=enc.department if enc else None,
            severity_rank=SEVERITY_RANK.get(str(r.pop("severity")), 9), at=run.started_at, current=True,
        )
        for col, size in (("doctor", 128), ("department", 128), ("drug", 256), ("rule_id", 128)):
            if isinstance(r.get(col), str):
                r[col] = r[col][:size]
    return rows


def _head(conn: Connection) -> int:
    conn.execute(dialect_insert(conn, worklist_head).values(id=1, last_seq=0).on_conflict_do_nothing())
    stmt = sa.select(worklist_head.c.last_seq).where(worklist_head.c.id == 1)
    if conn.dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    return int(conn.execute(stmt).scalar_one())


def catch_up(engine: Engine) -> bool:
    """What a page view does: index what is new (at most ``PAGE_SYNC_RUNS`` runs); True when more is left."""
    return sync(engine, max_runs=PAGE_SYNC_RUNS) >= PAGE_SYNC_RUNS


def sync(engine: Engine, *, max_runs: int | None = None) -> int:
    """Index the runs recorded since the last call; returns how many runs were read. Safe to call on every
    page view (nothing new: two small queries) and from several processes at once (the head row is locked)."""
    done = 0
    while max_runs is None or done < max_runs:
        with transaction(engine) as conn:  # cheap check first, without the write lock
            head = conn.execute(sa.select(worklist_head.c.last_seq).where(worklist_head.c.id == 1)).scalar()
            newest = conn.execute(sa.select(sa.func.max(task_runs.c.seq))).scalar()
        if newest is None or (head is not None and head >= newest):
            return done
        with transaction(engine, write_lock=True) as conn:
            head = _head(conn)
            runs = conn.execute(
                sa.select(task_runs.c.id, task_runs.c.seq, task_runs.c.task, task_runs.c.output, task_runs.c.actor,
                          task_runs.c.started_at, task_runs.c.encounter_id, task_runs.c.document_id)
                .where(task_runs.c.seq > head).order_by(task_runs.c.seq)
                .limit(BATCH if max_runs is None else min(BATCH, max_runs - done))
            ).all()
            if not runs:
                return done
            cache: dict[str, _EncounterInfo | None] = {}
            for run in runs:
                if not _is_tracked(run.task):
                    continue
                rows = _rows_for(conn, run, cache)
                if run.encounter_id and run.task in ("rx.review", "qc.record"):
                    conn.execute(
                        sa.update(worklist_items)
                        .where(worklist_items.c.encounter_id == run.encounter_id, worklist_items.c.task == run.task,
                               worklist_items.c.current.is_(True))
                        .values(current=False)
                    )
                if rows:
                    conn.execute(sa.insert(worklist_items), rows)
            conn.execute(sa.update(worklist_head).where(worklist_head.c.id == 1).values(last_seq=runs[-1].seq))
            done += len(runs)
    return done


# --- reading the worklists -------------------------------------------------------------------------


@dataclass
class Decision:
    """The latest feedback on one worklist row."""

    decision: str
    actor: str
    reason: str | None
    at: datetime


@dataclass
class Row:
    """One worklist row as the pages show it."""

    id: int
    kind: str
    run_id: str
    task: str
    item: str | None
    encounter_id: str | None
    patient_id: str | None
    department: str | None
    doctor: str | None
    severity: str
    rule_id: str | None
    drug: str | None
    at: datetime
    current: bool
    data: dict[str, Any]
    decision: Decision | None = None


_RANK_NAME = {v: k for k, v in SEVERITY_RANK.items()}


def _decided() -> sa.ColumnElement[bool]:
    """The row has a decision: a feedback row on its run about its item (NULL item = the whole run)."""
    return sa.exists().where(
        feedback.c.run_id == worklist_items.c.run_id,
        sa.or_(feedback.c.item == worklist_items.c.item,
               sa.and_(feedback.c.item.is_(None), worklist_items.c.item.is_(None))),
    )


def _where(kind: Kind, *, doctor: str | None, status: str, rule_id: str | None, current_only: bool,
           department: str | None = None, max_rank: int | None = None) -> list[sa.ColumnElement[bool]]:
    where: list[sa.ColumnElement[bool]] = [worklist_items.c.kind == kind]
    if max_rank is not None:
        where.append(worklist_items.c.severity_rank <= max_rank)
    if current_only:
        where.append(worklist_items.c.current.is_(True))
    if doctor is not None:
        where.append(worklist_items.c.doctor == doctor)
    if rule_id is not None:
        where.append(worklist_items.c.rule_id == rule_id)
    if department is not None:
        where.append(worklist_items.c.department == department)
    if status == "pending":
        where.append(~_decided())
    elif status == "decided":
        where.append(_decided())
    return where


def _order(sort: str, reverse: bool) -> list[Any]:
    """Most severe first, newest first, wards/drugs/patients A→Z; ``reverse`` flips the chosen column only.
    Ties: severity, then newest, then id, so a page boundary never moves."""
    c = worklist_items.c
    column = {"severity": c.severity_rank, "ward": c.department, "drug": c.drug, "patient": c.patient_id,
              "time": c.at}.get(sort, c.severity_rank)
    descending = (sort == "time") != reverse
    first = (column.desc() if descending else column.asc()).nulls_last()
    return [first, c.severity_rank.asc(), c.at.desc(), c.id.desc()]


def list_items(
    engine: Engine,
    kind: Kind,
    *,
    doctor: str | None = None,
    status: str = "pending",
    sort: str = "severity",
    reverse: bool = False,
    rule_id: str | None = None,
    department: str | None = None,
    max_rank: int | None = None,
    current_only: bool = True,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[Row], int]:
    """One page of a worklist and the total count (sorted in SQL, ties broken by time then id);
    ``max_rank``: only rows at least this severe (``SEVERITY_RANK``)."""
    where = _where(kind, doctor=doctor, status=status, rule_id=rule_id, current_only=current_only,
                   department=department, max_rank=max_rank)
    with transaction(engine) as conn:
        total = int(conn.execute(sa.select(sa.func.count()).select_from(worklist_items).where(*where)).scalar_one())
        # Deferred join: sort and skip over the narrow columns only, then read the page's full rows by id
        # (sorting 10,000 rows with their JSON would carry every row's data through the sorter).
        ids = [r.id for r in conn.execute(
            sa.select(worklist_items.c.id).where(*where).order_by(*_order(sort, reverse)).limit(limit).offset(offset)
        )]
        by_id = {r.id: r for r in conn.execute(sa.select(worklist_items).where(worklist_items.c.id.in_(ids)))} if ids else {}
        rows = [_row(by_id[i]) for i in ids if i in by_id]
        _attach_decisions(conn, rows)
    return rows, total


def get_item(engine: Engine, item_id: int) -> Row | None:
    """One row by id, with its decision."""
    with transaction(engine) as conn:
        found = conn.execute(sa.select(worklist_items).where(worklist_items.c.id == item_id)).first()
        if found is None:
            return None
        rows = [_row(found)]
        _attach_decisions(conn, rows)
    return rows[0]


def find_item(engine: Engine, run_id: str, item: str | None) -> Row | None:
    """The row of one run's item (an rx alert key), with its decision."""
    cond = worklist_items.c.item == item if item is not None else worklist_items.c.item.is_(None)
    with transaction(engine) as conn:
        found = conn.execute(sa.select(worklist_items).where(worklist_items.c.run_id == run_id, cond)).first()
        if found is None:
            return None
        rows = [_row(found)]
        _attach_decisions(conn, rows)
    return rows[0]


@dataclass
class RuleHistory:
    """How one rx rule's alerts were decided: the latest decision per alert counts."""

    rule_id: str
    decisions: int
    overrides: list[Row]
    upheld: int
    reasons: list[tuple[str, int]]

    @property
    def override_rate(self) -> float | None:
        return len(self.overrides) / self.decisions if self.decisions else None


def rule_history(engine: Engine, rule_id: str) -> RuleHistory:
    """Every decided alert of one rule (current or not): overrides newest first, with reasons counted."""
    rows: list[Row] = []
    with transaction(engine) as conn:
        for found in conn.execute(
            sa.select(worklist_items).where(worklist_items.c.kind == "rx_alert", worklist_items.c.rule_id == rule_id,
                                            _decided())
        ):
            rows.append(_row(found))
        for i in range(0, len(rows), 500):
            _attach_decisions(conn, rows[i:i + 500])
    decided = [r for r in rows if r.decision is not None]
    overrides = sorted((r for r in decided if r.decision and r.decision.decision == "override"),
                       key=lambda r: r.decision.at if r.decision else r.at, reverse=True)
    reasons: dict[str, int] = {}
    for r in overrides:
        text = ((r.decision.reason if r.decision else "") or "").strip() or "（未写理由）"
        reasons[text] = reasons.get(text, 0) + 1
    return RuleHistory(
        rule_id=rule_id, decisions=len(decided), overrides=overrides,
        upheld=sum(1 for r in decided if r.decision and r.decision.decision == "accept"),
        reasons=sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0])),
    )


def _row(r: sa.Row[Any]) -> Row:
    return Row(
        id=r.id, kind=r.kind, run_id=r.run_id, task=r.task, item=r.item, encounter_id=r.encounter_id,
        patient_id=r.patient_id, department=r.department, doctor=r.doctor,
        severity=_RANK_NAME.get(r.severity_rank, "info"), rule_id=r.rule_id, drug=r.drug,
        at=r.at.replace(tzinfo=UTC), current=bool(r.current), data=r.data if isinstance(r.data, dict) else {},
    )


def _attach_decisions(conn: Connection, rows: list[Row]) -> None:
    """The latest feedback per (run, item) of these rows, in one query."""
    if not rows:
        return
    run_ids = sorted({r.run_id for r in rows})
    latest: dict[tuple[str, str | None], Decision] = {}
    for fb in conn.execute(
        sa.select(feedback.c.run_id, feedback.c.item, feedback.c.decision, feedback.c.actor, feedback.c.reason,
                  feedback.c.created_at)
        .where(feedback.c.run_id.in_(run_ids)).order_by(feedback.c.created_at, feedback.c.id)
    ):
        latest[(fb.run_id, fb.item)] = Decision(fb.decision, fb.actor, fb.reason, fb.created_at.replace(tzinfo=UTC))
    for r in rows:
        r.decision = latest.get((r.run_id, r.item))


def counts(engine: Engine, *, doctor: str | None) -> dict[str, int]:
    """Pending rows per kind (current runs only) for one doctor, or for everyone: one grouped query."""
    where: list[sa.ColumnElement[bool]] = [worklist_items.c.current.is_(True), ~_decided()]
    if doctor is not None:
        where.append(worklist_items.c.doctor == doctor)
    out = {"draft": 0, "qc_finding": 0, "rx_alert": 0}
    with transaction(engine) as conn:
        for kind, n in conn.execute(
            sa.select(worklist_items.c.kind, sa.func.count()).where(*where).group_by(worklist_items.c.kind)
        ):
            out[kind] = int(n)
    return out


def doctors(engine: Engine, *, limit: int = 500) -> list[tuple[str, int]]:
    """Doctors who have rows, with their pending count, most pending first (for the admin's picker)."""
    pending = sa.func.sum(sa.case((~_decided(), 1), else_=0))
    with transaction(engine) as conn:
        found = conn.execute(
            sa.select(worklist_items.c.doctor, pending.label("n"))
            .where(worklist_items.c.doctor.is_not(None), worklist_items.c.current.is_(True))
            .group_by(worklist_items.c.doctor).order_by(sa.desc("n"), worklist_items.c.doctor).limit(limit)
        ).all()
    return [(r.doctor, int(r.n or 0)) for r in found]


def departments(engine: Engine, kind: Kind) -> list[str]:
    """The wards that have rows of this kind (for the ward filter)."""
    with transaction(engine) as conn:
        found = conn.execute(
            sa.select(worklist_items.c.department).where(
                worklist_items.c.kind == kind, worklist_items.c.department.is_not(None))
            .group_by(worklist_items.c.department).order_by(worklist_items.c.department)
        ).all()
    return [r.department for r in found]


def _attending_is(doctor: str) -> sa.ColumnElement[bool]:
    return encounters.c.data["attending"].as_string() == doctor


def count_encounters_of(engine: Engine, doctor: str) -> int:
    """How many stored encounters name this doctor as attending."""
    with transaction(engine) as conn:
        return int(conn.execute(
            sa.select(sa.func.count()).select_from(encounters).where(_attending_is(doctor))).scalar_one())


def encounters_of(engine: Engine, doctor: str, *, limit: int, offset: int) -> list[dict[str, Any]]:
    """One page of the doctor's encounters, newest admission first, with the patient and pending counts."""
    with transaction(engine) as conn:
        page = [r.id for r in conn.execute(  # deferred join: sort ids, then read the page's rows
            sa.select(encounters.c.id).where(_attending_is(doctor))
            .order_by(encounters.c.admitted_at.desc().nulls_last(), encounters.c.id).limit(limit).offset(offset)
        )]
        rows = {r.id: r for r in conn.execute(
            sa.select(encounters.c.id, encounters.c.encounter_class, encounters.c.department, encounters.c.admitted_at,
                      encounters.c.discharged_at, encounters.c.data, patients.c.id.label("patient_id"),
                      patients.c.name, patients.c.synthetic)
            .select_from(encounters.join(patients, patients.c.id == encounters.c.patient_id))
            .where(encounters.c.id.in_(page))
        )} if page else {}
        found = [rows[i] for i in page if i in rows]
        ids = [r.id for r in found]
        pending: dict[tuple[str, str], int] = {}
        if ids:
            for enc_id, kind, n in conn.execute(
                sa.select(worklist_items.c.encounter_id, worklist_items.c.kind, sa.func.count())
                .where(worklist_items.c.encounter_id.in_(ids), worklist_items.c.current.is_(True), ~_decided())
                .group_by(worklist_items.c.encounter_id, worklist_items.c.kind)
            ):
                pending[(enc_id, kind)] = int(n)
    return [
        {"id": r.id, "encounter_class": r.encounter_class, "department": r.department, "admitted_at": r.admitted_at,
         "discharged_at": r.discharged_at, "bed": (r.data or {}).get("bed"), "patient_id": r.patient_id,
         "patient_name": r.name, "synthetic": bool(r.synthetic),
         "pending": {k: pending.get((r.id, k), 0) for k in ("draft", "qc_finding", "rx_alert")}}
        for r in found
    ]


__all__ = [
    "PAGE_SYNC_RUNS",
    "SEVERITY_RANK",
    "SORTS",
    "STATUSES",
    "Decision",
    "Row",
    "catch_up",
    "count_encounters_of",
    "counts",
    "departments",
    "doctors",
    "encounters_of",
    "finding_key",
    "get_item",
    "item_key",
    "list_items",
    "sync",
]
