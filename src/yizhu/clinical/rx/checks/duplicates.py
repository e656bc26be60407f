"""Therapeutic duplication: the same ingredient or the same duplicate group ordered twice.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from yizhu.clinical.rx.checks.common import cited_source, make
from yizhu.clinical.rx.checks.interactions import (
    MAX_ALERTS_PER_PAIR,
    note_suppressed,
    order_groups,
    order_pairs,
)
from yizhu.clinical.rx.rules import (
    Alert,
    RxRule,
    check,
)
from yizhu.clinical.rx.tables import table
from yizhu.knowledge.schema import DrugItem

if TYPE_CHECKING:
    from yizhu.clinical.rx.review_input import OrderView, RxInput


# ── duplicates ──────────────────────────────────────────────────────────────────────────────


_INGREDIENTS: dict[str, frozenset[str]] = {}


def _ingredients(d: DrugItem) -> frozenset[str]:
    """The ingredients a drug stands for: itself, and every ``contains_<x>`` tag of a compound product."""
    hit = _INGREDIENTS.get(d.id)
    if hit is None:
        hit = frozenset({d.id.removeprefix("drug:")} | {t.removeprefix("contains_") for t in d.class_tags
                                                        if t.startswith("contains_")})
        _INGREDIENTS[d.id] = hit
    return hit


def _duplicate_candidates(rx: RxInput) -> set[tuple[tuple[str, ...], tuple[str, ...]]]:
    """Pairs of order groups that share an ingredient or a duplicate group (found through those two
    indexes, never by comparing every pair of orders); a group with itself when it has two orders."""
    cached = rx.cache.get("duplicate_candidates")
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    groups = _dup_groups(rx)
    by_key: dict[str, list[tuple[str, ...]]] = {}
    for sig, orders in groups.items():
        keys = {f"i:{ing}" for i in orders[0].items for ing in _ingredients(i)}
        keys |= {f"g:{i.duplicate_group}" for i in orders[0].items if i.duplicate_group}
        for k in keys:
            by_key.setdefault(k, []).append(sig)
    out: set[tuple[tuple[str, ...], tuple[str, ...]]] = set()
    for sigs in by_key.values():
        for i, sa in enumerate(sigs):
            if len(groups[sa]) > 1:
                out.add((sa, sa))
            for sb in sigs[i + 1:]:
                out.add((sa, sb) if sa < sb else (sb, sa))
    rx.cache["duplicate_candidates"] = out
    return out


def _duplicate_verdict(
    rule: RxRule, rx: RxInput, oa: OrderView, ob: OrderView
) -> tuple[list[DrugItem], dict[str, Any], dict[str, Any]] | None:
    """(drugs, evidence, message fields) when two orders duplicate each other under the rule's scope."""
    scope = rule.params.get("scope")
    ids_a = {i.id: i for i in oa.items}
    ids_b = {i.id: i for i in ob.items}
    shared = [ids_a[k] for k in ids_a if k in ids_b]
    reliever = _as_needed(oa), _as_needed(ob)
    groups = _reliever_groups()
    if reliever[0] != reliever[1] and shared and all(d.duplicate_group in groups for d in shared):
        # the same drug as controller and reliever (morphine SR + morphine IR prn, a nitrate patch + sublingual)
        if scope != "as_needed":
            return None
        d = shared[0]
        rel, sched = (oa, ob) if reliever[0] else (ob, oa)
        label = (table("duplicate_groups").get(d.duplicate_group or "") or {}).get("label") or d.name
        return [d], {"drug_item": d.id, "as_needed": rel.id}, {
            "group": label, "reliever": rel.name, "scheduled": sched.name, "_source": rule.source}
    if scope == "ingredient":
        if shared:
            d = shared[0]
            return [d], {"drug_item": d.id}, {"name": d.name, "_source": d.source}
        # compound products share an ingredient through their contains_<drug> tags (复方感冒药 + 对乙酰氨基酚)
        for x in oa.items:
            for y in ob.items:
                common = sorted(_ingredients(x) & _ingredients(y))
                if common:
                    pack = rx.kb.pack("drug")
                    ing = f"drug:{common[0]}"
                    name = pack.get(ing).name if ing in pack else common[0]
                    return [x, y], {"ingredient": common[0]}, {"name": name, "_source": x.source}
        return None
    if shared:
        return None
    for x in oa.items:
        for y in ob.items:
            if x.duplicate_group and x.duplicate_group == y.duplicate_group and x.id != y.id:
                regimen = reliever[0] != reliever[1] and x.duplicate_group in groups
                if (scope == "as_needed") != regimen:
                    continue  # a reliever beside a scheduled drug is the as-needed rule's, other pairs the class rule's
                labels = table("duplicate_groups")
                group = (labels.get(x.duplicate_group) or {}).get("label") or (
                    x.drug_class if x.drug_class == y.drug_class and x.drug_class else x.duplicate_group)
                fields_: dict[str, Any] = {"group": group, "_source": x.source}
                evidence: dict[str, Any] = {"duplicate_group": x.duplicate_group}
                if scope == "as_needed":
                    rel, sched = (oa, ob) if reliever[0] else (ob, oa)
                    fields_.update(reliever=rel.name, scheduled=sched.name, _source=rule.source)
                    evidence["as_needed"] = rel.id
                return [x, y], evidence, fields_
    return None


