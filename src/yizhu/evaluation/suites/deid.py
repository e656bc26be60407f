"""Suite ``deid``: de-identification recall and precision per PHI type, with intervals.

Wraps the de-identification evaluation (``yizhu.evaluation.deid``): the same synthetic notes with
gold spans (``yizhu.evaluation.data.deid.synth``), the same analyzer, and the same counting (``score_note``,
``Tally``; masking view for the targets, strict view for tuning), one note per case so results are
cached and resumable and every number gets a bootstrap interval over notes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from yizhu.evaluation.dataset import Case, Dataset
from yizhu.evaluation.metrics import MetricValue, f1_metric, ratio_metric
from yizhu.evaluation.suites.base import Outcome, ResultView, RunEnv, Suite, Summary, Table, failures

DEFAULT_NOTES = 200
DEFAULT_SEED = 7
FIELDS = ("gold", "covered", "predicted", "overlapping", "strict_tp")


@lru_cache(maxsize=1)
def _analyzer() -> Any:
    from yizhu.privacy import default_analyzer

    return default_analyzer()


def generated_dataset(n: int = DEFAULT_NOTES, seed: int = DEFAULT_SEED) -> Dataset:
    """Synthetic notes with gold PHI spans from ``yizhu.evaluation.data.deid.synth.generate_corpus``."""
    from yizhu.evaluation.data.deid.synth import generate_corpus

    cases = [
        Case(id=note.id, inputs={"text": note.text, "doc_type": note.doc_type},
             expected={"spans": [{"type": s.type, "start": s.start, "end": s.end, "text": s.text} for s in note.spans]},
             metadata={"category": note.doc_type, "patient_id": note.patient_id, "synthetic": True})
        for note in generate_corpus(n, seed)
    ]
    return Dataset(name=f"deid-synth-n{n}-seed{seed}", format="generator", synthetic=True, cases=cases,
                   source=f"yizhu.evaluation.data.deid.synth.generate_corpus({n}, seed={seed}): 合成病历 synthetic notes",
                   description=f"{n} synthetic notes of every document type with gold PHI spans")


class DeidSuite(Suite):
    """Masking recall/precision per PHI type against the de-identification targets."""

    name = "deid"
    title = "去标识化 de-identification: PHI recall/precision"
    version = "1"
    engine = "yizhu.privacy default analyzer"
    uses_model = False
    formats = ("phi-spans", "phi-markup")
    headline = ("recall", "precision", "strict_f1")

    def unavailable(self) -> str | None:
        try:

            _analyzer()
        except Exception as exc:  # the privacy package is missing or cannot build its recognizers
            return f"engine not available: the de-identification analyzer could not be built ({type(exc).__name__}: {exc})"
        return None

    def dataset(self, path: Path | None = None, *, format: str | None = None, seed: int = 0) -> Dataset:
        if path is None:
            return generated_dataset()
        return super().dataset(path, format=format, seed=seed)

    def run_case(self, case: Case, env: RunEnv, dataset: Dataset) -> Outcome:
        from yizhu.evaluation.data.deid.synth import GoldSpan, SyntheticNote
        from yizhu.evaluation.deid import Tally, score_note

        text = str(case.inputs["text"])
        note = SyntheticNote(
            id=case.id, doc_type=str(case.inputs.get("doc_type", "")), patient_id=str(case.metadata.get("patient_id", "")),
            text=text, spans=tuple(GoldSpan(type=s["type"], start=s["start"], end=s["end"], text=text[s["start"]:s["end"]])
                                   for s in (case.expected or {}).get("spans", [])),
        )
        entities = _analyzer().analyze(text)
        tallies: dict[str, Tally] = defaultdict(Tally)
        score_note(note, entities, tallies)
        counts = {typ: {f: getattr(t, f) for f in FIELDS} for typ, t in tallies.items()}
        counts.setdefault("ALL", dict.fromkeys(FIELDS, 0))
        return Outcome(
            output={"entities": [{"type": e.type, "start": e.start, "end": e.end, "text": e.text} for e in entities]},
            data={"counts": counts, "missed": [m for t in tallies.values() for m in t.missed][:20],
                  "spurious": [s for t in tallies.values() for s in t.spurious][:20]},
        )

    def summarise(self, dataset: Dataset, results: Sequence[ResultView], *, seed: int = 0) -> Summary:
        from yizhu.evaluation.deid import PRECISION_TARGET, RECALL_TARGETS

        ok = [r for r in results if r.status == "ok"]

        def col(typ: str, field: str) -> list[float]:
            return [float(r.data["counts"].get(typ, {}).get(field, 0)) for r in ok]

        def typed(typ: str) -> dict[str, MetricValue]:
            tp = col(typ, "strict_tp")
            return {
                "recall": ratio_metric("recall", col(typ, "covered"), col(typ, "gold"), seed=seed, empty=1.0,
                                       title="recall (masking)"),
                "precision": ratio_metric("precision", col(typ, "overlapping"), col(typ, "predicted"), seed=seed,
                                          empty=1.0, title="precision (masking)"),
                "strict_precision": ratio_metric("strict_precision", tp, col(typ, "predicted"), seed=seed, empty=1.0,
                                                 gate=False, title="strict precision"),
                "strict_recall": ratio_metric("strict_recall", tp, col(typ, "gold"), seed=seed, empty=1.0, gate=False,
                                              title="strict recall"),
                "strict_f1": f1_metric("strict_f1", tp, [p - t for p, t in zip(col(typ, "predicted"), tp, strict=True)],
                                       [g - t for g, t in zip(col(typ, "gold"), tp, strict=True)], seed=seed,
                                       title="strict F1 (type and boundaries)"),
            }

        types = sorted({t for r in ok for t in r.data["counts"] if t != "ALL"},
                       key=lambda t: -sum(col(t, "gold")))
        metrics = typed("ALL")
        per_type = {t: {k: v for k, v in typed(t).items() if k in ("recall", "precision", "strict_f1")} for t in types}
        rows, missed_targets = [], []
        for t in [*types, "ALL"]:
            gold, pred = int(sum(col(t, "gold"))), int(sum(col(t, "predicted")))
            m = per_type.get(t) or metrics
            target = f"R ≥ {RECALL_TARGETS[t]}" if t in RECALL_TARGETS else (f"P ≥ {PRECISION_TARGET}" if t == "ALL" else "")
            rows.append([t, gold, pred, m["recall"].fmt(4), m["precision"].fmt(4), target])
            if t in RECALL_TARGETS and (m["recall"].value or 0) < RECALL_TARGETS[t]:
                missed_targets.append(f"recall {t} {m['recall'].value:.4f} < {RECALL_TARGETS[t]}")
        if (metrics["precision"].value or 0) < PRECISION_TARGET:
            missed_targets.append(f"precision overall {metrics['precision'].value:.4f} < {PRECISION_TARGET}")
        examples = [[r.case_id, m] for r in ok for m in r.data.get("missed", [])][:30]
        return Summary(
            metrics=metrics,
            breakdown=per_type,
            breakdown_title="PHI type",
            tables=[
                Table(title="per PHI type against the targets", columns=["type", "gold", "predicted", "recall (masking)",
                                                                         "precision (masking)", "target"], rows=rows),
                *([Table(title="missed PHI (first 30)", columns=["note", "missed"], rows=examples)] if examples else []),
            ],
            notes=["All targets met." if not missed_targets else "Targets missed: " + "; ".join(missed_targets)],
            failures=failures(results),
        )
