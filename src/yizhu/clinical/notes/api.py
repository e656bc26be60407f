"""病历生成 over HTTP (``/v1/notes``): draft (optionally streamed as Server-Sent Events), verify, feedback.

Drafts run as the registered ``notes.<type>`` task through ``yizhu.api.services.run_task``, so each is
in the audit log with its model and prompt version; the clinician's accept/edit/reject goes to the
store's feedback with the edit distance (``yizhu.value.edits``). The model gateway is
``app.state.gateway`` when the app factory set one, else the process gateway from yizhu.toml.

SSE events of ``POST /v1/notes/draft`` with ``"stream": true``::

    event: section   data: {"index": 0, "section": {name, origin, sentences[…], note}}
    event: done      data: {"run_id": "…", "draft": {…the whole NoteDraft…}}
    event: error     data: {"title": "…", "detail": "…", "status": 422}
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import AsyncIterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field, model_validator

import yizhu.store as store
from yizhu import value
from yizhu.api.deps import EngineDep, Reader, ensure_may
from yizhu.api.services import context_from_payload, run_task
from yizhu.clinical.notes.engine import TASKS, dialogue_context, drafting
from yizhu.clinical.notes.transcript import looks_like_transcript
from yizhu.clinical.notes.types import NOTE_TYPES, SectionOut
from yizhu.clinical.notes.verify import (
    MAX_CONTEXT_CHARS,
    MAX_DRAFT_CHARS,
    MAX_SOURCE_CHARS,
    MAX_SOURCES,
    check_sizes,
    verify_note,
)
from yizhu.clinical.registry import register
from yizhu.core import ClinicalContext
from yizhu.errors import InputError, NotFoundError, YizhuError
from yizhu.value.edits import edit_stats, feedback_reason

router = APIRouter(prefix="/v1/notes", tags=["notes"])


class DraftIn(BaseModel):
    """What to draft from: a stored encounter, or a text (transcript, note or FHIR Bundle JSON)."""

    model_config = ConfigDict(extra="forbid")
    type: Literal["discharge", "outpatient", "admission", "progress"]
    encounter_id: str | None = Field(default=None, max_length=200)
    text: str | None = Field(default=None, max_length=MAX_CONTEXT_CHARS, description="dialogue transcript, note or FHIR Bundle")
    pre_consultation: str | None = Field(default=None, max_length=100_000, description="预问诊 record, if any")
    context: ClinicalContext | None = None
    model: str | None = Field(default=None, max_length=64, description="a configured model; default: the route")
    use_llm: bool = True
    stream: bool = False

    @model_validator(mode="after")
    def _one_input(self) -> DraftIn:
        given = [x for x in (self.encounter_id, self.text, self.context) if x is not None]
        if len(given) != 1 and not (self.pre_consultation and not given):
            raise ValueError("give exactly one of encounter_id, text or context (pre_consultation may go with text)")
        if self.context is not None:
            total = sum(len(d.text) for d in self.context.documents)
            total += sum(len(o.text) for o in self.context.orders) + sum(len(d.text) for d in self.context.diagnoses)
            if total > MAX_CONTEXT_CHARS:
                raise ValueError(f"context holds {total} characters of text; the limit is {MAX_CONTEXT_CHARS}")
        return self


class VerifyIn(BaseModel):
    """A draft from any model and the source(s) it should rest on (sizes bounded: see ``verify.LIMITS``)."""

    model_config = ConfigDict(extra="forbid")
    source: Annotated[str, Field(min_length=1, max_length=MAX_SOURCE_CHARS)] | Annotated[
        list[Annotated[str, Field(min_length=1, max_length=MAX_SOURCE_CHARS)]], Field(min_length=1, max_length=MAX_SOURCES)
    ] = Field(description="dialogue transcript(s) or note(s)")
    draft: str = Field(min_length=1, max_length=MAX_DRAFT_CHARS)

    @model_validator(mode="after")
    def _total(self) -> VerifyIn:
        try:
            check_sizes(self.source, self.draft)
        except InputError as exc:
            raise ValueError(str(exc)) from None
        return self


class FeedbackIn(BaseModel):
    """The clinician's decision on a draft; ``final_text`` is the text as signed (required for edit)."""

    model_config = ConfigDict(extra="forbid")
    decision: Literal["accept", "edit", "reject"]
    final_text: str | None = Field(default=None, max_length=200_000)
    reason: str | None = Field(default=None, max_length=2000)


