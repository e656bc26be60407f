"""Diagnoses a dialogue implies (a sutured wound, a nodule on ultrasound, an OGTT over threshold), by rules
kept as data (``implied_dx.yaml``), and the words the lexicons mistake for a diagnosis (良性)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Literal

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
    #: the rule applies only beside a stated diagnosis matching this (桥本甲状腺炎 → its functional state)
    with_stated: str | None = None
    #: where `needs` and `find` are read: the doctor's turns, or every turn and pre-consultation section
    #: (a history the patient gives: 三周前做了左膝关节置换)
    scope: Literal["doctor", "all"] = "doctor"
    #: the rule qualifies the stated item matching `with_stated` instead of adding one: `dx` is its new text,
    #: ``{stated}`` the item as stated (慢性乙型肝炎 → 慢性乙型肝炎（HBeAg阴性）)
    qualify: bool = False

    @field_validator("find", "also_any_turn", "unless_stated", "with_stated")
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
    every = [*turns, *S.of_kind("section")]
    out: list[tuple[str, str | None, list[ProvenanceOut]]] = []
    done: set[str] = set()
    for rule in implied_rules().rules:
        if rule.qualify or (rule.first_of and rule.first_of in done):
            continue
        if rule.unless_stated and any(re.search(rule.unless_stated, x) for x in stated):
            continue
        if rule.with_stated and not any(re.search(rule.with_stated, x) for x in stated):
            continue
        found_in = every if rule.scope == "all" else doctor
        prov: list[ProvenanceOut] = []
        ok = True
        for need in rule.needs:
            hit = next(((t, m) for t in found_in for m in re.finditer(need, t.text) if _affirmed(t.text, m)), None)
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
        for t in found_in:
            found = None
            for m in re.finditer(rule.find, t.text):
                if not _affirmed(t.text, m):
                    continue
                if rule.any_at_least and not any(float(m.group(k)) >= v for k, v in rule.any_at_least.items()):
                    continue
                found = m
                break
            if found is not None:
                words = _words(found)
                if words is None:
                    continue
                dx = rule.dx.format(**words).replace("双侧侧", "双侧")
                out.append((dx, rule.code, [_span(t, found.start(), found.end()), *prov]))
                if rule.first_of:
                    done.add(rule.first_of)
                break
    return out


#: a clause that asks (有没有甲减？) or a mention after a denial does not state what it names
_ASKED = re.compile(r"[？?]|吗|有没有|是不是|是否")


#: a sentence about a relative (我妈有甲减, 我姐姐也是桥本) tells family history, not the patient's state
_RELATIVE = re.compile(r"[妈爸]|母亲|父亲|[姐哥弟妹]|家里|家族|亲戚|奶奶|爷爷|外婆|外公|姥姥|姥爷|儿子|女儿|老公|老婆|丈夫|妻子|其[父母]")


def _affirmed(text: str, m: re.Match[str]) -> bool:
    if _DENIED_BEFORE.search(text[:m.start()]):
        return False
    s0 = max(text.rfind(c, 0, m.start()) for c in "。；;！!？?\n") + 1
    s1 = min([i for i in (text.find(c, m.end()) for c in "。；;！!？?\n") if i >= 0] + [len(text)])
    if _RELATIVE.search(text[s0:s1]):
        return False
    a = max(text.rfind(c, 0, m.start()) for c in "，,。；;！!？?\n") + 1
    ends = [i for i in (text.find(c, m.end()) for c in "，,。；;！!？?\n") if i >= 0]
    b = min(ends) if ends else len(text)
    return not _ASKED.search(text[a:b + 1])


#: a drug's effect as the diagnosis names it: in the words said (干咳 stays 干咳, so grounding finds it)
_EFFECT = {"刺激性干咳": "干咳"}


def drug_class_name(drug: str) -> str | None:
    """The class a drug is named by in a diagnosis (依那普利 → ACEI; 利伐沙班 → 直接Xa因子抑制剂); a class said
    as such (ACEI, 普利类) is kept. None when the packs know neither."""
    from yizhu.knowledge.packs import get_kb

    word = re.sub(r"(?:类药物|类药|类|片|胶囊|针)$", "", drug)
    if re.fullmatch(r"ACEI|ARB|ARNI|NSAIDs?|PPI|SGLT-?2i?|DPP-?4i?|他汀", word):
        return word
    if word in ("普利",):
        return "ACEI"
    if word in ("沙坦",):
        return "ARB"
    kb = get_kb()
    # 考虑贝那普利: the drug is the longest tail of the words that a pack knows
    item = next((it for i in range(len(word) - 1) if (it := kb.resolve(word[i:], "drug")) is not None), None)
    cls = str(getattr(item, "drug_class", "") or "") if item is not None else ""
    if not cls:
        return None
    short = re.search(r"[（(]([A-Za-z0-9-]{2,8})[）)]", cls)
    return short.group(1) if short else cls


def _words(m: re.Match[str]) -> dict[str, str] | None:
    """The named groups of a rule's match as the template's words; a `drug` group is written by its class
    (None when no pack knows it: the words are not a drug), an `effect` in the diagnosis's wording."""
    words = {k: v or "" for k, v in m.groupdict().items()}
    if "drug" in words:
        cls = drug_class_name(words["drug"])
        if cls is None:
            return None
        words["drug"] = cls
    if "effect" in words:
        words["effect"] = _EFFECT.get(words["effect"], words["effect"])
    return words


def qualified_diagnoses(S: SourceSet, stated: Sequence[str]) -> dict[int, tuple[str, list[ProvenanceOut]]]:
    """{index of a stated item: (its new text, the spans that qualify it)} for each `qualify` rule the sources
    meet (慢性乙型肝炎 + HBeAg阴性 said anywhere → 慢性乙型肝炎（HBeAg阴性）; 孕37+1周 + 头位 → 孕37+1周，头位).
    ``stated`` are the items without their code."""
    every = [*S.of_kind("turn"), *S.of_kind("section")]
    out: dict[int, tuple[str, list[ProvenanceOut]]] = {}
    for rule in implied_rules().rules:
        if not rule.qualify or not rule.with_stated:
            continue
        for i, x in enumerate(stated):
            if i in out or not re.search(rule.with_stated, x):
                continue
            if rule.unless_stated and re.search(rule.unless_stated, x):
                continue
            pool = every if rule.scope == "all" else [t for t in every if t.speaker == "doctor"]
            hit = next(((t, m) for t in pool for m in re.finditer(rule.find, t.text) if _affirmed(t.text, m)), None)
            if hit is None:
                continue
            words = _words(hit[1]) or {}
            out[i] = (rule.dx.format(stated=x, **words), [_span(hit[0], hit[1].start(), hit[1].end())])
    return out
