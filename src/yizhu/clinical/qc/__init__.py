"""病历质控: EMR quality control, real time and batch. Rules are data (rules.yaml) plus registered checks."""

from yizhu.clinical.qc.engine import QCReport, QCTask, check_document, evaluate, finding_json, grade_for
from yizhu.clinical.qc.rules import Rule, RuleSet, check, default_rules, load_rules

__all__ = [
    "QCReport",
    "QCTask",
    "Rule",
    "RuleSet",
    "check",
    "check_document",
    "default_rules",
    "evaluate",
    "finding_json",
    "grade_for",
    "load_rules",
]
