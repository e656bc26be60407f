"""LLM re-rank of 智能导诊 (task ``triage.rerank``): with a model routed, the model may re-order the
knowledge/model's top departments for the patient's words — by their numbers in the list, so it can never
add a department that was not a candidate. It cannot touch urgency or red flags (its answer has no place
for them), and when a red flag fired 急诊 stays first whatever it says. No model: the rule order, not
degraded. A failing, slow or invalid model (a number not in the list, a department twice, nothing usable):
the rule order, and ``degraded`` says why.

Scores follow the new order: the candidates' own scores, highest first, are handed out by the new rank, so
``departments`` stays sorted by score; each moved department says so in its reasons (原第N位).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from yizhu.clinical.triage.engine import EMERGENCY, Ranked, Triage

TASK = "triage.rerank"
PROMPTS = Path(__file__).resolve().parent.parent / "prompts"


class RerankAnswer(BaseModel):
    """The model's order: candidate numbers, most fitting first (a subset is fine; the rest keep their order)."""

    model_config = ConfigDict(extra="forbid")
    order: list[int] = Field(default_factory=list, max_length=20)


def _problem(order: list[int], n: int) -> str | None:
    if not order:
        return "no candidate number"
    outside = [i for i in order if not 1 <= i <= n]
    if outside:
        return f"candidate {outside[0]} is not in the list"
    if len(set(order)) != len(order):
        return "a candidate named twice"
    return None


def rerank(result: Triage, text: str, gateway: Any, *, age: float | None = None, sex: str | None = None) -> Triage:
    """``result`` re-ordered by the routed model, or unchanged (with ``degraded`` when the model failed)."""
    if gateway is None or not gateway.has_model(TASK) or len(result.departments) < 2:
        return result
    from yizhu.errors import ModelError
    from yizhu.llm import PromptLibrary
    from yizhu.llm.types import GenParams

    cands = list(result.departments)
    listing = [{"n": i + 1, "name": r.name, "reasons": "、".join(r.reasons[:4]) or "—"} for i, r in enumerate(cands)]
    prompt = PromptLibrary(PROMPTS).render(TASK, text=text, candidates=listing, age=age, sex=sex)
    try:
        answer = gateway.structured(TASK, prompt, RerankAnswer, params=GenParams(temperature=0.0, max_tokens=120))
    except ModelError as exc:
        return _degraded(result, f"rerank: {getattr(exc, 'degraded', None) or type(exc).__name__}")
    order = list(answer.value.order)
    why = _problem(order, len(cands))
    if why is not None:
        return _degraded(result, f"rerank: rejected ({why})")
    new = [cands[i - 1] for i in order] + [c for i, c in enumerate(cands, 1) if i not in order]
    if result.red_flags:  # a red flag keeps 急诊 first: the model may order only what comes after it
        er = [c for c in new if c.id == EMERGENCY or (c.reasons and c.reasons[0].startswith("红旗征"))]
        new = er + [c for c in new if c not in er]
    scores = sorted((c.score for c in cands), reverse=True)
    model = str(answer.completion.model)
    out: list[Ranked] = []
    for rank, (c, score) in enumerate(zip(new, scores, strict=True)):
        was = cands.index(c)
        reasons = list(c.reasons) + ([f"大模型重排（原第{was + 1}位）"] if was != rank else [])
        out.append(Ranked(c.name, score, reasons, c.id))
    return Triage(out, result.urgency, result.red_flags, result.findings, result.population,
                  f"{result.mode}+llm:{model}", list(result.degraded))


def _degraded(result: Triage, why: str) -> Triage:
    return Triage(result.departments, result.urgency, result.red_flags, result.findings, result.population,
                  result.mode, [*result.degraded, why])
