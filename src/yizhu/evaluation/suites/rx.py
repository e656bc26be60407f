"""Suite ``rx``: prescription review (task ``rx.review``) on the labelled order documents.

Wraps the Rx evaluation (``yizhu.evaluation.rx``): the same synthetic case set
(``src/yizhu/evaluation/data/rx/cases.jsonl``: an order document plus the alerts a pharmacist expects), the same
matching rule (``_matches``: same type, every expected drug among the alert's drugs, at least the
expected severity; each alert and label used once) and the same counts. Each document runs through
the Task seam (``get_task("rx.review").run``), one case at a time, so results are cached and
resumable and every number gets a bootstrap interval; a test checks the per-type counts equal
``yizhu.evaluation.rx.evaluate`` on the same cases.

Headline: alert precision and recall, recall on the designed problems, the share of expected
contraindicated/major alerts missed (a safety miss), and the share of clean chronic regimens with an
alert above *minor*.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from yizhu.evaluation.dataset import Case, Dataset
from yizhu.evaluation.metrics import MetricValue, f1_metric, ratio_metric
from yizhu.evaluation.suites.base import Outcome, ResultView, RunEnv, Suite, Summary, Table, failures

TASK = "rx.review"
SERIOUS = ("contraindicated", "major")
SAMPLE = "rx.sample.jsonl"


def case_from_rx(c: Any) -> Case:
    """A labelled Rx case (``yizhu.evaluation.rx.Case``) as an evaluation Case."""
    return Case(id=c.name, inputs={"document": c.document},
                expected={"alerts": [e.model_dump() for e in c.expected]},
                metadata={"category": c.category, "description": c.description, "synthetic": c.synthetic})


def rx_dataset(path: Path | None = None) -> Dataset:
    """The Rx helper's case set (its default file when ``path`` is None)."""
    from yizhu.evaluation import rx as rx_eval

    p = path or rx_eval.DEFAULT_CASES
    cases = [case_from_rx(c) for c in rx_eval.load_cases(p)]
    return Dataset(name=p.stem if path else "rx-cases", format="rx-cases", path=str(p), synthetic=True, cases=cases,
                   source=f"{p.name}: labelled synthetic (合成) order documents of the prescription-review evaluation")


