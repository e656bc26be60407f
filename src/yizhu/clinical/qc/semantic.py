"""LLM-assisted QC: does 现病史/体格检查/辅助检查 support the 初步诊断? Only with a configured model.

The model sees numbered sentences and must cite the ones each concern rests on; a concern citing no
valid sentence cannot be traced and is dropped (and counted). Findings are marked ``model_generated``
and point at the cited sentence; the deterministic rules never depend on this check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from yizhu.clinical.qc.checks import diagnosis_items
from yizhu.core import ClinicalContext, ClinicalDocument, Finding, Severity, Span
from yizhu.errors import ModelError

TASK = "qc.semantic"
RULE_ID = "qc.semantic.hpi_supports_diagnosis.v1"
SOURCE = "《病历书写基本规范》2010 第二十二条（一）（诊断依据）；模型辅助质控意见，须人工复核"
PROMPTS = Path(__file__).with_name("prompts")
_SENT = re.compile(r"[^。；;！!？?\n]+[。；;！!？?]?")


class Concern(BaseModel):
    """One problem the model raises, citing the sentences it rests on."""

    model_config = ConfigDict(extra="forbid")
    message: str = Field(max_length=120, description="问题描述，一句话")
    diagnosis: str = Field(default="", max_length=60, description="涉及的诊断")
    sentence_ids: list[int] = Field(default_factory=list, description="所依据的句子编号")


class SemanticVerdict(BaseModel):
    """The model's answer."""

    model_config = ConfigDict(extra="forbid")
    concerns: list[Concern] = Field(default_factory=list, max_length=10)


@dataclass
class SemanticOutcome:
    findings: list[Finding] = field(default_factory=list)
    model: str | None = None
    prompt_sha256: str | None = None
    dropped_untraceable: int = 0
    degraded: list[str] = field(default_factory=list)


def _sentences(doc: ClinicalDocument) -> list[tuple[int, str, int, int]]:
    """(id, section, start, end) for sentences of the sections a diagnosis rests on."""
    out: list[tuple[int, str, int, int]] = []
    for name in ("主诉", "现病史", "体格检查", "专科检查", "辅助检查"):
        s = doc.section(name)
        if s is None:
            continue
        for m in _SENT.finditer(doc.text, s.start, s.end):
            text = m.group(0).strip()
            if len(text) >= 4:
                out.append((len(out) + 1, name, m.start(), m.end()))
    return out


def semantic_findings(ctx: ClinicalContext) -> SemanticOutcome:
    """Run the semantic check on the context's 入院记录/门诊病历, if a model serves ``qc.semantic``."""
    from yizhu.llm import PromptLibrary
    from yizhu.llm.runtime import current_gateway
    from yizhu.privacy.known import record_identifiers

    outcome = SemanticOutcome()
    gateway = current_gateway()
    if not gateway.has_model(TASK):
        outcome.degraded.append("no_llm")
        return outcome
    library = PromptLibrary(PROMPTS)
    for doc in ctx.documents:
        if doc.doc_type not in ("入院记录", "门诊病历"):
            continue
        dx_section = doc.section("初步诊断")
        sentences = _sentences(doc)
        if dx_section is None or not sentences:
            continue
        diagnoses = [name for _, _, name in diagnosis_items(dx_section.text)]
        prompt = library.render(
            TASK,
            sentences=[{"id": i, "section": sec, "text": doc.text[a:b].strip()} for i, sec, a, b in sentences],
            diagnoses=diagnoses,
        )
        try:
            answer = gateway.structured(
                TASK, prompt, SemanticVerdict, patient_key=ctx.patient.id if ctx.patient else None,
                identifiers=record_identifiers(ctx),
            )
        except ModelError as exc:
            outcome.degraded.append(getattr(exc, "degraded", "llm_failed"))
            continue
        outcome.model = answer.completion.model
        outcome.prompt_sha256 = prompt.sha256
        by_id = {i: (sec, a, b) for i, sec, a, b in sentences}
        for concern in answer.value.concerns:
            cited = [by_id[i] for i in concern.sentence_ids if i in by_id]
            if not cited:
                outcome.dropped_untraceable += 1
                continue
            sec, a, b = cited[0]
            outcome.findings.append(
                Finding(
                    rule_id=RULE_ID,
                    severity=Severity.info,
                    category="semantic",
                    message=f"[模型意见] {concern.message}",
                    evidence=Span(start=a, end=b, text=doc.text[a:b], source=doc.id),
                    section=sec,
                    source=SOURCE,
                    model_generated=True,
                    data={
                        "points": 0, "document": doc.id, "doc_type": doc.doc_type, "model": outcome.model,
                        "diagnosis": concern.diagnosis,
                        "cited": [{"section": s_, "start": a_, "end": b_} for s_, a_, b_ in cited],
                    },
                )
            )
    return outcome
