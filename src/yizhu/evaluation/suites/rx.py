"""Suite ``rx``: prescription review (task ``rx.review``) — are the right alerts raised, and only those?

A case is a patient with medication orders (a stored ``ClinicalContext`` under ``inputs.context``,
or the short form below) and the alert types a pharmacist expects; a clean order set expects none::

    inputs:   {patient: {sex, age_years}, orders: [{drug, dose, unit, route, frequency}], allergies: [青霉素],
               diagnoses: [{text, code}], labs: [{name, value, unit}], extra: {…}}
    expected: {alerts: [interaction, {type: allergy, severity: contraindicated}, …]}

Counting is per alert type and case: an expected type raised is a true positive, one not raised a
false negative, a type raised but not expected a false positive. The safety metric is the share of
expected contraindicated/major alerts that were missed. Cases from the Rx helper's generator
(``yizhu.evaluation.rx``) are used by default when it provides one; otherwise the shipped sample.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from yizhu.evaluation.dataset import Case, Dataset
from yizhu.evaluation.metrics import MetricValue, f1_metric, mean_metric, ratio_metric
from yizhu.evaluation.suites.base import (
    Outcome,
    ResultView,
    RunEnv,
    Suite,
    Summary,
    Table,
    breakdown,
    failures,
)

TASK = "rx.review"
SERIOUS = ("contraindicated", "major")
RANK = {s: i for i, s in enumerate(("critical", "contraindicated", "major", "moderate", "minor", "info"))}


def context_of(case: Case) -> Any:
    """The ClinicalContext of an Rx case (stored whole, or the short form)."""
    from yizhu.core import AllergyIntolerance, ClinicalContext, Diagnosis, LabResult, MedicationOrder, Patient

    inp = case.inputs
    if "context" in inp:
        return ClinicalContext.model_validate(inp["context"])
    patient = Patient.model_validate({"id": f"eval-{case.id}", "synthetic": True, **(inp.get("patient") or {})})
    orders = []
    for i, o in enumerate(inp.get("orders") or []):
        o = dict(o)
        o.setdefault("id", f"o{i + 1}")
        o.setdefault("text", " ".join(str(o.get(k, "")) for k in ("drug", "dose", "unit", "route", "frequency")).strip())
        orders.append(MedicationOrder.model_validate(o))
    allergies = [AllergyIntolerance(substance=a) if isinstance(a, str) else AllergyIntolerance.model_validate(a)
                 for a in inp.get("allergies") or []]
    diagnoses = [Diagnosis(text=d) if isinstance(d, str) else Diagnosis.model_validate(d) for d in inp.get("diagnoses") or []]
    labs = [LabResult.model_validate(x) for x in inp.get("labs") or []]
    return ClinicalContext(patient=patient, orders=orders, allergies=allergies, diagnoses=diagnoses, labs=labs,
                           extra=dict(inp.get("extra") or {}))


def expected_alerts(case: Case) -> dict[str, str | None]:
    """Expected alert type → expected severity (None when not stated)."""
    out: dict[str, str | None] = {}
    for a in (case.expected or {}).get("alerts") or []:
        if isinstance(a, str):
            out[a] = None
        else:
            out[str(a["type"])] = a.get("severity")
    return out


def _generated() -> Dataset | None:
    """Cases from the Rx helper's evaluation module, if it offers ``cases() -> list[Case-like]``."""
    try:
        from yizhu.evaluation import rx as rx_eval  # type: ignore[attr-defined]
    except ImportError:
        return None
    make = getattr(rx_eval, "eval_cases", None)
    if make is None:
        return None
    cases = [c if isinstance(c, Case) else Case.model_validate(c) for c in make()]
    return Dataset(name="rx-generated", format="generator", synthetic=True, cases=cases,
                   source="yizhu.evaluation.rx.eval_cases(): 合成 synthetic order sets")


