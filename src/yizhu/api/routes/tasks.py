"""Tasks, task runs (the audit log) and clinician feedback."""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

import yizhu.store as repo
from yizhu import value
from yizhu.api.deps import READERS, AuditReader, EngineDep, PrincipalDep, Reader, ensure_may
from yizhu.api.services import context_from_payload, run_task
from yizhu.clinical.registry import get_task, list_tasks, task_roles
from yizhu.core import ClinicalContext
from yizhu.errors import InputError, PermissionDenied, UnknownTask
from yizhu.store import audit
from yizhu.store.anchor import Anchor, current_head

router = APIRouter(prefix="/v1", tags=["tasks"])


class TaskInfo(BaseModel):
    name: str
    version: str
    description: str
    run_roles: list[str] = Field(description="roles that may run it (admin always)")
    decide_roles: list[str] = Field(description="roles that may decide on its output (admin always)")
    decisions: list[str] = Field(description="the decisions its output takes")


class TaskRunIn(BaseModel):
    """Input of a task run: a context, a stored encounter, a FHIR Bundle or a note."""

    model_config = ConfigDict(extra="forbid")
    context: ClinicalContext | None = None
    encounter_id: str | None = Field(default=None, min_length=1, max_length=128)
    bundle: dict[str, Any] | None = None
    note: str | None = Field(default=None, max_length=500_000)


class FeedbackIn(BaseModel):
    """A decision on a task's output, in typed fields: which decision, on which item, and why.

    Which decisions a task takes, and who may take them, is the task's declaration (``GET /v1/tasks``):
    notes take accept/edit/reject; an rx review takes accept/override of one alert (``item`` = its key).
    """

    model_config = ConfigDict(extra="forbid")
    decision: Literal["accept", "edit", "reject", "override"]
    item: str | None = Field(default=None, min_length=1, max_length=256,
                             description="what in the output is decided on (an alert key); omit for the whole output")
    edited_text: str | None = Field(default=None, max_length=500_000)
    reason: str | None = Field(default=None, max_length=2000)


@router.get("/tasks", response_model=list[TaskInfo])
def tasks(_: Reader) -> list[TaskInfo]:
    out = []
    for t in list_tasks():
        roles = task_roles(t)
        out.append(TaskInfo(
            name=t.name, version=t.version, description=(type(t).__doc__ or "").strip().split("\n")[0],
            run_roles=list(roles.run), decide_roles=list(roles.decide), decisions=list(roles.decisions),
        ))
    return out


@router.post("/tasks/{name}/run")
def run(name: str, body: TaskRunIn, engine: EngineDep, principal: PrincipalDep) -> dict[str, Any]:
    """Run a task (roles: the task's ``run_roles``); the run is appended to the audit log and its id returned."""
    ensure_may(principal, name, "run")
    given = [x for x in (body.context, body.encounter_id, body.bundle, body.note) if x is not None]
    if len(given) != 1:
        raise InputError("give exactly one of: context, encounter_id, bundle, note")
    if body.context is not None:
        ctx = body.context
    elif body.encounter_id is not None:
        if principal.role not in READERS:  # running a task does not make its caller a reader of records
            raise PermissionDenied(f"role '{principal.role}' may not read stored encounters; send the input instead")
        ctx = repo.load_context(engine, body.encounter_id)
    elif body.bundle is not None:
        ctx = context_from_payload(json.dumps(body.bundle, ensure_ascii=False))
    else:
        ctx = context_from_payload(body.note or "")
    result, run_id = run_task(engine, name, ctx, actor=principal.name, encounter_id=body.encounter_id)
    return {"run_id": run_id, **result.model_dump(mode="json")}


@router.get("/task-runs")
def task_runs(
    engine: EngineDep,
    _: AuditReader,
    encounter_id: Annotated[str | None, Query(max_length=128)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[dict[str, Any]]:
    """Audited task runs, newest first."""
    return [r.model_dump(mode="json") for r in audit.list_runs(engine, encounter_id=encounter_id, limit=limit)]


@router.get("/task-runs/{run_id}")
def task_run(run_id: str, engine: EngineDep, _: Reader) -> dict[str, Any]:
    return audit.get_run(engine, run_id).model_dump(mode="json")


@router.post("/task-runs/{run_id}/feedback", status_code=201)
def feedback(run_id: str, body: FeedbackIn, engine: EngineDep, principal: PrincipalDep) -> dict[str, Any]:
    """Record a decision on a run's output (roles: the task's ``decide_roles``; decisions: its ``decisions``)."""
    run = audit.get_run(engine, run_id)
    try:
        task = get_task(run.task)
    except UnknownTask:
        raise InputError(f"run {run_id} is a '{run.task}' record, not the run of a task; nothing to decide on") from None
    ensure_may(principal, run.task, "decide")
    allowed = task_roles(task).decisions
    if body.decision not in allowed:
        raise InputError(f"task '{run.task}' takes the decisions {', '.join(allowed)}, not {body.decision!r}")
    check = getattr(task, "check_decision", None)
    if check is not None:
        check(run.output, body.decision, body.item, body.reason)
    record = value.record_feedback(
        engine, run_id=run_id, actor=principal.name, decision=body.decision,
        edited_text=body.edited_text, reason=body.reason, item=body.item,
    )
    return record.model_dump(mode="json")


@router.get("/audit/head", response_model=Anchor)
def head(engine: EngineDep, _: AuditReader) -> Anchor:
    """The head of the audit chain (seq and hash of the newest row) and the row count: copy it outside the
    database on a schedule (``yizhu audit anchor``) so that ``yizhu audit verify --against`` can check it."""
    return current_head(engine)


@router.get("/audit/verify")
def verify(engine: EngineDep, _: AuditReader) -> dict[str, Any]:
    """Verify the audit hash chain; ``head`` is what to anchor."""
    report = audit.verify_chain(engine)
    return {"ok": report.ok, "rows": report.rows, "problems": report.problems,
            "head": current_head(engine).model_dump(mode="json")}
