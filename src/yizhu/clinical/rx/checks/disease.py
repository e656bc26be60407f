"""Drug–disease contraindications: the patient's diagnoses and liver labs against each drug's
contraindications.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from yizhu.clinical.rx.checks.common import alternatives_for, cited_source, make
from yizhu.clinical.rx.rules import (
    SEVERITY_RANK,
    Alert,
    RxRule,
    check,
)

if TYPE_CHECKING:
    from yizhu.clinical.rx.review_input import RxInput


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
                rule, [o], [item], severity=sev, source=cited_source(item.source, rule),
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
                rule, [o], [item], severity=sev, source=cited_source(item.source, rule),
                evidence={"drug_item": item.id, "code": dx.code, "diagnosis": dx.text, "icd10": list(c.icd10),
                          "level": c.level},
                alternatives=alternatives_for(rx, "contraindication", item) if SEVERITY_RANK[sev] <= 1 else [],
                drug=o.name, diagnosis=dx.text, code=dx.code, text=text,
            ))
    return alerts + lab_alerts
