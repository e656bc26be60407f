"""The QC engine: run the rules on a document (real time) or an encounter (终末质控), score and grade.

Score is 百分制: 100 minus the points of every finding (never below 0); grade 甲 ≥ 90, 乙 75–89.9, 丙 < 75
(the common provincial thresholds; a hospital can change them in ``GRADES``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from yizhu.clinical.qc.rules import DocView, QCInput, Rule, RuleSet, default_rules, run_rule
from yizhu.core import ClinicalContext, ClinicalDocument, Finding, Result
from yizhu.core.context import parse_age, parse_datetime
from yizhu.core.models import Sex
from yizhu.core.parsing import parse_document

GRADES: tuple[tuple[float, str], ...] = ((90.0, "甲"), (75.0, "乙"), (0.0, "丙"))
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
        sex = {"男": Sex.male, "女": Sex.female}.get((first("性别") or "").strip(), Sex.unknown)
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
    score: float
    grade: str
    documents: list[dict[str, Any]] = field(default_factory=list)
    rules_version: str = ""
    semantic: Any = None  # SemanticOutcome when the model checks ran

    def as_document_json(self, name: str | None = None) -> dict[str, Any]:
        """The ``yizhu qc FILE --format json`` contract for a one-document record."""
        doc = self.documents[0] if self.documents else {}
        return {
            "document": name or doc.get("id") or "",
            "doc_type": doc.get("doc_type", "未知"),
            "score": self.score,
            "grade": self.grade,
            "findings": [finding_json(f) for f in self.findings],
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


def evaluate(
    ctx: ClinicalContext,
    *,
    rules: RuleSet | None = None,
    categories: set[str] | None = None,
    only: set[str] | None = None,
    with_llm: bool = False,
) -> QCReport:
    """Run every enabled rule on a context and score it; ``with_llm`` adds the model's semantic checks
    (cited, marked model-generated, 0 points) when a model serves ``qc.semantic``."""
    ruleset = rules or default_rules()
    qi = build_input(ctx)
    findings: list[Finding] = []
    selected: list[Rule] = [
        r for r in ruleset.rules
        if r.enabled and (categories is None or r.category in categories) and (only is None or r.id in only)
    ]
    for rule in selected:
        if rule.doc_types and not qi.of_type(*rule.doc_types):
            continue
        findings.extend(run_rule(rule, qi))
    semantic = None
    if with_llm:
        from yizhu.clinical.qc.semantic import semantic_findings

        semantic = semantic_findings(qi.ctx)
        findings.extend(semantic.findings)
    score = score_of(findings)
    per_doc = []
    for d in qi.docs:
        doc_findings = [f for f in findings if f.data.get("document") == d.doc.id]
        per_doc.append(
            {
                "id": d.doc.id, "doc_type": d.doc.doc_type, "recorded_at": d.recorded_at,
                "findings": len(doc_findings), "score": score_of(doc_findings),
            }
        )
    return QCReport(
        findings=findings, score=score, grade=grade_for(score), documents=per_doc, rules_version=ruleset.version,
        semantic=semantic,
    )


def check_document(text: str, *, doc_id: str | None = None, context: ClinicalContext | None = None) -> QCReport:
    """Real-time QC of one note as it is being written (optionally with its encounter's context)."""
    doc = parse_document(text, doc_id=doc_id or "document")
    ctx = (context or ClinicalContext()).model_copy(update={"documents": [doc]})
    return evaluate(ctx)


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
        report = evaluate(ctx, with_llm=True)
        semantic = report.semantic
        return Result(
            task=self.name,
            task_version=self.version,
            output={
                "score": report.score,
                "grade": report.grade,
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
