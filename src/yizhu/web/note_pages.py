"""Clinician pages for note drafts: start a draft, read it beside its sources, edit and sign.

``/notes/new`` (from an encounter or a pasted dialogue) → ``POST /notes/draft`` runs the audited
``notes.<type>`` task → ``/notes/drafts/{run_id}``: the draft on the left, its sources on the right.
Clicking a sentence (``?s=<section>.<sentence>``) re-renders the page with that sentence's source
spans highlighted and scrolls to the first one — no JavaScript, like the other pages. Flagged
sentences (unsupported, contradicted) are marked with their reasons; QC findings are listed. The
clinician edits the text and signs (accept/edit) or rejects: stored as feedback with the edit
distance. Forms that write carry the session's CSRF token (checked by ``PageUser`` with the Origin);
who may draft and sign is the ``notes.<type>`` task's declaration, as on the API.
"""

from __future__ import annotations

import itertools
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from markupsafe import Markup, escape

from yizhu import store, value
from yizhu.api.deps import EngineDep, Principal, ensure_may
from yizhu.clinical.notes.api import DraftIn, gateway_for, run_draft
from yizhu.clinical.notes.types import NOTE_TYPES, SPECS
from yizhu.clinical.notes.verify import MAX_CONTEXT_CHARS
from yizhu.clinical.registry import task_roles
from yizhu.errors import InputError, NotFoundError
from yizhu.value.edits import parse_feedback_reason
from yizhu.web.pages import PageRoute, PageUser, templates

router = APIRouter(route_class=PageRoute, include_in_schema=False)

NOTE_TITLE = {t: SPECS[t].doc_type for t in NOTE_TYPES}
STATUS_TITLE = {"supported": "有依据", "unsupported": "无依据", "contradicted": "与来源矛盾"}
ORIGIN_TITLE = {"llm": "模型撰写", "record": "取自病历", "extractive": "规则抽取"}
SOURCE_KIND = {"turn": "对话", "section": "病历", "order": "医嘱", "lab": "检验", "diagnosis": "诊断",
               "allergy": "过敏", "field": "基本信息"}


def csrf_token(request: Request, purpose: str) -> str:
    """The session's CSRF token (``PageUser`` has checked it on every cookie-authenticated POST)."""
    return str(getattr(request.state, "csrf", "") or "")


def _can_write(user: Principal, note_type: str = "discharge") -> bool:
    return task_roles(f"notes.{note_type}").may_run(user.role)


def _render(request: Request, name: str, user: Principal, **context: Any) -> HTMLResponse:
    return templates.TemplateResponse(request, name, {"user": user, "NOTE_TITLE": NOTE_TITLE, **context})


#: omission item kinds as the page names them
OMISSION_KIND = {"diagnosis": "诊断", "medication": "用药", "allergy": "过敏", "result": "检查结果", "plan": "处理计划"}


@router.get("/notes/new")
def new_note(request: Request, engine: EngineDep, user: PageUser,
             encounter: Annotated[str, Query(max_length=200)] = "") -> HTMLResponse:
    """Start a draft: from a stored encounter, or from a pasted dialogue transcript."""
    enc = store.get_encounter(engine, encounter) if encounter else None
    patient = store.get_patient(engine, enc.patient_id) if enc else None
    return _render(request, "note_new.html", user, encounter=enc, patient=patient,
                   csrf=csrf_token(request, "note-draft"), can_write=_can_write(user))


@router.post("/notes/draft")
def create_draft(
    request: Request,
    engine: EngineDep,
    user: PageUser,
    note_type: Annotated[str, Form(max_length=32)],
    csrf: Annotated[str, Form(max_length=128)] = "",
    encounter_id: Annotated[str, Form(max_length=200)] = "",
    transcript: Annotated[str, Form(max_length=MAX_CONTEXT_CHARS)] = "",
    pre_consultation: Annotated[str, Form(max_length=100_000)] = "",
) -> RedirectResponse:
    """Run the draft (audited) and show it."""
    if note_type not in NOTE_TYPES:
        raise InputError(f"未知的病历类型：{note_type}")
    ensure_may(user, f"notes.{note_type}", "run")
    body = DraftIn(
        type=note_type,  # type: ignore[arg-type]
        encounter_id=encounter_id.strip() or None,
        text=None if encounter_id.strip() else (transcript.strip() or None),
        pre_consultation=pre_consultation.strip() or None,
    )
    _, run_id = run_draft(engine, gateway_for(request), body, user.name)
    return RedirectResponse(f"/notes/drafts/{quote(run_id)}", status_code=303)


