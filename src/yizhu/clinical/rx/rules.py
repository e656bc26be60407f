"""Rx rules: the schema of ``rules/rules.yaml``, its loader, the check registry and the alert shape.

As in QC, a rule is data first: a versioned id, the alert type, a default severity, message and
recommendation templates and the source it rests on. What the data cannot express is a Python check
registered with ``@check("name")`` and named by the rule's ``check``; the facts the check compares
against (doses, interactions, pregnancy risk …) come from the knowledge packs, and the tables the packs
do not hold (paediatric mg/kg limits, allergy-group names, weekly-only drugs …) from the other YAML files
in ``rules/``, each entry with its source (read by ``tables.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from yizhu.clinical.checks_registry import CheckRegistry, load_ruleset
from yizhu.clinical.rx.tables import RULES_DIR
from yizhu.errors import ConfigError

if TYPE_CHECKING:
    from yizhu.clinical.rx.review_input import RxInput

RULES_FILE = RULES_DIR / "rules.yaml"

AlertType = Literal[
    "interaction", "duplicate", "dose", "frequency", "route", "allergy", "pregnancy", "lactation", "pediatric",
    "geriatric", "renal", "hepatic", "contraindication", "antimicrobial", "high_alert", "unknown_drug", "incomplete",
]  # fmt: skip
ALERT_TYPES: tuple[str, ...] = AlertType.__args__  # type: ignore[attr-defined]
RxSeverity = Literal["contraindicated", "major", "moderate", "minor"]
SEVERITIES: tuple[str, ...] = ("contraindicated", "major", "moderate", "minor")
SEVERITY_RANK: dict[str, int] = {s: i for i, s in enumerate(SEVERITIES)}


def worse(a: str, b: str) -> str:
    """The more severe of two severities."""
    return a if SEVERITY_RANK[a] <= SEVERITY_RANK[b] else b


def milder(severity: str, steps: int = 1) -> str:
    """A severity ``steps`` levels milder (never below minor)."""
    return SEVERITIES[min(len(SEVERITIES) - 1, SEVERITY_RANK[severity] + steps)]


class Alert(BaseModel):
    """One review alert: which rule, which drugs, the evidence, what to do, and the source."""

    model_config = ConfigDict(extra="forbid")

    type: AlertType
    severity: RxSeverity
    drugs: list[str] = Field(description="drug names as written in the orders")
    message: str
    recommendation: str | None = None
    source: str
    rule_id: str
    drug_ids: list[str] = Field(default_factory=list, description="knowledge-pack drug ids")
    orders: list[str] = Field(default_factory=list, description="ids of the orders the alert is about")
    evidence: dict[str, Any] = Field(default_factory=dict, description="the values compared, and the pack item")
    alternatives: list[str] = Field(default_factory=list, description="safer alternatives, when the rule knows one")

    @property
    def key(self) -> str:
        """Identifies the alert within one review (rule and orders), e.g. for an override."""
        return f"{self.rule_id}:{'+'.join(sorted(self.orders))}"


class RxRule(BaseModel):
    """One prescription-review rule as written in rules.yaml."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^rx\.[a-z_]+\.[a-z0-9_]+\.v\d+$")
    type: AlertType
    check: str
    severity: RxSeverity = Field(description="default severity; checks may take it from the knowledge item")
    message: str
    recommendation: str | None = None
    rationale: str
    source: str
    params: dict[str, Any] = Field(default_factory=dict)
    enabled: bool = True


class RxRuleSet(BaseModel):
    """The whole rules file."""

    model_config = ConfigDict(extra="forbid")

    version: str
    sources: dict[str, str] = Field(default_factory=dict)
    rules: list[RxRule]

    def by_id(self, rule_id: str) -> RxRule:
        """A rule by id; an unknown id fails with the known ones."""
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise ConfigError(f"unknown rx rule '{rule_id}'; known: {', '.join(r.id for r in self.rules)}")


CheckFn = Callable[[RxRule, "RxInput"], list[Alert]]
_REGISTRY: CheckRegistry[CheckFn] = CheckRegistry("yizhu.clinical.rx.checks")
#: ``@check("name")`` registers a Python check that rules name in their data
check = _REGISTRY.check


def registered_checks() -> dict[str, CheckFn]:
    """Every registered check (the built-in ones imported first)."""
    return _REGISTRY.all()


def load_rules(path: Path | None = None) -> RxRuleSet:
    """Load and validate a rules file; unknown keys, duplicate ids or checks fail naming the fix."""
    path = path or RULES_FILE
    ruleset = load_ruleset(path, RxRuleSet, "Rx rules")
    known = registered_checks()
    for r in ruleset.rules:
        if r.check not in known:
            raise ConfigError(
                f"{path}: rule {r.id} names check '{r.check}', which is not registered; "
                f"known checks: {', '.join(sorted(known))}"
            )
    return ruleset


@lru_cache(maxsize=4)
def default_rules() -> RxRuleSet:
    """The built-in rules, loaded once."""
    return load_rules()


def render(template: str | None, **fields: Any) -> str | None:
    """A message template filled from ``fields``; a missing field leaves the template readable."""
    if template is None:
        return None
    try:
        return template.format(**fields).strip()
    except (KeyError, IndexError, ValueError):
        return template
