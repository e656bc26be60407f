"""Note types, their sections, and the shapes a draft takes (the ``yizhu note draft`` JSON contract).

One ``NoteSpec`` per note type says which sections it has, which of them the model writes (the
narrative) and which come from the record by rule (dates, diagnoses, discharge medicines: never
from the model's memory). One structured-output schema per note type (``llm_schema``) lets every
section call share the same system prompt, so a serving engine's prefix cache is reused.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

NoteType = Literal["discharge", "outpatient", "admission", "progress"]
NOTE_TYPES: tuple[NoteType, ...] = ("discharge", "outpatient", "admission", "progress")
#: what the parser and QC call a note of each type
DOC_TYPES: dict[str, str] = {
    "discharge": "出院记录",
    "outpatient": "门诊病历",
    "admission": "入院记录",
    "progress": "首次病程记录",
}
#: the document type a dialogue transcript and a pre-consultation record are stored as
DIALOGUE_DOC_TYPE = "医患对话"
PRECONSULT_DOC_TYPE = "预问诊记录"
Origin = Literal["llm", "record", "extractive"]
SentenceStatus = Literal["supported", "unsupported", "contradicted"]


@dataclass(frozen=True)
class NoteSpec:
    """Sections of one note type, in order, and how each is produced."""

    type: NoteType
    doc_type: str
    sections: tuple[str, ...]
    #: sections filled from the record by rule, whatever model is configured
    record_sections: tuple[str, ...] = ()
    #: one line of guidance per section, shown to the model
    guidance: tuple[tuple[str, str], ...] = ()

    @property
    def llm_sections(self) -> tuple[str, ...]:
        """Sections the model drafts (one call each at most)."""
        return tuple(s for s in self.sections if s not in self.record_sections)

    def hint(self, section: str) -> str:
        return dict(self.guidance).get(section, "")


SPECS: dict[NoteType, NoteSpec] = {
    "discharge": NoteSpec(
        "discharge", "出院记录",
        ("入院情况", "入院诊断", "诊疗经过", "出院诊断", "出院情况", "出院医嘱"),
        record_sections=("入院诊断", "出院诊断", "出院医嘱"),
        guidance=(
            ("入院情况", "入院原因（主诉）、入院时主要症状、体征和重要检查结果，2-4句"),
            ("诊疗经过", "住院期间的主要检查、治疗及其效果、病情变化，按时间顺序，3-6句"),
            ("出院情况", "出院时症状、体征和主要检查结果，1-3句"),
        ),
    ),
    "outpatient": NoteSpec(
        "outpatient", "门诊病历",
        ("主诉", "现病史", "既往史", "过敏史", "体格检查", "辅助检查", "初步诊断", "处理意见"),
        guidance=(
            ("主诉", "主要症状+持续时间，不超过20字，一句"),
            ("现病史", "起病时间、主要症状及特点、伴随症状、阴性症状、诊治经过"),
            ("既往史", "既往疾病、手术、长期用药；对话未提及则不写"),
            ("过敏史", "药物及食物过敏；对话未提及则不写"),
            ("体格检查", "只写医生在对话中明确说出的查体结果；没有就输出空列表"),
            ("辅助检查", "对话中提到的化验、影像等检查结果（数值照录）；没有就输出空列表"),
            ("初步诊断", "医生提到或对话支持的诊断，作为建议，每条一句"),
            ("处理意见", "检查、用药（药名、剂量、频次、疗程）、复诊时间等医生的安排"),
        ),
    ),
    "admission": NoteSpec(
        "admission", "入院记录",
        ("主诉", "现病史", "既往史", "个人史", "过敏史", "家族史", "体格检查", "辅助检查", "初步诊断"),
        guidance=(
            ("主诉", "主要症状+持续时间，不超过20字，一句"),
            ("现病史", "起病时间、主要症状及特点、伴随症状、阴性症状、诊治经过"),
            ("既往史", "既往疾病、手术、长期用药；对话未提及则不写"),
            ("个人史", "吸烟、饮酒、职业等；对话未提及则不写"),
            ("过敏史", "药物及食物过敏；对话未提及则不写"),
            ("家族史", "家族疾病；对话未提及则不写"),
            ("体格检查", "只写医生在对话中明确说出的查体结果；没有就输出空列表"),
            ("辅助检查", "对话或资料中已有的检查结果"),
            ("初步诊断", "医生提到或对话支持的诊断，作为建议，每条一句"),
        ),
    ),
    "progress": NoteSpec(
        "progress", "首次病程记录",
        ("病例特点", "拟诊讨论", "诊疗计划"),
        guidance=(
            ("病例特点", "患者基本情况、主诉、病史要点、查体和辅助检查的阳性发现，分条"),
            ("拟诊讨论", "诊断依据（引用病史、查体、检查）及需要鉴别的疾病，只用资料中的事实"),
            ("诊疗计划", "检查、治疗、护理和观察计划，分条"),
        ),
    ),
}


def spec_for(note_type: str) -> NoteSpec:
    """The spec of a note type; an unknown type fails with the known ones."""
    from yizhu.errors import InputError

    try:
        return SPECS[note_type]  # type: ignore[index]
    except KeyError:
        raise InputError(f"unknown note type '{note_type}'; use one of: {', '.join(NOTE_TYPES)}") from None


# ── what the model returns (one schema per note type) ────────────────────────────────────────


class LLMSentence(BaseModel):
    """One sentence the model wrote and the source ids (T3, S2, L1 …) it rests on."""

    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, max_length=300)
    sources: list[str] = Field(default_factory=list, max_length=8, description="ids of the sources used, e.g. T3")


@cache
def llm_schema(note_type: NoteType) -> type[BaseModel]:
    """The structured-output schema shared by every section call of a note type."""
    spec = SPECS[note_type]
    names = spec.llm_sections
    section_type: Any = Literal[names]  # type: ignore[valid-type]
    model = create_model(
        f"{note_type.capitalize()}SectionDraft",
        __config__=ConfigDict(extra="forbid"),
        section=(section_type, Field(description="the section being written")),
        sentences=(list[LLMSentence], Field(default_factory=list, max_length=20)),
    )
    model.__doc__ = f"One section of a {spec.doc_type} draft: sentences with the source ids they rest on."
    return model


# ── the draft (output contract) ──────────────────────────────────────────────────────────────


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ProvenanceOut(_Out):
    """An input span (source id + offsets into that source's text) or a knowledge citation."""

    kind: Literal["span", "citation"]
    source: str
    start: int | None = None
    end: int | None = None


class SentenceOut(_Out):
    """One sentence of the draft with its provenance and the grounding verdict."""

    text: str
    provenance: list[ProvenanceOut] = Field(default_factory=list)
    status: SentenceStatus = "supported"
    reasons: list[str] = Field(default_factory=list, description="why a sentence was flagged")


class SectionOut(_Out):
    """One section: who wrote it (llm, record, extractive) and its sentences."""

    name: str
    origin: Origin = "extractive"
    sentences: list[SentenceOut] = Field(default_factory=list)
    note: str | None = Field(default=None, description="e.g. 对话中未述及 — for the clinician to complete")


class SourceOut(_Out):
    """A source the draft rests on, as shown beside it."""

    id: str
    kind: str
    label: str
    text: str
    ref: str = Field(description="short id the prompt used, e.g. T3")


class Usage(_Out):
    """Model use for one draft: calls, tokens, and the prompt template identity."""

    llm_calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    prompt_id: str | None = None
    prompt_version: str | None = None
    prompt_sha256: str | None = None
    calls: list[dict[str, Any]] = Field(default_factory=list, description="per section: tokens, latency, model")


class NoteDraft(_Out):
    """A drafted note: the ``yizhu note draft --format json`` contract plus sources and usage."""

    type: NoteType
    doc_type: str
    sections: list[SectionOut]
    findings: list[dict[str, Any]] = Field(default_factory=list)
    model: str | None = None
    degraded: list[str] = Field(default_factory=list)
    text: str = Field(default="", description="the draft as a printed note (what QC checked)")
    qc: dict[str, Any] = Field(default_factory=dict, description="score and grade of the draft")
    sources: list[SourceOut] = Field(default_factory=list)
    usage: Usage = Field(default_factory=Usage)
    synthetic: bool = False
    omissions: list[dict[str, Any]] = Field(
        default_factory=list,
        description="diagnoses, medications, allergies, key results and plan items of the sources that the "
                    "draft leaves out: {kind, text, source, start, end, status: omitted|left_out, reason}",
    )
    coverage: dict[str, int] = Field(
        default_factory=dict, description="source items by omission status: included, left_out, omitted"
    )
    register_gate: list[dict[str, Any]] = Field(
        default_factory=list,
        description="the patient's clauses the register gate did not copy: {said, clause, written, verdict: "
                    "rebuilt|left_out, reason, source, start, end} — the words as said stay with the draft",
    )
    rx_alerts: list[dict[str, Any]] = Field(
        default_factory=list, description="prescription review of the drafted discharge medicines (rx alerts)"
    )

    def omitted(self) -> list[dict[str, Any]]:
        """Source items the draft neither carries nor marks as left out."""
        return [o for o in self.omissions if o.get("status") == "omitted"]

    def counts(self) -> dict[str, int]:
        """Sentences per grounding status."""
        out = {"supported": 0, "unsupported": 0, "contradicted": 0}
        for s in self.sections:
            for x in s.sentences:
                out[x.status] += 1
        return out