class RxSuite(Suite):
    """Alert precision/recall per alert type, and missed serious alerts."""

    name = "rx"
    title = "智能审方 prescription review: alert precision/recall"
    version = "1"
    engine = f"task {TASK}"
    formats = ("yizhu",)
    default_data = "rx.sample.yaml"
    headline = ("precision", "recall", "f1", "serious_miss_rate")

    def unavailable(self) -> str | None:
        from yizhu.evaluation.suites.triage import find_task

        if find_task((TASK,)) is None:
            return f"engine not available: task '{TASK}' is not registered (yizhu.tasks entry point)"
        return None

    def versions(self) -> dict[str, str]:
        from yizhu.evaluation.suites.triage import find_task

        task = find_task((TASK,))
        out = {TASK: task.version} if task is not None else {}
        try:
            from yizhu.clinical.rx import default_rules

            out["rx_rules"] = str(default_rules().version)
        except Exception:  # the rule set version is informative only
            pass
        return out

    def dataset(self, path: Path | None = None, *, format: str | None = None, seed: int = 0) -> Dataset:
        if path is None:
            generated = _generated()
            if generated is not None:
                return generated
        return super().dataset(path, format=format, seed=seed)

    def run_case(self, case: Case, env: RunEnv, dataset: Dataset) -> Outcome:
        from yizhu.clinical.registry import get_task

        result = get_task(TASK).run(context_of(case))
        raised: dict[str, str] = {}
        for f in result.findings:
            sev = f.severity.value
            if f.category not in raised or RANK.get(sev, 9) < RANK.get(raised[f.category], 9):
                raised[f.category] = sev
        exp = expected_alerts(case)
        counts: Counter[str] = Counter()
        for typ, sev in exp.items():
            hit = typ in raised
            counts["tp" if hit else "fn"] += 1
            counts[f"{typ}:{'tp' if hit else 'fn'}"] += 1
            if sev in SERIOUS:
                counts["serious"] += 1
                counts["serious_missed"] += 0 if hit else 1
        for typ in raised:
            if typ not in exp:
                counts["fp"] += 1
                counts[f"{typ}:fp"] += 1
        return Outcome(
            output={"alerts": [{"type": f.category, "severity": f.severity.value, "rule_id": f.rule_id,
                                "message": f.message} for f in result.findings]},
            data={"counts": dict(counts), "raised": sorted(raised), "expected": sorted(exp)},
            degraded=list(result.degraded),
        )

    def summarise(self, dataset: Dataset, results: Sequence[ResultView], *, seed: int = 0) -> Summary:
        ok = [r for r in results if r.status == "ok"]

        def col(key: str, group: Sequence[ResultView] = ok) -> list[float]:
            return [float(r.data["counts"].get(key, 0)) for r in group]

        def prf(prefix: str, group: Sequence[ResultView] = ok) -> dict[str, MetricValue]:
            tp, fp, fn = col(prefix + "tp", group), col(prefix + "fp", group), col(prefix + "fn", group)
            return {
                "precision": ratio_metric("precision", tp, [a + b for a, b in zip(tp, fp, strict=True)], seed=seed,
                                          empty=1.0, title="alert precision"),
                "recall": ratio_metric("recall", tp, [a + b for a, b in zip(tp, fn, strict=True)], seed=seed,
                                       empty=1.0, title="alert recall"),
                "f1": f1_metric("f1", tp, fp, fn, seed=seed, title="alert F1"),
            }

        metrics = prf("")
        metrics["serious_miss_rate"] = ratio_metric("serious_miss_rate", col("serious_missed"), col("serious"),
                                                    higher_is_better=False, seed=seed, empty=0.0,
                                                    title="expected contraindicated/major alerts missed")
        clean = [r for r in ok if not r.data.get("expected")]
        if clean:
            metrics["clean_false_alarm_rate"] = mean_metric(
                "clean_false_alarm_rate", [1.0 if r.data.get("raised") else 0.0 for r in clean],
                higher_is_better=False, seed=seed, gate=False, title="clean order sets with any alert")
        types = sorted({k.split(":")[0] for r in ok for k in r.data["counts"] if ":" in k})
        per_type = {t: {k: v for k, v in prf(f"{t}:").items() if k in ("precision", "recall")} for t in types}
        rows = [[t, int(sum(col(f"{t}:tp"))), int(sum(col(f"{t}:fn"))), int(sum(col(f"{t}:fp")))] for t in types]
        return Summary(
            metrics=metrics,
            breakdown=per_type or breakdown(results, lambda g: prf("", [r for r in g if r.status == "ok"])),
            breakdown_title="alert type",
            tables=[Table(title="per alert type", columns=["type", "found (TP)", "missed (FN)", "unexpected (FP)"],
                          rows=rows)] if rows else [],
            failures=failures(results),
        )
