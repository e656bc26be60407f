"""The registered checks behind the rules in ``rules/rules.yaml``.

Each check reads the resolved orders and patient facts (``RxInput``) and compares them with the knowledge
packs (DrugItem and InteractionItem fields) and the rule data tables; every alert names its rule, the
drugs as written, the values compared (``evidence``) and the source of the fact it rests on.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from yizhu.clinical.rx.facts import HEPATIC_ORDER, AllergyFact
from yizhu.clinical.rx.parsing import convert, fmt_num, implied_route, parse_frequency, routes_of_form
from yizhu.clinical.rx.rules import (
    SEVERITIES,
    SEVERITY_RANK,
    Alert,
    RxRule,
    check,
    render,
)
from yizhu.clinical.rx.tables import table
from yizhu.knowledge.allergy import Allergen, model_for
from yizhu.knowledge.schema import ROUTE_LABELS, DoseSpec, DrugItem, InteractionItem

if TYPE_CHECKING:
    from yizhu.clinical.rx.review_input import OrderView, RxInput


# ── helpers ─────────────────────────────────────────────────────────────────────────────────


def _matches(ref: str, drug: DrugItem) -> bool:
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
        if alert_type not in row.get("types", []) or not _matches(row["drug"], drug):
            continue
        if row.get("partner") and not any(_matches(row["partner"], p) for p in partners):
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


def _source(item_source: str | None, rule: RxRule) -> str:
    """The knowledge item's source, which is what the fact rests on; the rule's when there is none."""
    return item_source or rule.source


def _age_text(age: float | None) -> str:
    if age is None:
        return "年龄未知"
    if age >= 1:
        return f"{int(age)}岁"
    if age * 12 >= 1:
        return f"{int(age * 12)}月龄"
    return f"{int(age * 365.25)}天"


# ── interactions ────────────────────────────────────────────────────────────────────────────


#: At most this many alerts for one pair of products (the same two drugs ordered again and again); the rest
#: are counted in ``summary.suppressed``. A pharmacist acts on the pair, not on each repetition.
MAX_ALERTS_PER_PAIR = 3


def _groups(rx: RxInput) -> dict[tuple[str, ...], list[OrderView]]:
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


def _order_pairs(
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


def _suppressed(rx: RxInput, rule: RxRule, pair: tuple[OrderView, OrderView], omitted: int) -> None:
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
    groups = _groups(rx)
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
        pairs, omitted = _order_pairs(groups[sa], groups[sb], False, cap)
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
        if not ((_matches(x, a) and _matches(y, b)) or (_matches(x, b) and _matches(y, a))):
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
            rule, [oa, ob], [a, b], severity=severity, source=_source(it.source, rule),
            evidence=ev, recommendation=it.management or None,
            alternatives=alts if indicated is None else [], replaces=replaces,
            a=oa.name, b=ob.name, effect=effect, sides=sides, management=it.management or "",
        ))
    return alerts


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
    groups = _groups(rx)
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
                labels = table("duplicate_groups")
                group = (labels.get(x.duplicate_group) or {}).get("label") or (
                    x.drug_class if x.drug_class == y.drug_class and x.drug_class else x.duplicate_group)
                return [x, y], {"duplicate_group": x.duplicate_group}, {"group": group, "_source": x.source}
    return None


@check("duplicate")
def duplicate(rule: RxRule, rx: RxInput) -> list[Alert]:
    """The same ingredient twice (brands, salts, combinations), or two drugs of one duplicate group."""
    groups = _groups(rx)
    cap = int(rx.cache.get("max_alerts_per_pair", MAX_ALERTS_PER_PAIR))
    alerts = []
    for sa, sb in sorted(_duplicate_candidates(rx)):
        verdict = _duplicate_verdict(rule, rx, groups[sa][0], groups[sb][0])
        if verdict is None:
            continue
        drugs, evidence, fields_ = verdict
        source = fields_.pop("_source")
        pairs, omitted = _order_pairs(groups[sa], groups[sb], sa == sb, cap)
        for oa, ob in pairs:
            alerts.append(make(rule, [oa, ob], drugs, source=_source(source, rule), evidence=evidence,
                               a=oa.name, b=ob.name, **fields_))
        if pairs:
            _suppressed(rx, rule, pairs[0], omitted)
    return alerts


# ── dose ────────────────────────────────────────────────────────────────────────────────────

_FORM_WORDS = ("控释", "缓释", "肠溶", "普通", "速释", "分散")


def _route_code(o: OrderView, drug: DrugItem) -> str | None:
    if o.route.code:
        return o.route.code
    routes = {d.route for d in drug.doses} | set(drug.routes)
    return next(iter(routes)) if len(routes) == 1 else None


def _specs(o: OrderView, drug: DrugItem) -> list[DoseSpec]:
    """The label's dose entries for the order's route; none when the written dose form (滴眼液, 乳膏 …)
    cannot be given that way, because then the systemic doses do not describe this product."""
    route = _route_code(o, drug)
    if route is None:
        return []
    form = routes_of_form(o.name)
    if form is not None and route not in form[1]:
        return []
    return [d for d in drug.doses if d.route == route]


_USUAL_DOSE = re.compile(
    r"(\d+(?:\.\d+)?)(?:\s*[–\-~至]\s*(\d+(?:\.\d+)?))?\s*(mg|g|μg|ug|mcg|万\s*U|IU|U|mL)(?![a-zA-Z]|\s*/)",
)


def _segments(usual: str, written: str) -> list[str]:
    """The parts of a usual-dose text that apply to the written form (控释片 vs 普通片)."""
    segments = [s for s in re.split(r"[；;]", usual) if s.strip()]
    form = next((w for w in _FORM_WORDS if w in written), None)
    if form:
        chosen = [s for s in segments if form in s]
        if not chosen and form in ("普通", "速释"):
            chosen = [s for s in segments if not any(w in s for w in ("控释", "缓释"))]
        return chosen or segments
    plain = [s for s in segments if not any(w in s for w in ("控释", "缓释"))]
    return plain or segments


def usual_max_dose(usual: str, written: str = "", unit: str = "mg") -> float | None:
    """The largest single amount a usual-dose text names, in ``unit`` (amounts per kg, m² or day excluded)."""
    best: float | None = None
    for seg in _segments(usual, written):
        for m in _USUAL_DOSE.finditer(seg):
            value = convert(float(m.group(2) or m.group(1)), m.group(3).replace(" ", ""), unit)
            if value is not None and (best is None or value > best):
                best = value
    return best


def _above_usual(rule: RxRule, rx: RxInput) -> list[Alert]:
    factor = float(rule.params.get("factor", 1.5))
    alerts = []
    for o in rx.orders:
        d = o.drug
        if d is None or o.order.dose is None or o.order.unit is None:
            continue
        specs = _specs(o, d)
        if not specs or any(s.max_single is not None for s in specs):
            continue  # the label's maximum, where there is one, is the better test
        usual = "；".join(s.usual for s in specs)
        if _TITRATED.search(usual):
            continue  # a starting dose to be titrated is no upper bound
        top = usual_max_dose(usual, o.name, o.order.unit)
        if top is None or o.order.dose <= top * factor:
            continue
        alerts.append(make(
            rule, [o], [d], source=_source(d.source, rule),
            evidence={"drug_item": d.id, "dose": o.order.dose, "unit": o.order.unit, "usual_max": top},
            drug=o.name, dose=o.dose_text, usual_max=f"{fmt_num(top)} {o.order.unit}", factor=fmt_num(factor),
            usual=usual,
        ))
    return alerts


@check("dose_limits")
def dose_limits(rule: RxRule, rx: RxInput) -> list[Alert]:
    """Single and daily dose against the label's adult maxima for the route (the most permissive entry)."""
    which = rule.params.get("limit", "single")
    if which == "usual":
        return _above_usual(rule, rx)
    alerts = []
    for o in rx.orders:
        d = o.drug
        if d is None or o.order.dose is None:
            continue
        best: tuple[float, float, DoseSpec] | None = None  # (value in spec unit, limit, spec)
        for spec in _specs(o, d):
            limit = spec.max_single if which == "single" else spec.max_daily
            if limit is None:
                continue
            value = o.dose_in(spec.unit) if which == "single" else o.daily_in(spec.unit)
            if value is None:
                continue
            ratio = value / limit
            if best is None or ratio < best[0] / best[1]:
                best = (value, limit, spec)
        if best is None:
            continue
        value, limit, spec = best
        if value <= limit * 1.0001:
            continue
        usual = "；".join(s.usual for s in _specs(o, d))
        unit = spec.unit or ""
        alerts.append(make(
            rule, [o], [d], source=_source(d.source, rule),
            evidence={"drug_item": d.id, "value": round(value, 4), "limit": limit, "unit": unit,
                      "per_day": o.frequency.daily_count, "route": spec.route},
            drug=o.name, dose=o.dose_text, limit=f"{fmt_num(limit)} {unit}", usual=usual,
            daily=f"{fmt_num(value)} {unit}", per_day=fmt_num(o.frequency.daily_count or 0),
        ))
    return alerts


