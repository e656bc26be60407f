"""Spoken phrasing of a consultation turned into record language, by rules kept as data (``speech.yaml``).

A doctor's running commentary (我查一下, 我这边查体), address (给你…, 大叔) and spoken imperatives (别沾水) are
rewritten or dropped; a patient's questions and pleasantries (要打胰岛素吗？ 好的，结果出来找您) are not
history and are dropped. What the rules do not know stays as said.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator

from yizhu.datafile import load_yaml_model
from yizhu.errors import ConfigError

SPEECH_FILE = Path(__file__).parent / "speech.yaml"


class _Rule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    pattern: str = Field(min_length=1)
    to: str = ""
    example: str = Field(min_length=1, description="a phrase the rule rewrites (checked on load)")

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, v: str) -> str:
        re.compile(v)
        return v


class SpeechRules(BaseModel):
    """``speech.yaml``: rewrites for the doctor's sentences, drops for the patient's."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    source: str = Field(min_length=10)
    doctor: tuple[_Rule, ...]
    patient_drop: tuple[_Rule, ...]


@lru_cache(maxsize=1)
def speech_rules() -> SpeechRules:
    rules = load_yaml_model(SPEECH_FILE, SpeechRules, "speech rules")
    for r in (*rules.doctor, *rules.patient_drop):
        if not re.search(r.pattern, r.example):
            raise ConfigError(f"{SPEECH_FILE}: rule {r.pattern!r} does not match its example {r.example!r}")
    return rules


@lru_cache(maxsize=1)
def _compiled() -> tuple[list[tuple[re.Pattern[str], str]], list[re.Pattern[str]]]:
    r = speech_rules()
    return [(re.compile(x.pattern), x.to) for x in r.doctor], [re.compile(x.pattern) for x in r.patient_drop]


def doctor_to_record(text: str) -> str:
    """A doctor's sentence with commentary and address dropped and spoken forms in record wording."""
    for rx, to in _compiled()[0]:
        text = rx.sub(to, text)
    return text


def patient_says_history(text: str) -> bool:
    """False for a patient's question or pleasantry: not part of the history."""
    return not any(rx.search(text.strip()) for rx in _compiled()[1])
