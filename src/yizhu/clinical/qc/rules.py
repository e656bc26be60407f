"""QC rules: the schema of ``rules.yaml``, its loader, and the generic (data-driven) checks.

A rule is data first: ``kind`` picks a generic check (required_section, section_matches, …) configured by
``params``. Logic that data cannot express is a Python function registered with ``@check("name")``
and named by a rule of ``kind: python``. Every finding points back at its rule id and source clause.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from yizhu.clinical.checks_registry import CheckRegistry, load_ruleset
from yizhu.core import ClinicalContext, ClinicalDocument, Finding, Section, Severity, Span
from yizhu.core.models import Sex
from yizhu.errors import ConfigError

RULES_FILE = Path(__file__).with_name("rules.yaml")
#: findings the engine itself makes (not a rule of the file): a document that is not a clinical note
NOT_CLINICAL_RULE = "qc.document.not_clinical_note.v1"
ENGINE_RULES = (NOT_CLINICAL_RULE,)
Category = Literal["completeness", "timeliness", "consistency", "standardisation", "copy_paste", "semantic"]
Kind = Literal[
    "required_section", "required_sections", "section_contains_all", "section_matches", "section_max_chars",
    "timeliness", "python",
]


class Rule(BaseModel):
    """One QC rule as written in rules.yaml."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^qc\.[a-z0-9_]+\.[a-z0-9_]+\.v\d+$")
    category: Category
    severity: Literal["critical", "major", "minor", "info"]
    points: float = Field(ge=0, le=100)
    kind: Kind
    params: dict[str, Any] = Field(default_factory=dict)
    message: str
    rationale: str
    source: str
    enabled: bool = True
    #: document: reads one note; encounter: needs the encounter's other documents (or its 病案首页), so a
    #: document checked alone skips it and lists it as skipped
    scope: Literal["document", "encounter"] = "document"

    @property
    def doc_types(self) -> tuple[str, ...]:
        """Document types this rule reads; empty means the whole encounter."""
        return tuple(self.params.get("doc_types", ()))