def _paediatric_rows(drug: DrugItem, route: str | None) -> list[dict[str, Any]]:
    return [r for r in table("paediatric_doses").values()
            if r.get("drug") == drug.id and (route is None or route in r.get("routes", [route]))]


@check("pediatric_dose")
def pediatric_dose(rule: RxRule, rx: RxInput) -> list[Alert]:
    """Children: mg/kg single and daily ceilings by weight, fixed doses by age or weight band."""
    f = rx.facts
    if not f.is_child:
        return []
    basis = rule.params.get("basis")
    alerts = []
    for o in rx.orders:
        d = o.drug
        if d is None or o.order.dose is None:
            continue
        for row in _paediatric_rows(d, _route_code(o, d)):
            unit = row.get("unit", "mg")
            single, daily = o.dose_in(unit), o.daily_in(unit)
            if single is None:
                continue
            per_kg = row.get("max_per_kg_dose") is not None or row.get("max_per_kg_day") is not None
            ev = {"drug_item": d.id, "unit": unit, "weight_kg": f.weight_kg, "age_years": f.age}
            if basis == "missing_weight":
                if per_kg and f.weight_kg is None:
                    alerts.append(make(rule, [o], [d], source=row["source"], evidence=ev, drug=o.name))
                break
            if basis == "weight" and per_kg and f.weight_kg is not None:
                w = f.weight_kg
                checks_: list[tuple[float | None, float | None, float | None, str]] = [
                    (single, row.get("max_per_kg_dose"), row.get("max_dose"), "单次"),
                    (daily, row.get("max_per_kg_day"), row.get("max_daily"), "每日"),
                ]
                for value, pk, cap, label in checks_:
                    if value is None or pk is None:
                        continue
                    limit = pk * w if cap is None else min(pk * w, cap)
                    if value > limit * 1.0001:
                        rule_text = f"{label} ≤{fmt_num(pk)} {unit}/kg" + (f"，且≤{fmt_num(cap)} {unit}" if cap else "")
                        alerts.append(make(
                            rule, [o], [d], source=row["source"], evidence={**ev, "value": value, "limit": limit},
                            drug=o.name, value=f"{label}{fmt_num(value)} {unit}", limit=f"{fmt_num(limit)} {unit}",
                            weight=fmt_num(w), per_kg=f"{fmt_num(pk)} {unit}/kg", limit_rule=rule_text,
                        ))
                        break
            if basis == "band":
                band, label = None, ""
                if f.age is not None:
                    for b in sorted(row.get("age_bands", []), key=lambda b: b["below_years"]):
                        if f.age < b["below_years"]:
                            band, label = b, f"{_age_text(f.age)}（{fmt_num(b['below_years'])}岁以下）"
                            break
                if band is None and f.weight_kg is not None:
                    for b in sorted(row.get("weight_bands", []), key=lambda b: b["max_weight"]):
                        if f.weight_kg <= b["max_weight"]:
                            band, label = b, f"体重{fmt_num(f.weight_kg)} kg（≤{fmt_num(b['max_weight'])} kg）"
                            break
                if band is None:
                    continue
                for value, lim, what in ((single, band.get("max_dose"), "单次"), (daily, band.get("max_daily"), "每日")):
                    if value is not None and lim is not None and value > lim * 1.0001:
                        alerts.append(make(
                            rule, [o], [d], source=row["source"], evidence={**ev, "value": value, "limit": lim},
                            drug=o.name, value=f"{what}{fmt_num(value)} {unit}", band=label,
                            limit=f"{fmt_num(lim)} {unit}", limit_rule=row["source"],
                        ))
                        break
    return alerts


