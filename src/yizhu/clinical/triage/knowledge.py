"""Triage knowledge as data: red flags (``red_flags.yaml``) and department rules with age/sex rules
(``departments.yaml``), each validated by a schema and naming its source; plus term matching that knows
negation (没有胸痛 is not chest pain)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from yizhu.datafile import load_yaml_model
from yizhu.knowledge.terminology.text import fold

HERE = Path(__file__).resolve().parent
RED_FLAGS_FILE = HERE / "red_flags.yaml"
DEPARTMENTS_FILE = HERE / "departments.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _terms(v: list[str]) -> list[str]:
    out = [fold(str(t)).strip() for t in v]
    if not out or any(not t for t in out):
        raise ValueError("a term list must be non-empty and hold no empty terms")
    return out


class FlagCondition(_Strict):
    age_months_max: float | None = None
    pregnant: bool | None = None
    child: bool | None = Field(default=None, description=(
        "about a child: the age known and under 14, or no age and the words say it is a child (孩子, 宝宝)"))


class Explained(_Strict):
    """A benign cause that explains one rule's finding (iron tablets blacken the stool): with one of ``terms``
    present and none of the bleeding signs in ``unless``, that rule does not fire by itself (the interview
    still asks); any sign in ``unless`` puts the flag back."""

    rule: int = Field(ge=1, description="1-based index of the rule it explains")
    terms: list[str] = Field(min_length=1)
    unless: list[str] = Field(min_length=1)
    with_any: list[str] | None = Field(default=None, description=(
        "the explanation also needs one of these (a febrile fit that stopped: a fever word as well)"))
    condition: FlagCondition | None = Field(default=None, description="the explanation holds only for this population")
    source: str | None = Field(default=None, min_length=8, description="where the explanation comes from, if not the flag's")

    @field_validator("terms", "unless")
    @classmethod
    def _t(cls, v: list[str]) -> list[str]:
        return _terms(v)

    @field_validator("with_any")
    @classmethod
    def _w(cls, v: list[str] | None) -> list[str] | None:
        return None if v is None else _terms(v)


class _Sign(_Strict):
    """What red flags and urgent signs share: rules (each a list of term groups that must all match),
    optional conditions, and the source they rest on."""

    name: str = Field(min_length=1)
    source: str = Field(min_length=8)
    rules: list[list[list[str]]] = Field(min_length=1)
    condition: FlagCondition | None = None
    explained_by: list[Explained] = Field(default_factory=list)

    @model_validator(mode="after")
    def _rules_exist(self) -> _Sign:
        if any(e.rule > len(self.rules) for e in self.explained_by):
            raise ValueError(f"{self.name}: explained_by names a rule it does not have")
        return self

    @field_validator("rules")
    @classmethod
    def _groups(cls, v: list[list[list[str]]]) -> list[list[list[str]]]:
        if any(not rule for rule in v):
            raise ValueError("a rule needs at least one term group")
        return [[_terms(g) for g in rule] for rule in v]


class RedFlag(_Sign):
    """One red flag: found, it sends the patient to 急诊 / 120 now."""

    id: str = Field(pattern=r"^rf:[a-z0-9_]+$")
    message: str = Field(min_length=1, description="plain Chinese: what to do now (急诊 / 120)")
    exposure_groups: list[int] = Field(default_factory=list, description=(
        "1-based term groups (in every rule) that name an exposure — a knock to the head, an allergen: told as past "
        "by nature (玩的时候磕到头) they still count; the findings in the other groups must be current"))


class UrgentSign(_Sign):
    """A finding that needs a doctor today (not a routine appointment) though not 120: urgency ``urgent``."""

    id: str = Field(pattern=r"^ur:[a-z0-9_]+$")
    department: str | None = Field(default=None, pattern=r"^dept:[a-z0-9_]+$",
                                   description="the department that treats it, credited when the sign is found")
    weight: float = Field(default=3.0, gt=0, le=10)


class SymptomScope(_Strict):
    """Where a red-flag symptom of the symptom pack means "urgent" only in an age band (呼吸暂停 is an
    infant's emergency; in an adult's snoring it is a sleep clinic's question). Outside the band, with the
    age known, the symptom still routes but does not make the complaint urgent; with the age unknown it does
    (the safe side)."""

    symptom: str = Field(min_length=1, description="the symptom pack name")
    age_months_max: float = Field(gt=0)
    source: str = Field(min_length=8)


class Homophones(_Strict):
    """Red-flag body and symptom words that a phone's voice input may write as a near-homophone (兄口 for
    胸口): the text is also read with such windows put right (``lay.py``)."""

    words: list[str] = Field(min_length=1)
    source: str = Field(min_length=8)

    @field_validator("words")
    @classmethod
    def _w(cls, v: list[str]) -> list[str]:
        out = _terms(v)
        if any(len(w) < 2 for w in out):
            raise ValueError("a homophone word needs two characters or more (one character is too ambiguous)")
        return out


class SymptomExplained(_Strict):
    """A benign cause told with a red-flag symptom of the symptom pack (red stool after red dragon fruit, black
    stool on iron): with one of ``terms`` present and none of the warning signs in ``unless``, the symptom still
    routes but does not make the complaint urgent. Any sign in ``unless`` (belly pain, a child who is not
    themselves, dizziness) puts the urgency back."""

    symptom: str = Field(min_length=1, description="the symptom pack name")
    terms: list[str] = Field(min_length=1)
    unless: list[str] = Field(min_length=1)
    source: str = Field(min_length=8)

    @field_validator("terms", "unless")
    @classmethod
    def _t(cls, v: list[str]) -> list[str]:
        return _terms(v)


class RedFlagFile(_Strict):
    version: str
    homophones: Homophones | None = None
    child_words: list[str] = Field(default_factory=list, description=(
        "words that say the message is about a child, for the flags' child condition when no age is told "
        "(孙子, 小宝), besides the engine's own"))
    flags: list[RedFlag] = Field(min_length=1)
    urgent: list[UrgentSign] = Field(default_factory=list)
    symptom_scope: list[SymptomScope] = Field(default_factory=list)
    symptom_explained: list[SymptomExplained] = Field(default_factory=list)


class DeptRule(_Strict):
    """Words that point to a department. ``min_terms`` > 1 makes it a cluster (怕冷+脸肿+便秘 → 内分泌科, where
    any one alone means little); ``with_any`` requires one of its words as well (非洲回来 counts with a fever)."""

    department: str = Field(pattern=r"^dept:[a-z0-9_]+$")
    weight: float = Field(gt=0, le=10)
    terms: list[str]
    min_terms: int = Field(default=1, ge=1, le=6)
    with_any: list[str] | None = None

    @field_validator("terms")
    @classmethod
    def _t(cls, v: list[str]) -> list[str]:
        return _terms(v)

    @field_validator("with_any")
    @classmethod
    def _w(cls, v: list[str] | None) -> list[str] | None:
        return None if v is None else _terms(v)


class Compound(_Strict):
    """A short body word inside a longer lay word that means something else (屁股眼 is not the eye,
    手心/恶心/钻心 are not the heart, 电脑 is not the brain, 硬得像石头 is not a stone): the department rules do
    not read the word there."""

    char: str = Field(min_length=1, max_length=4, description="the word (mostly one character) a rule reads")
    words: list[str] = Field(min_length=1)
    source: str = Field(min_length=8)


class PopulationWhen(_Strict):
    age_years_max: float | None = None
    age_years_min: float | None = None
    pregnant: bool | None = None
    sex: Literal["male", "female"] | None = None


class PopulationEffect(_Strict):
    prefer: str | None = None
    boost: float = 0.0
    exclude: list[str] = Field(default_factory=list)
    pediatric_children: bool = False
    organ_first: list[str] = Field(default_factory=list, description=(
        "organ departments (眼科, 耳鼻喉科, 口腔科, 皮肤科, 妇产科) that see a child's complaint first when it is "
        "about that organ (the organ department scores highest outside 儿科) and no word of ``systemic`` is told"))
    systemic: list[str] = Field(default_factory=list, description="signs of a whole-child illness (发热, 精神差)")
    organ_reason: str | None = Field(default=None, description="the reason given to the organ department")

    @field_validator("systemic")
    @classmethod
    def _s(cls, v: list[str]) -> list[str]:
        return _terms(v) if v else v


class PopulationRule(_Strict):
    id: str = Field(pattern=r"^pop:[a-z0-9_]+$")
    when: PopulationWhen
    effect: PopulationEffect
    reason: str = Field(min_length=1)
    source: str = Field(min_length=8)


class PinyinWords(_Strict):
    """One-character body words that a single pinyin syllable may stand for when a complaint in hanzi follows
    (wei疼 → 胃疼, gan不好 → 肝不好); a syllable two of them share (yan: 眼, 咽) is left as written."""

    single: list[str] = Field(min_length=1)
    complaints: list[str] = Field(min_length=1)
    source: str = Field(min_length=8)


class Sites(_Strict):
    """Body-site words (嗓子, 嘴唇, 肚子): told as fine right after them (嗓子不紧, 嘴唇没肿, 肚子也不疼) they are
    not a complaint. The lexicon's body-part words count as sites too."""

    words: list[str] = Field(min_length=1)
    source: str = Field(min_length=8)

    @field_validator("words")
    @classmethod
    def _t(cls, v: list[str]) -> list[str]:
        return _terms(v)


