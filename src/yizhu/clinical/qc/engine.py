"""The QC engine: run the rules on a document (real time) or an encounter (终末质控), score and grade.

Score is 百分制: 100 minus the points of every finding (never below 0); grade 甲 ≥ 90, 乙 75–89.9, 丙 < 75
(the common provincial thresholds; a hospital can change them in ``GRADES``). A 单项否决 finding (the
``vetoes`` of rules.yaml) caps the grade at 丙 whatever the points. A record with no clinical note of a
known type (empty, non-clinical text, an untitled fragment) is reported as such and not graded (未评级).

Two modes: ``document`` checks notes as they are, each alone, and skips (and lists) the rules of
``scope: encounter`` that need the encounter's other documents; ``encounter`` runs every rule because the
encounter's documents are given (a stored encounter, a FHIR Bundle, a directory of one admission).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from yizhu.clinical.qc.rules import (
    NOT_CLINICAL_RULE,
    DocView,
    QCInput,
    Rule,
    RuleSet,
    default_rules,
    run_rule,
)
from yizhu.core import ClinicalContext, ClinicalDocument, Finding, Result, Severity, Span
from yizhu.core.context import parse_age, parse_datetime
from yizhu.core.models import Sex, parse_sex
from yizhu.core.parsing import UNKNOWN_TYPE, parse_document

GRADES: tuple[tuple[float, str], ...] = ((90.0, "甲"), (75.0, "乙"), (0.0, "丙"))
UNGRADED = "未评级"
_GRADE_RANK = {"甲": 0, "乙": 1, "丙": 2}
Mode = Literal["document", "encounter"]
#: ``ctx.extra`` key a caller sets to run the task in a given mode (a stored encounter: "encounter")
QC_MODE_KEY = "qc_mode"
TASK_NAME = "qc.record"
TASK_VERSION = "1.0.0"


def grade_for(score: float) -> str:
    """甲 / 乙 / 丙 for a score."""
    for threshold, grade in GRADES:
        if score >= threshold:
            return grade
    return "丙"


def _ensure_parsed(doc: ClinicalDocument) -> ClinicalDocument:
    if doc.sections or not doc.text:
        return doc
    parsed = parse_document(doc.text, doc_id=doc.id)
    return doc.model_copy(
        update={
            "sections": parsed.sections,
            "header": doc.header or parsed.header,
            "doc_type": doc.doc_type if doc.doc_type not in ("", "未知") else parsed.doc_type,
        }
    )


def build_input(ctx: ClinicalContext, knowledge: Any = None) -> QCInput:
    """Parse what is unparsed and gather the patient facts the checks read."""
    docs = [_ensure_parsed(d) for d in ctx.documents]
    views = [
        DocView(doc=d, recorded_at=d.recorded_at or parse_datetime(d.header.get("记录日期") or d.header.get("记录时间")))
        for d in docs
    ]
    headers = [d.header for d in docs]

    def first(*keys: str) -> str | None:
        for h in headers:
            for k in keys:
                if h.get(k):
                    return h[k]
        return None

    sex = ctx.patient.sex if ctx.patient and ctx.patient.sex is not Sex.unknown else None
    if sex is None:
        sex = parse_sex(first("性别"), strict=False)
    age = None
    if ctx.patient is not None:
        when = ctx.encounter.admitted_at.date() if ctx.encounter and ctx.encounter.admitted_at else None
        age = ctx.patient.age_on(when) if when else ctx.patient.age_years
    if age is None:
        age = parse_age(first("年龄"))
    enc = ctx.encounter
    admitted = (enc.admitted_at if enc else None) or parse_datetime(first("入院日期", "入院时间"))
    discharged = (enc.discharged_at if enc else None) or parse_datetime(first("出院日期", "出院时间"))
    return QCInput(
        ctx=ctx.model_copy(update={"documents": docs}), docs=views, sex=sex, age=age,
        admitted_at=admitted, discharged_at=discharged, knowledge=knowledge,
    )


@dataclass
class QCReport:
    """Findings, score and grade for a record, with per-document breakdown."""

    findings: list[Finding]
    score: float | None
    grade: str
    documents: list[dict[str, Any]] = field(default_factory=list)
    rules_version: str = ""
    semantic: Any = None  # SemanticOutcome when the model checks ran
    mode: Mode = "encounter"
    skipped_rules: list[dict[str, str]] = field(default_factory=list)
    vetoes: list[dict[str, Any]] = field(default_factory=list)

    @property
    def gradable(self) -> bool:
        """False when no document is a clinical note of a known type (then score is None, grade 未评级)."""
        return self.grade != UNGRADED

    def summary_json(self) -> dict[str, Any]:
        """Mode, grading status, vetoes applied and rules skipped: what every output carries."""
        return {
            "mode": self.mode,
            "gradable": self.gradable,
            "vetoes": self.vetoes,
            "skipped_rules": self.skipped_rules,
        }

    def as_document_json(self, name: str | None = None) -> dict[str, Any]:
        """The ``yizhu qc FILE --format json`` contract for a one-document record."""
        doc = self.documents[0] if self.documents else {}
        return {
            "document": name or doc.get("id") or "",
            "doc_type": doc.get("doc_type", "未知"),
            "score": self.score,
            "grade": self.grade,
            "findings": [finding_json(f) for f in self.findings],
            **self.summary_json(),
        }


def finding_json(f: Finding) -> dict[str, Any]:
    """A finding in the flat shape of the QC contract."""
    return {
        "rule_id": f.rule_id,
        "severity": f.severity.value,
        "category": f.category,
        "message": f.message,
        "section": f.section,
        "start": f.evidence.start if f.evidence else None,
        "end": f.evidence.end if f.evidence else None,
        "source": f.source,
        "document": f.data.get("document"),
        "points": f.data.get("points", 0),
        "model_generated": f.model_generated,
    }


def score_of(findings: list[Finding]) -> float:
    """100 minus the points of every finding, never below 0."""
    return round(max(0.0, 100.0 - sum(float(f.data.get("points", 0)) for f in findings)), 1)


def not_clinical_reason(doc: ClinicalDocument) -> str | None:
    """Why a document is not a clinical note of a known type (None when it is one)."""
    text = doc.text.strip()
    if not text and not doc.sections:
        return "空文档"
    if doc.doc_type in ("", UNKNOWN_TYPE):
        known = sum(1 for s in doc.sections if s.known and s.heading)  # an untitled body (正文) is no section
        if known == 0:
            return "未识别出病历文书类型，也无病历栏目（非临床文本或片段）"
        return f"未识别出病历文书类型（仅 {known} 个病历栏目，无标题）"
    return None


def _not_clinical_finding(doc: ClinicalDocument, reason: str) -> Finding:
    preview = doc.text.strip().replace("\n", " ")[:20]
    return Finding(
        rule_id=NOT_CLINICAL_RULE,
        severity=Severity.critical,
        category="completeness",
        message=f"不是可识别类型的临床病历文书：{reason}" + (f"（“{preview}”）" if preview else "") + "，不予评分。",
        evidence=Span(start=0, end=len(doc.text), text=doc.text[:200], source=doc.id) if doc.text else None,
        source="《病历书写基本规范》2010 第二条（病历的定义）；yizhu 文书类型识别",
        data={"points": 0, "document": doc.id, "doc_type": doc.doc_type},
    )


def apply_vetoes(ruleset: RuleSet, findings: list[Finding], grade: str) -> tuple[str, list[dict[str, Any]]]:
    """Cap the grade for each 单项否决 item that has a finding; returns (grade, vetoes applied)."""
    applied = []
    for v in ruleset.vetoes:
        hits = [f for f in findings if f.rule_id in v.rules and not f.model_generated]
        if not hits:
            continue
        applied.append({"id": v.id, "cap": v.cap, "reason": v.reason, "source": v.source,
                        "rule_ids": sorted({f.rule_id for f in hits})})
        if grade in _GRADE_RANK and _GRADE_RANK[v.cap] > _GRADE_RANK[grade]:
            grade = v.cap
    return grade, applied


def evaluate(
    ctx: ClinicalContext,
    *,
    rules: RuleSet | None = None,
    categories: set[str] | None = None,
    only: set[str] | None = None,
    with_llm: bool = False,
    mode: Mode | None = None,
) -> QCReport:
    """Run every enabled rule on a context and score it; ``with_llm`` adds the model's semantic checks
    (cited, marked model-generated, 0 points) when a model serves ``qc.semantic``.

    ``mode``: ``document`` skips rules of ``scope: encounter`` (listed in ``skipped_rules``);
    ``encounter`` runs them; None picks ``document`` for one document and ``encounter`` for several."""
    ruleset = rules or default_rules()
    mode = mode or ("document" if len(ctx.documents) <= 1 else "encounter")
    qi = build_input(ctx)
    findings: list[Finding] = []
    selected: list[Rule] = [
        r for r in ruleset.rules
        if r.enabled and (categories is None or r.category in categories) and (only is None or r.id in only)
    ]
    skipped = [r for r in selected if mode == "document" and r.scope == "encounter"]
    for rule in selected:
        if rule in skipped or (rule.doc_types and not qi.of_type(*rule.doc_types)):
            continue
        findings.extend(run_rule(rule, qi))
    unrecognised = {d.doc.id: reason for d in qi.docs if (reason := not_clinical_reason(d.doc))}
    findings.extend(_not_clinical_finding(d.doc, unrecognised[d.doc.id]) for d in qi.docs if d.doc.id in unrecognised)
    semantic = None
    if with_llm:
        from yizhu.clinical.qc.semantic import semantic_findings

        semantic = semantic_findings(qi.ctx)
        findings.extend(semantic.findings)
    gradable = bool(qi.docs) and len(unrecognised) < len(qi.docs)
    score: float | None = score_of(findings) if gradable else None
    grade, vetoes = apply_vetoes(ruleset, findings, grade_for(score) if score is not None else UNGRADED)
    per_doc = []
    for d in qi.docs:
        doc_findings = [f for f in findings if f.data.get("document") == d.doc.id]
        per_doc.append(
            {
                "id": d.doc.id, "doc_type": d.doc.doc_type, "recorded_at": d.recorded_at,
                "findings": len(doc_findings),
                "score": score_of(doc_findings) if d.doc.id not in unrecognised else None,
                "recognised": d.doc.id not in unrecognised,
            }
        )
    return QCReport(
        findings=findings, score=score, grade=grade, documents=per_doc, rules_version=ruleset.version,
        semantic=semantic, mode=mode, vetoes=vetoes,
        skipped_rules=[{"rule_id": r.id, "message": r.message.split("：")[0].rstrip("。")} for r in skipped],
    )


def check_document(text: str, *, doc_id: str | None = None, context: ClinicalContext | None = None) -> QCReport:
    """Real-time QC of one note as it is being written (optionally with its encounter's context): document
    mode, so rules that need the encounter's other documents are skipped and listed, never reported."""
    doc = parse_document(text, doc_id=doc_id or "document")
    ctx = (context or ClinicalContext()).model_copy(update={"documents": [doc]})
    return evaluate(ctx, mode="document")


class QCTask:
    """病历质控: completeness, timeliness, consistency, standardisation and copy-paste rules, scored."""

    name = TASK_NAME
    version = TASK_VERSION
    #: who may run it and decide on its findings (see yizhu.clinical.registry.task_roles)
    run_roles = ("clinician", "qc_officer")
    decide_roles = ("clinician", "qc_officer")
    decisions = ("accept", "reject")

    def run(self, ctx: ClinicalContext) -> Result:
        """QC one context (a document or a whole encounter); semantic checks when a model is configured."""
        mode = ctx.extra.get(QC_MODE_KEY)
        report = evaluate(ctx, with_llm=True, mode=mode if mode in ("document", "encounter") else None)
        semantic = report.semantic
        return Result(
            task=self.name,
            task_version=self.version,
            output={
                "score": report.score,
                "grade": report.grade,
                **report.summary_json(),
                "rules_version": report.rules_version,
                "semantic_untraceable_dropped": semantic.dropped_untraceable,
                "documents": [{**d, "recorded_at": d["recorded_at"].isoformat() if d["recorded_at"] else None}
                              for d in report.documents],
            },
            findings=report.findings,
            degraded=semantic.degraded,
            model=semantic.model,
            prompt_version=semantic.prompt_sha256,
        )
