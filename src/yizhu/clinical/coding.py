"""LLM-assisted diagnosis coding (mode ``llm``): the model chooses among the coder's candidates.

Where a model is routed for ``terminology.code``, the dictionary and the small model (or the rules)
propose the best candidates of a string; the LLM answers, by structured output, which candidate
numbers name the diagnoses the string contains. It can only pick numbers from the list, so it can
never invent a code or a name. Each chosen concept keeps the small model's score, span and
alternatives. When no model is routed, or the call fails, the small model's own decision is the
answer (failures are said in ``degraded``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from yizhu.errors import ModelError
from yizhu.knowledge.terminology.coding import CodingResult, DiagnosisCoder

TASK = "terminology.code"
PROMPTS = Path(__file__).with_name("prompts")
MAX_CANDIDATES = 12


class ChosenConcept(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # no bounds in the schema: a number outside the list is dropped here, so a weak model's slip costs
    # that one choice and never the whole answer
    candidate: int = Field(description="Number of the chosen candidate in the list.")


class CodeChoice(BaseModel):
    """The LLM's answer: which listed candidates name the diagnoses in the text (none when nothing fits)."""

    model_config = ConfigDict(extra="forbid")

    concepts: list[ChosenConcept] = Field(default_factory=list)


def llm_available(gateway: Any | None = None) -> bool:
    """Whether a real model serves ``terminology.code``."""
    if gateway is None:
        from yizhu.llm.runtime import current_gateway

        gateway = current_gateway()
    return bool(gateway.has_model(TASK))


def code_with_llm(coder: DiagnosisCoder, text: str, gateway: Any | None = None) -> CodingResult:
    """Decide with the LLM choosing among the coder's candidates; the coder's own answer as fallback."""
    from yizhu.llm import PromptLibrary

    if gateway is None:
        from yizhu.llm.runtime import current_gateway

        gateway = current_gateway()
    ((sc, scores, fallback),) = coder.ranked([text])
    if not gateway.has_model(TASK):
        return fallback
    ranked = sorted(sc.cands, key=lambda c: -scores.get(c.entry, 0.0))[:MAX_CANDIDATES]
    if not ranked:
        return fallback
    entries = coder.d.entries
    listing = [{"n": i + 1, "name": entries[c.entry].name, "code": entries[c.entry].code,
                "span": text[c.start:c.end], "score": round(scores.get(c.entry, 0.0), 2)} for i, c in enumerate(ranked)]
    prompt = PromptLibrary(PROMPTS).render(TASK, text=text, candidates=listing)
    try:
        answer = gateway.structured(TASK, prompt, CodeChoice)
    except ModelError as exc:
        reason = getattr(exc, "degraded", None) or "llm_failed"
        return CodingResult(fallback.text, fallback.concepts, fallback.mode, (*fallback.degraded, f"{reason}: {exc}"))
    picks: dict[int, float] = {}
    for ch in answer.value.concepts:
        if 1 <= ch.candidate <= len(ranked):  # numbers outside the list are ignored: nothing is invented
            e = ranked[ch.candidate - 1].entry
            picks[e] = scores.get(e, 0.0)
    return coder.result(sc, picks, "llm", scores)