class Diagnosed(_Strict):
    """A diagnosis the patient has been given (确诊为肝硬化, 医生说是高血压) points to its department more than the
    symptoms told around it: a rule's word (two characters or more) with one of ``cues`` at most ``reach``
    characters before it, in the same clause, adds ``weight`` to that rule's department (once per department)."""

    cues: list[str] = Field(min_length=1)
    reach: int = Field(default=6, ge=1, le=12)
    weight: float = Field(gt=0, le=10)
    source: str = Field(min_length=8)

    @field_validator("cues")
    @classmethod
    def _t(cls, v: list[str]) -> list[str]:
        return _terms(v)


class DepartmentRules(_Strict):
    version: str
    source: str = Field(min_length=8)
    rules: list[DeptRule] = Field(min_length=1)
    population: list[PopulationRule] = Field(default_factory=list)
    compounds: list[Compound] = Field(default_factory=list)
    pinyin: PinyinWords | None = None
    sites: Sites | None = None
    diagnosed: Diagnosed | None = None


def _read(path: Path, model: type[BaseModel]) -> BaseModel:
    return load_yaml_model(path, model, "triage knowledge")


@lru_cache(maxsize=4)
def red_flags(path: Path = RED_FLAGS_FILE) -> RedFlagFile:
    out = _read(path, RedFlagFile)
    assert isinstance(out, RedFlagFile)
    return out