def highlight(text: str, spans: list[tuple[int, int]], cls: str = "src-hit") -> Markup:
    """``text`` as HTML with ``<mark>`` over the given spans (merged, clipped to the text)."""
    cuts = {0, len(text)}
    clean = [(max(0, a), min(len(text), b)) for a, b in spans if b > a]
    for a, b in clean:
        cuts.update((a, b))
    out = []
    for a, b in itertools.pairwise(sorted(cuts)):
        piece = escape(text[a:b])
        if any(x <= a and b <= y for x, y in clean):
            out.append(f'<mark class="{cls}">{piece}</mark>')
        else:
            out.append(str(piece))
    return Markup("".join(out))


def _selected(s: str, draft: dict[str, Any]) -> tuple[int, int] | None:
    try:
        a, b = (int(x) for x in s.split(".", 1))
    except ValueError:
        return None
    secs = draft.get("sections", [])
    if 0 <= a < len(secs) and 0 <= b < len(secs[a].get("sentences", [])):
        return a, b
    return None


@router.get("/notes/drafts/{run_id}")
def draft_page(request: Request, run_id: str, engine: EngineDep, user: PageUser,
               s: Annotated[str, Query(max_length=32)] = "") -> HTMLResponse:
    """The draft beside its sources; the selected sentence's source spans are highlighted."""
    run = store.get_run(engine, run_id)
    if not run.task.startswith("notes.") or not isinstance(run.output, dict) or "output" not in run.output:
        raise NotFoundError(f"run {run_id} is not a note draft")
    draft = run.output["output"]
    sel = _selected(s, draft)
    spans: dict[str, list[tuple[int, int]]] = {}
    if sel is not None:
        sentence = draft["sections"][sel[0]]["sentences"][sel[1]]
        for p in sentence.get("provenance", []):
            if p.get("kind") == "span":
                src_text = next((x["text"] for x in draft.get("sources", []) if x["id"] == p["source"]), "")
                a = p.get("start") or 0
                b = p.get("end") if p.get("end") is not None else len(src_text)
                spans.setdefault(p["source"], []).append((a, b))
    sources = []
    first_hit = None
    for i, src in enumerate(draft.get("sources", [])):
        hit = src["id"] in spans
        if hit and first_hit is None:
            first_hit = i
        sources.append({**src, "anchor": f"src-{i}", "hit": hit,
                        "html": highlight(src["text"], spans.get(src["id"], [])),
                        "kind_label": SOURCE_KIND.get(src["kind"], src["kind"])})
    citations = []
    if sel is not None:
        citations = [p["source"] for p in draft["sections"][sel[0]]["sentences"][sel[1]].get("provenance", [])
                     if p.get("kind") == "citation"]
    feedback = []
    for f in value.list_feedback(engine, run_id=run_id):
        feedback.append({"f": f, "stats": parse_feedback_reason(f.reason)})
    return _render(
        request, "note_draft.html", user, run=run, draft=draft, sel=sel, sources=sources,
        first_hit=first_hit, citations=citations, feedback=feedback, STATUS_TITLE=STATUS_TITLE,
        ORIGIN_TITLE=ORIGIN_TITLE, OMISSION_KIND=OMISSION_KIND, csrf=csrf_token(request, f"note-sign:{run_id}"),
        can_write=task_roles(run.task).may_decide(user.role),
        counts={k: sum(1 for sec in draft["sections"] for x in sec["sentences"] if x["status"] == k)
                for k in STATUS_TITLE},
    )


@router.post("/notes/drafts/{run_id}/sign")
def sign(
    request: Request,
    run_id: str,
    engine: EngineDep,
    user: PageUser,
    decision: Annotated[str, Form(max_length=16)],
    final_text: Annotated[str, Form(max_length=MAX_CONTEXT_CHARS)] = "",
    reason: Annotated[str, Form(max_length=1800)] = "",
    csrf: Annotated[str, Form(max_length=128)] = "",
) -> RedirectResponse:
    """签署 (accept, or edit when the text changed) or 驳回 (reject, with a reason), with the edit distance —
    recorded by ``doctor_pages.sign_draft``, the same way the doctor's worklist signs."""
    from yizhu.web.doctor_pages import sign_draft

    run = store.get_run(engine, run_id)
    if not run.task.startswith("notes.") or not isinstance(run.output, dict):
        raise NotFoundError(f"run {run_id} is not a note draft")
    ensure_may(user, run.task, "decide")
    if decision not in ("sign", "reject"):
        raise InputError("请选择“签署”或“驳回”。")
    sign_draft(engine, run, user.name, decision, final_text, reason)
    return RedirectResponse(f"/notes/drafts/{quote(run_id)}#feedback", status_code=303)
