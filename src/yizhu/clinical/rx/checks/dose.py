"""Dose: single and daily doses against the pack's dose specs and the usual dose text, and paediatric mg/kg
limits from the rule table.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING, Any

from yizhu.clinical.rx.checks.common import age_text, cited_source, make
from yizhu.clinical.rx.parsing import convert, fmt_num, routes_of_form
from yizhu.clinical.rx.rules import (
    Alert,
    RxRule,
    check,
)
from yizhu.clinical.rx.tables import table
from yizhu.knowledge.schema import DoseSpec, DrugItem

if TYPE_CHECKING:
    from yizhu.clinical.rx.review_input import OrderView, RxInput


# ── dose ────────────────────────────────────────────────────────────────────────────────────

_FORM_WORDS = ("控释", "缓释", "肠溶", "普通", "速释", "分散")


def route_code(o: OrderView, drug: DrugItem) -> str | None:
    if o.route.code:
        return o.route.code
    routes = {d.route for d in drug.doses} | set(drug.routes)
    return next(iter(routes)) if len(routes) == 1 else None


def dose_specs(o: OrderView, drug: DrugItem, age: float | None = None) -> list[DoseSpec]:
    """The label's dose entries for the order's route, product form and patient age; none when the written dose
    form (滴眼液, 乳膏 …) cannot be given that way, because then the systemic doses do not describe this product.

    Entries naming product forms (``forms``: 吸入用…混悬液 for a nebuliser, 粉吸入剂/气雾剂) apply to the products
    whose name carries one of those words; a name carrying none gets the entries for any form, or all entries
    (the dose checks then take the most permissive). A children's band (``below_years``) replaces the general
    entries for a child of that age; adults, and patients of unknown age, get the general entries."""
    route = route_code(o, drug)
    if route is None:
        return []
    form = routes_of_form(o.name)
    if form is not None and route not in form[1]:
        return []
    specs = [d for d in drug.doses if d.route == route]
    if any(s.forms for s in specs):
        name = unicodedata.normalize("NFKC", o.name)
        named = [s for s in specs if any(f in name for f in s.forms)]
        specs = named or [s for s in specs if not s.forms] or specs
    if any(s.below_years is not None for s in specs):
        band = [s for s in specs if s.below_years is not None and age is not None
                and (s.from_years or 0) <= age < s.below_years]
        if band:
            narrowest = min(s.below_years for s in band if s.below_years is not None)
            return [s for s in band if s.below_years == narrowest]
        specs = [s for s in specs if s.below_years is None] or specs
    return specs


#: an amount of a usual-dose text; an amount per something (2 mg/kg, 1 mg/mL, 4.6 mg/24 h, 15 mg/kg/d) is a rate or a
#: concentration, not a dose, but a slash between the strengths of a compound's components (SMZ 800 mg/TMP 160 mg,
#: 5 mg/325 mg) separates two doses
_USUAL_DOSE = re.compile(
    r"(\d+(?:\.\d+)?)(?:\s*[–\-~至]\s*(\d+(?:\.\d+)?))?\s*(mg|g|μg|ug|mcg|万\s*U|IU|U|mL)"
    r"(?![a-zA-Z]|\s*/\s*(?:kg|m|d|h|L|dL|次|日|天|小时|分|周|\d+(?:\.\d+)?\s*(?:h|小时|min|d)\b))",
)


def usual_segments(usual: str, written: str) -> list[str]:
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
    for seg in usual_segments(usual, written):
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
        if d is None or o.order.dose is None or o.order.unit is None or _slipped(o, rx.facts.age):
            continue
        specs = dose_specs(o, d, rx.facts.age)
        if not specs or any(s.max_single is not None for s in specs):
            continue  # the label's maximum, where there is one, is the better test
        usual = "；".join(s.usual for s in specs)
        if TITRATED.search(usual):
            continue  # a starting dose to be titrated is no upper bound
        top = usual_max_dose(usual, o.name, o.order.unit)
        if top is None or o.order.dose <= top * factor:
            continue
        alerts.append(make(
            rule, [o], [d], source=cited_source(d.source, rule),
            evidence={"drug_item": d.id, "dose": o.order.dose, "unit": o.order.unit, "usual_max": top},
            drug=o.name, dose=o.dose_text, usual_max=f"{fmt_num(top)} {o.order.unit}", factor=fmt_num(factor),
            usual=usual,
        ))
    return alerts


#: doses at or above this many times the label's reference are read as a unit slip (the unit-slip rule's factor)
SLIP_FACTOR = 10.0


def unit_slip(
    o: OrderView, factor: float = SLIP_FACTOR, age: float | None = None
) -> tuple[float, str, float, float, str, str] | None:
    """(ratio, what was compared, value, reference, reference label, unit) when the single or daily dose is at
    least ``factor`` times the label's maximum — or, where the label has none, the largest usual amount — for
    the route; the largest ratio when both are. None when there is no reference or the dose is below it."""
    d = o.drug
    if d is None or o.order.dose is None:
        return None
    specs = dose_specs(o, d, age)
    if not specs:
        return None
    best: tuple[float, str, float, float, str, str] | None = None

    def consider(value: float | None, ref: float | None, which: str, label: str, unit: str) -> None:
        nonlocal best
        if value is None or not ref or ref <= 0:
            return
        ratio = value / ref
        if ratio >= factor and (best is None or ratio > best[0]):
            best = (ratio, which, value, ref, label, unit)

    singles = [(s.max_single, s.unit or "mg") for s in specs if s.max_single is not None]
    dailies = [(s.max_daily, s.unit or "mg") for s in specs if s.max_daily is not None]
    if singles:  # the most permissive entry of the route, as the maximum checks do
        ref, unit = max(singles, key=lambda x: convert(x[0], x[1], "mg") or x[0])
        consider(o.dose_in(unit), ref, "单次剂量", "单次最大量", unit)
    if not singles:
        mass = o.dose_in("mg") is not None
        unit = "mg" if mass else (o.order.unit or "")
        top = usual_max_dose("；".join(s.usual for s in specs), o.name, unit) if unit else None
        consider(o.dose_in(unit), top, "单次剂量", "常用量上限", unit)
    if dailies:  # a tie keeps the single dose: that is the figure the prescriber wrote
        ref, unit = max(dailies, key=lambda x: convert(x[0], x[1], "mg") or x[0])
        consider(o.daily_in(unit), ref, "日剂量", "日最大量", unit)
    return best


def _unit_slips(rule: RxRule, rx: RxInput) -> list[Alert]:
    factor = float(rule.params.get("factor", SLIP_FACTOR))
    worst = float(rule.params.get("contraindicated_factor", 100))
    alerts = []
    for o in rx.orders:
        slip = unit_slip(o, factor, rx.facts.age)
        if slip is None or o.drug is None:
            continue
        ratio, which, value, ref, label, unit = slip
        d = o.drug
        written = o.dose_text if which == "单次剂量" else (
            f"{fmt_num(value)} {unit}（{o.dose_text} × {fmt_num(o.frequency.daily_count or 0)}次/日）")
        alerts.append(make(
            rule, [o], [d], severity="contraindicated" if ratio >= worst else None,
            source=cited_source(d.source, rule),
            evidence={"drug_item": d.id, "compared": which, "value": round(value, 4), "reference": ref, "unit": unit,
                      "reference_kind": label, "ratio": round(ratio, 1)},
            drug=o.name, which=which, value=written, reference_label=label, reference=f"{fmt_num(ref)} {unit}",
            ratio=fmt_num(round(ratio)), usual="；".join(s.usual for s in dose_specs(o, d, rx.facts.age)),
        ))
    return alerts


def _slipped(o: OrderView, age: float | None) -> bool:
    """An order the unit-slip rule reports: the maximum and usual-dose rules leave it to that alert."""
    return unit_slip(o, age=age) is not None


@check("dose_limits")
def dose_limits(rule: RxRule, rx: RxInput) -> list[Alert]:
    """Single and daily dose against the label's adult maxima for the route (the most permissive entry)."""
    which = rule.params.get("limit", "single")
    if which == "slip":
        return _unit_slips(rule, rx)
    if which == "usual":
        return _above_usual(rule, rx)
    alerts = []
    for o in rx.orders:
        d = o.drug
        if d is None or o.order.dose is None or _slipped(o, rx.facts.age):
            continue
        best: tuple[float, float, DoseSpec] | None = None  # (value in spec unit, limit, spec)
        for spec in dose_specs(o, d, rx.facts.age):
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
        usual = "；".join(s.usual for s in dose_specs(o, d, rx.facts.age))
        unit = spec.unit or ""
        alerts.append(make(
            rule, [o], [d], source=cited_source(d.source, rule),
            evidence={"drug_item": d.id, "value": round(value, 4), "limit": limit, "unit": unit,
                      "per_day": o.frequency.daily_count, "route": spec.route, "forms": spec.forms,
                      "below_years": spec.below_years},
            drug=o.name, dose=o.dose_text, limit=f"{fmt_num(limit)} {unit}", usual=usual, band=_band(spec),
            daily=f"{fmt_num(value)} {unit}", per_day=fmt_num(o.frequency.daily_count or 0),
        ))
    return alerts


def _band(spec: DoseSpec) -> str:
    """Whose maximum a dose entry gives, as the alert says it: 成人, or the children's band and the product form."""
    who = "成人"
    if spec.below_years is not None:
        lo = f"{fmt_num(spec.from_years)}–" if spec.from_years else ""
        who = f"儿童（{lo}{fmt_num(spec.below_years)}岁以下）" if not lo else f"儿童（{lo}{fmt_num(spec.below_years)}岁）"
    return who


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
        for row in _paediatric_rows(d, route_code(o, d)):
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
                            band, label = b, f"{age_text(f.age)}（{fmt_num(b['below_years'])}岁以下）"
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


#: Usual-dose text that describes a starting dose to be titrated: its frequency is not an upper bound.
TITRATED = re.compile(r"起|逐渐|加量|可至|可增至|增至|调整|按.{0,6}调")
