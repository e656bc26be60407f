"""Organ function: renal (eGFR tiers) and hepatic (Child-Pugh) dose adjustment, unless the order is
already adjusted.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from yizhu.clinical.rx.checks.common import alternatives_for, cited_source, make
from yizhu.clinical.rx.facts import HEPATIC_ORDER
from yizhu.clinical.rx.parsing import convert, fmt_num, parse_frequency
from yizhu.clinical.rx.rules import (
    SEVERITY_RANK,
    Alert,
    RxRule,
    check,
)

if TYPE_CHECKING:
    from yizhu.clinical.rx.review_input import OrderView, RxInput


_ACTION_TEXT = {
    "contraindicated": "禁用，请更换药物", "avoid": "避免使用，换用替代药物", "reduce_dose": "按说明书减量",
    "extend_interval": "延长给药间隔", "monitor": "用药期间监测", "caution": "慎用并密切监测",
}  # fmt: skip


_TIER = re.compile(
    r"^\D*?(?:(\d+(?:\.\d+)?)\s*[–\-~至]\s*(\d+(?:\.\d+)?)|[<＜](\d+(?:\.\d+)?)|[≤](\d+(?:\.\d+)?))"
    r"(?!\d|\.\d|\s*(?:mg|g|μg|ug|mcg|ml|U)\b)",  # a number with a dose unit (≤1000 mg/d) is a ceiling, not a tier
    re.IGNORECASE,
)
#: a daily ceiling in a renal note: 每日≤200 mg, 最大 50 mg/d, ≤1000 mg/d, 400–1400 mg/d, 10 mg/d; a bare number
#: after ≤ in a later tier (30–49 ≤1500) takes the unit of the note's first ceiling
_CEILING = re.compile(
    r"(?P<who>[\u4e00-\u9fff]{0,4})?\s*(?:(?:每日|一日|日剂量|每天)\s*(?:≤|不超过|最大|最多)?|≤|不超过|最大|最多|限)?\s*"
    r"(?:(?P<lo>\d+(?:\.\d+)?)\s*[–\-~至]\s*)?(?P<value>\d+(?:\.\d+)?)\s*(?P<unit>mg|g|μg|ug|mcg)?"
    r"\s*(?P<per>/\s*(?:d|日|天)\b|/\s*(?:d|日|天)|每日)?",
    re.IGNORECASE,
)
_INTERVAL = re.compile(r"\bq(\d+)h\b|\b(qd|bid|tid)\b", re.IGNORECASE)
_REGIMEN = re.compile(r"(\d+(?:\.\d+)?)\s*(mg|g|μg|ug|mcg)\s*(qd|bid|tid|qid|qod|q\d+h)\b", re.IGNORECASE)


def _tier_for(note: str, value: float) -> str | None:
    """The part of a tiered renal note that applies to the patient's value ("CrCl 30–49：…；10–29：…"), with the
    untiered parts that continue it ("eGFR 30–44 不新起始；已用者减量（≤1000 mg/d）"); the whole note when it has
    no tiers; None when it has tiers and none covers the value."""
    parts = [x for x in re.split(r"[；;]", note) if x.strip()]
    tiers = [(x, _TIER.match(x)) for x in parts]
    if not any(m for _, m in tiers):
        return note
    for i, (text, m) in enumerate(tiers):
        if m is None:
            continue
        lo, hi, below, at_most = m.groups()
        if (lo is not None and float(lo) <= value <= float(hi)) or (below is not None and value < float(below)) or (
            at_most is not None and value <= float(at_most)):
            rest = []
            for more, m2 in tiers[i + 1:]:
                if m2 is not None:
                    break
                rest.append(more)
            return "；".join([text, *rest])
    return None


def _daily_ceiling(o: OrderView, note: str, tier: str, drug_name: str) -> tuple[float, str] | None:
    """(ceiling in the order's unit, as written) when the patient's tier of a renal note states a daily ceiling
    (每日≤200 mg, 最大 50 mg/d, 400–1400 mg/d). A ceiling of one component of a combination (头孢哌酮舒巴坦:
    舒巴坦≤2 g/d) is not the product's, and is not used."""
    default_unit = next((m.group("unit") for m in _CEILING.finditer(note) if m.group("unit") and m.group("per")), None)
    body = tier.split("：", 1)[1] if "：" in tier else tier
    m0 = _TIER.match(tier)
    if m0 is not None and "：" not in tier:
        body = tier[m0.end():]
    found: list[tuple[float, str]] = []
    for m in _CEILING.finditer(body):
        unit, per, text = m.group("unit"), m.group("per"), m.group(0).strip()
        bare = unit is None and ("≤" in text or "不超过" in text) and default_unit is not None
        if not ((unit and (per or re.search(r"每日|一日|日剂量|每天", text))) or bare):
            continue
        who = (m.group("who") or "").removeprefix("每日").removeprefix("一日")
        if who and who in drug_name and who != drug_name:
            continue  # a component's ceiling (舒巴坦≤2 g/d in 头孢哌酮舒巴坦)
        value = convert(float(m.group("value")), unit or default_unit, o.order.unit)
        if value is not None:
            found.append((value, text))
    return min(found) if found else None


def _within_ceiling(o: OrderView, note: str, value: float, drug_name: str) -> str | None:
    """The ceiling the order's daily dose already respects (and the interval, when the tier names one)."""
    tier = _tier_for(note, value)
    if tier is None or o.order.dose is None or o.frequency.daily_count is None:
        return None
    ceiling = _daily_ceiling(o, note, tier, drug_name)
    if ceiling is None:
        return None
    m = _INTERVAL.search(tier)
    if m is not None:
        per_day = 24 / float(m.group(1)) if m.group(1) else parse_frequency(m.group(2)).daily_count or 0
        if o.frequency.daily_count > per_day * 1.0001:
            return None
    if o.order.dose * o.frequency.daily_count <= ceiling[0] * 1.0001:
        return ceiling[1]
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
            rec: str | None = None
            adjusted = _already_adjusted(o, rr.note, value) if rr.action in ("reduce_dose", "extend_interval") else None
            if adjusted is not None:  # the order already is the adjusted regimen: a reminder, not a warning
                sev = "minor"
                ev["already_adjusted_to"] = adjusted
            elif rr.action in ("reduce_dose", "extend_interval"):
                ceiling = _within_ceiling(o, rr.note, value, item.name)
                if ceiling is not None:  # the daily dose already respects the note's ceiling: monitoring only
                    sev = "minor"
                    ev["within_ceiling"] = ceiling
                    daily = fmt_num((o.order.dose or 0) * (o.frequency.daily_count or 0))
                    rec = f"日剂量 {daily} {o.order.unit or ''} 已在肾功能分档上限内（{ceiling}），继续用药并定期监测肾功能"
            alerts.append(make(
                rule, [o], [item], severity=sev, source=cited_source(item.source, rule),
                evidence=ev, recommendation=rec,
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
                rule, [o], [item], severity=sev, source=cited_source(item.source, rule),
                evidence={"drug_item": item.id, "patient": f.hepatic, "rule_severity": hr.severity, "action": hr.action},
                basis=f.hepatic_basis, drug=o.name, note=hr.note, action_text=f"{_ACTION_TEXT[hr.action]}（{hr.note}）",
            ))
    return alerts
