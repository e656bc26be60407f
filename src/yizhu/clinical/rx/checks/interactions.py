"""Drug–drug interactions: pairs of orders (by order group, capped per pair) looked up in the interaction
index, with indicated combinations and safer alternatives.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from yizhu.clinical.rx.checks.common import alternatives_for, cited_source, make, ref_matches
from yizhu.clinical.rx.rules import (
    SEVERITY_RANK,
    Alert,
    RxRule,
    check,
)
from yizhu.clinical.rx.tables import table
from yizhu.knowledge.schema import DrugItem, InteractionItem

if TYPE_CHECKING:
    from yizhu.clinical.rx.review_input import OrderView, RxInput


# ── interactions ────────────────────────────────────────────────────────────────────────────


#: At most this many alerts for one pair of products (the same two drugs ordered again and again); the rest
#: are counted in ``summary.suppressed``. A pharmacist acts on the pair, not on each repetition.
MAX_ALERTS_PER_PAIR = 3


def order_groups(rx: RxInput) -> dict[tuple[str, ...], list[OrderView]]:
    """Known orders grouped by what they resolve to (the drug ids), focus orders first in each group.

    Pair checks compare groups, not orders, so a review is linear in the number of orders: repeated
    products cost nothing more than one comparison of their group."""
    cached = rx.cache.get("groups")
    if cached is None:
        cached = {}
        for o in rx.known:
            cached.setdefault(tuple(sorted({i.id for i in o.items})), []).append(o)
        for g in cached.values():
            g.sort(key=lambda o: (not o.focus, o.index))
        rx.cache["groups"] = cached
    return cached  # type: ignore[no-any-return]


def order_pairs(
    ga: list[OrderView], gb: list[OrderView], same: bool, cap: int
) -> tuple[list[tuple[OrderView, OrderView]], int]:
    """Up to ``cap`` pairs of orders (one from each group, at least one a focus order, in order-index
    order) and how many qualifying pairs were left out. Groups are sorted focus first, so the loops stop
    as soon as no further pair can involve a focus order."""
    fa = sum(1 for o in ga if o.focus)
    if same:
        n = len(ga)
        total = n * (n - 1) // 2 - (n - fa) * (n - fa - 1) // 2
    else:
        fb = sum(1 for o in gb if o.focus)
        total = fa * len(gb) + (len(ga) - fa) * fb
    out: list[tuple[OrderView, OrderView]] = []
    for i, a in enumerate(ga):
        rest = ga[i + 1:] if same else gb
        if not a.focus and (not rest or not rest[0].focus):
            break
        for b in rest:
            if not (a.focus or b.focus):
                break
            out.append((a, b) if a.index < b.index else (b, a))
            if len(out) >= cap:
                return out, total - len(out)
    return out, total - len(out)


def note_suppressed(rx: RxInput, rule: RxRule, pair: tuple[OrderView, OrderView], omitted: int) -> None:
    if omitted > 0:
        rx.cache.setdefault("suppressed", []).append(
            {"rule_id": rule.id, "drugs": [pair[0].name, pair[1].name], "omitted": omitted})


def _interaction_pairs(rx: RxInput) -> list[tuple[OrderView, OrderView, DrugItem, DrugItem, InteractionItem]]:
    """Interacting order pairs: candidate groups found through the interaction index (by drug, and by
    class through its expanded sides), the most severe item per pair of groups, at most
    MAX_ALERTS_PER_PAIR order pairs each."""
    cached = rx.cache.get("interactions")
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    idx = rx.interactions
    groups = order_groups(rx)
    by_drug: dict[str, list[tuple[str, ...]]] = {}
    for sig in groups:
        for d in sig:
            by_drug.setdefault(d, []).append(sig)
    present = frozenset(by_drug)
    candidates: set[tuple[tuple[str, ...], tuple[str, ...]]] = set()
    for d in present:
        for i in idx.by_drug.get(d, ()):
            s0, s1 = idx.sides[i]
            partners = (s1 if d in s0 else frozenset()) | (s0 if d in s1 else frozenset())
            for od in (partners & present) if len(partners) < len(present) else (present & partners):
                if od == d:
                    continue
                for sa in by_drug[d]:
                    for sb in by_drug[od]:
                        if sa != sb:
                            candidates.add((sa, sb) if sa < sb else (sb, sa))
    out = []
    cap = int(rx.cache.get("max_alerts_per_pair", MAX_ALERTS_PER_PAIR))
    for sa, sb in sorted(candidates):
        rep_a, rep_b = groups[sa][0], groups[sb][0]
        best: tuple[DrugItem, DrugItem, InteractionItem] | None = None
        for a in rep_a.items:
            for b in rep_b.items:
                if a.id == b.id:
                    continue  # the same drug twice is a duplicate, not an interaction
                for it in idx.between(a, b):
                    if best is None:
                        best = (a, b, it)
                        continue
                    r_new, r_old = SEVERITY_RANK[it.severity], SEVERITY_RANK[best[2].severity]
                    if r_new < r_old or (r_new == r_old and best[2].is_class_rule and not it.is_class_rule):
                        best = (a, b, it)
        if best is None:
            continue
        pairs, omitted = order_pairs(groups[sa], groups[sb], False, cap)
        a, b, it = best
        for oa, ob in pairs:
            x, y = (a, b) if any(i.id == a.id for i in oa.items) else (b, a)  # drugs in the orders' order
            out.append((oa, ob, x, y, it))
        if pairs and omitted > 0:
            kind = "rx.interaction.class.v1" if it.is_class_rule else "rx.interaction.pair.v1"
            rx.cache.setdefault("suppressed", []).append(
                {"rule_id": kind, "drugs": [pairs[0][0].name, pairs[0][1].name], "omitted": omitted})
    out.sort(key=lambda t: (t[0].index, t[1].index))
    rx.cache["interactions"] = out
    return out


def _indicated(rx: RxInput, a: DrugItem, b: DrugItem, it: InteractionItem) -> dict[str, Any] | None:
    """A guideline-indicated combination for the patient's diagnoses (rules/indicated_combinations.yaml),
    e.g. dual antiplatelet therapy after PCI: the interaction stays, at the table's (lower) severity."""
    for key, row in table("indicated_combinations").items():
        x, y = row["sides"]
        if not ((ref_matches(x, a) and ref_matches(y, b)) or (ref_matches(x, b) and ref_matches(y, a))):
            continue
        if rx.facts.has_code(*row.get("icd10", [])) or any(
            any(k in d.text for k in row.get("keywords", [])) for d in rx.facts.diagnoses
        ):
            return {**row, "key": key}
    return None


