"""Route: the written route against the routes the drug's dose forms allow.
"""

from __future__ import annotations

import unicodedata
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
    from yizhu.clinical.rx.review_input import OrderView, RxInput


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
        if kind == "form_manipulated":
            alerts.extend(_manipulated(rule, o))
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


def _manipulated(rule: RxRule, o: OrderView) -> list[Alert]:
    """A modified-release or enteric-coated product (named so in the drug name) given a way that destroys it
    (舌下, 嚼服, 碾碎, 鼻饲 … in the written route): ``rules/form_route_rules.yaml``."""
    text = unicodedata.normalize("NFKC", o.route.text or "")
    if not text:
        return []
    name = unicodedata.normalize("NFKC", o.name)
    ids = {i.id for i in o.items}
    out = []
    for row in table("form_route_rules").values():
        form = next((f for f in row["forms"] if f in name), None)
        way = next((w for w in row["ways"] if w in text), None)
        if form is None or way is None:
            continue
        if any(a["drug"] in ids and way in a.get("ways", []) and (o.dose_in("mg") or 0) >= a.get("min_dose_mg", 0)
               for a in row.get("allow", [])):
            continue  # a way the label or a guideline permits for this drug (PPI pellets down a tube, aspirin loading)
        out.append(make(rule, [o], list(o.items), severity=row.get("severity"), source=row["source"],
                        evidence={"form": form, "way": way}, recommendation=row.get("recommendation"),
                        drug=o.name, form=form, route=o.route.text, message=row["message"]))
        break
    return out