# ── frequency ───────────────────────────────────────────────────────────────────────────────

_USUAL_TOKENS = re.compile(
    r"q(\d+(?:\.\d+)?)(?:\s*[–\-~至]\s*(\d+(?:\.\d+)?))?\s*h|qid|tid|bid|qod|qd|qn|qw|biw|tiw|"
    r"分\s*(\d+)(?:\s*[–\-~至]\s*(\d+))?\s*次|每日\s*(\d+)(?:\s*[–\-~至]\s*(\d+))?\s*次|(\d+)\s*次/日|"
    r"每周|每晚|睡前|晨服|顿服|每\s*(\d+(?:\.\d+)?)(?:\s*[–\-~至]\s*\d+(?:\.\d+)?)?\s*(?:h|小时)"
)
_ABBR_PER_DAY = {"qid": 4.0, "tid": 3.0, "bid": 2.0, "qd": 1.0, "qn": 1.0, "qod": 0.5, "qw": 1 / 7, "biw": 2 / 7,
                 "tiw": 3 / 7, "每周": 1 / 7, "每晚": 1.0, "睡前": 1.0, "晨服": 1.0, "顿服": 1.0}  # fmt: skip


def usual_max_per_day(usual: str, written: str = "") -> float | None:
    """The highest administrations per day that a label's usual-dose text mentions (None if none)."""
    best: float | None = None
    for s in _segments(usual, written):
        for m in _USUAL_TOKENS.finditer(s.lower()):
            tok = m.group(0)
            if m.group(1):
                shortest = float(m.group(1))
                value = 24 / shortest if shortest > 0 else None
            elif m.group(3) or m.group(5):
                value = float(m.group(4) or m.group(3)) if m.group(3) else float(m.group(6) or m.group(5))
            elif m.group(7):
                value = float(m.group(7))
            elif m.group(8):
                value = 24 / float(m.group(8)) if float(m.group(8)) > 0 else None
            else:
                value = _ABBR_PER_DAY.get(tok.replace(" ", ""))
            if value is not None and (best is None or value > best):
                best = value
    return best