@lru_cache(maxsize=4)
def department_rules(path: Path = DEPARTMENTS_FILE) -> DepartmentRules:
    out = _read(path, DepartmentRules)
    assert isinstance(out, DepartmentRules)
    return out


# ── negation-aware matching ─────────────────────────────────────────────────────────────────────────

#: clause boundaries: a negation does not reach past them (没发烧，但是胸痛)
_CLAUSE = re.compile(r"[，,。.;；!！?？\n]|但是|但|可是|不过|却|而且|还有|现在|今天|后来|然后")
#: negation cues; the cue must stand within NEG_REACH characters before the term, in the same clause
NEG_CUES = ("没有", "没", "无", "不", "否认", "未", "并非", "不是", "排除", "别")
NEG_REACH = 6
#: words with a cue inside that do not negate what follows (不舒服 is a complaint; 无力 is weakness)
_NOT_NEGATION = ("不舒服", "不适", "不好", "不停", "不住", "不了", "不清", "不出", "不上", "不过气", "不动", "不开",
                 "不知道", "不知", "不能", "不行", "不太", "不对", "不听", "无力", "无缘无故", "不断", "不止", "没劲",
                 "无名指", "没力气", "没精神", "没胃口", "没食欲", "没意思", "不想活", "没兴趣", "没事", "未满", "不到",
                 "特别", "别人", "别的", "时不时", "分别", "区别", "格外", "无论", "不管")


