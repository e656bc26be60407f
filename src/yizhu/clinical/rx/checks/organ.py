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
                rule, [o], [item], severity=sev, source=cited_source(item.source, rule),
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
                rule, [o], [item], severity=sev, source=cited_source(item.source, rule),
                evidence={"drug_item": item.id, "patient": f.hepatic, "rule_severity": hr.severity, "action": hr.action},
                basis=f.hepatic_basis, drug=o.name, note=hr.note, action_text=f"{_ACTION_TEXT[hr.action]}（{hr.note}）",
            ))
    return alerts
