"""What every check family shares: building an alert from a rule (``make``), safer alternatives, the
source an alert cites, and how an age is written.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from yizhu.clinical.rx.rules import (
    Alert,
    RxRule,
    render,
)
from yizhu.clinical.rx.tables import table
from yizhu.knowledge.schema import DrugItem

if TYPE_CHECKING:
    from yizhu.clinical.rx.review_input import OrderView, RxInput


# ── helpers ─────────────────────────────────────────────────────────────────────────────────


def ref_matches(ref: str, drug: DrugItem) -> bool:
    """``drug:<id>`` or ``class:<tag>`` applies to this drug."""
    return drug.has_tag(ref[6:]) if ref.startswith("class:") else ref == drug.id


def alternatives_for(
    rx: RxInput, alert_type: str, drug: DrugItem, partners: tuple[DrugItem, ...] = ()
) -> list[DrugItem]:
    """Safer alternatives (rules/alternatives.yaml) that the patient is not allergic to and is not taking."""
    if "alt_excluded" not in rx.cache:
        rx.cache["alt_excluded"] = (
            {i.id for o in rx.orders for i in o.items},
            {g for a in rx.facts.allergies for g in a.groups} | {a.drug.id for a in rx.facts.allergies if a.drug},
        )
    taking, allergic = rx.cache["alt_excluded"]
    pack = rx.kb.pack("drug")
    out: list[DrugItem] = []
    for row in table("alternatives").values():
        if alert_type not in row.get("types", []) or not ref_matches(row["drug"], drug):
            continue
        if row.get("partner") and not any(ref_matches(row["partner"], p) for p in partners):
            continue
        for alt_id in row.get("with", []):
            if alt_id in pack and alt_id not in taking:
                alt = pack.get(alt_id)
                if alt.id not in allergic and alt.allergy_group not in allergic and alt not in out:
                    out.append(alt)
    return out


def make(
    rule: RxRule,
    orders: list[OrderView],
    drugs: list[DrugItem],
    *,
    severity: str | None = None,
    source: str | None = None,
    evidence: dict[str, Any] | None = None,
    recommendation: str | None = None,
    alternatives: list[DrugItem] | None = None,
    replaces: OrderView | None = None,
    **fields: Any,
) -> Alert:
    """An alert of ``rule`` about ``orders``, its message and recommendation filled from ``fields``."""
    alts = alternatives or []
    rec = recommendation if recommendation is not None else render(rule.recommendation, **fields)
    if alts:
        names = "、".join(a.name for a in alts)
        rec = f"{rec}；可考虑：{names}" if rec else f"可考虑：{names}"
    ev = dict(evidence or {})
    if alts:
        ev["alternative_ids"] = [a.id for a in alts]
        ev["alternative_atc"] = [a.atc for a in alts]
        ev["alternative_for"] = (replaces or orders[0]).id
    return Alert(
        type=rule.type,
        severity=severity or rule.severity,  # type: ignore[arg-type]
        drugs=[o.name for o in orders],
        message=render(rule.message, **fields) or rule.message,
        recommendation=rec or None,
        source=source or rule.source,
        rule_id=rule.id,
        drug_ids=[d.id for d in drugs],
        orders=[o.id for o in orders],
        evidence=ev,
        alternatives=[a.name for a in alts],
    )


#: a part of a drug item's source that backs one kind of fact only → the alert types it may be cited for
#: (a renal alert must not cite the pregnancy categories); parts matching none (the label, the
#: pharmacopoeia, disease guidelines) fit every alert
_SOURCE_TOPICS: tuple[tuple[tuple[str, ...], frozenset[str]], ...] = (
    (("妊娠分级", "PLLR"), frozenset({"pregnancy", "contraindication"})),
    (("Beers",), frozenset({"geriatric", "duplicate", "interaction", "contraindication"})),
    (("高警示",), frozenset({"high_alert", "dose"})),
    (("抗菌药物临床应用管理办法", "分级目录"), frozenset({"antimicrobial"})),
    (("皮肤试验",), frozenset({"allergy"})),
    (("CredibleMeds", "QTdrugs"), frozenset({"interaction", "duplicate", "contraindication"})),
    (("麻醉药品品种目录", "精神药品品种目录"), frozenset({"high_alert", "antimicrobial", "dose", "frequency"})),
    (("HLA-B",), frozenset({"allergy", "contraindication"})),
    (("哺乳",), frozenset({"lactation"})),
)


def cited_source(item_source: str | None, rule: RxRule) -> str:
    """What the alert's fact rests on: the knowledge item's source, keeping only the parts that fit this
    kind of alert (the label and pharmacopoeia always; pregnancy categories only on a pregnancy alert …);
    the rule's own source when the item has none or no part fits."""
    if not item_source:
        return rule.source
    parts = [p.strip() for p in item_source.replace(";", "；").split("；") if p.strip()]
    kept = [
        p for p in parts
        if all(rule.type in types for words, types in _SOURCE_TOPICS if any(w in p for w in words))
    ]
    return "；".join(kept) if kept else rule.source


def age_text(age: float | None) -> str:
    if age is None:
        return "年龄未知"
    if age >= 1:
        return f"{int(age)}岁"
    if age * 12 >= 1:
        return f"{int(age * 12)}月龄"
    return f"{int(age * 365.25)}天"
