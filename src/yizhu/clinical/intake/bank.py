"""The 预问诊 question bank (``questions.yaml``) as validated data: questions, options, complaint profiles."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from yizhu.datafile import load_yaml_model
from yizhu.knowledge.terminology.text import fold

HERE = Path(__file__).resolve().parent
BANK_FILE = HERE / "questions.yaml"

Slot = Literal["complaint", "duration", "onset", "site", "character", "severity", "modifiers", "associated",
               "course", "past", "meds", "allergy", "menstrual", "lmp", "obstetric",
               # a child's interview (the parent answering): see ``Paediatric``
               "fever_child", "child_state", "contact", "past_child", "vaccination", "birth",
               # earlier separate questions, now asked together (child_state, birth); read in stored interviews
               "feeding", "urine", "activity", "development"]
#: slots whose options a profile supplies
PROFILE_SLOTS = ("site", "character", "severity", "modifiers", "associated")
Kind = Literal["single", "multi", "duration", "severity", "text", "date", "obstetric", "birth", "temperature"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Option(_Strict):
    id: str = Field(pattern=r"^[a-z0-9_]+$")
    label: str = Field(min_length=1, description="what the patient taps")
    says: str = Field(min_length=1, description="the statement in lay words (red-flag checks read it)")
    note: str = Field(min_length=1, description="the clinical wording for the record; 'none' for 'none of these'")
    exclusive: bool = False
    red_flag: bool = False
    days: float | None = None
    score: int | None = Field(default=None, ge=0, le=10)
    group: str | None = Field(default=None, description="in a question that asks several things at once: which one")


class When(_Strict):
    sex: Literal["male", "female"] | None = None
    age_min: float | None = None
    age_max: float | None = None


class Unless(_Strict):
    """Skip the question when an earlier answer to ``slot`` tapped one of ``options`` (no LMP after 已绝经)."""

    slot: str
    options: list[str] = Field(min_length=1)


class Group(_Strict):
    """One of the things a combined question asks (进食, 尿量, 精神): its name in the record and what the record
    says when the answer ticked none of its options (the checklist asks to tick what changed)."""

    name: str = Field(min_length=1)
    normal: str | None = Field(default=None, description="the record's wording when nothing in the group was ticked")


class Known(_Strict):
    """Skip the question when earlier answers already gave it: a number read from the words (``value``: a
    temperature told as 低烧37.8) or a symptom already written as absent (``denied``: 无发热)."""

    value: Literal["temperature", "lmp"] | None = None
    denied: list[str] = Field(default_factory=list)


class Question(_Strict):
    prompt: str = Field(min_length=1)
    child_prompt: str | None = Field(default=None, description="the wording when a parent answers for a child")
    kind: Kind
    options: list[Option] = Field(default_factory=list)
    when: When | None = None
    unless: Unless | None = None
    known: Known | None = None
    groups: dict[str, Group] = Field(default_factory=dict, description=(
        "a question asking several things at once: each option names its group (``group``), in record order"))
    source: str | None = Field(default=None, min_length=8, description="the guideline (and year) the question follows")

    @model_validator(mode="after")
    def _groups_named(self) -> Question:
        if self.groups:
            bad = [o.id for o in self.options if not o.exclusive and o.group not in self.groups]
            if bad:
                raise ValueError(f"options {', '.join(bad)} name no group of this question")
        return self


class ChildRule(_Strict):
    """When a question is worth asking in a child's interview: only in some complaint profiles (``profiles``),
    never in others (``skip_profiles``), only from an age (``age_min``: a 0–10 rating is self-report), except
    in ``except_profiles`` (whose own wording asks something else). An unknown age asks."""

    slot: Slot
    profiles: list[str] | None = None
    skip_profiles: list[str] = Field(default_factory=list)
    age_min: float | None = None
    except_profiles: list[str] = Field(default_factory=list)
    why: str = Field(min_length=4)
    source: str | None = Field(default=None, min_length=8)


class Paediatric(_Strict):
    """A child's interview (age known and under ``age_max`` years; a parent answers): the child's slots are put
    before ``insert_before`` (or at the end), ``replace`` swaps adult slots for the child's own, the prompts
    take their ``child_prompt`` and the interview may run to ``max_questions``."""

    age_max: float = Field(gt=0, le=18)
    source: str = Field(min_length=8)
    insert_before: Slot
    slots: list[Slot] = Field(min_length=1)
    replace: dict[Slot, Slot] = Field(default_factory=dict)
    rules: list[ChildRule] = Field(default_factory=list, description="which questions are worth asking, by complaint and age")
    max_questions: int = Field(ge=3, le=30)

    def keeps(self, slot: str, profile: str, age: float | None) -> bool:
        """Whether ``slot`` is asked in a child's interview for this complaint profile and age."""
        for r in self.rules:
            if r.slot != slot:
                continue
            if r.profiles is not None and profile not in r.profiles:
                return False
            if profile in r.skip_profiles:
                return False
            if r.age_min is not None and age is not None and age < r.age_min and profile not in r.except_profiles:
                return False
        return True