@check("interaction")
def interaction(rule: RxRule, rx: RxInput) -> list[Alert]:
    """Drug pairs (and class pairs) from the interaction pack; the most severe item per pair."""
    want_class = rule.params.get("scope") == "class"
    alerts = []
    for oa, ob, a, b, it in _interaction_pairs(rx):
        if it.is_class_rule != want_class:
            continue
        sides = " × ".join(s.split(":", 1)[1] for s in it.drugs)
        severity, effect = it.severity, it.effect
        indicated = _indicated(rx, a, b, it)
        if indicated is not None and SEVERITY_RANK[indicated["severity"]] > SEVERITY_RANK[severity]:
            severity, effect = indicated["severity"], f"{it.effect}（{indicated['note']}）"
        alts: list[DrugItem] = []
        replaces = None
        for x, y, ox in ((a, b, oa), (b, a, ob)):
            alts = alternatives_for(rx, "interaction", x, (y,))
            if alts:
                replaces = ox
                break
        ev = {"interaction": it.id, "sides": list(it.drugs), "mechanism": it.mechanism}
        if indicated is not None:
            ev["indicated_combination"] = indicated["key"]
        alerts.append(make(
            rule, [oa, ob], [a, b], severity=severity, source=cited_source(it.source, rule),
            evidence=ev, recommendation=it.management or None,
            alternatives=alts if indicated is None else [], replaces=replaces,
            a=oa.name, b=ob.name, effect=effect, sides=sides, management=it.management or "",
        ))
    return alerts
