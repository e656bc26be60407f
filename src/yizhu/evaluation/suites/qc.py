"""Suite ``qc``: the QC engine (task ``qc.record``) on records with planted defects.

The cases are the lead's planted-defect generator (``yizhu.evaluation.qc_cases.generate``) and the
counting is the lead's (``yizhu.evaluation.qc``): a planted defect found by its rule is a true
positive, one missed a false negative, and a finding on a clean record — or on a mutated record that
its clean original did not have — a false positive. Here each record runs through the Task seam, one
case at a time, so results are cached, resumable and carry bootstrap intervals; a test checks the
tallies equal ``yizhu.evaluation.qc.run`` on the same cases.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from yizhu.core import ClinicalContext, Encounter, Patient
from yizhu.core.parsing import parse_document
from yizhu.errors import InputError
from yizhu.evaluation.dataset import Case, Dataset
from yizhu.evaluation.metrics import f1_metric, ratio_metric
from yizhu.evaluation.suites.base import Outcome, ResultView, RunEnv, Suite, Summary, Table

TASK = "qc.record"
DEFAULT_SEED = 7
DEFAULT_BASE = 20


def case_from_qc(c: Any) -> Case:
    """A generated QC case (``qc_cases.Case``) as an evaluation Case."""
    return Case(
        id=c.id,
        inputs={"context": c.ctx.model_dump(mode="json")},
        expected={"rules": sorted(c.expected_rules)},
        metadata={"category": "clean" if c.defect is None else "defect", "defect": c.defect, "base_id": c.base_id,
                  "synthetic": True},
    )


def generated_dataset(seed: int = DEFAULT_SEED, n_base: int = DEFAULT_BASE) -> Dataset:
    """The planted-defect records of ``qc_cases.generate`` (all synthetic, 合成)."""
    from yizhu.evaluation.qc_cases import generate

    cases = [case_from_qc(c) for c in generate(seed=seed, n_base=n_base)]
    return Dataset(
        name=f"qc-planted-seed{seed}-base{n_base}", format="generator", synthetic=True, cases=cases,
        source=f"yizhu.evaluation.qc_cases.generate(seed={seed}, n_base={n_base}): 合成病历 synthetic records",
        description=f"{n_base} clean synthetic inpatient records and two mutated copies per planted defect",
    )


def context_of(case: Case) -> ClinicalContext:
    """The ClinicalContext of a case: ``inputs.context`` as stored, or ``inputs.notes`` parsed."""
    if "context" in case.inputs:
        return ClinicalContext.model_validate(case.inputs["context"])
    notes = case.inputs.get("notes")
    if not isinstance(notes, list) or not notes:
        raise InputError(f"case {case.id}: inputs needs 'context' (a ClinicalContext) or 'notes' (a list of texts)")
    docs = [parse_document(str(t), doc_id=f"{case.id}-{i + 1}").model_copy(update={"synthetic": True})
            for i, t in enumerate(notes)]
    patient = Patient.model_validate(case.inputs["patient"]) if "patient" in case.inputs else None
    encounter = Encounter.model_validate(case.inputs["encounter"]) if "encounter" in case.inputs else None
    return ClinicalContext(patient=patient, encounter=encounter, documents=docs)


def rule_categories() -> dict[str, str]:
    """Rule id → rule category, from the shipped QC rules."""
    from yizhu.clinical.qc import default_rules

    return {r.id: r.category for r in default_rules().rules}


def tally(dataset: Dataset, found: dict[str, set[str]]) -> tuple[dict[str, Any], dict[str, Counter[str]]]:
    """Per-category ``qc.Tally`` (plus ``all``) and per-case tp/fp/fn counts, as ``qc.run`` counts them."""
    from yizhu.evaluation.qc import Tally

    category = rule_categories()
    tallies: dict[str, Tally] = defaultdict(Tally)
    per_case: dict[str, Counter[str]] = {}
    for case in dataset.cases:
        if case.id not in found:
            continue
        got = found[case.id]
        base_id = case.metadata.get("base_id")
        baseline = found.get(base_id, set()) if base_id else set()
        expected = set((case.expected or {}).get("rules", []))
        counts: Counter[str] = Counter()
        defect = case.metadata.get("defect")
        for rid in sorted(expected):
            cat = category.get(rid, "semantic")
            t = tallies[cat]
            if rid in got:
                t.tp += 1
                counts["tp"] += 1
                counts[f"{cat}:tp"] += 1
            else:
                t.fn += 1
                counts["fn"] += 1
                counts[f"{cat}:fn"] += 1
                t.missed.append(f"{case.id} ({defect}) → {rid}")
        for rid in sorted(got - expected - baseline):
            cat = category.get(rid, "semantic")
            t = tallies[cat]
            t.fp += 1
            counts["fp"] += 1
            counts[f"{cat}:fp"] += 1
            t.spurious.append(f"{case.id} ({defect or 'clean'}) → {rid}")
        per_case[case.id] = counts
    total = Tally()
    for t in list(tallies.values()):
        total.tp += t.tp
        total.fp += t.fp
        total.fn += t.fn
    tallies["all"] = total
    return dict(tallies), per_case


class QCSuite(Suite):
    """Precision and recall of the QC rules per rule category, on planted-defect synthetic records."""

    name = "qc"
    title = "病历质控 QC: planted-defect precision/recall"
    version = "1"
    engine = f"task {TASK}"
    uses_model = False
    formats = ("yizhu",)
    default_data = None
    headline = ("precision", "recall", "f1")

    def unavailable(self) -> str | None:
        from yizhu.clinical.registry import get_task
        from yizhu.errors import ConfigError

        try:
            get_task(TASK)
        except ConfigError as exc:
            return f"engine not available: {exc}"
        return None

    def versions(self) -> dict[str, str]:
        from yizhu.clinical.qc import default_rules
        from yizhu.clinical.registry import get_task

        return {TASK: get_task(TASK).version, "qc_rules": default_rules().version}

    def dataset(self, path: Path | None = None, *, format: str | None = None, seed: int = 0) -> Dataset:
        if path is None:
            return generated_dataset()
        return super().dataset(path, format=format, seed=seed)

    def run_case(self, case: Case, env: RunEnv, dataset: Dataset) -> Outcome:
        from yizhu.clinical.registry import get_task

        result = get_task(TASK).run(context_of(case))
        found = sorted({f.rule_id for f in result.findings})
        return Outcome(
            output={"score": result.output.get("score"), "grade": result.output.get("grade"), "rules": found},
            data={"found": found},
            degraded=list(result.degraded),
        )

    def summarise(self, dataset: Dataset, results: Sequence[ResultView], *, seed: int = 0) -> Summary:
        found = {r.case_id: set(r.data.get("found", [])) for r in results if r.status == "ok"}
        tallies, per_case = tally(dataset, found)
        ids = list(per_case)

        def counts(key: str) -> list[float]:
            return [float(per_case[i][key]) for i in ids]

        tp, fp, fn = counts("tp"), counts("fp"), counts("fn")
        planted = [a + b for a, b in zip(tp, fn, strict=True)]
        claimed = [a + b for a, b in zip(tp, fp, strict=True)]
        metrics = {
            "precision": ratio_metric("precision", tp, claimed, seed=seed, empty=1.0, title="precision"),
            "recall": ratio_metric("recall", tp, planted, seed=seed, empty=1.0, title="recall (planted defects found)"),
            "f1": f1_metric("f1", tp, fp, fn, seed=seed, title="F1"),
        }
        clean_ids = {c.id for c in dataset.cases if not c.metadata.get("defect")}
        clean = [i for i in ids if i in clean_ids]
        if clean:
            metrics["clean_false_alarm_rate"] = ratio_metric(
                "clean_false_alarm_rate", [1.0 if per_case[i]["fp"] else 0.0 for i in clean],
                [1.0] * len(clean), higher_is_better=False, seed=seed, title="clean records with a false alarm")
        cats = sorted(k for k in tallies if k != "all")
        breakdown = {}
        for cat in cats:
            ctp, cfp, cfn = counts(f"{cat}:tp"), counts(f"{cat}:fp"), counts(f"{cat}:fn")
            breakdown[cat] = {
                "precision": ratio_metric("precision", ctp, [a + b for a, b in zip(ctp, cfp, strict=True)], seed=seed,
                                          empty=1.0),
                "recall": ratio_metric("recall", ctp, [a + b for a, b in zip(ctp, cfn, strict=True)], seed=seed,
                                       empty=1.0),
            }
        rows = [[cat, t.tp + t.fn, t.tp, t.fn, t.fp, round(t.precision, 3), round(t.recall, 3)]
                for cat in [*cats, "all"] for t in [tallies[cat]]]
        misses = [m for cat in cats for m in tallies[cat].missed]
        spurious = [s for cat in cats for s in tallies[cat].spurious]
        return Summary(
            metrics=metrics,
            breakdown=breakdown,
            breakdown_title="rule category",
            tables=[
                Table(title="per rule category (as yizhu.evaluation.qc counts)",
                      columns=["category", "planted", "found (TP)", "missed (FN)", "false alarms (FP)", "precision",
                               "recall"], rows=rows),
                *([Table(title="missed planted defects", columns=["case → rule"], rows=[[m] for m in misses])]
                  if misses else []),
                *([Table(title="false alarms", columns=["case → rule"], rows=[[s] for s in spurious])]
                  if spurious else []),
            ],
            notes=[f"{len(dataset.cases)} synthetic records; {sum(planted):.0f} planted defects."],
        )