class Veto(BaseModel):
    """A 单项否决 item: a finding of any listed rule caps the grade whatever the points."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^qc\.veto\.[a-z0-9_]+\.v\d+$")
    rules: list[str] = Field(min_length=1)
    cap: Literal["乙", "丙"] = "丙"
    reason: str
    source: str


class RuleSet(BaseModel):
    """The whole rules file."""

    model_config = ConfigDict(extra="forbid")

    version: str
    sources: dict[str, str] = Field(default_factory=dict)
    rules: list[Rule]
    vetoes: list[Veto] = Field(default_factory=list)


@dataclass
class DocView:
    """A parsed document plus what checks often need from it."""

    doc: ClinicalDocument
    recorded_at: datetime | None

    def section(self, name: str) -> Section | None:
        return self.doc.section(name)


@dataclass
class QCInput:
    """What every check reads: the context, its parsed documents, and patient facts."""

    ctx: ClinicalContext
    docs: list[DocView]
    sex: Sex
    age: float | None
    admitted_at: datetime | None
    discharged_at: datetime | None
    knowledge: Any = None  # yizhu.knowledge KnowledgeBase when available
    cache: dict[str, Any] = field(default_factory=dict)

    def of_type(self, *types: str) -> list[DocView]:
        return [d for d in self.docs if not types or d.doc.doc_type in types]


CheckFn = Callable[[Rule, QCInput], list[Finding]]
_REGISTRY: CheckRegistry[CheckFn] = CheckRegistry("yizhu.clinical.qc.checks")
#: ``@check("name")`` registers a Python check that rules name in their data
check = _REGISTRY.check


def registered_checks() -> dict[str, CheckFn]:
    """Every registered check (the built-in ones imported first)."""
    return _REGISTRY.all()


def load_rules(path: Path | None = None) -> RuleSet:
    """Load and validate a rules file; unknown keys or checks fail naming the rule and the fix."""
    path = path or RULES_FILE
    ruleset = load_ruleset(path, RuleSet, "QC rules")
    known = registered_checks()
    ids = {r.id for r in ruleset.rules} | set(ENGINE_RULES)
    for v in ruleset.vetoes:
        unknown = [rid for rid in v.rules if rid not in ids]
        if unknown:
            raise ConfigError(f"{path}: veto {v.id} names unknown rules: {', '.join(unknown)}")
    for r in ruleset.rules:
        if r.kind == "python" and r.params.get("check") not in known:
            raise ConfigError(
                f"{path}: rule {r.id} names check '{r.params.get('check')}', which is not registered; "
                f"known checks: {', '.join(sorted(known))}"
            )
    return ruleset


@lru_cache(maxsize=4)
def default_rules() -> RuleSet:
    """The built-in rules, loaded once."""
    return load_rules()


# ── finding construction ───────────────────────────────────────────────────────────────────


_SEVERITY = {"critical": Severity.critical, "major": Severity.major, "minor": Severity.minor, "info": Severity.info}


def finding(
    rule: Rule,
    *,
    doc: ClinicalDocument | None = None,
    section: Section | None = None,
    start: int | None = None,
    end: int | None = None,
    **fmt: Any,
) -> Finding:
    """A finding of ``rule``, its message filled from ``fmt``, its evidence a span of ``doc``."""
    try:
        message = rule.message.format(**fmt) if fmt else rule.message
    except (KeyError, IndexError):
        message = rule.message
    evidence = None
    if doc is not None:
        if start is None and section is not None:
            start, end = section.start, section.end
        if start is not None and end is not None:
            evidence = Span(start=start, end=end, text=doc.text[start:end], source=doc.id)
    return Finding(
        rule_id=rule.id,
        severity=_SEVERITY[rule.severity],
        category=rule.category,
        message=message,
        evidence=evidence,
        section=section.name if section else fmt.get("section_name"),
        source=rule.source,
        data={"points": rule.points, "document": doc.id if doc else None, "doc_type": doc.doc_type if doc else None},
    )


# ── generic checks ─────────────────────────────────────────────────────────────────────────


def _required_section(rule: Rule, qi: QCInput) -> list[Finding]:
    """The section, or one of ``params.alternatives`` (诊断依据/鉴别诊断 written without a 拟诊讨论 heading)."""
    name = rule.params["section"]
    names = [name, *rule.params.get("alternatives", [])]
    out = []
    for d in qi.of_type(*rule.doc_types):
        if not any((s := d.section(n)) is not None and s.text.strip() for n in names):
            out.append(finding(rule, doc=d.doc, section_name=name))
    return out


def _inline_field(text: str, name: str) -> bool:
    """``name：value`` written as a field of a form line (术者：张某　　麻醉方式：全麻　　麻醉医师：李某), not as a heading."""
    return re.search(rf"(?:^|[ \t\u3000]){re.escape(name)}[：:][ \t\u3000]*[^\s：:]", text, re.MULTILINE) is not None


def _required_sections(rule: Rule, qi: QCInput) -> list[Finding]:
    out = []
    for d in qi.of_type(*rule.doc_types):
        missing = [
            n for n in rule.params["sections"]
            if d.section(n) is None and not d.doc.header.get(n) and not _inline_field(d.doc.text, n)
        ]
        if missing:
            out.append(finding(rule, doc=d.doc, missing="、".join(missing)))
    return out


@lru_cache(maxsize=512)
def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


def _section_contains_all(rule: Rule, qi: QCInput) -> list[Finding]:
    out = []
    for d in qi.of_type(*rule.doc_types):
        s = d.section(rule.params["section"])
        if s is None:
            continue  # the required-section rule reports absence once
        missing = [label for label, pat in rule.params["patterns"].items() if not _rx(pat).search(s.text)]
        if missing:
            out.append(finding(rule, doc=d.doc, section=s, missing="、".join(missing)))
    return out


def _section_matches(rule: Rule, qi: QCInput) -> list[Finding]:
    out = []
    for d in qi.of_type(*rule.doc_types):
        s = d.section(rule.params["section"])
        if s is None or not s.text.strip():
            continue
        if not _rx(rule.params["pattern"]).search(s.text):
            out.append(finding(rule, doc=d.doc, section=s))
    return out


_NOT_COUNTED = re.compile(r"[\s，,。.；;、：:！!？?（）()\[\]【】“”\"'—\-]")


def count_chars(text: str) -> int:
    """Characters as QC counts them for 主诉 length: punctuation and spaces excluded; a number is one."""
    stripped = _NOT_COUNTED.sub("", text)
    return len(re.sub(r"\d+(?:\.\d+)?", "0", stripped))


def _section_max_chars(rule: Rule, qi: QCInput) -> list[Finding]:
    out = []
    limit = int(rule.params["max_chars"])
    for d in qi.of_type(*rule.doc_types):
        s = d.section(rule.params["section"])
        if s is None:
            continue
        n = count_chars(s.text)
        if n > limit:
            out.append(finding(rule, doc=d.doc, section=s, chars=n))
    return out


def _fmt(dt: datetime) -> str:
    return dt.strftime("%Y-%m-%d %H:%M")


def _timeliness(rule: Rule, qi: QCInput) -> list[Finding]:
    anchor = getattr(qi, rule.params["anchor"])
    if anchor is None:
        return []
    limit = float(rule.params["max_hours"])
    out = []
    for d in qi.of_type(*rule.doc_types):
        if d.recorded_at is None:
            continue
        hours = (d.recorded_at - anchor).total_seconds() / 3600
        if hours > limit:
            out.append(finding(rule, doc=d.doc, anchor=_fmt(anchor), recorded=_fmt(d.recorded_at), hours=f"{hours:.1f}"))
    return out


GENERIC: dict[str, CheckFn] = {
    "required_section": _required_section,
    "required_sections": _required_sections,
    "section_contains_all": _section_contains_all,
    "section_matches": _section_matches,
    "section_max_chars": _section_max_chars,
    "timeliness": _timeliness,
}


def run_rule(rule: Rule, qi: QCInput) -> list[Finding]:
    """Run one rule on one QC input."""
    if rule.kind == "python":
        return registered_checks()[rule.params["check"]](rule, qi)
    return GENERIC[rule.kind](rule, qi)
