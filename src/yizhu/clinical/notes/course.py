"""诊疗经过 of a 出院记录 from the dated entries of the course notes (``course.yaml``).

A printed 病程记录 is often one block of dated entries (``2026-12-03 14:00　手术记录摘要`` then its text). Each
entry is read sentence by sentence; a sentence that tells the course — a procedure or operation done, a key
result (imaging, pathology, a lab read out, a diagnosis confirmed or ruled out), a drug started, stopped or
switched — is copied as written after the entry's date, and cites both the date and the sentence. Sentences
that only say how the patient is (无发热, 切口干燥, 今日出院) are left for 出院情况.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from yizhu.clinical.notes.sources import PRECONSULT_DOC_TYPE, NoteSource, SourceSet
from yizhu.clinical.notes.types import ProvenanceOut, SentenceOut
from yizhu.datafile import load_yaml_model
from yizhu.safety.entities import extract
from yizhu.safety.grounding import split_sentences

COURSE_FILE = Path(__file__).parent / "course.yaml"


class CourseRules(BaseModel):
    """``course.yaml``: the cue words of a course sentence, by what it tells."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    source: str = Field(min_length=10)
    procedure: tuple[str, ...] = Field(min_length=1)
    result: tuple[str, ...] = Field(min_length=1)
    drug_change: tuple[str, ...] = Field(min_length=1)
    status_only: tuple[str, ...] = ()
    treatment: tuple[str, ...] = ()
    giving: tuple[str, ...] = ()
    reactions: tuple[str, ...] = ()
    reaction_after: tuple[str, ...] = ()
    operation_findings: tuple[str, ...] = ()
    per_entry: int = Field(default=3, ge=1)
    total: int = Field(default=12, ge=1)


@lru_cache(maxsize=1)
def course_rules() -> CourseRules:
    return load_yaml_model(COURSE_FILE, CourseRules, "course rules")


#: sections of a later note that are not the course: diagnoses and orders have their own sections
NOT_COURSE = {"出院诊断", "出院医嘱", "出院带药", "初步诊断", "入院诊断", "术前诊断", "术后诊断", "病例特点", "拟诊讨论",
              "医师签名", "主诉", "现病史", "既往史", "过敏史", "体格检查", "辅助检查"}
#: a dated entry: the date (and time) opening a line, then the entry's title on the same line
_ENTRY = re.compile(r"(?m)^[ \t\u3000]*(?P<date>\d{4}(?:-\d{1,2}-\d{1,2}|/\d{1,2}/\d{1,2}|\.\d{1,2}\.\d{1,2}|年\d{1,2}月\d{1,2}日))"
                    r"(?:[ \t\u3000]*\d{1,2}[:：]\d{2})?[ \t\u3000]*(?P<title>[^\n]*)$")


@dataclass(frozen=True)
class Entry:
    """One dated entry of a course note: where its date is (``date_src``) and where its text is (``src``)."""

    src: NoteSource
    date: str
    date_src: NoteSource
    date_at: int
    title: str
    start: int
    end: int


def course_entries(S: SourceSet) -> list[Entry]:
    """The dated entries of every course note (not the admission note, not a pre-consultation form), by date.
    A section with no date of its own continues the entry dated last in its document (a 手术记录 whose date
    line was read as its header)."""
    out: list[Entry] = []
    last: tuple[str, str, NoteSource, int, str] | None = None  # (document, date, where, at, title)
    for src in S.of_kind("section"):
        doc = src.id.split("#", 1)[0]
        if last is not None and last[0] != doc:
            last = None
        if src.doc_type in ("入院记录", PRECONSULT_DOC_TYPE) or src.section in NOT_COURSE:
            continue
        marks = list(_ENTRY.finditer(src.text))
        first = marks[0].start() if marks else len(src.text)
        if last is not None and src.text[:first].strip():
            out.append(Entry(src, last[1], last[2], last[3], last[4], 0, first))
        for i, m in enumerate(marks):
            end = marks[i + 1].start() if i + 1 < len(marks) else len(src.text)
            title = m.group("title").strip()
            out.append(Entry(src, m.group("date"), src, m.start("date"), title, m.end(), end))
            last = (doc, m.group("date"), src, m.start("date"), title)
    out.sort(key=lambda e: (e.date, e.date_src.text[e.date_at:e.date_at + 16]))
    return out


def course_kind(sentence: str) -> str | None:
    """What a course sentence tells: ``procedure``, ``result``, ``drug`` — or None (how the patient is)."""
    r = course_rules()
    if any(w in sentence for w in r.status_only) and len(sentence) < 30:
        return None
    drugs = [m for m in extract(sentence) if m.type == "drug"]
    if drugs and any(w in sentence for w in r.drug_change):
        return "drug"
    # 予0.9%氯化钠注射液快速静脉补液, 胰岛素0.1U/kg/h持续静脉泵入, 加强补钾: a treatment given, though no pack drug is named
    if any(w in sentence for w in r.treatment) and any(w in sentence for w in (*r.giving, *r.drug_change)):
        return "drug"
    if any(w in sentence for w in r.procedure) and re.search(r"[行]|术|植入|置入|化疗|放疗", sentence):
        return "procedure"
    if any(w in sentence for w in r.result):
        return "result"
    return None


