"""The Rx check seam, as docs/architecture.md describes it: a Python check registered with
``@check("name")`` (beside the families in ``clinical/rx/checks/``), named by a rule in rules data with its
source, runs in every review that loads those rules. This is the worked example the architecture page
points at; it must keep working as written there.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from yizhu.clinical.rx import load_payload, load_rules, review
from yizhu.clinical.rx.checks.common import make
from yizhu.clinical.rx.review_input import RxInput
from yizhu.clinical.rx.rules import Alert, RxRule, check
from yizhu.knowledge.packs import KnowledgeBase

from .conftest import document, order


@check("example_many_orders")
def many_orders(rule: RxRule, rx: RxInput) -> list[Alert]:
    """Alert once when a review holds more medication orders than the rule's ``max`` parameter."""
    limit = int(rule.params["max"])
    if len(rx.orders) <= limit:
        return []
    return [make(rule, rx.orders, [], evidence={"orders": len(rx.orders), "max": limit},
                 count=len(rx.orders), max=limit)]


def _rules_file(tmp_path: Path) -> Path:
    rule: dict[str, Any] = {
        "id": "rx.high_alert.example_many_orders.v1",
        "type": "high_alert",
        "check": "example_many_orders",
        "severity": "minor",
        "message": "本次共 {count} 条用药医嘱，超过 {max} 条，请核对是否均需使用",
        "recommendation": "逐条确认适应证，停用不再需要的药物",
        "rationale": "worked example of the check seam (docs/architecture.md)",
        "source": "yizhu worked example, 2026",
        "params": {"max": 2},
    }
    path = tmp_path / "rules.yaml"
    path.write_text(yaml.safe_dump({"version": "example", "rules": [rule]}, allow_unicode=True), encoding="utf-8")
    return path


def test_a_registered_check_named_by_a_rule_runs_in_a_review(tmp_path: Path, kb: KnowledgeBase) -> None:
    rules = load_rules(_rules_file(tmp_path))
    three = load_payload(document([order("阿司匹林肠溶片", 100, "mg"), order("氨氯地平片", 5, "mg"),
                                   order("二甲双胍片", 500, "mg", frequency="bid")]))
    alerts = review(three, kb=kb, rules=rules).alerts
    assert [(a.rule_id, a.source, a.evidence) for a in alerts] == [
        ("rx.high_alert.example_many_orders.v1", "yizhu worked example, 2026", {"orders": 3, "max": 2})
    ]
    assert alerts[0].message == "本次共 3 条用药医嘱，超过 2 条，请核对是否均需使用"
    two = load_payload(document([order("阿司匹林肠溶片", 100, "mg"), order("氨氯地平片", 5, "mg")]))
    assert review(two, kb=kb, rules=rules).alerts == []