def _is_rx_file(path: Path) -> bool:
    try:
        first = next(line for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    except (OSError, StopIteration, UnicodeDecodeError):
        return False
    return '"document"' in first and '"name"' in first and '"expected"' in first


class RxSuite(Suite):
    """Alert precision/recall per alert type on labelled order documents, and the safety misses."""

    name = "rx"
    title = "智能审方 prescription review: alert precision/recall"
    version = "2"
    engine = f"task {TASK}"
    formats = ("yizhu",)
    default_data = SAMPLE
    headline = ("precision", "recall", "designed_recall", "serious_miss_rate", "clean_alarm_rate")

    def unavailable(self) -> str | None:
        from yizhu.evaluation.suites.triage import find_task

        try:
            import yizhu.evaluation.rx  # noqa: F401
        except ImportError as exc:
            return f"engine not available: the prescription-review package is not installed ({exc})"
        if find_task((TASK,)) is None:
            return (f"engine not available: task '{TASK}' is not registered; add it to the yizhu.tasks entry points "
                    "(rx.review = yizhu.clinical.rx:RxReviewTask)")
        return None

    def versions(self) -> dict[str, str]:
        from yizhu.evaluation.suites.triage import find_task

        task = find_task((TASK,))
        out = {TASK: task.version} if task is not None else {}
        try:
            from yizhu.clinical.rx import default_rules

            out["rx_rules"] = str(default_rules().version)
        except Exception:  # the rule-set version is informative only
            pass
        return out

    def dataset(self, path: Path | None = None, *, format: str | None = None, seed: int = 0) -> Dataset:
        if path is None:
            from yizhu.evaluation import rx as rx_eval

            if rx_eval.DEFAULT_CASES.is_file():
                return rx_dataset()
        elif format in (None, "rx-cases") and path.suffix == ".jsonl" and _is_rx_file(path):
            return rx_dataset(path)
        if path is None:
            from yizhu.evaluation.dataset import shipped

            return rx_dataset(shipped(SAMPLE))
        return super().dataset(path, format=format, seed=seed)

    def run_case(self, case: Case, env: RunEnv, dataset: Dataset) -> Outcome:
        from yizhu.clinical.registry import get_task
        from yizhu.clinical.rx import load_payload
        from yizhu.clinical.rx.rules import SEVERITY_RANK
        from yizhu.evaluation.rx import Expect, _matches

        result = get_task(TASK).run(load_payload(case.inputs["document"]))
        alerts = [{"type": f.category, "severity": f.severity.value, "drugs": list(f.data.get("drugs") or []),
                   "rule_id": f.rule_id, "message": f.message} for f in result.findings]
        expected = [Expect.model_validate(e) for e in (case.expected or {}).get("alerts", [])]
        free = list(range(len(alerts)))
        counts: Counter[str] = Counter()
        missed = []
        for exp in expected:
            hit = next((i for i in free if _matches(alerts[i], exp)), None)
            outcome = "fn" if hit is None else "tp"
            if hit is not None:
                free.remove(hit)
            else:
                missed.append(exp.type)
            counts[outcome] += 1
            counts[f"{exp.type}:{outcome}"] += 1
            if not exp.incidental:
                counts[f"designed_{outcome}"] += 1
            if exp.min_severity in SERIOUS:
                counts["serious"] += 1
                counts["serious_missed"] += 1 if hit is None else 0
        for i in free:
            counts["fp"] += 1
            counts[f"{alerts[i]['type']}:fp"] += 1
        worst = min((a["severity"] for a in alerts), key=lambda s: SEVERITY_RANK[s], default=None)
        above_minor = worst is not None and SEVERITY_RANK[worst] < SEVERITY_RANK["minor"]
        return Outcome(
            output={"alerts": alerts},
            data={"counts": dict(counts), "missed": missed, "unexpected": [alerts[i]["rule_id"] for i in free],
                  "above_minor": above_minor},
            degraded=list(result.degraded),
        )

    def summarise(self, dataset: Dataset, results: Sequence[ResultView], *, seed: int = 0) -> Summary:
        ok = [r for r in results if r.status == "ok"]

        def col(key: str, group: Sequence[ResultView] = ok) -> list[float]:
            return [float(r.data["counts"].get(key, 0)) for r in group]

        def add(a: list[float], b: list[float]) -> list[float]:
            return [x + y for x, y in zip(a, b, strict=True)]

        tp, fp, fn = col("tp"), col("fp"), col("fn")
        metrics: dict[str, MetricValue] = {
            "precision": ratio_metric("precision", tp, add(tp, fp), seed=seed, title="alert precision"),
            "recall": ratio_metric("recall", tp, add(tp, fn), seed=seed, title="alert recall (all labels)"),
            "f1": f1_metric("f1", tp, fp, fn, seed=seed, title="alert F1"),
            "designed_recall": ratio_metric("designed_recall", col("designed_tp"),
                                            add(col("designed_tp"), col("designed_fn")), seed=seed,
                                            title="recall on the designed problems"),
            "serious_miss_rate": ratio_metric("serious_miss_rate", col("serious_missed"), col("serious"),
                                              higher_is_better=False, seed=seed,
                                              title="expected contraindicated/major alerts missed"),
        }
        clean = [r for r in ok if r.category == "clean"]
        if clean:
            metrics["clean_alarm_rate"] = ratio_metric(
                "clean_alarm_rate", [1.0 if r.data.get("above_minor") else 0.0 for r in clean], [1.0] * len(clean),
                higher_is_better=False, seed=seed, title="clean regimens with an alert above minor")
        types = sorted({k.split(":")[0] for r in ok for k in r.data["counts"] if ":" in k})
        per_type = {}
        rows = []
        for t in types:
            ttp, tfp, tfn = col(f"{t}:tp"), col(f"{t}:fp"), col(f"{t}:fn")
            per_type[t] = {
                "precision": ratio_metric("precision", ttp, add(ttp, tfp), seed=seed),
                "recall": ratio_metric("recall", ttp, add(ttp, tfn), seed=seed),
            }
            rows.append([t, int(sum(ttp)), int(sum(tfn)), int(sum(tfp))])
        misses = [[r.case_id, ", ".join(r.data.get("missed", []))] for r in ok if r.data.get("missed")][:50]
        extras = [[r.case_id, ", ".join(r.data.get("unexpected", []))] for r in ok if r.data.get("unexpected")][:50]
        return Summary(
            metrics=metrics,
            breakdown=per_type,
            breakdown_title="alert type",
            tables=[
                Table(title="per alert type (as yizhu.evaluation.rx counts)",
                      columns=["type", "found (TP)", "missed (FN)", "unexpected (FP)"], rows=rows),
                *([Table(title="missed alerts (first 50)", columns=["case", "types"], rows=misses)] if misses else []),
                *([Table(title="unexpected alerts (first 50)", columns=["case", "rules"], rows=extras)]
                  if extras else []),
            ],
            failures=failures(results),
        )