def course_sentences(S: SourceSet, have: str = "") -> list[SentenceOut]:
    """诊疗经过 sentences: each telling sentence of each dated entry, after its date, citing both; a sentence
    already in ``have`` (the course drafted so far, e.g. the copied 诊疗计划) is not said twice."""
    r = course_rules()
    out: list[SentenceOut] = []
    for e in course_entries(S):
        body = e.src.text[e.start:e.end]
        told: list[tuple[int, int, int]] = []  # (rank, start, end): what was done before what was found
        for a, b in split_sentences(body):
            text = body[a:b].strip()
            # the trailing heading of the discharge entry (出院诊断：…) is no course sentence
            kind = None if re.match(r"(?:出院诊断|出院带药|出院医嘱|诊疗计划)[:：]", text) else course_kind(text)
            if kind is not None and re.sub(r"\s", "", text) in re.sub(r"\s", "", have):
                continue
            if kind is not None:
                # the pathology of an operation leads what the entry found (术后病理：…，淋巴结0/16)
                rank = -1 if re.search(r"病理|免疫组化", text) else 0 if kind in ("procedure", "drug") else 1
                told.append((rank, a, b))
        chosen = sorted(sorted(told)[:r.per_entry], key=lambda x: x[1])
        dated = False
        for _, a, b in chosen:
            if len(out) >= r.total:
                break
            text = body[a:b].strip()
            prov = [ProvenanceOut(kind="span", source=e.src.id, start=e.start + a, end=e.start + b)]
            if not dated:
                prov.insert(0, ProvenanceOut(kind="span", source=e.date_src.id, start=e.date_at,
                                             end=e.date_at + len(e.date)))
                text = f"{e.date}，{text}"
                dated = True
            out.append(SentenceOut(text=text if text.endswith(("。", "！", "？")) else text + "。", provenance=prov))
    return out


def operation_facts(text: str, offset: int = 0, limit: int = 3) -> list[tuple[int, int]]:
    """The spans of the key facts of an operation or delivery record (娩出一活男婴，体重3350g，Apgar评分…; 术中出血
    300ml; 术中见阑尾化脓穿孔): the sentences naming an ``operation_findings`` word, at most ``limit``."""
    words = course_rules().operation_findings
    out = []
    for a, b in split_sentences(text):
        if any(w in text[a:b] for w in words):
            out.append((offset + a, offset + b))
    return out[:limit]


_NEGATED = re.compile(r"(?:无|未|没有|否认|未见|未再)[^，,。；;]{0,4}$")


@dataclass(frozen=True)
class _Named:
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Reaction:
    """A drug and the reaction it caused, as a sentence of the record tells it (阿莫西林 → 荨麻疹)."""

    drug: str
    reaction: str
    start: int
    end: int


def drug_reactions(text: str) -> list[Reaction]:
    """The allergies and adverse reactions a record tells in its own words: a pack drug, then — in the same
    sentence, after a word of time (后, 过程中) — a reaction of ``course.yaml`` that is not denied (既往用阿莫西林
    无过敏 is none). ``start``/``end`` span the drug's name."""
    from yizhu.knowledge.allergy import model_for
    from yizhu.knowledge.packs import get_kb

    r = course_rules()
    allergy = model_for(get_kb())
    out: list[Reaction] = []
    for a, b in split_sentences(text):
        sent = text[a:b]
        drugs: list[_Named] = [_Named(m.text, m.start, m.end) for m in extract(sent) if m.type == "drug" and not m.negated]
        # a drug class the allergy model knows (服用磺胺类药物后出现皮疹) names the allergen as well as a drug does
        drugs += [_Named(sent[x.start:x.end], x.start, x.end) for x in allergy.allergen_terms(sent)
                  if not any(d.start < x.end and x.start < d.end for d in drugs)
                  and not _NEGATED.search(sent[max(0, x.start - 6):x.start])]
        drugs.sort(key=lambda d: d.start)
        for m in drugs:
            rest = sent[m.end:]
            tied = [rest.find(w) for w in r.reaction_after if 0 <= rest.find(w) <= 12]
            if not tied:
                continue
            after = rest[min(tied):]
            found = [(after.find(w), w) for w in r.reactions if w in after]
            found = [(i, w) for i, w in found if not _NEGATED.search(after[:i])]
            if not found:
                continue
            name = min(found, key=lambda x: r.reactions.index(x[1]))[1]
            if all(x.drug != m.text for x in out):
                out.append(Reaction(m.text, name, a + m.start, a + m.end))
            break
    return out


__all__ = ["CourseRules", "Entry", "Reaction", "course_entries", "course_kind", "course_rules", "course_sentences", "drug_reactions", "operation_facts"]