#: Usual-dose text that describes a starting dose to be titrated: its frequency is not an upper bound.
_TITRATED = re.compile(r"起|逐渐|加量|可至|可增至|增至|调整|按.{0,6}调")


@check("frequency")
def frequency(rule: RxRule, rx: RxInput) -> list[Alert]:
    """Unrecognised frequency text, fixed-interval (weekly) regimens, and more often than the label says."""
    kind = rule.params.get("kind")
    alerts = []
    for o in rx.orders:
        fq = o.frequency
        if kind == "unrecognised":
            if fq.text and not fq.known:
                alerts.append(make(rule, [o], list(o.items), drug=o.name, frequency=fq.text))
            continue
        d = o.drug
        if d is None or fq.kind != "regular" or fq.per_day is None:
            continue
        if kind == "fixed_interval":
            for row in table("frequency_rules").values():
                if row.get("drug") != d.id:
                    continue
                route = _route_code(o, d)
                if route is not None and route not in row.get("routes", [route]):
                    continue
                if row.get("min_dose_mg") is not None:
                    mg = o.dose_in("mg")
                    if mg is None or mg < row["min_dose_mg"]:
                        continue
                if fq.per_day > row["max_per_day"]:
                    alerts.append(make(
                        rule, [o], [d], severity=row.get("severity"), source=row["source"],
                        evidence={"drug_item": d.id, "per_day": fq.per_day, "max_per_day": row["max_per_day"]},
                        recommendation=row.get("recommendation"),
                        drug=o.name, message=row["message"], frequency=fq.text,
                    ))
            continue
        if kind == "above_usual":
            specs = _specs(o, d)
            usual = "；".join(s.usual for s in specs)
            top = usual_max_per_day(usual, o.name) if usual else None
            open_ended = bool(_TITRATED.search(usual)) and not any(w in o.name for w in ("控释", "缓释"))
            if top is not None and fq.per_day > top * 1.0001 and not open_ended:
                alerts.append(make(
                    rule, [o], [d], source=_source(d.source, rule),
                    evidence={"drug_item": d.id, "per_day": fq.per_day, "usual_max_per_day": top},
                    drug=o.name, frequency=fq.text, per_day=fmt_num(fq.per_day), usual=usual,
                ))
    return alerts


# ── route ───────────────────────────────────────────────────────────────────────────────────

#: Route codes that stand in for each other when comparing with a label (泵入 is IV; 鼻饲 is oral).
_ROUTE_EQUIV = {"sl": {"sl", "buccal"}, "buccal": {"sl", "buccal"}, "td": {"td", "topical"}, "topical": {"topical", "td"}}


def _labels(codes: list[str] | set[str]) -> str:
    return "、".join(ROUTE_LABELS.get(c, c) for c in codes)


