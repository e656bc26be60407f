"""Diagnoses a dialogue implies (a sutured wound, a nodule on ultrasound, an OGTT over threshold), by rules
kept as data (``implied_dx.yaml``), and the words the lexicons mistake for a diagnosis (良性)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator

from yizhu.clinical.notes.sources import NoteSource, SourceSet
from yizhu.clinical.notes.types import ProvenanceOut
from yizhu.datafile import load_yaml_model

IMPLIED_FILE = Path(__file__).parent / "implied_dx.yaml"
_DENIED_BEFORE = re.compile(r"(?:未见|未发现|无|没有|没)[^，。；;,]{0,2}$")


class ImpliedRule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1)
    find: str = Field(min_length=1)
    dx: str = Field(min_length=2)
    needs: tuple[str, ...] = ()
    also_any_turn: str | None = None
    first_of: str | None = None
    #: the ICD-10 code when the rule knows it better than a lookup of the words (切割伤 is not T81.3)
    code: str | None = None
    any_at_least: dict[str, float] = Field(default_factory=dict)
    #: a stated diagnosis matching this names the same organ's lesion (左乳纤维腺瘤可能, 甲状腺右叶乳头状癌): the
    #: implied, broader diagnosis adds nothing and is not drafted
    unless_stated: str | None = None

    @field_validator("find", "also_any_turn", "unless_stated")
    @classmethod
    def _compiles(cls, v: str | None) -> str | None:
        if v is not None:
            re.compile(v)
        return v


class ImpliedRules(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    source: str = Field(min_length=10)
    not_a_diagnosis: tuple[str, ...] = ()
    rules: tuple[ImpliedRule, ...]


@lru_cache(maxsize=1)
def implied_rules() -> ImpliedRules:
    return load_yaml_model(IMPLIED_FILE, ImpliedRules, "implied-diagnosis rules")


def not_a_diagnosis(text: str) -> bool:
    """良性, 恶性可能 …: a qualifier the lexicons may read as a diagnosis, never one by itself."""
    return re.sub(r"[（(].*?[)）]|\s", "", text) in implied_rules().not_a_diagnosis


def _span(src: NoteSource, a: int, b: int) -> ProvenanceOut:
    return ProvenanceOut(kind="span", source=src.id, start=a, end=b)


def implied_diagnoses(S: SourceSet, stated: Sequence[str] = ()) -> list[tuple[str, str | None, list[ProvenanceOut]]]:
    """(diagnosis text, ICD-10 code if the rule gives it, provenance spans) for each rule the dialogue meets;
    a rule whose organ a ``stated`` diagnosis already names (``unless_stated``) is skipped."""
    turns = S.of_kind("turn")
    doctor = [t for t in turns if t.speaker == "doctor"]
    out: list[tuple[str, str | None, list[ProvenanceOut]]] = []
    done: set[str] = set()
    for rule in implied_rules().rules:
        if rule.first_of and rule.first_of in done:
            continue
        if rule.unless_stated and any(re.search(rule.unless_stated, x) for x in stated):
            continue
        prov: list[ProvenanceOut] = []
        ok = True
        for need in rule.needs:
            hit = next(((t, m) for t in doctor for m in re.finditer(need, t.text)
                        if not _DENIED_BEFORE.search(t.text[:m.start()])), None)
            if hit is None:
                ok = False
                break
            prov.append(_span(hit[0], hit[1].start(), hit[1].end()))
        if not ok:
            continue
        if rule.also_any_turn:
            hit = next(((t, m) for t in turns for m in re.finditer(rule.also_any_turn, t.text)), None)
            if hit is None:
                continue
            prov.append(_span(hit[0], hit[1].start(), hit[1].end()))
        for t in doctor:
            found = None
            for m in re.finditer(rule.find, t.text):
                if _DENIED_BEFORE.search(t.text[:m.start()]):
                    continue
                if rule.any_at_least and not any(float(m.group(k)) >= v for k, v in rule.any_at_least.items()):
                    continue
                found = m
                break
            if found is not None:
                words = {k: v or "" for k, v in found.groupdict().items()}
                dx = rule.dx.format(**words).replace("双侧侧", "双侧")
                out.append((dx, rule.code, [_span(t, found.start(), found.end()), *prov]))
                if rule.first_of:
                    done.add(rule.first_of)
                break
    return out
