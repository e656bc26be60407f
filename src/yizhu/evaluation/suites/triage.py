"""Suite ``triage``: 导诊 / 分诊 — which department, and is it urgent?

The engine is the ``triage`` task (``yizhu.clinical.triage``, docs/triage.md); without a task named in
``TASKS`` the suite says "engine not available" instead of inventing numbers. The contract:

    input   ClinicalContext(patient=Patient(sex, age_years), extra={"triage": case.inputs})
            case.inputs: {"complaint": "…", "age": 45, "sex": "female", …}
    output  Result.output["department"] (str) — or ["departments"] ranked [{"name", "score"}] —
            optional ["confidence"] (0–1) and ["urgent"] (bool)

Labelled questions (``--data FILE``: JSONL ``{"text", "department"}`` or a CSV with ``department`` and
``text`` or ``title`` + ``ask``, UTF-8 or GB18030 as distributed — the Toyhom consultation dump reads as it is)
are the layout ``yizhu train triage`` reads: only the held-back side of the same hash split
(``yizhu.learn.split.split_of``) is evaluated, so a model trained on the file is measured on questions it
never saw; the hospital's department list is the file's own labels.

Gold and predicted names are compared as the departments pack names them (aliases agree: 耳鼻喉科 is
耳鼻咽喉科). Metrics: accuracy, top-3 accuracy (when ranked), macro-F1 over departments, a confusion matrix,
calibration when a confidence is given, and the under-triage rate (urgent cases not flagged urgent:
a safety violation).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from yizhu.evaluation.dataset import Case, Dataset
from yizhu.evaluation.metrics import MetricValue, calibration, confusion_matrix, macro_f1_metric, mean_metric
from yizhu.evaluation.suites.base import Outcome, ResultView, RunEnv, Suite, Summary, breakdown, failures

#: task names the suite looks for, in order
TASKS = ("triage", "triage.department")


def find_task(names: Sequence[str]) -> Any:
    """The first registered task of ``names`` (``None`` if none is)."""
    from yizhu.clinical.registry import get_task
    from yizhu.errors import ConfigError

    for n in names:
        try:
            return get_task(n)
        except ConfigError:
            continue
    return None


def _department(output: dict[str, Any]) -> tuple[str | None, list[str]]:
    ranked = output.get("departments")
    names: list[str] = []
    if isinstance(ranked, list):
        for d in ranked:
            names.append(str(d.get("name") if isinstance(d, dict) else d))
    top = output.get("department")
    if isinstance(top, dict):
        top = top.get("name")
    first = str(top) if top else (names[0] if names else None)
    return first, names or ([first] if first else [])


def _canonical(name: str) -> str:
    """A department name as the departments pack names it (耳鼻喉科 → 耳鼻咽喉科, 心内科 → 心血管内科), so a
    gold label and a prediction that are aliases of one department agree; unknown names stay as written."""
    from yizhu.knowledge.packs import get_kb

    hit = get_kb().department(name) if name else None
    return hit.name if hit is not None else name


def _labelled(path: Path, format: str | None) -> bool:
    """Whether a file is labelled questions (the training layout) rather than a yizhu case file."""
    if format == "triage-labelled":
        return True
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return True
    if suffix == ".jsonl" and path.is_file():
        import json

        with path.open("rb") as fh:
            first = fh.readline()
        try:
            head = json.loads(first.decode("utf-8-sig"))
        except ValueError:
            return False
        return isinstance(head, dict) and "department" in head and "text" in head and "inputs" not in head
    return False


def labelled_dataset(path: Path) -> Dataset:
    """The held-back (test) side of the hash split of a labelled-questions file, as cases."""
    from yizhu.clinical.triage.model import load_records
    from yizhu.errors import InputError
    from yizhu.learn.split import split_of

    if not path.is_file():
        raise InputError(f"{path}: no such file")
    _, recs = load_records(path)
    labels = sorted({r.department for r in recs})
    cases = [Case(id=f"{path.stem}-{i + 1:05d}", inputs={"complaint": r.text, "departments": labels},
                  expected={"department": r.department}, metadata={"category": r.department, "split": "test"})
             for i, r in enumerate(recs) if split_of(r.text) == "test"]
    if not cases:
        raise InputError(f"{path}: no record falls on the held-back side of the split ({len(recs)} records)")
    return Dataset(name=path.stem, format="triage-labelled", path=str(path), synthetic=False,
                   description=(f"{len(cases)} held-back questions of {len(recs)} in {path.name} (hash split of "
                                f"yizhu train); departments: the file's {len(labels)} labels"),
                   source=f"user file {path.name}", cases=cases)


class TriageSuite(Suite):
    """Department recommendation and urgency from a chief complaint."""

    name = "triage"
    title = "导诊分诊 triage: department and urgency"
    version = "1"
    engine = f"task {' or '.join(TASKS)}"
    formats = ("yizhu",)
    default_data = "triage.sample.yaml"
    headline = ("accuracy", "macro_f1", "under_triage_rate")

    def dataset(self, path: Path | None = None, *, format: str | None = None, seed: int = 0) -> Dataset:
        if path is not None and format in (None, "triage-labelled") and _labelled(Path(path), format):
            return labelled_dataset(Path(path))
        return super().dataset(path, format=format, seed=seed)

    def unavailable(self) -> str | None:
        if find_task(TASKS) is None:
            return (f"engine not available: no triage task is registered (looked for {', '.join(TASKS)}); "
                    "the suite and its data are ready and run once the engine registers under one of these names")
        return None

    def versions(self) -> dict[str, str]:
        task = find_task(TASKS)
        return {task.name: task.version} if task is not None else {}

    def run_case(self, case: Case, env: RunEnv, dataset: Dataset) -> Outcome:
        from yizhu.core import ClinicalContext, Patient
        from yizhu.core.models import parse_sex

        task = find_task(TASKS)
        patient = Patient(id=f"eval-{case.id}", sex=parse_sex(case.inputs.get("sex"), strict=False),
                          age_years=case.inputs.get("age"), synthetic=True)
        result = task.run(ClinicalContext(patient=patient, extra={"triage": dict(case.inputs)}))
        top, ranked = _department(result.output)
        exp = case.expected or {}
        gold = _canonical(str(exp.get("department", "")))
        top = _canonical(top) if top else top
        ranked = [_canonical(r) for r in ranked]
        urgent_gold = bool(exp.get("urgent", False))
        urgent_pred = bool(result.output.get("urgent", False))
        conf = result.output.get("confidence")
        return Outcome(
            output={"department": top, "ranked": ranked[:5], "urgent": urgent_pred},
            scores={"correct": 1.0 if top == gold else 0.0, "top3": 1.0 if gold in ranked[:3] else 0.0},
            data={"gold": gold, "pred": top, "urgent_gold": urgent_gold, "urgent_pred": urgent_pred,
                  "confidence": float(conf) if isinstance(conf, int | float) else None},
            degraded=list(result.degraded),
        )

    def summarise(self, dataset: Dataset, results: Sequence[ResultView], *, seed: int = 0) -> Summary:
        ok = [r for r in results if r.status == "ok"]

        def acc(group: Sequence[ResultView]) -> dict[str, MetricValue]:
            return {"accuracy": mean_metric("accuracy", [float(r.scores.get("correct") or 0) for r in group], seed=seed,
                                            title="department accuracy")}

        metrics = acc(results)
        metrics["top3"] = mean_metric("top3", [float(r.scores.get("top3") or 0) for r in results], seed=seed,
                                      gate=False, title="top-3 accuracy")
        metrics["macro_f1"] = macro_f1_metric("macro_f1", [str(r.data.get("gold")) for r in ok],
                                              [r.data.get("pred") for r in ok], seed=seed, title="macro-F1 (departments)")
        urgent = [r for r in ok if r.data.get("urgent_gold")]
        metrics["under_triage_rate"] = mean_metric(
            "under_triage_rate", [0.0 if r.data.get("urgent_pred") else 1.0 for r in urgent], higher_is_better=False,
            seed=seed, title="urgent cases not flagged urgent (safety violation)")
        scored = [r for r in ok if r.data.get("confidence") is not None]
        return Summary(
            metrics=metrics,
            breakdown=breakdown(results, acc),
            confusion=confusion_matrix([str(r.data.get("gold")) for r in ok], [r.data.get("pred") for r in ok])
            if ok else None,
            calibration=calibration([r.data["confidence"] for r in scored],
                                    [r.data.get("pred") == r.data.get("gold") for r in scored]) if scored else None,
            failures=failures(results),
        )
