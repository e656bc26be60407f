"""The review engine: resolve the orders, gather the patient facts, run every rule, merge the alerts.

``review(ctx)`` is deterministic and needs no model: facts come from the knowledge packs and the rule data,
so it is fast enough to run on every order-select in the EMR (a 10-drug order in a few milliseconds).
``RxReviewTask`` is the same engine behind the task seam (``rx.review``), so the API, the CLI, CDS Hooks
and the evaluation harness all review alike.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from yizhu.clinical.rx.document import MAX_ORDERS
from yizhu.clinical.rx.facts import gather_facts
from yizhu.clinical.rx.parsing import parse_frequency, parse_route
from yizhu.clinical.rx.resolve import resolver_for
from yizhu.clinical.rx.review_input import OrderView, RxInput, interaction_index
from yizhu.clinical.rx.rules import SEVERITY_RANK, Alert, RxRuleSet, default_rules, registered_checks
from yizhu.core import Citation, ClinicalContext, Finding, MedicationOrder, Provenance, Result, Severity
from yizhu.errors import InputError, TaskError, TooLargeError
from yizhu.knowledge.packs import KnowledgeBase, get_kb

TASK_NAME = "rx.review"
TASK_VERSION = "1.1.0"


def check_order_count(ctx: ClinicalContext | int, limit: int = MAX_ORDERS) -> None:
    """TooLargeError (HTTP 413) when a review is asked for more than ``limit`` medication orders."""
    n = ctx if isinstance(ctx, int) else sum(1 for o in ctx.orders if isinstance(o, MedicationOrder))
    if n > limit:
        raise TooLargeError(
            f"{n} medication orders in one review; the limit is {limit}. Review one patient's current orders "
            "(split a long stay by day or by order group)"
        )


def build_input(
    ctx: ClinicalContext, kb: KnowledgeBase | None = None, *, focus: set[str] | None = None
) -> RxInput:
    """Resolve the medication orders and gather the patient facts."""
    kb = kb or get_kb()
    resolver = resolver_for(kb)
    meds = [o for o in ctx.orders if isinstance(o, MedicationOrder) and o.status != "cancelled"]
    if not meds:
        raise InputError("no medication orders to review; give at least one order with a drug name")
    views: list[OrderView] = []
    for i, o in enumerate(meds):
        if not o.drug or not o.drug.strip():
            raise InputError(f"order {o.id or i + 1}: the drug name is empty; write the drug as prescribed")
        view = OrderView(
            index=i, order=o, resolution=resolver.resolve(o.drug, o.code),
            frequency=parse_frequency(o.frequency), route=parse_route(o.route),
        )
        if focus is not None:
            view.focus = view.id in focus
        else:
            view.focus = o.status != "active" or all(m.status == "active" for m in meds)
        views.append(view)
    ids = [v.id for v in views]
    if len(set(ids)) != len(ids):  # ids must tell orders apart in alerts and overrides
        for v in views:
            v.order = v.order.model_copy(update={"id": f"o{v.index + 1}"})
    facts = gather_facts(ctx, kb, resolver)
    return RxInput(ctx=ctx, orders=views, facts=facts, kb=kb, resolver=resolver)


# ── merging ─────────────────────────────────────────────────────────────────────────────────

#: A drug-disease alert on these codes is dropped when the specialised check already alerted on the drug.
_COVERED_BY = {"renal": ("N17", "N18", "N19", "Z99.2", "Z49"), "hepatic": ("K70", "K71", "K72", "K73", "K74",
               "K75", "K76", "K77", "B18")}  # fmt: skip


def merge_alerts(alerts: list[Alert], focus_ids: set[str], positions: dict[str, int] | None = None) -> list[Alert]:
    """Drop alerts about no focus order, keep the most severe of duplicates, sort by severity then order.

    Duplicates: one alert per type and orders (and drug, for single-order types); a drug–disease alert on a
    kidney or liver diagnosis gives way to an at-least-as-severe renal/hepatic alert on the same order.
    """
    positions = positions or {}
    kept: dict[tuple[str, tuple[str, ...], tuple[str, ...]], Alert] = {}
    for a in alerts:
        if a.orders and not (set(a.orders) & focus_ids):
            continue
        drugs = () if a.type in ("interaction", "duplicate") else tuple(sorted(a.drug_ids))
        key = (a.type, tuple(sorted(a.orders)), drugs)
        prev = kept.get(key)
        if prev is None or SEVERITY_RANK[a.severity] < SEVERITY_RANK[prev.severity]:
            kept[key] = a
    out = list(kept.values())
    organ = {(a.type, tuple(a.orders)): SEVERITY_RANK[a.severity] for a in out if a.type in _COVERED_BY}
    final = []
    for a in out:
        if a.type == "contraindication":
            code = str(a.evidence.get("code") or "")
            covered = [t for t, prefixes in _COVERED_BY.items() if code.startswith(prefixes)]
            if any(organ.get((t, tuple(a.orders)), 99) <= SEVERITY_RANK[a.severity] for t in covered):
                continue
        final.append(a)
    final.sort(key=lambda a: (SEVERITY_RANK[a.severity], min((positions.get(o, 0) for o in a.orders), default=0),
                              a.type, a.rule_id))
    return final


# ── the review ──────────────────────────────────────────────────────────────────────────────


@dataclass
class RxReview:
    """Alerts plus what the review resolved, so a pharmacist can see what was (not) checked."""

    alerts: list[Alert]
    input: RxInput
    rules_version: str
    duration_ms: float

    @property
    def unknown(self) -> list[OrderView]:
        return [o for o in self.input.orders if not o.resolution.known]

    @property
    def max_severity(self) -> str | None:
        return min((a.severity for a in self.alerts), key=lambda s: SEVERITY_RANK[s], default=None)

    @property
    def suppressed(self) -> list[dict[str, Any]]:
        """Repetitions of one pair of products beyond the per-pair cap: rule, drugs and how many were left out."""
        return list(self.input.cache.get("suppressed") or [])

    def orders_json(self) -> list[dict[str, Any]]:
        out = []
        for o in self.input.orders:
            r = o.resolution
            row: dict[str, Any] = {
                "id": o.id, "drug": o.name, "resolved": [i.id for i in r.items],
                "generic": "+".join(i.name for i in r.items) or None, "match": r.how,
                "route": o.route.code, "frequency_per_day": o.frequency.daily_count, "focus": o.focus,
            }
            for key, value in (("carrier", r.carrier), ("other_ingredients", list(r.other)),
                               ("unresolved", list(r.unresolved))):
                if value:
                    row[key] = value
            out.append(row)
        return out

    def patient_json(self) -> dict[str, Any]:
        f = self.input.facts
        return {
            "sex": f.sex.value, "age_years": f.age, "weight_kg": f.weight_kg, "pregnant": f.pregnant,
            "lactating": f.lactating, "egfr": f.egfr, "egfr_basis": f.egfr_basis, "crcl": f.crcl,
            "hepatic_impairment": f.hepatic, "hepatic_basis": f.hepatic_basis,
            "diagnoses": [{"text": d.text, "code": d.code, "coded_by": d.coded_by} for d in f.diagnoses],
            "allergies": [{"text": a.text, "drug": a.drug.id if a.drug else None, "groups": sorted(a.groups)}
                          for a in f.allergies],
            "prescriber_level": f.prescriber_level, "setting": f.setting,
        }

    def as_json(self) -> dict[str, Any]:
        """The ``yizhu rx review --format json`` contract (``alerts`` first)."""
        counts: dict[str, int] = {}
        for a in self.alerts:
            counts[a.severity] = counts.get(a.severity, 0) + 1
        kb = self.input.kb
        return {
            "alerts": [a.model_dump(mode="json") for a in self.alerts],
            "unknown_drugs": [{"order": o.id, "drug": o.name} for o in self.unknown],
            "incomplete_orders": [
                {"order": a.orders[0], "drug": a.drugs[0], "missing": a.evidence.get("missing", [])}
                for a in self.alerts if a.type == "incomplete" and a.orders
            ],
            "orders": self.orders_json(),
            "patient": self.patient_json(),
            "summary": {"alerts": len(self.alerts), "max_severity": self.max_severity, "by_severity": counts,
                        **({"suppressed": self.suppressed} if self.suppressed else {})},
            "rules_version": self.rules_version,
            "knowledge": {"drug": kb.pack("drug").version, "interaction": kb.pack("interaction").version},
        }


def review(
    ctx: ClinicalContext,
    *,
    kb: KnowledgeBase | None = None,
    rules: RxRuleSet | None = None,
    focus: set[str] | None = None,
    types: set[str] | None = None,
    max_alerts_per_pair: int | None = None,
) -> RxReview:
    """Review the medication orders of a context; ``focus`` limits alerts to those about these order ids.

    Linear in the number of orders: pair checks compare groups of orders that resolve to the same drugs
    (found through the interaction, ingredient and duplicate-group indexes), and one pair of products
    gives at most ``max_alerts_per_pair`` alerts (default ``checks.MAX_ALERTS_PER_PAIR``); the rest are
    counted in ``summary.suppressed``."""
    t0 = time.perf_counter()
    ruleset = rules or default_rules()
    rx = build_input(ctx, kb, focus=focus)
    if max_alerts_per_pair is not None:
        if max_alerts_per_pair < 1:
            raise InputError("max_alerts_per_pair must be at least 1")
        rx.cache["max_alerts_per_pair"] = max_alerts_per_pair
    checks = registered_checks()
    alerts: list[Alert] = []
    for rule in ruleset.rules:
        if not rule.enabled or (types is not None and rule.type not in types):
            continue
        try:
            alerts.extend(checks[rule.check](rule, rx))
        except (InputError, TaskError):
            raise
        except Exception as exc:  # a faulty check must fail loudly, naming the rule, not silently pass
            raise TaskError(f"rx rule {rule.id} failed: {type(exc).__name__}: {exc}") from exc
    focus_ids = {o.id for o in rx.orders if o.focus}
    merged = merge_alerts(alerts, focus_ids, {o.id: o.index for o in rx.orders})
    return RxReview(merged, rx, ruleset.version, (time.perf_counter() - t0) * 1000)


def warm_up(kb: KnowledgeBase | None = None) -> None:
    """Build the resolver, interaction index, rule tables and the shared drug normaliser now (about half a
    second) rather than in the first review after start-up; services call it once when they start."""
    from yizhu.core import MedicationOrder as _Order

    kb = kb or get_kb()
    interaction_index(kb)
    ctx = ClinicalContext(orders=[_Order(text="warm-up", drug="阿司匹林肠溶片", dose=100, unit="mg", route="口服",
                                          frequency="qd"), _Order(text="warm-up", drug="未知药品名（预热）")])
    review(ctx, kb=kb)


_SEV = {"contraindicated": Severity.contraindicated, "major": Severity.major, "moderate": Severity.moderate,
        "minor": Severity.minor}  # fmt: skip


def alert_finding(a: Alert) -> Finding:
    """An alert as a domain Finding (category = alert type; the full alert in ``data``)."""
    return Finding(
        rule_id=a.rule_id, severity=_SEV[a.severity], category=a.type, message=a.message, source=a.source,
        data={"drugs": a.drugs, "drug_ids": a.drug_ids, "orders": a.orders, "recommendation": a.recommendation,
              "evidence": a.evidence, "alternatives": a.alternatives, "key": a.key},
    )


def finding_alert(f: Finding) -> Alert:
    """A stored Finding back as an Alert (for pages and reports reading the audit log)."""
    d = f.data
    return Alert(
        type=f.category, severity=f.severity.value, drugs=list(d.get("drugs") or []),  # type: ignore[arg-type]
        message=f.message, recommendation=d.get("recommendation"), source=f.source, rule_id=f.rule_id,
        drug_ids=list(d.get("drug_ids") or []), orders=list(d.get("orders") or []),
        evidence=dict(d.get("evidence") or {}), alternatives=list(d.get("alternatives") or []),
    )


class RxReviewTask:
    """智能审方: interactions, duplicates, dose, frequency, route, allergy, special populations, organ
    function, drug–disease, antimicrobial grade and high-alert flags, each alert with rule and source."""

    name = TASK_NAME
    version = TASK_VERSION
    #: prescribers and pharmacists may run a review; only pharmacists decide on its alerts, one alert at a
    #: time: ``accept`` upholds it (the order goes back), ``override`` lets the order go ahead (reason required)
    run_roles = ("pharmacist", "clinician")
    decide_roles = ("pharmacist",)
    decisions = ("accept", "override")

    def __init__(self, kb: KnowledgeBase | None = None, *, max_orders: int = MAX_ORDERS) -> None:
        self.kb = kb  # None: the shipped packs (get_kb()); tests and hospitals may pass their own
        self.max_orders = max_orders

    #: Alerts (most severe first) and orders a large review keeps in its audit row; the whole output is
    #: stored beside the row under its hash (``yizhu.store.audit``), so worklists read rows only.
    SUMMARY_ALERTS = 100
    SUMMARY_ORDERS = 50

    def audit_summary(self, output: dict[str, Any]) -> dict[str, Any]:
        """A large stored Result cut to what the worklists read: the most severe alerts and findings (the
        engine sorts them so), the first orders, and the totals of what was left out."""
        out = dict(output)
        inner = dict(out.get("output") or {})
        alerts = list(inner.get("alerts") or [])
        orders = list(inner.get("orders") or [])
        inner["alerts"] = alerts[: self.SUMMARY_ALERTS]
        inner["orders"] = orders[: self.SUMMARY_ORDERS]
        inner["truncated"] = {"alerts": len(alerts), "orders": len(orders)}
        out["output"] = inner
        out["findings"] = list(out.get("findings") or [])[: self.SUMMARY_ALERTS]
        return out

    def check_decision(self, output: object, decision: str, item: str | None, reason: str | None) -> None:
        """A decision names one alert of this review (its key); an override needs a reason."""
        from yizhu.clinical.rx.rules import Alert
        from yizhu.errors import InputError

        inner = output.get("output") if isinstance(output, dict) else None
        alerts = (inner if isinstance(inner, dict) else {}).get("alerts") or []
        keys = [Alert.model_validate(a).key for a in alerts]
        if item not in keys:
            known = ", ".join(keys) or "(the review had no alerts)"
            raise InputError(f"alert '{item}' is not in this review; give item = one of its alert keys: {known}")
        if decision == "override" and len((reason or "").strip()) < 2:
            raise InputError("an override needs a reason (why the order may go ahead despite the alert)")

    def run(self, ctx: ClinicalContext) -> Result:
        """Review the context's medication orders (focus: ``ctx.extra['rx']['focus']`` when given)."""
        check_order_count(ctx, self.max_orders)
        focus = (ctx.extra.get("rx") or {}).get("focus")
        rv = review(ctx, kb=self.kb, focus=set(focus) if focus else None)
        cited: dict[str, Citation] = {}
        for a in rv.alerts:
            for key in ("interaction", "drug_item"):
                item_id = a.evidence.get(key)
                if isinstance(item_id, str) and item_id not in cited:
                    try:
                        item = rv.input.kb.get(item_id)
                    except Exception:
                        continue
                    cited[item_id] = Citation(id=item_id, title=item.name, source=item.source, locator=item_id)
        return Result(
            task=self.name,
            task_version=self.version,
            output=rv.as_json(),
            findings=[alert_finding(a) for a in rv.alerts],
            citations=list(cited.values()),
            provenance=[Provenance(kind="citation", source=c) for c in cited],
        )
