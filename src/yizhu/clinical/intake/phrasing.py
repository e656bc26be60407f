"""The checks a model's wording of a question must pass (``phrasing.yaml``): same slot (a topic word kept),
still a question, no new numbers, not too long, no diagnosis, no advice. The rule engine fixes what is asked
and the options; the model only supplies the words, and any wording that fails is thrown away."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from yizhu.datafile import load_yaml_model

PHRASING_FILE = Path(__file__).resolve().parent / "phrasing.yaml"


class PhrasingRules(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    version: str
    source: str = Field(min_length=8)
    max_chars: int = Field(ge=10, le=300)
    max_ratio: float = Field(gt=1, le=10)
    diagnosis: list[str] = Field(min_length=1)
    advice: list[str] = Field(min_length=1)
    interrogative: list[str] = Field(min_length=1)
    topics: dict[str, list[str]]


@lru_cache(maxsize=2)
def load_rules(path: Path = PHRASING_FILE) -> PhrasingRules:
    return load_yaml_model(path, PhrasingRules, "question phrasing rules")


def clean(text: str) -> str:
    """The wording as it would be shown: one line, outer quotes and spaces removed."""
    return re.sub(r"\s+", " ", text).strip().strip("\"'“”「」").strip()


def problem(wording: str, rule_prompt: str, slot: str, rules: PhrasingRules | None = None) -> str | None:
    """Why ``wording`` may not replace ``rule_prompt`` for ``slot`` (None when it may)."""
    r = rules or load_rules()
    w = clean(wording)
    if len(w) < 4:
        return "too short"
    if len(w) > min(r.max_chars, int(len(rule_prompt) * r.max_ratio) + 20):
        return f"too long ({len(w)} characters)"
    if "\n" in wording.strip() or re.search(r"[*#`<>{}\[\]]", w):
        return "not a single plain sentence"
    for kind, words in (("diagnosis", r.diagnosis), ("advice", r.advice)):
        bad = [x for x in words if x in w and x not in rule_prompt]
        if bad:
            return f"{kind} word {bad[0]}"
    new_numbers = [n for n in re.findall(r"\d+(?:\.\d+)?", w) if n not in rule_prompt]
    if new_numbers:
        return f"a number not in the question ({new_numbers[0]})"
    if not any(x in w for x in r.interrogative):
        return "not a question"
    topic = r.topics.get(slot)
    if topic and not any(x in w for x in topic):
        return f"does not ask about {slot}"
    return None
