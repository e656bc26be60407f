"""Route: the written route against the routes the drug's dose forms allow.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from yizhu.clinical.rx.checks.common import cited_source, make
from yizhu.clinical.rx.parsing import routes_of_form
from yizhu.clinical.rx.rules import (
    Alert,
    RxRule,
    check,
)
from yizhu.clinical.rx.tables import table
from yizhu.knowledge.schema import ROUTE_LABELS

if TYPE_CHECKING:
    from yizhu.clinical.rx.review_input import RxInput


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
                    rule, [o], [d], source=cited_source(d.source, rule),
                    evidence={"drug_item": d.id, "route": r.code, "labelled": sorted(allowed)},
                    drug=o.name, route=r.text, labelled=_labels(d.routes),
                ))
    return alerts
