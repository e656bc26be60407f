"""Suite ``notes``: 病历辅助生成 — a note drafted from a consultation dialogue, against the gold note.

Runs the note-drafting engine through the Task seam (``notes.<type>``: ``notes.outpatient`` for a
dialogue) once per model: a configured model drafts with the LLM, the no-LLM path (``none``) runs
the engine's extractive drafting — which works, degraded, and is measured like any other. Data: the
note evaluation set shipped with the engine (``data/notes/dialogues.jsonl``: transcript and gold note)
or IMCS-V2-MRG (the six report fields mapped onto 门诊病历 sections; every annotator's report is a
reference, the best counts).

Metrics: character-level ROUGE-L of the draft against the gold note (the gold sections, in order),
completeness (gold sections the draft also fills), the unsupported-claim rate and the contradicted
rate from the engine's own grounding check (every sentence carries a verdict), and the share of
template sections filled.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from yizhu.evaluation.dataset import Case, Dataset
from yizhu.evaluation.metrics import MetricValue, mean_metric, ratio_metric, rouge_l
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

TASK_PREFIX = "notes."
#: IMCS-V2-MRG report fields → 门诊病历 sections
MRG_TO_SECTION = {"主诉": "主诉", "现病史": "现病史", "辅助检查": "辅助检查", "既往史": "既往史", "诊断": "初步诊断",
                  "建议": "处理意见"}


def gold_sections(text: str) -> dict[str, str]:
    """The sections of a gold note as printed (parsed the way every note is)."""
    from yizhu.core.parsing import parse_document

    return {s.name: s.text.strip() for s in parse_document(text).sections if s.name != "正文"}


def _references(case: Case) -> list[dict[str, str]]:
    exp = case.expected or {}
    if "gold" in exp:
        return [gold_sections(str(exp["gold"]))]
    refs = []
    for r in exp.get("reports") or []:
        refs.append({MRG_TO_SECTION.get(k, k): str(v).strip() for k, v in r.items() if str(v).strip()})
    return refs


def _transcript(case: Case) -> str:
    if "transcript" in case.inputs:
        return str(case.inputs["transcript"])
    lines = []
    for turn in case.inputs.get("dialogue") or []:
        speaker = "医生" if "医" in str(turn.get("speaker", "")) else "患者"
        if str(turn.get("text", "")).strip():
            lines.append(f"{speaker}：{turn['text']}")
    return "\n".join(lines)


class NoteDraftingSuite(Suite):
    """Dialogue → note: ROUGE-L (character), completeness, and the grounding check's verdicts."""

    name = "notes"
    title = "病历生成 note drafting: dialogue → note"
    version = "2"
    engine = "tasks notes.<type> (yizhu.clinical.notes)"
    uses_model = True
    formats = ("note-dialogues", "imcs-mrg")
    default_data = "notes/dialogues.jsonl"
    headline = ("rouge_l", "completeness", "unsupported_claim_rate", "contradicted_rate")

    def unavailable(self) -> str | None:
        try:
            import yizhu.clinical.notes  # noqa: F401
        except ImportError as exc:
            return f"engine not available: the note-drafting package is not installed ({exc})"
        if find_task(("notes.outpatient",)) is None:
            return ("engine not available: task 'notes.outpatient' is not registered; add the notes.* tasks to the "
                    "yizhu.tasks entry points (notes.outpatient = yizhu.clinical.notes:OutpatientNoteTask, …)")
        return None

    def versions(self) -> dict[str, str]:
        task = find_task(("notes.outpatient",))
        return {task.name: task.version} if task is not None else {}

    def run_case(self, case: Case, env: RunEnv, dataset: Dataset) -> Outcome:
        from yizhu.clinical.notes import dialogue_context, drafting
        from yizhu.clinical.registry import get_task

        note_type = str(case.inputs.get("type") or "outpatient")
        task = get_task(TASK_PREFIX + note_type)
        use_llm = env.model is not None and env.gateway is not None
        with drafting(gateway=env.gateway if use_llm else None, model=env.model, use_llm=use_llm):
            result = task.run(dialogue_context(_transcript(case)))
        draft: dict[str, Any] = result.output
        sections = {s["name"]: "".join(x["text"] for x in s.get("sentences", [])) for s in draft.get("sections", [])}
        sentences = [x for s in draft.get("sections", []) for x in s.get("sentences", [])]
        refs = _references(case)
        best = max(refs, key=lambda g: rouge_l("".join(sections.get(k, "") for k in g), "".join(g.values())),
                   default={})
        score = rouge_l("".join(sections.get(k, "") for k in best), "".join(best.values())) if best else None
        return Outcome(
            output={"sections": sections, "qc": draft.get("qc"), "model": draft.get("model")},
            scores={"rouge_l": score},
            data={"gold_sections": len(best), "filled": sum(1 for k in best if sections.get(k)),
                  "template_sections": len(sections), "template_filled": sum(1 for v in sections.values() if v),
                  "sentences": len(sentences),
                  "unsupported": sum(1 for x in sentences if x.get("status") != "supported"),
                  "contradicted": sum(1 for x in sentences if x.get("status") == "contradicted"),
                  "per_section": {k: rouge_l(sections.get(k, ""), v) for k, v in best.items()}},
            model_id=draft.get("model"), degraded=list(result.degraded),
        )

    def summarise(self, dataset: Dataset, results: Sequence[ResultView], *, seed: int = 0) -> Summary:
        ok = [r for r in results if r.status == "ok"]

        def col(key: str) -> list[float]:
            return [float(r.data.get(key, 0)) for r in ok]

        def rouge(group: Sequence[ResultView]) -> dict[str, MetricValue]:
            return {"rouge_l": mean_metric("rouge_l", [float(r.scores.get("rouge_l") or 0) for r in group], seed=seed,
                                           title="ROUGE-L (character) against the gold note")}

        metrics = rouge(results)
        metrics.update({
            "completeness": ratio_metric("completeness", col("filled"), col("gold_sections"), seed=seed,
                                         title="gold sections the draft fills"),
            "unsupported_claim_rate": ratio_metric("unsupported_claim_rate", col("unsupported"), col("sentences"),
                                                   higher_is_better=False, seed=seed,
                                                   title="sentences the grounding check could not support"),
            "contradicted_rate": ratio_metric("contradicted_rate", col("contradicted"), col("sentences"),
                                              higher_is_better=False, seed=seed,
                                              title="sentences contradicting the dialogue (safety)"),
            "template_filled": ratio_metric("template_filled", col("template_filled"), col("template_sections"),
                                            seed=seed, gate=False, title="template sections with content"),
        })
        names: list[str] = []
        for r in ok:
            names += [k for k in r.data.get("per_section", {}) if k not in names]
        rows = []
        for k in names:
            vals = [r.data["per_section"][k] for r in ok if k in r.data.get("per_section", {})]
            rows.append([k, len(vals), round(sum(vals) / len(vals), 3)])
        return Summary(metrics=metrics, breakdown=breakdown(results, rouge), breakdown_title="note type",
                       tables=[Table(title="ROUGE-L per gold section", columns=["section", "notes", "ROUGE-L"],
                                     rows=rows)] if rows else [],
                       failures=failures(results))