@check("route")
def route(rule: RxRule, rx: RxInput) -> list[Alert]:
    """Forbidden routes/modes, routes the label does not list, and dose forms that cannot go that way."""
    kind = rule.params.get("kind")
    alerts = []
    for o in rx.orders:
        r = o.route
        if kind == "unrecognised":
            if r.text and not r.known:
                alerts.append(make(rule, [o], list(o.items), drug=o.name, route=r.text))
            continue
        if not r.known:
            continue
        if kind == "form_mismatch":
            form = routes_of_form(o.name)
            if form is not None and r.code not in form[1]:
                alerts.append(make(rule, [o], list(o.items), evidence={"form": form[0], "route": r.code},
                                   drug=o.name, form=form[0] + "剂型", route=r.text))
            continue
        d = o.drug
        if d is None:
            continue
        if kind == "forbidden":
            for row in table("route_rules").values():
                if row.get("drug") != d.id:
                    continue
                if r.code in row.get("routes", []) or (r.mode and r.mode in row.get("modes", [])):
                    alerts.append(make(
                        rule, [o], [d], severity=row.get("severity"), source=row["source"],
                        evidence={"drug_item": d.id, "route": r.code, "mode": r.mode},
                        recommendation=row.get("recommendation"), drug=o.name, message=row["message"], route=r.text,
                    ))
        elif kind == "not_labelled" and d.routes:
            allowed = set(d.routes)
            form = routes_of_form(o.name)
            if form is not None and r.code in form[1]:
                continue  # a preparation the pack does not describe (滴眼液 of an oral antibiotic), given its way
            if not (_ROUTE_EQUIV.get(r.code, {r.code}) & allowed):  # type: ignore[arg-type]
                alerts.append(make(
                    rule, [o], [d], source=_source(d.source, rule),
                    evidence={"drug_item": d.id, "route": r.code, "labelled": sorted(allowed)},
                    drug=o.name, route=r.text, labelled=_labels(d.routes),
                ))
    return alerts


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
                        rule, [o], [item], severity=sev, source=_source(item.source, rule),
                        evidence={"drug_item": item.id, "allergy": allergen, "allergen_group": c.allergen_group,
                                  "group": item.allergy_group, "risk": c.risk},
                        allergen=allergen, allergen_group=c.allergen_group, drug=o.name, group=item.allergy_group,
                        note=c.note,
                    ))
    return alerts


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
                rule, [o], [item], severity=sev, source=_source(item.source, rule),
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
            alerts.append(make(rule, [o], [item], severity=sev_map[lac.risk], source=_source(item.source, rule),
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
                rule, [o], [item], severity=sev, source=_source(item.source, rule),
                evidence={"drug_item": item.id, "below_years": lim.below_years, "condition": lim.condition},
                alternatives=alternatives_for(rx, "pediatric", item) if SEVERITY_RANK[sev] <= 1 else [],
                age=_age_text(f.age), drug=o.name, note=note, below=fmt_num(lim.below_years),
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
                rule, [o], [item], severity=sev, source=_source(item.source, rule),
                evidence={"drug_item": item.id, "beers": b.recommendation},
                alternatives=alternatives_for(rx, "geriatric", item),
                age=f"{int(f.age)}", drug=o.name, note=b.note,
            ))
    return alerts


_ACTION_TEXT = {
    "contraindicated": "禁用，请更换药物", "avoid": "避免使用，换用替代药物", "reduce_dose": "按说明书减量",
    "extend_interval": "延长给药间隔", "monitor": "用药期间监测", "caution": "慎用并密切监测",
}  # fmt: skip


_TIER = re.compile(r"^\D*?(?:(\d+(?:\.\d+)?)\s*[–\-~至]\s*(\d+(?:\.\d+)?)|[<＜](\d+(?:\.\d+)?)|[≤](\d+(?:\.\d+)?))")
_REGIMEN = re.compile(r"(\d+(?:\.\d+)?)\s*(mg|g|μg|ug|mcg)\s*(qd|bid|tid|qid|qod|q\d+h)\b", re.IGNORECASE)


def _tier_for(note: str, value: float) -> str | None:
    """The part of a tiered renal note that applies to the patient's value ("CrCl 30–49：…；10–29：…"); the whole
    note when it has no tiers; None when it has tiers and none covers the value."""
    parts = [x for x in re.split(r"[；;]", note) if x.strip()]
    tiers = [(x, _TIER.match(x)) for x in parts]
    if not any(m for _, m in tiers):
        return note
    for text, m in tiers:
        if m is None:
            continue
        lo, hi, below, at_most = m.groups()
        if (lo is not None and float(lo) <= value <= float(hi)) or (below is not None and value < float(below)) or (
            at_most is not None and value <= float(at_most)):
            return text
    return None


def _already_adjusted(o: OrderView, note: str, value: float) -> str | None:
    """The adjusted regimen the note names for the patient's kidney function when the order is already at
    or below it (single and daily dose), e.g. 利伐沙班 15 mg qd at CrCl 34; None otherwise."""
    tier = _tier_for(note, value)
    if tier is None or o.order.dose is None or o.frequency.daily_count is None:
        return None
    best: tuple[float, float, str] | None = None  # (single, daily, as written), in the order's unit
    for m in _REGIMEN.finditer(tier):
        single = convert(float(m.group(1)), m.group(2), o.order.unit)
        per_day = parse_frequency(m.group(3)).daily_count
        if single is None or per_day is None:
            continue
        if best is None or single * per_day > best[1]:
            best = (single, single * per_day, m.group(0))
    if best is None:
        return None
    daily = o.order.dose * o.frequency.daily_count
    if o.order.dose <= best[0] * 1.0001 and daily <= best[1] * 1.0001:
        return best[2]
    return None


