"""Special populations: pregnancy, lactation, paediatric age limits and the Beers criteria for older adults.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from yizhu.clinical.rx.checks.common import age_text, alternatives_for, cited_source, make
from yizhu.clinical.rx.parsing import fmt_num
from yizhu.clinical.rx.rules import (
    SEVERITY_RANK,
    Alert,
    RxRule,
    check,
)
from yizhu.clinical.rx.tables import table

if TYPE_CHECKING:
    from yizhu.clinical.rx.review_input import RxInput


# ── special populations ─────────────────────────────────────────────────────────────────────

_BAN_WORDS = re.compile(r"禁用|禁止|不得使用|不可使用")
_AVOID_WORDS = re.compile(r"避免|不宜|不推荐|不应")


@check("pregnancy")
def pregnancy(rule: RxRule, rx: RxInput) -> list[Alert]:
    """Pregnant patients: the pack's pregnancy risk (letter or note) and pregnancy contraindications."""
    if not rx.facts.pregnant:
        return []
    cat_sev = rule.params.get("category_severity", {})
    prefixes = tuple(rule.params.get("contraindication_prefixes", ["O"]))
    level_sev = {"contraindicated": "contraindicated", "avoid": "major", "caution": "minor"}
    alerts = []
    for o in rx.known:
        for item in o.items:
            sev: str | None = None
            note = ""
            if item.pregnancy is not None:
                note = item.pregnancy.note
                cat = item.pregnancy.category
                if cat is not None:
                    sev = cat_sev.get(cat)
                    note = f"妊娠风险{cat}级，{note}"
                elif _BAN_WORDS.search(note):
                    sev = "contraindicated"
                elif _AVOID_WORDS.search(note):
                    sev = "major"
            for c in item.contraindications:
                if any(p.startswith(prefixes) for p in c.icd10):
                    s = level_sev[c.level]
                    if sev is None or SEVERITY_RANK[s] < SEVERITY_RANK[sev]:
                        sev = s
                        note = note or c.text
                    if not note:
                        note = c.text
            if sev is None:
                continue
            alerts.append(make(
                rule, [o], [item], severity=sev, source=cited_source(item.source, rule),
                evidence={"drug_item": item.id, "category": item.pregnancy.category if item.pregnancy else None},
                alternatives=alternatives_for(rx, "pregnancy", item) if SEVERITY_RANK[sev] <= 1 else [],
                drug=o.name, note=note,
            ))
    return alerts


@check("lactation")
def lactation(rule: RxRule, rx: RxInput) -> list[Alert]:
    """Breast-feeding patients: the pack's lactation advice (avoid / caution)."""
    if not rx.facts.lactating:
        return []
    sev_map = rule.params.get("risk_severity", {})
    alerts = []
    for o in rx.known:
        for item in o.items:
            lac = item.lactation
            if lac is None or lac.risk not in sev_map:
                continue
            note = lac.note or {"avoid": "哺乳期避免使用", "caution": "哺乳期慎用"}[lac.risk]
            alerts.append(make(rule, [o], [item], severity=sev_map[lac.risk], source=cited_source(item.source, rule),
                               evidence={"drug_item": item.id, "risk": lac.risk}, drug=o.name, note=note))
    return alerts


def _condition_met(condition: str, rx: RxInput) -> bool:
    for row in table("pediatric_conditions").values():
        if not any(k in condition for k in row.get("keywords", [])):
            continue
        if rx.facts.has_code(*row.get("icd10", [])):
            return True
        if any(any(k in d.text for k in row.get("keywords", [])) for d in rx.facts.diagnoses):
            return True
    return False


@check("pediatric_age")
def pediatric_age(rule: RxRule, rx: RxInput) -> list[Alert]:
    """Children below a drug's age limit; a conditional limit (病毒感染) applies fully only when met."""
    f = rx.facts
    if f.age is None or f.age >= 18:
        return []
    sev_map = rule.params.get("action_severity", {})
    alerts = []
    for o in rx.known:
        for item in o.items:
            best: tuple[str, Any] | None = None
            for lim in item.paediatric:
                if f.age >= lim.below_years:
                    continue
                sev = sev_map.get(lim.action, rule.severity)
                if lim.condition and not _condition_met(lim.condition, rx):
                    sev = "minor"
                if best is None or SEVERITY_RANK[sev] < SEVERITY_RANK[best[0]]:
                    best = (sev, lim)
            if best is None:
                continue
            sev, lim = best
            note = lim.note + (f"（条件：{lim.condition}）" if lim.condition else "")
            alerts.append(make(
                rule, [o], [item], severity=sev, source=cited_source(item.source, rule),
                evidence={"drug_item": item.id, "below_years": lim.below_years, "condition": lim.condition},
                alternatives=alternatives_for(rx, "pediatric", item) if SEVERITY_RANK[sev] <= 1 else [],
                age=age_text(f.age), drug=o.name, note=note, below=fmt_num(lim.below_years),
            ))
    return alerts


#: Beers notes that restrict "avoid" to a situation (long use, first line, a condition) are treated as
#: avoid-in-condition: the engine cannot see duration or indication, so it reminds instead of warning.
_CONDITIONAL = re.compile(r"除非|长期|连续|超过|>|≥|起始|首选|一线|二线|只用|滑动|作为|如使用|用于|一级预防|合并|伴")


@check("beers")
def beers(rule: RxRule, rx: RxInput) -> list[Alert]:
    """Patients 65 and over: potentially inappropriate medications (AGS Beers Criteria 2023)."""
    f = rx.facts
    if f.age is None or f.age < float(rule.params.get("min_age", 65)):
        return []
    sev_map = rule.params.get("recommendation_severity", {})
    alerts = []
    for o in rx.known:
        for item in o.items:
            b = item.beers
            if b is None:
                continue
            if "速释" in b.note and any(w in o.name for w in ("控释", "缓释")):
                continue  # the criterion is about immediate-release forms only
            sev = sev_map.get(b.recommendation, rule.severity)
            if b.recommendation == "avoid" and _CONDITIONAL.search(b.note):
                sev = sev_map.get("avoid_in_condition", "minor")
            alerts.append(make(
                rule, [o], [item], severity=sev, source=cited_source(item.source, rule),
                evidence={"drug_item": item.id, "beers": b.recommendation},
                alternatives=alternatives_for(rx, "geriatric", item),
                age=f"{int(f.age)}", drug=o.name, note=b.note,
            ))
    return alerts
