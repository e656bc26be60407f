"""Suite ``notes``: 病历辅助生成 — drafting a report from a consultation dialogue (IMCS-V2-MRG).

The note-drafting engine does not exist yet; the suite is registered so that the gap is visible and
``yizhu eval run notes`` says "engine not available". It runs once a task in ``TASKS`` registers, on
this contract:

    input   ClinicalContext(extra={"dialogue": [{"speaker": "医生"|"患者", "text": "…"}], "self_report": "…"})
    output  Result.output["report"]: {主诉, 现病史, 辅助检查, 既往史, 诊断, 建议} (strings)
            Result.findings with category "grounding" for sentences the engine could not trace to
            the dialogue (the grounding check), so unsupported claims are counted, never hidden

Metrics: character-level ROUGE-L per field against every annotator's report (the best one counts),
completeness (fields the reference fills that the draft also fills) and the unsupported-claim rate.
"""

from __future__ import annotations

from collections.abc import Sequence

from yizhu.evaluation.dataset import Case, Dataset
from yizhu.evaluation.loaders import MRG_FIELDS
from yizhu.evaluation.metrics import MetricValue, mean_metric, ratio_metric, rouge_l_multi, sentences
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
from yizhu.evaluation.suites.triage import find_task

TASKS = ("notes.draft", "notes.dialogue_report")


class NoteDraftingSuite(Suite):
    """Dialogue → six-field report: ROUGE-L (character), completeness, grounding."""

    name = "notes"
    title = "病历生成 note drafting: dialogue → report"
    version = "1"
    engine = f"task {' or '.join(TASKS)}"
    formats = ("imcs-mrg",)
    default_data = "imcs_v2.sample.json"
    headline = ("rouge_l", "completeness", "unsupported_claim_rate")

    def unavailable(self) -> str | None:
        if find_task(TASKS) is None:
            return (f"engine not available: no note-drafting task is registered (looked for {', '.join(TASKS)}); "
                    "the suite and its IMCS-V2-MRG loader are ready for it")
        return None

    def versions(self) -> dict[str, str]:
        task = find_task(TASKS)
        return {task.name: task.version} if task is not None else {}

    def run_case(self, case: Case, env: RunEnv, dataset: Dataset) -> Outcome:
        from yizhu.core import ClinicalContext

        task = find_task(TASKS)
        result = task.run(ClinicalContext(extra={"dialogue": case.inputs["dialogue"],
                                                 "self_report": case.inputs.get("self_report", "")}))
        report = result.output.get("report") or {}
        refs = (case.expected or {}).get("reports") or []
        per_field = {}
        filled, expected_filled = 0, 0
        for f in MRG_FIELDS:
            draft = str(report.get(f) or "")
            references = [str(r.get(f) or "") for r in refs]
            per_field[f] = rouge_l_multi(draft, references)
            if any(x.strip() for x in references):
                expected_filled += 1
                filled += 1 if draft.strip() else 0
        text = "。".join(str(report.get(f) or "") for f in MRG_FIELDS)
        claims = len(sentences(text))
        unsupported = sum(1 for x in result.findings if x.category == "grounding")
        return Outcome(
            output={"report": report},
            scores={"rouge_l": sum(per_field.values()) / len(per_field)},
            data={"rouge_fields": per_field, "filled": filled, "expected_filled": expected_filled,
                  "claims": claims, "unsupported": min(unsupported, claims)},
            degraded=list(result.degraded),
        )

    def summarise(self, dataset: Dataset, results: Sequence[ResultView], *, seed: int = 0) -> Summary:
        ok = [r for r in results if r.status == "ok"]

        def rouge(group: Sequence[ResultView]) -> dict[str, MetricValue]:
            return {"rouge_l": mean_metric("rouge_l", [float(r.scores.get("rouge_l") or 0) for r in group], seed=seed,
                                           title="ROUGE-L (character)")}

        metrics = rouge(results)
        metrics["completeness"] = ratio_metric("completeness", [float(r.data["filled"]) for r in ok],
                                               [float(r.data["expected_filled"]) for r in ok], seed=seed,
                                               title="fields filled that the reference fills")
        metrics["unsupported_claim_rate"] = ratio_metric(
            "unsupported_claim_rate", [float(r.data["unsupported"]) for r in ok], [float(r.data["claims"]) for r in ok],
            higher_is_better=False, seed=seed, title="sentences flagged as not grounded in the dialogue")
        rows = [[f, round(sum(r.data["rouge_fields"][f] for r in ok) / len(ok), 3) if ok else None] for f in MRG_FIELDS]
        return Summary(metrics=metrics, breakdown=breakdown(results, rouge),
                       tables=[Table(title="ROUGE-L per report field", columns=["field", "ROUGE-L"], rows=rows)],
                       failures=failures(results))
