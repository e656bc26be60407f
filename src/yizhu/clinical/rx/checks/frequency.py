"""Frequency: administrations per day against the usual dosing, allowing titration wording.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from yizhu.clinical.rx.checks.common import cited_source, make
from yizhu.clinical.rx.checks.dose import TITRATED, dose_specs, route_code, usual_segments
from yizhu.clinical.rx.parsing import fmt_num
from yizhu.clinical.rx.rules import (
    Alert,
    RxRule,
    check,
)
from yizhu.clinical.rx.tables import table

if TYPE_CHECKING:
    from yizhu.clinical.rx.review_input import RxInput


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
    for s in usual_segments(usual, written):
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
                route = route_code(o, d)
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
            specs = dose_specs(o, d, rx.facts.age)
            usual = "；".join(s.usual for s in specs)
            top = usual_max_per_day(usual, o.name) if usual else None
            open_ended = bool(TITRATED.search(usual)) and not any(w in o.name for w in ("控释", "缓释"))
            if top is not None and fq.per_day > top * 1.0001 and not open_ended:
                alerts.append(make(
                    rule, [o], [d], source=cited_source(d.source, rule),
                    evidence={"drug_item": d.id, "per_day": fq.per_day, "usual_max_per_day": top},
                    drug=o.name, frequency=fq.text, per_day=fmt_num(fq.per_day), usual=usual,
                ))
    return alerts
