"""Everything a draft may rest on, as numbered sources: dialogue turns, note sections, orders, labs.

Each source has a stable id (``turn:3``, ``<doc id>#现病史``, ``order:M01``, ``lab:2``) used in the
draft's provenance, a short reference for prompts (``T3``, ``S2``, ``O1``, ``L4``) that costs the
model few tokens, and a label a clinician reads beside it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from yizhu.clinical.notes.transcript import ROLE_LABEL, Turn, parse_transcript
from yizhu.clinical.notes.types import DIALOGUE_DOC_TYPE, PRECONSULT_DOC_TYPE
from yizhu.core import ClinicalContext, ClinicalDocument, MedicationOrder
from yizhu.core.context import age_text
from yizhu.core.parsing import parse_document
from yizhu.safety.grounding import SourceText

SKIP_SECTIONS = {"医师签名"}
FLAG_MARK = {"H": "↑", "HH": "↑↑", "L": "↓", "LL": "↓↓", "A": "异常"}
SEX_CN = {"male": "男", "female": "女"}


@dataclass(frozen=True)
class NoteSource:
    """One source: id, kind, label, text, prompt reference; turns keep their speaker role."""

    id: str
    kind: str
    label: str
    text: str
    ref: str
    speaker: str | None = None
    section: str | None = None
    doc_type: str | None = None

    def as_source_text(self) -> SourceText:
        return SourceText(self.id, self.text, self.label, self.speaker)


def _fmt_dt(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else ""


def _num(value: float | str) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class SourceSet:
    """The numbered sources of one context, in a fixed order (dialogue, notes, record rows)."""

    def __init__(self, items: list[NoteSource], turns: list[Turn]) -> None:
        self.items = items
        self.turns = turns
        self.by_id = {s.id: s for s in items}
        self.by_ref = {s.ref: s for s in items}

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def of_kind(self, *kinds: str) -> list[NoteSource]:
        return [s for s in self.items if s.kind in kinds]

    def sections(self, name: str, doc_type: str | None = None) -> list[NoteSource]:
        """Sections with this canonical name (of a document type, when given), in document order."""
        return [s for s in self.items if s.kind == "section" and s.section == name and (doc_type is None or s.doc_type == doc_type)]

    def resolve(self, ref: str) -> NoteSource | None:
        """A source by prompt reference (T3) or id (turn:3); models sometimes write either."""
        r = ref.strip().strip("[]【】")
        return self.by_ref.get(r) or self.by_ref.get(r.upper()) or self.by_id.get(r)

    def grounding_sources(self) -> list[SourceText]:
        return [s.as_source_text() for s in self.items]


def _doc_sections(doc: ClinicalDocument) -> ClinicalDocument:
    if doc.sections or not doc.text:
        return doc
    parsed = parse_document(doc.text, doc_id=doc.id)
    return doc.model_copy(update={"sections": parsed.sections, "header": doc.header or parsed.header,
                                  "doc_type": doc.doc_type if doc.doc_type not in ("", "未知") else parsed.doc_type})


def _uncovered(doc: ClinicalDocument) -> list[tuple[str, str, str]]:
    """(id suffix, section name, text) of the header and of text between or after the parsed sections."""
    text = doc.text or ""
    spans = sorted((s.heading_start if s.heading_start is not None else s.start, s.start + len(s.text)) for s in doc.sections)
    if not text or not spans:
        return []
    out = []
    pos, k = 0, 0
    for a, b in [*spans, (len(text), len(text))]:
        gap = text[pos:a] if a > pos else ""
        # a gap is more than the next heading (出院诊断：) and blank lines
        body = re.sub(r"[\s　]*[\u4e00-\u9fff]{2,8}[：:]\s*$", "", gap).strip()
        if re.search(r"[\u4e00-\u9fff]{4,}|\d{4}-\d{2}-\d{2}", body):
            if pos == 0:
                out.append(("页眉", "页眉", body))
            else:
                k += 1
                out.append((f"正文.{k}", "正文", body))
        pos = max(pos, b)
    return out


def build_sources(ctx: ClinicalContext) -> SourceSet:
    """Sources of a context: turns of a dialogue, sections of notes, encounter facts, orders, labs."""
    items: list[NoteSource] = []
    turns: list[Turn] = []
    counters = {"T": 0, "S": 0, "O": 0, "L": 0, "D": 0, "A": 0, "F": 0}

    def ref(prefix: str) -> str:
        counters[prefix] += 1
        return f"{prefix}{counters[prefix]}"

    enc, patient = ctx.encounter, ctx.patient
    facts = []
    if patient is not None:
        parts = [p for p in (patient.name, SEX_CN.get(patient.sex.value, "")) if p]
        if patient.age_years is not None:
            parts.append(age_text(patient.age_years))
        if parts:
            facts.append(("patient", "患者", "，".join(parts)))
    if enc is not None:
        if enc.department:
            facts.append(("encounter:department", "科别", enc.department))
        if enc.admitted_at:
            label = "入院时间" if enc.encounter_class.value != "outpatient" else "就诊时间"
            facts.append(("encounter:admitted_at", label, _fmt_dt(enc.admitted_at)))
        if enc.discharged_at:
            facts.append(("encounter:discharged_at", "出院时间", _fmt_dt(enc.discharged_at)))
    for sid, label, text in facts:
        items.append(NoteSource(sid, "field", label, text, ref("F")))

    docs = [_doc_sections(d) for d in ctx.documents]
    dialogue = [d for d in docs if d.doc_type == DIALOGUE_DOC_TYPE]
    for d in dialogue:
        for t in parse_transcript(d.text):
            turns.append(t)
            items.append(NoteSource(t.source_id, "turn", ROLE_LABEL.get(t.role, t.speaker), t.text, ref("T"), speaker=t.role))
    seen: dict[str, int] = {}
    ordered = [d for d in docs if d.doc_type == PRECONSULT_DOC_TYPE] + [
        d for d in sorted((d for d in docs if d.doc_type not in (DIALOGUE_DOC_TYPE, PRECONSULT_DOC_TYPE)),
                          key=lambda d: d.recorded_at or datetime.min)
    ]
    for i, d in enumerate(ordered):
        did = d.id or f"doc{i + 1}"
        when = d.recorded_at.strftime("%m-%d") if d.recorded_at else ""
        for gid, name, text in _uncovered(d):
            # the header (入院日期：…) and text the parser left between sections (a progress note after an
            # operation record) are sources too, so nothing the clinician wrote is out of reach
            items.append(NoteSource(f"{did}#{gid}", "section", f"{d.doc_type}{(' ' + when) if when else ''}·{name}", text,
                                    ref("S"), section=name, doc_type=d.doc_type))
        for s in d.sections:
            if s.name in SKIP_SECTIONS or not s.text.strip():
                continue
            base = f"{did}#{s.name}"
            n = seen.get(base, 0)
            seen[base] = n + 1
            sid = base if n == 0 else f"{base}.{n + 1}"
            when = d.recorded_at.strftime("%m-%d") if d.recorded_at else ""
            label = f"{d.doc_type}{(' ' + when) if when else ''}·{s.name}"
            items.append(NoteSource(sid, "section", label, s.text, ref("S"), section=s.name, doc_type=d.doc_type))
    for i, dx in enumerate(ctx.diagnoses):
        text = dx.text + (f"（{dx.code}）" if dx.code else "")
        kind = {"admission": "入院诊断", "preliminary": "初步诊断", "discharge": "出院诊断", "outpatient": "门诊诊断"}
        items.append(NoteSource(f"dx:{i + 1}", "diagnosis", kind.get(dx.kind, "诊断"), text, ref("D")))
    for i, a in enumerate(ctx.allergies):
        text = f"{a.substance}过敏" + (f"（{a.reaction}）" if a.reaction else "")
        items.append(NoteSource(f"allergy:{i + 1}", "allergy", "过敏", text, ref("A")))
    for i, o in enumerate(ctx.orders):
        if o.status == "cancelled":
            continue
        when = o.ordered_at.strftime("%m-%d") if o.ordered_at else ""
        label = ("药嘱" if isinstance(o, MedicationOrder) else "医嘱") + (f" {when}" if when else "")
        items.append(NoteSource(f"order:{o.id or i + 1}", "order", label, o.text, ref("O")))
    for i, lab in enumerate(ctx.labs):
        mark = FLAG_MARK.get(lab.flag or "", "")
        when = lab.observed_at.strftime("%Y-%m-%d") if lab.observed_at else ""
        text = f"{lab.name} {_num(lab.value)}{lab.unit or ''}{mark}" + (f"（{when}）" if when else "")
        items.append(NoteSource(f"lab:{i + 1}", "lab", "检验", text, ref("L")))
    return SourceSet(items, turns)