#: cues that report a denial, and so negate even a term that starts with a negation (没说过不想活)
DENIAL_CUES = ("没说过", "没想过", "从没", "从来没", "从未", "否认", "并没有", "没有过", "没提过", "没流露", "没表现",
               "没觉得", "不觉得", "没讲过", "不曾")


@dataclass(frozen=True, slots=True)
class Hit:
    term: str
    start: int
    end: int
    negated: bool


def clause_start(text: str, pos: int) -> int:
    """Where the clause holding ``pos`` starts."""
    return _clause_start(text, pos)


def _clause_start(text: str, pos: int) -> int:
    start = 0
    for m in _CLAUSE.finditer(text, 0, pos):
        start = m.end()
    return start


def is_negated(text: str, start: int, end: int) -> bool:
    """Whether a negation cue governs the term at [start, end) (same clause, a few characters before)."""
    lo = max(_clause_start(text, start), start - NEG_REACH)
    window = text[lo:start]
    if "就" in window:
        # 不做就焦虑, 没吃药就头疼: the cue governs the condition before 就, not what follows it
        window = window[window.rfind("就") + 1:]
    # a cue inside an expression that is not a negation does not count
    for w in _NOT_NEGATION:
        window = window.replace(w, "#" * len(w))
    if text[start:end].startswith(("不", "没", "无")):
        # a term that is a negation itself (不想活, 没劲) is denied only by a report of denial before it
        # (没说过不想活, 从来没觉得不想活), not by any 不 nearby
        return any(c in window for c in DENIAL_CUES)
    return any(c in window for c in NEG_CUES)


#: a gapped term: ``胸口…压`` matches 胸口 then 压 with at most GAP_MAX other characters between them, in the
#: same clause (胸口像有块石头压着疼); lay speech puts words between the parts of a finding
GAP = "…"
GAP_MAX = 8
_GAP_FILL = r"[^，,。.;；!！?？\n]{0," + str(GAP_MAX) + "}"


@lru_cache(maxsize=4096)
def _gap_re(term: str) -> re.Pattern[str]:
    return re.compile(_GAP_FILL.join(re.escape(p) for p in term.split(GAP) if p))


def locate(text: str, term: str, pos: int = 0) -> tuple[int, int]:
    """(start, end) of the first occurrence of ``term`` at or after ``pos``; (-1, -1) when absent."""
    if GAP not in term:
        i = text.find(term, pos)
        return (i, i + len(term)) if i >= 0 else (-1, -1)
    m = _gap_re(term).search(text, pos)
    return (m.start(), m.end()) if m else (-1, -1)


def _gap_negated(text: str, term: str, start: int, end: int) -> bool:
    """A negation cue inside a gapped term, right before its last part, negates it (肚子也不疼, 嘴也不歪)."""
    if GAP not in term:
        return False
    parts = [p for p in term.split(GAP) if p]
    first, last = parts[0], parts[-1]
    gap = text[start + len(first):end - len(last)]
    tail = gap + last
    for w in _NOT_NEGATION:
        tail = tail.replace(w, "#" * len(w))
    return any(c in tail[:len(gap)] for c in NEG_CUES)


#: a body site told as fine right after it (嗓子不紧, 嘴唇没肿, 肚子也不疼, 眼睛一点也不红): the site is not a
#: complaint; ``正常``/``没事`` after any finding (喘气也正常) says the same
_POST_SITE = re.compile(
    r"^[^，,。.;；!！?？\n]{0,3}?(?:(?:不|没有|没|无)(?:[疼痛肿痒红紧胀麻酸闷堵晕烧辣]|难受)|正常|没事|没问题|挺好|好好的)")
_POST_ANY = re.compile(r"^[^，,。.;；!！?？\n]?[也都还倒]{1,2}(?:正常|没事|没问题|挺好|好好的)|^(?:挺好|很好|不错|好好的)")


