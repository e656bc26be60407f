"""Schemas and loader for the demo hospital's data tables (catalog.yaml, scenarios.yaml).

The clinical content lives in data files so that a clinician can review or extend it without
reading Python; the schemas reject unknown keys and cross-check every drug and lab name, so a
typo fails at load time with the fix named rather than as an odd note at run time.
"""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from yizhu.errors import ConfigError

Setting = Literal["inpatient", "outpatient"]
DurationUnit = Literal["小时", "天", "周", "月", "年"]
EXAM_KEYS = (
    "general", "skin", "lymph", "eyes", "neck", "chest", "lung", "heart_area", "heart", "abdomen",
    "limbs", "neuro",
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LabDef(_Strict):
    """One laboratory test with its reference range (adult, female and pediatric variants)."""

    name: str
    abbr: str
    panel: str
    unit: str
    low: float
    high: float
    f_low: float | None = None
    f_high: float | None = None
    ped_low: float | None = None
    ped_high: float | None = None
    decimals: int = Field(ge=0, le=4)
    loinc: str | None = None

    def range_for(self, *, female: bool, child: bool) -> tuple[float, float]:
        """The reference range that applies to this patient."""
        if child and self.ped_low is not None and self.ped_high is not None:
            return self.ped_low, self.ped_high
        if female and self.f_low is not None and self.f_high is not None:
            return self.f_low, self.f_high
        return self.low, self.high


class DrugDef(_Strict):
    """A drug as the hospital formulary lists it, with the names doctors actually write."""

    key: str = ""
    generic: str
    names: list[str] = Field(min_length=1)
    atc: str | None = None
    classes: list[str] = Field(default_factory=list)
    group: str
    dose: float
    unit: str
    route: str
    frequency: str
    chronic: bool = False
    solvent: str | None = None
    ped_mg_per_kg: float | None = None
    ped_fixed: float | None = None
    ped_unit: str | None = None
    ped_frequency: str | None = None
    ped_conc_mg_per_ml: float | None = None

    @property
    def has_pediatric_dose(self) -> bool:
        """Whether a weight-based or fixed pediatric dose is defined."""
        return self.ped_mg_per_kg is not None or self.ped_fixed is not None


class AllergyDef(_Strict):
    """An allergy a synthetic patient may carry and the drug classes it rules out."""

    substance: str
    excludes: list[str]
    reactions: list[str] = Field(min_length=1)
    weight: float = 1.0


class DxDef(_Strict):
    """A diagnosis as written, with its ICD-10 code."""

    text: str
    code: str | None


class ComorbidityDef(_Strict):
    """A chronic condition added to older patients, with its history sentence and home drugs."""

    key: str
    diagnosis: DxDef
    history: str
    meds: list[list[str]]
    min_age: int
    prob: float = Field(ge=0, le=1)


class Catalog(_Strict):
    """Labs, drugs, allergies and comorbidities shared by all scenarios."""

    labs: list[LabDef]
    drugs: dict[str, DrugDef]
    allergies: list[AllergyDef]
    comorbidities: list[ComorbidityDef]
    regions: dict[str, dict[str, list[str]]]

    @model_validator(mode="after")
    def _check(self) -> Catalog:
        for c in self.comorbidities:
            for group in c.meds:
                for ref in group:
                    if ref not in self.drugs:
                        raise ValueError(f"comorbidity {c.key}: unknown drug {ref!r}")
        return self

    def lab(self, name: str) -> LabDef:
        """The lab definition by Chinese name."""
        for lab in self.labs:
            if lab.name == name:
                return lab
        raise KeyError(name)


class Surgery(_Strict):
    """An operation or procedure done on hospital day ``day`` (0 = admission day)."""

    name: str
    anesthesia: str
    day: int = Field(ge=0, le=3)


class Scenario(_Strict):
    """One admission or visit type: what is drawn and the templates the notes are written from."""

    key: str
    department: str
    source: str
    settings: list[Setting] = Field(min_length=1)
    weight: float = 1.0
    age: tuple[int, int]
    female: float = Field(ge=0, le=1)
    los: tuple[int, int] = (5, 8)
    condition: Literal["critical", "serious", "stable"] = "stable"
    diagnosis: DxDef
    extra_dx: list[DxDef] = Field(default_factory=list)
    short: str
    tags: list[str] = Field(default_factory=list)
    no_comorbid: list[str] = Field(default_factory=list)
    surgery: Surgery | None = None
    symptom: str
    cc: list[str] = Field(min_length=1)
    cc_plain: list[str] = Field(min_length=1)
    durations: dict[str, list[tuple[int, int, DurationUnit]]]
    vars: dict[str, list[str]] = Field(default_factory=dict)
    hpi: list[str] = Field(min_length=1)
    summary: str = ""
    vitals: dict[Literal["T", "P", "R", "SBP", "DBP"], tuple[float, float]]
    exam: dict[str, str] = Field(default_factory=dict)
    specialty: list[str] = Field(min_length=1)
    key_signs: str
    imaging: list[str] = Field(default_factory=list)
    labs: dict[str, tuple[float, float] | None] = Field(default_factory=dict)
    recheck: dict[str, tuple[float, float]] = Field(default_factory=dict)
    meds: list[list[str]]
    opd_meds: list[list[str]] | None = None
    plan: list[str] = Field(default_factory=list)
    basis: str = ""
    differential: list[str] = Field(default_factory=list)
    progress_pre: list[str] = Field(default_factory=list)
    progress: list[str] = Field(default_factory=list)
    rounds: list[str] = Field(default_factory=list)
    course: list[str] = Field(default_factory=list)
    discharge_state: list[str] = Field(default_factory=list)
    advice: list[str] = Field(default_factory=list)
    opd_advice: list[str] = Field(default_factory=list)
    followup_labs: dict[str, tuple[float, float]] = Field(default_factory=dict)

    @property
    def pediatric(self) -> bool:
        """Children's scenarios are written with 患儿 and pediatric history sections."""
        return self.department == "儿科"

    @model_validator(mode="after")
    def _check(self) -> Scenario:
        where = f"scenario {self.key}"
        if "d1" not in self.durations:
            raise ValueError(f"{where}: durations needs d1")
        bad = [k for k in self.exam if k not in EXAM_KEYS]
        if bad:
            raise ValueError(f"{where}: unknown exam keys {bad}; known: {list(EXAM_KEYS)}")
        if "inpatient" in self.settings:
            needed = {
                "plan": self.plan, "basis": self.basis, "rounds": self.rounds, "course": self.course,
                "discharge_state": self.discharge_state, "advice": self.advice, "summary": self.summary,
            }
            missing = [k for k, v in needed.items() if not v]
            if missing:
                raise ValueError(f"{where}: inpatient scenarios need {missing}")
            if len(self.differential) < 2 or len(self.progress) < 3:
                raise ValueError(f"{where}: inpatient scenarios need >=2 differential and >=3 progress")
            if self.surgery and self.surgery.day > 0 and not self.progress_pre:
                raise ValueError(f"{where}: a surgery after day 0 needs progress_pre templates")
        if "outpatient" in self.settings and not self.opd_advice:
            raise ValueError(f"{where}: outpatient scenarios need opd_advice")
        for text in self.cc:
            if self.symptom not in text:
                raise ValueError(f"{where}: chief complaint {text!r} lacks the symptom {self.symptom!r}")
        return self


class ScenarioFile(_Strict):
    scenarios: list[Scenario]


def _read_yaml(name: str) -> object:
    text = files("yizhu.demo").joinpath(name).read_text(encoding="utf-8")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(text, Loader=loader)


def _strip_drug_ref(ref: str) -> str:
    return ref.split("@", 1)[0]


@lru_cache(maxsize=1)
def load_tables() -> tuple[Catalog, tuple[Scenario, ...]]:
    """Load and cross-check the catalog and the scenarios (cached: they are read-only)."""
    try:
        raw = _read_yaml("catalog.yaml")
        assert isinstance(raw, dict)
        raw["drugs"] = {k: {**v, "key": k} for k, v in raw["drugs"].items()}
        catalog = Catalog.model_validate(raw)
        scenarios = ScenarioFile.model_validate(_read_yaml("scenarios.yaml")).scenarios
    except (ValidationError, yaml.YAMLError, AssertionError) as exc:
        raise ConfigError(f"demo data tables under yizhu/demo/ are invalid: {exc}; fix the YAML.") from exc
    lab_names = {lab.name for lab in catalog.labs}
    keys: set[str] = set()
    for s in scenarios:
        if s.key in keys:
            raise ConfigError(f"demo scenario key {s.key!r} is duplicated in scenarios.yaml; rename one.")
        keys.add(s.key)
        for table in (s.labs, s.recheck, s.followup_labs):
            unknown = [n for n in table if n not in lab_names]
            if unknown:
                raise ConfigError(f"scenario {s.key}: unknown labs {unknown}; add them to catalog.yaml.")
        for groups in (s.meds, s.opd_meds or []):
            for group in groups:
                for ref in group:
                    drug = catalog.drugs.get(_strip_drug_ref(ref))
                    if drug is None:
                        raise ConfigError(f"scenario {s.key}: unknown drug {ref!r}; add it to catalog.yaml.")
                    if s.pediatric and not drug.has_pediatric_dose:
                        raise ConfigError(
                            f"scenario {s.key}: drug {ref!r} has no pediatric dose; set ped_mg_per_kg "
                            "or ped_fixed in catalog.yaml."
                        )
    return catalog, tuple(scenarios)
