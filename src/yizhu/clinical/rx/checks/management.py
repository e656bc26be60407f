"""Prescribing management: antimicrobial grades by prescriber level, high-alert drugs, unknown drugs and
incomplete orders.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from yizhu.clinical.rx.checks.common import cited_source, make
from yizhu.clinical.rx.parsing import implied_route
from yizhu.clinical.rx.rules import (
    Alert,
    RxRule,
    check,
)
from yizhu.clinical.rx.tables import table

if TYPE_CHECKING:
    from yizhu.clinical.rx.review_input import RxInput


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
            alerts.append(make(rule, [o], [item], source=cited_source(item.source, rule),
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