@check("renal")
def renal(rule: RxRule, rx: RxInput) -> list[Alert]:
    """Renal rules below the patient's eGFR/CrCl (computed by CKD-EPI 2021 when only creatinine is given)."""
    f = rx.facts
    if f.egfr is None and f.crcl is None:
        return []
    sev_map = rule.params.get("action_severity", {})
    alerts = []
    for o in rx.known:
        for item in o.items:
            best = None
            for rr in item.renal:
                value = f.egfr if rr.measure == "eGFR" else f.crcl
                basis = f.egfr_basis if rr.measure == "eGFR" else f.crcl_basis
                if value is None or value >= rr.below:
                    continue
                sev = sev_map.get(rr.action, rule.severity)
                if best is None or SEVERITY_RANK[sev] < SEVERITY_RANK[best[0]] or (
                    sev == best[0] and rr.below < best[1].below
                ):
                    best = (sev, rr, value, basis)
            if best is None:
                continue
            sev, rr, value, basis = best
            ev = {"drug_item": item.id, "measure": rr.measure, "value": value, "below": rr.below, "action": rr.action}
            adjusted = _already_adjusted(o, rr.note, value) if rr.action in ("reduce_dose", "extend_interval") else None
            if adjusted is not None:  # the order already is the adjusted regimen: a reminder, not a warning
                sev = "minor"
                ev["already_adjusted_to"] = adjusted
            alerts.append(make(
                rule, [o], [item], severity=sev, source=_source(item.source, rule),
                evidence=ev,
                alternatives=alternatives_for(rx, "renal", item) if SEVERITY_RANK[sev] <= 1 else [],
                basis=basis, drug=o.name, note=f"{rr.measure}<{fmt_num(rr.below)}：{rr.note}",
                action_text=f"{_ACTION_TEXT[rr.action]}（{rr.note}）",
            ))
    return alerts


@check("hepatic")
def hepatic(rule: RxRule, rx: RxInput) -> list[Alert]:
    """Hepatic rules for the patient's liver impairment (Child-Pugh, liver diagnoses, or ALT/AST/bilirubin)."""
    f = rx.facts
    if f.hepatic is None:
        return []
    level = HEPATIC_ORDER[f.hepatic]
    sev_map = rule.params.get("action_severity", {})
    alerts = []
    for o in rx.known:
        for item in o.items:
            best = None
            for hr in item.hepatic:
                if hr.severity != "any" and HEPATIC_ORDER[hr.severity] > level:
                    continue
                sev = sev_map.get(hr.action, rule.severity)
                if best is None or SEVERITY_RANK[sev] < SEVERITY_RANK[best[0]]:
                    best = (sev, hr)
            if best is None:
                continue
            sev, hr = best
            alerts.append(make(
                rule, [o], [item], severity=sev, source=_source(item.source, rule),
                evidence={"drug_item": item.id, "patient": f.hepatic, "rule_severity": hr.severity, "action": hr.action},
                basis=f.hepatic_basis, drug=o.name, note=hr.note, action_text=f"{_ACTION_TEXT[hr.action]}（{hr.note}）",
            ))
    return alerts


#: Words that narrow a contraindication beyond its ICD-10 category; if the diagnosis does not say them the
#: alert is lowered to minor ("confirm"), because the coarse code cannot tell acute from chronic.
_QUALIFIERS = ("急性", "失代偿", "未控制", "未纠正", "严重", "重度", "活动性", "不稳定", "进展", "晚期", "中重度", "难治")


#: A qualifier in the label and its opposite in the diagnosis: the contraindication does not apply.
_OPPOSITES = {"急性": r"慢性", "失代偿": r"(?<!失)代偿期", "活动性": r"陈旧|既往|愈合|静止", "未控制": r"控制良好|已控制",
              "未纠正": r"已纠正"}  # fmt: skip


def _clause(contra: str, diagnosis: str) -> str:
    """The alternative of a contraindication text ("A或B、C") that the diagnosis speaks of (shares two
    characters with, most shared first); the whole text when none does. Qualifiers are read from it only."""
    parts = [p for p in re.split(r"[或、/，,；;]", contra) if p.strip()]
    pairs = {diagnosis[i:i + 2] for i in range(len(diagnosis) - 1)}
    scores = [sum(1 for x in pairs if x in p) for p in parts]
    best = max(scores, default=0)
    return "".join(p for p, sc in zip(parts, scores, strict=True) if sc == best) if best else contra


#: A label contraindication about raised transaminases / active liver disease, which a lab result can
#: show without a coded diagnosis (statins: 活动性肝病或不明原因持续转氨酶升高).
_LIVER_LAB_CONTRA = re.compile(r"转氨酶.{0,6}升高|肝酶.{0,6}升高|活动性肝病|肝功能(?:明显)?异常")
_TRANSAMINASE_X = 3.0  # ≥3×ULN: the threshold labels and guidelines use for stopping a hepatotoxic drug