def gateway_for(request: Request) -> Any:
    """The app's gateway, or the process gateway from yizhu.toml."""
    gw = getattr(request.app.state, "gateway", None)
    if gw is not None:
        return gw
    from yizhu.clinical.notes.engine import default_gateway

    return default_gateway()


def _intake_record(engine: Any, encounter_id: str) -> str | None:
    from yizhu.clinical.intake.store import latest_record_text

    return latest_record_text(engine, encounter_id)


def context_for(body: DraftIn, engine: Any) -> tuple[ClinicalContext, str | None]:
    """The context a draft request names (stored encounter, payload, or dialogue)."""
    if body.encounter_id is not None:
        ctx = store.load_context(engine, body.encounter_id)
        pre = body.pre_consultation or _intake_record(engine, body.encounter_id)
        if pre:  # the encounter's 预问诊 record (yizhu.clinical.intake) is a source like a pasted one
            ctx = dialogue_context(None, pre_consultation=pre, base=ctx)
        return ctx, body.encounter_id
    if body.context is not None:
        ctx = body.context
        if body.pre_consultation:
            ctx = dialogue_context(None, pre_consultation=body.pre_consultation, base=ctx)
        return ctx, ctx.encounter.id if ctx.encounter else None
    text = body.text or ""
    if not text.strip() and body.pre_consultation:
        return dialogue_context(None, pre_consultation=body.pre_consultation), None
    if looks_like_transcript(text):
        return dialogue_context(text, pre_consultation=body.pre_consultation), None
    ctx = context_from_payload(text)
    if body.pre_consultation:
        ctx = dialogue_context(None, pre_consultation=body.pre_consultation, base=ctx)
    return ctx, None


def run_draft(engine: Any, gateway: Any, body: DraftIn, actor: str, on_section: Any = None) -> tuple[dict[str, Any], str]:
    """Build the context, run the ``notes.<type>`` task audited, return (draft, run id)."""
    ctx, encounter_id = context_for(body, engine)
    task = TASKS[body.type]()
    register(task)  # the entry point registers it too; this keeps an unwired app working
    with drafting(gateway=gateway if body.use_llm else None, model=body.model, on_section=on_section,
                  use_llm=body.use_llm):
        result, run_id = run_task(engine, task.name, ctx, actor=actor, encounter_id=encounter_id)
    return result.output, run_id


def _sse(event: str, data: Any) -> bytes:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False, default=str)}\n\n".encode()


@router.post("/draft", response_model=None, responses={200: {
    "description": "the draft (JSON), or with stream: true its Server-Sent Events",
    "content": {"application/json": {"schema": {"type": "object"}}, "text/event-stream": {"schema": {"type": "object"}}},
}})
def draft(body: DraftIn, request: Request, engine: EngineDep, principal: Reader) -> Any:
    """Draft a note; each sentence has provenance and a grounding status; QC findings come with it.

    With ``stream: true`` the reply is ``text/event-stream``: one ``section`` event per section as it
    is ready, then ``done`` with the run id and the whole draft.
    """
    ensure_may(principal, f"notes.{body.type}", "run")  # the task's declaration, as at every door
    gateway = gateway_for(request) if body.use_llm else None
    if not body.stream:
        output, run_id = run_draft(engine, gateway, body, principal.name)
        return {"run_id": run_id, **output}
    return StreamingResponse(_stream(engine, gateway, body, principal.name), media_type="text/event-stream",
                             headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})