def _reliever_groups() -> frozenset[str]:
    """Duplicate groups in which a prn order beside a scheduled one is a regimen (``rules/rescue_orders.yaml``)."""
    return frozenset(row["group"] for row in table("rescue_orders").values() if row.get("group"))


def _as_needed(o: OrderView) -> bool:
    """A prn/必要时 order, or a reliever by nature (sublingual nitrate, inhaled short-acting bronchodilator:
    ``rules/rescue_orders.yaml``) whatever frequency is written."""
    if o.frequency.kind == "prn":
        return True
    if o.drug is None or not o.route.code:
        return False
    return any(row.get("drug") == o.drug.id and o.route.code in row.get("routes", [])
               for row in table("rescue_orders").values())


def _dup_groups(rx: RxInput) -> dict[tuple[str, ...], list[OrderView]]:
    """The order groups of the pair checks, each split into its reliever (prn, sublingual nitrate …) and
    scheduled orders, so that one comparison per pair of groups still tells a reliever regimen from a duplicate."""
    cached = rx.cache.get("duplicate_groups")
    if cached is None:
        cached = {}
        for sig, orders in order_groups(rx).items():
            for o in orders:
                cached.setdefault((*sig, "~prn") if _as_needed(o) else sig, []).append(o)
        rx.cache["duplicate_groups"] = cached
    return cached  # type: ignore[no-any-return]


@check("duplicate")
def duplicate(rule: RxRule, rx: RxInput) -> list[Alert]:
    """The same ingredient twice (brands, salts, combinations), or two drugs of one duplicate group."""
    groups = _dup_groups(rx)
    cap = int(rx.cache.get("max_alerts_per_pair", MAX_ALERTS_PER_PAIR))
    alerts = []
    for sa, sb in sorted(_duplicate_candidates(rx)):
        verdict = _duplicate_verdict(rule, rx, groups[sa][0], groups[sb][0])
        if verdict is None:
            continue
        drugs, evidence, fields_ = verdict
        source = fields_.pop("_source")
        pairs, omitted = order_pairs(groups[sa], groups[sb], sa == sb, cap)
        for oa, ob in pairs:
            alerts.append(make(rule, [oa, ob], drugs, source=cited_source(source, rule), evidence=evidence,
                               a=oa.name, b=ob.name, **fields_))
        if pairs:
            note_suppressed(rx, rule, pairs[0], omitted)
    return alerts