class Profile(_Strict):
    """A complaint's own interview: which slots, and the options for site, character, modifiers, associated."""

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    name: str = Field(min_length=1, description="the complaint's clinical name (主诉)")
    match: list[str]
    symptom: str
    slots: list[Slot] = Field(min_length=1)
    source: str = Field(min_length=8)
    prompts: dict[Slot, str] = Field(default_factory=dict, description="this complaint's own wording of a question")
    site: list[Option] = Field(default_factory=list)
    character: list[Option] = Field(default_factory=list)
    severity: list[Option] = Field(default_factory=list)
    modifiers: list[Option] = Field(default_factory=list)
    associated: list[Option] = Field(default_factory=list)

    @model_validator(mode="after")
    def _slots_have_options(self) -> Profile:
        for s in ("site", "character", "modifiers", "associated"):
            if s in self.slots and not getattr(self, s):
                raise ValueError(f"profile {self.id}: slot {s} is asked but has no options")
        return self


class Bank(_Strict):
    version: str
    source: str = Field(min_length=8)
    max_questions: int = Field(ge=3, le=30)
    questions: dict[Slot, Question]
    profiles: list[Profile] = Field(min_length=1)
    paediatric: Paediatric | None = None

    @model_validator(mode="after")
    def _slots_known(self) -> Bank:
        p = self.paediatric
        used = {s for pr in self.profiles for s in pr.slots}
        if p is not None:
            used |= set(p.slots) | set(p.replace.values())
            for s in p.slots:
                if self.questions.get(s) is None or not self.questions[s].source:
                    raise ValueError(f"paediatric slot {s} needs a question with its source")
            ids = {pr.id for pr in self.profiles}
            for r in p.rules:
                named = set(r.profiles or []) | set(r.skip_profiles) | set(r.except_profiles)
                if named - ids:
                    raise ValueError(f"paediatric rule for {r.slot}: unknown profile(s) {', '.join(sorted(named - ids))}")
        missing = sorted(s for s in used if s not in self.questions and s not in PROFILE_SLOTS)
        if missing:
            raise ValueError(f"slots without a question: {', '.join(missing)}")
        return self

    @model_validator(mode="after")
    def _general_last(self) -> Bank:
        if self.profiles[-1].match:
            raise ValueError("the last profile is the fallback and matches nothing by itself (match: [])")
        ids = [p.id for p in self.profiles]
        if len(set(ids)) != len(ids):
            raise ValueError("profile ids must be unique")
        return self

    def options(self, slot: str, profile: Profile) -> list[Option]:
        own = getattr(profile, slot, None) if slot in PROFILE_SLOTS else None
        return list(own) if own else list(self.questions[slot].options)  # type: ignore[index]

    def profile_for(self, complaint: str) -> Profile:
        """The profile whose words come first in the complaint (the patient's first words name the main
        problem); the fallback profile when none does."""
        text = fold(complaint)
        best: tuple[int, int, Profile] | None = None
        for order, p in enumerate(self.profiles):
            for term in p.match:
                i = text.find(fold(term))
                if i >= 0 and (best is None or (i, order) < best[:2]):
                    best = (i, order, p)
        return best[2] if best else self.profiles[-1]


@lru_cache(maxsize=4)
def load_bank(path: Path = BANK_FILE) -> Bank:
    return load_yaml_model(path, Bank, "question bank")