def _lab_contraindications(rule: RxRule, rx: RxInput, sev_map: dict[str, str]) -> list[Alert]:
    """Contraindications about raised transaminases met by the patient's ALT/AST (≥3×ULN): a single result
    cannot show they are persistent, so at most *major* (confirm and decide), never passed as nothing."""
    f = rx.facts
    ratio = f.transaminase_x_uln
    if ratio is None or ratio < _TRANSAMINASE_X:
        return []
    lab = "、".join(f"{k.upper()} {f.labs[k]:g} U/L" for k in ("alt", "ast") if k in f.labs)
    out = []
    for o in rx.known:
        for item in o.items:
            c = next((c for c in item.contraindications if _LIVER_LAB_CONTRA.search(c.text)), None)
            if c is None:
                continue
            sev = worse_of_two(sev_map.get(c.level, rule.severity), "major", milder=True)
            out.append(make(
                rule, [o], [item], severity=sev, source=_source(item.source, rule),
                evidence={"drug_item": item.id, "lab": lab, "x_uln": round(ratio, 1), "level": c.level},
                drug=o.name, diagnosis=f"{lab}（{ratio:.1f}×ULN）", code="检验", text=c.text,
            ))
    return out


def worse_of_two(a: str, b: str, *, milder: bool = False) -> str:
    """The more severe of two severities (or, with ``milder``, the less severe)."""
    ra, rb = SEVERITY_RANK[a], SEVERITY_RANK[b]
    return (a if ra >= rb else b) if milder else (a if ra <= rb else b)


@check("drug_disease")
def drug_disease(rule: RxRule, rx: RxInput) -> list[Alert]:
    """Label contraindications matched to the patient's diagnoses by ICD-10 prefix, and liver-enzyme
    contraindications matched to the patient's ALT/AST."""
    f = rx.facts
    coded = [d for d in f.diagnoses if d.code]
    lab_alerts = _lab_contraindications(rule, rx, rule.params.get("level_severity", {}))
    if not coded:
        return lab_alerts
    sev_map = rule.params.get("level_severity", {})
    skip = tuple(rule.params.get("skip_prefixes", []))
    alerts = []
    for o in rx.known:
        for item in o.items:
            best = None
            for c in item.contraindications:
                for prefix in c.icd10:
                    if prefix.startswith(skip) or prefix in ("O",):
                        continue
                    for dx in coded:
                        if not dx.code.upper().startswith(prefix.upper()):  # type: ignore[union-attr]
                            continue
                        sev = sev_map.get(c.level, rule.severity)
                        clause = _clause(c.text, dx.text)
                        if any(re.search(opp, dx.text) for q, opp in _OPPOSITES.items() if q in clause):
                            continue  # 慢性 heart failure is not the 急性失代偿 one the label excludes
                        narrowed = [q for q in _QUALIFIERS if q in clause and q not in dx.text]
                        if narrowed and SEVERITY_RANK[sev] < SEVERITY_RANK["minor"]:
                            sev = "minor"
                        if best is None or SEVERITY_RANK[sev] < SEVERITY_RANK[best[0]]:
                            best = (sev, c, dx, narrowed)
            if best is None:
                continue
            sev, c, dx, narrowed = best
            text = c.text + (f"（诊断未写明“{'、'.join(narrowed)}”，请核实）" if narrowed else "")
            alerts.append(make(
                rule, [o], [item], severity=sev, source=_source(item.source, rule),
                evidence={"drug_item": item.id, "code": dx.code, "diagnosis": dx.text, "icd10": list(c.icd10),
                          "level": c.level},
                alternatives=alternatives_for(rx, "contraindication", item) if SEVERITY_RANK[sev] <= 1 else [],
                drug=o.name, diagnosis=dx.text, code=dx.code, text=text,
            ))
    return alerts + lab_alerts


# ── management ──────────────────────────────────────────────────────────────────────────────

_GRADE_NEED = {"限制使用级": "需主治医师及以上开具", "特殊使用级": "需副主任医师及以上开具，并经抗菌药物会诊"}


@check("antimicrobial")
def antimicrobial(rule: RxRule, rx: RxInput) -> list[Alert]:
    """抗菌药物分级: prescriber level against the drug's grade; 特殊使用级 never in outpatients."""
    kind = rule.params.get("kind")
    f = rx.facts
    levels = table("antimicrobial")
    alerts = []
    for o in rx.known:
        for item in o.items:
            grade = item.antimicrobial_grade
            if grade is None or grade == "非限制使用级":
                continue
            ev = {"drug_item": item.id, "grade": grade, "prescriber_level": f.prescriber_level,
                  "grade_note": item.antimicrobial_grade_note}
            if kind == "level" and f.prescriber_level in levels:
                row = levels[f.prescriber_level]
                if grade not in row["allowed"]:
                    alerts.append(make(rule, [o], [item], source=f"{rule.source}；{row['source']}", evidence=ev,
                                       drug=o.name, grade=grade, level_label=row["label"], need=_GRADE_NEED[grade]))
            elif kind == "outpatient" and grade == "特殊使用级" and f.setting == "outpatient":
                alerts.append(make(rule, [o], [item], evidence=ev, drug=o.name))
            elif kind == "unknown_level" and f.prescriber_level is None:
                alerts.append(make(rule, [o], [item], evidence=ev, drug=o.name, grade=grade))
    return alerts