def post_negated(text: str, end: int, *, site: bool) -> bool:
    """Whether what follows a term at ``end`` says it is fine: for a body site (``site``), 不疼/没肿/不难受/正常
    within three characters; for any finding, 也正常/都没事 after it (喘气也正常; the lexicon's rewrite
    喘息气也正常 leaves one character between) or 挺好/很好/不错 right after it (精神挺好). A bare 正常 is a test
    result (肝功正常, 血压正常值), not this; 不舒服 is a complaint, not this."""
    return bool((_POST_SITE if site else _POST_ANY).match(text[end:end + 12]))


def _negated(text: str, term: str, start: int, end: int) -> bool:
    return is_negated(text, start, end) or _gap_negated(text, term, start, end)


def find_terms(text: str, terms: list[str]) -> list[Hit]:
    """Every occurrence of each term (first one per term), with its negation."""
    out = []
    for t in terms:
        i, e = locate(text, t)
        if i < 0:
            continue
        neg = _negated(text, t, i, e)
        # a later, positive mention wins over an earlier negated one (没发烧…现在发烧了)
        j = i
        while neg:
            j, je = locate(text, t, j + 1)
            if j < 0:
                break
            if not _negated(text, t, j, je):
                i, e, neg = j, je, False
        out.append(Hit(t, i, e, neg))
    return out


#: far-past cues: an event told as history (十年前…抽搐, 之前出过车祸) is not happening now; recent time words
#: (昨天, 刚才) are not among them, so 昨天吐血 still counts
HISTORY_CUES = ("以前", "之前", "去年", "前年", "年前", "曾经", "小时候", "多年", "几年", "前段时间", "上次", "那次",
                "当时", "自从", "以往", "既往", "病史", "有时候", "有时", "每次", "经常", "时常", "发作时", "病发时",
                "发病时", "的时候")
HISTORY_REACH = 25
_SENTENCE = re.compile(r"[。.!！?？\n]")


#: cues that only say "when" (站起来的时候); with a recent time word (今天…的时候) the event is happening now
_WHEN_CUES = ("的时候", "发作时", "病发时", "发病时")
_AFTERWARDS = ("之后", "以后", "后来", "接着", "随后", "然后", "回来后", "回家后")
RECENT = ("今天", "刚才", "刚刚", "昨天", "昨晚", "今早", "今晚", "现在", "这两天", "这几天", "突然")


def is_historical(text: str, start: int) -> bool:
    """Whether the term at ``start`` is told as past history or as what usually happens (same sentence)."""
    lo = 0
    for m in _SENTENCE.finditer(text, 0, start):
        lo = m.end()
    window = text[max(lo, start - HISTORY_REACH):start]
    cues = [c for c in HISTORY_CUES if c in window]
    if not cues:
        return False
    # a recent time word after the last far-past cue brings the story back to now (肝硬化好几年了，今天吐血);
    # a "when" cue with a recent word anywhere is now too (今天站起来的时候晕过去)
    last_cue = max(window.rfind(c) for c in cues)
    last_recent = max(window.rfind(r) for r in RECENT)
    if last_recent > last_cue:
        return False
    # a "when" cue followed by what came after it (玩的时候磕到头，之后一直吐) tells a story that reaches now
    if all(c in _WHEN_CUES for c in cues) and any(window.rfind(w) > last_cue for w in _AFTERWARDS):
        return False
    return not (all(c in _WHEN_CUES for c in cues) and last_recent >= 0)


def current(text: str, terms: list[str]) -> list[Hit]:
    """Terms present, not negated, and not told as history: what is happening now (for red flags)."""
    out = []
    for t in terms:
        j = -1
        while True:
            j, e = locate(text, t, j + 1)
            if j < 0:
                break
            # a recent time word is now by itself (看电视的时候突然…: 突然 is not history)
            if not _negated(text, t, j, e) and (t in RECENT or not is_historical(text, j)):
                out.append(Hit(t, j, e, False))
                break
    return out


def occurrences(text: str, term: str) -> list[Hit]:
    """Every occurrence of one term, each with its negation."""
    out = []
    j = -1
    while True:
        j, e = locate(text, term, j + 1)
        if j < 0:
            return out
        out.append(Hit(term, j, e, _negated(text, term, j, e)))


def positive(text: str, terms: list[str]) -> list[Hit]:
    return [h for h in find_terms(text, terms) if not h.negated]