async def _stream(engine: Any, gateway: Any, body: DraftIn, actor: str) -> AsyncIterator[bytes]:
    loop = asyncio.get_running_loop()
    events: asyncio.Queue[tuple[str, Any]] = asyncio.Queue()
    count = 0

    def on_section(sec: SectionOut) -> None:
        nonlocal count
        item = {"index": count, "section": sec.model_dump(mode="json")}
        count += 1
        loop.call_soon_threadsafe(events.put_nowait, ("section", item))

    def work() -> None:
        try:
            output, run_id = run_draft(engine, gateway, body, actor, on_section)
            loop.call_soon_threadsafe(events.put_nowait, ("done", {"run_id": run_id, "draft": output}))
        except YizhuError as exc:
            err = {"title": exc.title, "detail": str(exc), "status": exc.status}
            loop.call_soon_threadsafe(events.put_nowait, ("error", err))
        except Exception as exc:  # the stream must end with an event, not a dropped connection
            err = {"title": "Internal error", "detail": type(exc).__name__, "status": 500}
            loop.call_soon_threadsafe(events.put_nowait, ("error", err))

    threading.Thread(target=work, name="yizhu-note-draft", daemon=True).start()
    while True:
        kind, data = await events.get()
        yield _sse(kind, data)
        if kind in ("done", "error"):
            return


@router.post("/verify")
def verify(body: VerifyIn, _: Reader) -> dict[str, Any]:
    """Check any draft against its source(s) without generating: one verdict per sentence; nothing stored."""
    report = verify_note(body.source, body.draft)
    return {"sentences": report["sentences"], "summary": report["summary"], "omissions": report["omissions"],
            "coverage": report["coverage"]}


def _draft_run(engine: Any, run_id: str) -> Any:
    run = store.get_run(engine, run_id)
    if not run.task.startswith("notes.") or not isinstance(run.output, dict) or "output" not in run.output:
        raise NotFoundError(f"run {run_id!r} is not a note draft (task {run.task}); use the run id a draft returned")
    return run


@router.get("/drafts/{run_id}")
def get_draft(run_id: str, engine: EngineDep, _: Reader) -> dict[str, Any]:
    """A stored draft as the audit log holds it, with the feedback given on it."""
    run = _draft_run(engine, run_id)
    fb = [f.model_dump(mode="json") for f in value.list_feedback(engine, run_id=run_id)]
    return {"run_id": run.id, "task": run.task, "model": run.model, "prompt_version": run.prompt_version,
            "started_at": run.started_at.isoformat(), "actor": run.actor, **run.output["output"], "feedback": fb}


@router.post("/drafts/{run_id}/feedback")
def feedback(run_id: str, body: FeedbackIn, engine: EngineDep, principal: Reader) -> dict[str, Any]:
    """Accept, edit or reject a draft; the signed text and its edit distance from the draft are stored.

    ``reason`` is stored as JSON: ``{"edit_distance", "draft_chars", "final_chars", "edit_ratio", "note"}``.
    """
    run = _draft_run(engine, run_id)
    ensure_may(principal, run.task, "decide")
    draft_text = str(run.output["output"].get("text", ""))
    if body.decision == "edit" and not body.final_text:
        raise InputError("decision 'edit' needs final_text: the note as the clinician signed it")
    final = body.final_text if body.final_text is not None else (draft_text if body.decision == "accept" else "")
    stats = edit_stats(draft_text, final) if body.decision != "reject" else {
        "edit_distance": None, "draft_chars": len(draft_text), "final_chars": 0, "edit_ratio": None}
    decision = "edit" if body.decision == "accept" and final != draft_text else body.decision
    rec = value.record_feedback(
        engine, run_id=run_id, actor=principal.name, decision=decision,
        edited_text=final if decision == "edit" else None, reason=feedback_reason(stats, body.reason),
    )
    return {"feedback_id": rec.id, "run_id": run_id, "decision": rec.decision, **stats}


__all__ = ["NOTE_TYPES", "router"]
