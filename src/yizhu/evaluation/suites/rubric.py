"""Suite ``rubric``: open clinical cases graded against rubric criteria (HealthBench style).

The model under test answers the conversation; a configured grader model then judges each criterion
separately (met or not, with its reasoning, which is stored). A case scores the points of the
criteria met — negative-point criteria are penalties — over the positive points available; the
overall score is the mean, clipped to [0, 1] as HealthBench does. Grader reasoning is kept in
results.jsonl so a clinician can audit every judgement.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from yizhu.evaluation.dataset import Case, Dataset
from yizhu.evaluation.metrics import MetricValue, mean_metric, ratio_metric
from yizhu.evaluation.suites.base import (
    Outcome,
    ResultView,
    RunEnv,
    Suite,
    Summary,
    Table,
    abstention_metric,
    breakdown,
    failures,
    render,
)

TASK = "eval.rubric"
GRADER_TASK = "eval.grader"


class GraderVerdict(BaseModel):
    """The grader's judgement of one criterion."""

    model_config = ConfigDict(extra="forbid")
    criteria_met: bool
    explanation: str = Field(default="", max_length=2000)


def system_message() -> Any:
    """The clinical-assistant system prompt every open-ended suite puts before the conversation."""
    from yizhu.llm import Message

    return Message(role="system", content=render("eval.clinical_assistant", content="").system or "")


def case_score(grades: Sequence[dict[str, Any]]) -> float | None:
    """Points met (penalties subtract) over the positive points available; unclipped."""
    possible = sum(g["points"] for g in grades if g["points"] > 0)
    if possible <= 0:
        return None
    return sum(g["points"] for g in grades if g["met"]) / possible


def _clip(mv: MetricValue) -> MetricValue:
    def c(x: float | None) -> float | None:
        return None if x is None else min(max(x, 0.0), 1.0)

    return mv.model_copy(update={"value": c(mv.value), "ci_low": c(mv.ci_low), "ci_high": c(mv.ci_high)})


class RubricSuite(Suite):
    """Open clinical cases with rubric criteria, graded by a configured grader model."""

    name = "rubric"
    title = "开放病例 rubric-graded clinical cases (HealthBench style)"
    version = "1"
    engine = "model (gateway task eval.rubric), graded by the grader model"
    uses_model = True
    needs_grader = True
    formats = ("healthbench",)
    default_data = "rubric.sample.jsonl"
    prompt_ids = ("eval.clinical_assistant", "eval.rubric_grader")
    headline = ("score", "penalty_rate", "abstention_rate")

    def run_case(self, case: Case, env: RunEnv, dataset: Dataset) -> Outcome:
        from yizhu.llm import Message

        model = env.require_model()
        conversation = [Message(role=m["role"], content=m["content"]) for m in case.inputs["messages"]]
        completion = env.gateway.chat(TASK, [system_message(), *conversation], params=env.params(), model=model)
        answer = completion.text
        grades = []
        for item in (case.expected or {}).get("rubrics", []):
            prompt = render("eval.rubric_grader", conversation=case.inputs["messages"], response=answer,
                            criterion=item["criterion"], points=item["points"])
            verdict = env.gateway.structured(GRADER_TASK, prompt, GraderVerdict, params=env.params(), model=env.grader)
            grades.append({"criterion": item["criterion"], "points": float(item["points"]),
                           "tags": item.get("tags", []), "met": verdict.value.criteria_met,
                           "explanation": verdict.value.explanation, "grader_model_id": verdict.completion.model_id})
        score = case_score(grades)
        return Outcome(output={"answer": answer}, scores={"score": score},
                       data={"grades": grades, "score": score}, model_id=completion.model_id,
                       degraded=list(completion.degraded))

    def summarise(self, dataset: Dataset, results: Sequence[ResultView], *, seed: int = 0) -> Summary:
        graded = [r for r in results if r.status == "ok" and r.data.get("score") is not None]
        penalties = [[g for g in r.data["grades"] if g["points"] < 0] for r in graded]
        metrics = {
            "score": _clip(mean_metric("score", [float(r.data["score"]) for r in graded], seed=seed,
                                       title="rubric score (clipped to 0–1)")),
            "penalty_rate": ratio_metric("penalty_rate", [float(sum(g["met"] for g in p)) for p in penalties],
                                         [float(len(p)) for p in penalties], higher_is_better=False, seed=seed,
                                         title="penalty criteria triggered"),
            "abstention_rate": abstention_metric(results, seed=seed),
        }
        axes: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
        for r in graded:
            for g in r.data["grades"]:
                for tag in g.get("tags") or ["axis:(none)"]:
                    if tag.startswith("axis:") and g["points"] > 0:
                        axes[tag[5:]][1] += g["points"]
                        axes[tag[5:]][0] += g["points"] if g["met"] else 0.0
        rows = [[axis, round(met, 1), round(possible, 1), round(met / possible, 3) if possible else None]
                for axis, (met, possible) in sorted(axes.items())]
        explanations = [[r.case_id, g["criterion"][:60], g["points"], "met" if g["met"] else "not met", g["explanation"]]
                        for r in graded for g in r.data["grades"]][:100]
        return Summary(
            metrics=metrics,
            breakdown=breakdown(graded, lambda g: {"score": _clip(mean_metric(
                "score", [float(r.data["score"]) for r in g], seed=seed))}),
            tables=[
                *([Table(title="per rubric axis (positive criteria)", columns=["axis", "points met", "possible", "share"],
                         rows=rows)] if rows else []),
                *([Table(title="grader judgements (first 100)",
                         columns=["case", "criterion", "points", "verdict", "grader's reasoning"],
                         rows=explanations)] if explanations else []),
            ],
            failures=failures(results),
        )