_SCOPE_ROUTES = (("静脉", {"iv"}), ("注射", {"iv", "im", "sc", "id", "intrathecal", "epidural"}),
                 ("非肠道", {"iv", "im", "sc", "intrathecal"}), ("胰岛素", {"sc", "iv"}),
                 ("皮下", {"sc"}), ("口服", {"po"}), ("鞘内", {"intrathecal"}), ("硬膜外", {"epidural"}),
                 ("吸入", {"inh"}), ("透皮", {"td"}), ("贴剂", {"td"}))  # fmt: skip


_ROUTE_CLASSES = (
    frozenset({"iv", "im", "sc", "id", "intrathecal", "epidural", "intra_articular", "local"}),
    frozenset({"po", "sl", "buccal", "pr"}),
    frozenset({"td", "topical", "inh", "nasal", "ophthalmic", "otic", "vaginal"}),
)
_EXCLUDED = re.compile(r"[^；;，,（(]*(?:不在此列|除外|不包括|不属于)[^；;，,）)]*")


def _scope_routes(scope: str | None) -> set[str]:
    """Routes a 高警示 listing names (an excluded clause such as "口服制剂不在此列" names none)."""
    out: set[str] = set()
    text = _EXCLUDED.sub("", scope or "")
    for word, codes in _SCOPE_ROUTES:
        if word in text:
            out |= codes
    return out


def _same_route_class(route: str, scope_routes: set[str]) -> bool:
    """Parenteral, enteral or local: a subcutaneous morphine order falls under a listing of IV opioids."""
    return any(route in cls and cls & scope_routes for cls in _ROUTE_CLASSES)


@check("high_alert")
def high_alert(rule: RxRule, rx: RxInput) -> list[Alert]:
    """高警示药品 (for the listed forms/routes only, when the listing is route-specific)."""
    alerts = []
    for o in rx.known:
        for item in o.items:
            if not item.high_alert:
                continue
            scope_routes = _scope_routes(item.high_alert_scope)
            route = o.route.code
            if scope_routes and route is not None and not _same_route_class(route, scope_routes):
                continue
            alerts.append(make(rule, [o], [item], source=_source(item.source, rule),
                               evidence={"drug_item": item.id, "scope": item.high_alert_scope},
                               drug=o.name, scope=item.high_alert_scope or "高警示药品目录"))
    return alerts


@check("unknown_drug")
def unknown_drug(rule: RxRule, rx: RxInput) -> list[Alert]:
    """Orders whose drug could not be recognised (or a product of the line that was not): reported, never
    passed as safe. A carrier alone (0.9%氯化钠注射液) is recognised and not reported."""
    alerts = []
    for o in rx.orders:
        r = o.resolution
        if r.known:
            continue
        amb = r.ambiguous
        why = f"（可能为 {'、'.join(a.removeprefix('drug:') for a in amb)} 之一）" if amb else ""
        if r.unresolved and r.items:
            why += f"（其中「{'」「'.join(r.unresolved)}」未识别）"
        elif r.other and not r.items:
            why += f"（复方制剂，所含{'、'.join(r.other)}不在药品知识库中）"
        alerts.append(make(rule, [o], list(r.items), evidence={"ambiguous": list(amb), "unresolved": list(r.unresolved)},
                           drug=o.name, why=why))
    return alerts


#: What a missing field leaves unchecked (for the message).
_UNCHECKED = {"dose": "剂量", "route": "给药途径", "frequency": "频次与日剂量"}
_FIELD_CN = {"dose": "单次剂量", "route": "给药途径", "frequency": "给药频次"}


@check("incomplete")
def incomplete(rule: RxRule, rx: RxInput) -> list[Alert]:
    """Orders without a dose (with its unit), a route or a frequency: the checks those fields feed cannot
    run, so the order is reported as incomplete, never passed as reviewed."""
    alerts = []
    for o in rx.orders:
        missing = []
        if o.order.dose is None or not (o.order.unit or "").strip():
            missing.append("dose")
        if not (o.order.route or "").strip() and implied_route(o.name) is None:
            missing.append("route")  # a route the dose form leaves no doubt about (胶囊 → 口服) is not missing
        if not (o.order.frequency or "").strip():
            missing.append("frequency")
        if not missing:
            continue
        alerts.append(make(
            rule, [o], list(o.items), evidence={"missing": missing},
            drug=o.name, missing="、".join(_FIELD_CN[m] for m in missing),
            unchecked="、".join(_UNCHECKED[m] for m in missing),
        ))
    return alerts
