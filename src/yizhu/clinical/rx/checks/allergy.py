"""Allergy: ordered drugs against the patient's recorded allergies and allergy groups (cross-reactions).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from yizhu.clinical.rx.checks.common import cited_source, make
from yizhu.clinical.rx.facts import AllergyFact
from yizhu.clinical.rx.rules import (
    SEVERITIES,
    SEVERITY_RANK,
    Alert,
    RxRule,
    check,
)
from yizhu.knowledge.allergy import Allergen, model_for

if TYPE_CHECKING:
    from yizhu.clinical.rx.review_input import RxInput


# ── allergy ─────────────────────────────────────────────────────────────────────────────────

_SEVERE_REACTION = re.compile(r"休克|过敏性休克|喉头水肿|喉水肿|呼吸困难|anaphyla|SJS|史蒂文斯|中毒性表皮坏死|剥脱性皮炎")


def _allergy_severity(base: str, allergy: AllergyFact, bump: int) -> str:
    severe = allergy.severity == "severe" or bool(allergy.reaction and _SEVERE_REACTION.search(allergy.reaction))
    if not severe or bump <= 0:
        return base
    rank = max(SEVERITY_RANK["major"], SEVERITY_RANK[base] - bump)  # a cross-reaction is never "contraindicated"
    return SEVERITIES[rank]


@check("allergy")
def allergy(rule: RxRule, rx: RxInput) -> list[Alert]:
    """The same drug, the same allergy group, or a group known to cross-react (β-lactams, sulfonamides …),
    as the shared allergy model (``yizhu.knowledge.allergy``, also read by QC) relates them."""
    kind = rule.params.get("kind")
    allergies = [a for a in rx.facts.allergies if a.is_drug]
    if not allergies:
        return []
    model = model_for(rx.kb, rx.resolver)
    alerts = []
    for o in rx.known:
        for item in o.items:
            for a in allergies:
                allergen = a.text
                c = model.conflict(Allergen(a.text, a.drug, a.groups), item)
                if c is None or c.relation != kind:
                    continue
                if kind == "same_drug":
                    alerts.append(make(rule, [o], [item], evidence={"drug_item": item.id, "allergy": allergen},
                                       allergen=allergen, drug=o.name))
                elif kind == "same_group":
                    alerts.append(make(rule, [o], [item],
                                       evidence={"drug_item": item.id, "allergy": allergen, "group": item.allergy_group},
                                       allergen=allergen, drug=o.name, group=item.allergy_group))
                else:
                    assert c.risk is not None
                    base = rule.params["risk_severity"].get(c.risk, rule.severity)
                    sev = _allergy_severity(base, a, int(rule.params.get("severe_reaction_bump", 1)))
                    alerts.append(make(
                        rule, [o], [item], severity=sev, source=cited_source(item.source, rule),
                        evidence={"drug_item": item.id, "allergy": allergen, "allergen_group": c.allergen_group,
                                  "group": item.allergy_group, "risk": c.risk},
                        allergen=allergen, allergen_group=c.allergen_group, drug=o.name, group=item.allergy_group,
                        note=c.note,
                    ))
    return alerts
