"""Task ``document.structure``: which required sections a note lacks for its type.

The first real task, proving the path request → parse → engine → Result → audit end to end. The
full QC engine (clinical/qc) extends this with content, timeliness and consistency rules.
"""

from __future__ import annotations

from yizhu.core import ClinicalContext, ClinicalDocument, Finding, Provenance, Result, Severity, Span
from yizhu.core.parsing import REQUIRED_SECTIONS, UNKNOWN_TYPE, parse_document

SOURCE = "《病历书写基本规范》(卫医政发〔2010〕11号), 2010"

#: clause of the regulation that lists each document type's contents
CLAUSES: dict[str, str] = {
    "入院记录": "第十八条",
    "首次病程记录": "第二十二条（一）",
    "出院记录": "第二十二条（二十）",
    "门诊病历": "第十三条、第十四条",
    "手术记录": "第二十二条（十五）",
    "24小时内入出院记录": "第二十条",
    "会诊记录": "第二十二条（十）",
}


class DocumentStructureTask:
    """Reports missing required sections and unrecognised headings of each document."""

    name = "document.structure"
    version = "1.0.0"
    #: who may run it and decide on its findings (see yizhu.clinical.registry.task_roles)
    run_roles = ("clinician", "qc_officer")
    decide_roles = ("clinician", "qc_officer")
    decisions = ("accept", "reject")

    def run(self, ctx: ClinicalContext) -> Result:
        """Check every document of the context."""
        findings: list[Finding] = []
        summary: list[dict[str, object]] = []
        for doc in ctx.documents:
            doc = doc if doc.sections or not doc.text else _reparse(doc)
            doc_findings = self.check(doc)
            findings.extend(doc_findings)
            summary.append(
                {
                    "document": doc.id,
                    "doc_type": doc.doc_type,
                    "sections": [s.name for s in doc.sections],
                    "missing": [f.data["section"] for f in doc_findings if f.category == "completeness"],
                }
            )
        return Result(
            task=self.name,
            task_version=self.version,
            output={"documents": summary},
            findings=findings,
            provenance=[
                Provenance(kind="span", source=f"{d.id or 'document'}", start=0, end=len(d.text))
                for d in ctx.documents
            ],
        )

    def check(self, doc: ClinicalDocument) -> list[Finding]:
        """Findings for one parsed document."""
        out: list[Finding] = []
        if doc.doc_type == UNKNOWN_TYPE:
            out.append(
                Finding(
                    rule_id="structure.document_type.v1",
                    severity=Severity.minor,
                    category="standardisation",
                    message="未能识别病历类型：首行应为标题（如 入院记录、出院记录）。",
                    source=SOURCE,
                    data={"document": doc.id},
                )
            )
        present = {s.name for s in doc.sections}
        clause = CLAUSES.get(doc.doc_type, "")
        for name in REQUIRED_SECTIONS.get(doc.doc_type, ()):
            if name not in present:
                out.append(
                    Finding(
                        rule_id=f"structure.{_slug(doc.doc_type)}.required_section.v1",
                        severity=Severity.major,
                        category="completeness",
                        message=f"{doc.doc_type}缺少「{name}」。",
                        section=name,
                        source=f"{SOURCE} {clause}".strip(),
                        data={"document": doc.id, "section": name},
                    )
                )
        for s in doc.sections:
            if not s.known and s.heading_start is not None:
                out.append(
                    Finding(
                        rule_id="structure.unknown_heading.v1",
                        severity=Severity.info,
                        category="standardisation",
                        message=f"非标准段落标题「{s.heading}」，已保留原文。",
                        section=s.name,
                        evidence=Span(start=s.heading_start, end=s.start, text=doc.text[s.heading_start : s.start]),
                        source=SOURCE,
                        data={"document": doc.id},
                    )
                )
        return out


def _reparse(doc: ClinicalDocument) -> ClinicalDocument:
    parsed = parse_document(doc.text, doc_id=doc.id)
    return doc.model_copy(update={"sections": parsed.sections, "doc_type": doc.doc_type or parsed.doc_type})


_SLUGS = {
    "入院记录": "admission",
    "首次病程记录": "first_progress",
    "出院记录": "discharge",
    "门诊病历": "outpatient",
    "手术记录": "operation",
    "24小时内入出院记录": "admission_discharge_24h",
    "会诊记录": "consultation",
}


def _slug(doc_type: str) -> str:
    return _SLUGS.get(doc_type, "other")
