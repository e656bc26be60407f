"""Check any draft against its source without generating anything (``yizhu note verify``).

The draft is a plain-text note with section headings (from any vendor's model, or typed); the
source is a dialogue transcript or a note. Each sentence of each section is checked against the
whole source (a foreign draft carries no provenance) and gets a status and its evidence spans.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from yizhu.clinical.notes.transcript import ROLE_LABEL, looks_like_transcript, parse_transcript
from yizhu.core.parsing import parse_document
from yizhu.errors import InputError
from yizhu.safety.grounding import GroundingChecker, SourceText, split_sentences
from yizhu.safety.omission import ItemSource, check_omissions, source_items
from yizhu.safety.omission import summary as omission_summary

SKIP = {"医师签名"}
#: size limits of one verification (API and CLI alike): grounding is near-linear, but a request still
#: has to finish in seconds on a small server
MAX_DRAFT_CHARS = 100_000
MAX_SOURCE_CHARS = 300_000
MAX_SOURCES = 20
MAX_TOTAL_SOURCE_CHARS = 500_000
#: all the text a draft request's context may hold (documents, orders, diagnoses)
MAX_CONTEXT_CHARS = 500_000


def check_sizes(source: str | Sequence[str], draft: str) -> None:
    """Refuse inputs over the limits with a message naming the limit (InputError → 422 / exit 2)."""
    texts = [source] if isinstance(source, str) else list(source)
    if len(texts) > MAX_SOURCES:
        raise InputError(f"{len(texts)} sources given; the limit is {MAX_SOURCES}")
    for i, t in enumerate(texts, 1):
        if len(t) > MAX_SOURCE_CHARS:
            raise InputError(f"source {i} has {len(t)} characters; the limit is {MAX_SOURCE_CHARS}")
    total = sum(len(t) for t in texts)
    if total > MAX_TOTAL_SOURCE_CHARS:
        raise InputError(f"the sources hold {total} characters together; the limit is {MAX_TOTAL_SOURCE_CHARS}")
    if len(draft) > MAX_DRAFT_CHARS:
        raise InputError(f"the draft has {len(draft)} characters; the limit is {MAX_DRAFT_CHARS}")


def sources_from_text(text: str, *, name: str = "source") -> list[SourceText]:
    """A transcript → one source per turn; a note → one source per section (whole text if none)."""
    if looks_like_transcript(text):
        return [SourceText(t.source_id, t.text, ROLE_LABEL.get(t.role, t.speaker), t.role) for t in parse_transcript(text)]
    doc = parse_document(text, doc_id=name)
    out = [SourceText(f"{name}#{s.name}", s.text, s.name) for s in doc.sections if s.text.strip() and s.name not in SKIP]
    # the header (入院日期：…) and any text between sections are sources too: a date copied from them is supported
    covered = sorted((s.start, s.start + len(s.text)) for s in doc.sections)
    pos, k = 0, 0
    for a, b in [*covered, (len(text), len(text))]:
        gap = text[pos:a] if a > pos else ""
        if re.search(r"[\w\u4e00-\u9fff]", gap):
            k += 1
            out.append(SourceText(f"{name}#header" if pos == 0 else f"{name}#text{k}", gap, "页眉" if pos == 0 else "正文"))
        pos = max(pos, b)
    return out or [SourceText(name, text, name)]


def verify_note(source: str | Sequence[str], draft: str) -> dict[str, Any]:
    """``{"sentences": [{"section", "text", "status", "evidence", "reasons"}], "summary": {...},
    "omissions": [{"kind", "text", "source", "status", "reason"}]}``: what each sentence rests on, and which
    diagnoses, medications, allergies, results and plan items of the source the draft leaves out."""
    texts = [source] if isinstance(source, str) else list(source)
    check_sizes(texts, draft)
    if not draft.strip():
        raise InputError("the draft is empty: give a note with section headings (主诉：… 现病史：…)")
    sources: list[SourceText] = []
    for i, t in enumerate(texts):
        sources += sources_from_text(t, name="source" if len(texts) == 1 else f"source{i + 1}")
    checker = GroundingChecker(sources)
    doc = parse_document(draft, doc_id="draft")
    rows: list[dict[str, Any]] = []
    for sec in doc.sections:
        if sec.name in SKIP:
            continue
        for a, b in split_sentences(sec.text):
            text = sec.text[a:b]
            verdict = checker.check(text)
            rows.append({
                "section": sec.name,
                "text": text,
                "start": sec.start + a,
                "end": sec.start + b,
                "status": verdict.status,
                "evidence": [e.as_dict() for e in verdict.evidence],
                "reasons": verdict.reasons,
            })
    summary = {s: sum(1 for r in rows if r["status"] == s) for s in ("supported", "unsupported", "contradicted")}
    items = source_items([
        ItemSource(s.id, s.text, "turn", speaker=s.speaker) if s.speaker
        else ItemSource(s.id, s.text, "section", section=s.label) for s in sources
    ])
    body = "\n".join(sec.text for sec in doc.sections if sec.name not in SKIP) or draft
    checks = check_omissions(items, body)
    omissions = [c.as_dict() for c in checks if c.status != "included"]
    summary["omitted"] = sum(1 for o in omissions if o["status"] == "omitted")
    return {"doc_type": doc.doc_type, "sentences": rows, "summary": summary, "omissions": omissions,
            "coverage": omission_summary(checks),
            "sources": [{"id": s.id, "label": s.label, "text": s.text} for s in sources]}
