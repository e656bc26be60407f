"""Schemas of the knowledge packs: one pydantic v2 model per pack kind, all strict.

A *pack* is versioned data under ``src/yizhu/knowledge/packs/``. The shipped packs are written as
reviewed YAML, one folder per kind (``packs/drugs/*.yaml``: a list of items, each with a ``review``
block; ``yizhu.knowledge.sources``), and compiled to the JSONL the loader reads:

* JSONL (compiled, fastest to load): the first line is ``{"_meta": {...PackMeta...}}``, every
  following non-blank line is one item object.
* YAML pack file (a hospital's own additions): a top-level mapping ``{"_meta": {...}, "items": [...]}``.

File names start with the plural stem of their kind (``PACK_FILE_STEMS``), e.g. ``diagnoses.jsonl``,
``drugs.jsonl``, ``drugs_tcm.yaml``; several files of one kind are merged. ``_meta.kind`` must agree
with the file name. Every item carries ``id`` (prefixed by its kind, ``ID_PREFIXES``), a Chinese
primary ``name``, ``synonyms``, ``name_en`` where a standard English name exists, and ``source``
(the classification, guideline, label or regulation, with year) so that every fact yizhu shows can
be cited. Models forbid unknown keys so a typo in a pack fails loudly instead of being ignored.

A new field is added here first (the reviewed YAML and the compiled JSONL are both checked against these
models); the base fields are shared contracts.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from yizhu.errors import ConfigError

PackKind = Literal["diagnosis", "symptom", "lab", "department", "drug", "interaction", "guideline"]

#: Every pack kind, in display order.
PACK_KINDS: tuple[PackKind, ...] = (
    "diagnosis",
    "symptom",
    "lab",
    "department",
    "drug",
    "interaction",
    "guideline",
)

#: A pack file of a kind is named ``<stem>.jsonl`` / ``<stem>_<part>.yaml`` etc.
PACK_FILE_STEMS: dict[PackKind, str] = {
    "diagnosis": "diagnoses",
    "symptom": "symptoms",
    "lab": "labs",
    "department": "departments",
    "drug": "drugs",
    "interaction": "interactions",
    "guideline": "guidelines",
}

#: Item ids are globally unique because each kind has its own prefix (used in Citation.id).
ID_PREFIXES: dict[PackKind, str] = {
    "diagnosis": "icd10:",
    "symptom": "sym:",
    "lab": "lab:",
    "department": "dept:",
    "drug": "drug:",
    "interaction": "ddi:",
    "guideline": "gl:",
}

_ID_BODY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+\-/]*$")
ICD10_CODE = re.compile(r"^[A-Z]\d{2}(\.[0-9A-Z]{1,4})?(\+[A-Z]\d{2}(\.\d{1,3})?\*)?$")
LOINC_CODE = re.compile(r"^\d{1,7}-\d$")
ATC_CODE = re.compile(r"^[A-Z](\d{2}([A-Z]([A-Z](\d{2})?)?)?)?$")

NonEmpty = Annotated[str, Field(min_length=1)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class PackMeta(_Strict):
    """The header of a pack file: what it is, which version, where it comes from."""

    kind: PackKind
    name: NonEmpty = Field(description="human name of the pack, e.g. 'ICD-10 diagnoses (curated)'")
    version: Annotated[str, Field(pattern=r"^\d+\.\d+(\.\d+)?$")] = Field(description="semver of the data")
    description: NonEmpty
    source: str | None = Field(default=None, description="default source text for the pack as a whole")
    license: str | None = None
    updated: str | None = Field(default=None, description="ISO date of the last curation")
    compiled_from: str | None = Field(
        default=None, description="SHA-256 of the reviewed YAML source folder this file was compiled from"
    )


class KnowledgeItem(_Strict):
    """Fields every knowledge item has, whatever its kind."""

    kind: PackKind
    id: NonEmpty
    name: NonEmpty = Field(description="Chinese primary (standard) name")
    synonyms: list[NonEmpty] = Field(
        default_factory=list, description="abbreviations, colloquial forms, English abbreviations"
    )
    name_en: str | None = Field(default=None, description="standard English name where one exists")
    source: NonEmpty = Field(description="classification / guideline / label / regulation, with year")
    notes: str | None = None

    @model_validator(mode="after")
    def _id_has_kind_prefix(self) -> KnowledgeItem:
        prefix = ID_PREFIXES[self.kind]
        if not self.id.startswith(prefix) or not _ID_BODY.match(self.id[len(prefix):]):
            raise ValueError(
                f"id '{self.id}' must be '{prefix}<code>' (letters, digits, . _ + - / after the prefix)"
            )
        if self.name in self.synonyms:
            raise ValueError(f"synonym '{self.name}' repeats the primary name; remove it from synonyms")
        if len(set(self.synonyms)) != len(self.synonyms):
            raise ValueError("synonyms contain duplicates; list each once")
        return self

    def terms(self) -> list[str]:
        """The primary name, English name and synonyms: every string that should find this item."""
        out = [self.name, *self.synonyms]
        if self.name_en:
            out.append(self.name_en)
        return out


# ---- diagnoses

IcdChapter = Literal[
    "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI",
    "XII", "XIII", "XIV", "XV", "XVI", "XVII", "XVIII", "XIX", "XX", "XXI", "XXII",
]  # fmt: skip


class DiagnosisItem(KnowledgeItem):
    """An ICD-10 diagnosis (subcategory or national extension code) with its usual department."""

    kind: Literal["diagnosis"] = "diagnosis"
    code: NonEmpty = Field(description="ICD-10 code as in the source table, e.g. E11.900 or I63.9")
    chapter: IcdChapter
    category: str | None = Field(default=None, description="3-character category name, e.g. E11 2型糖尿病")
    departments: list[NonEmpty] = Field(default_factory=list, description="dept: ids, usual first")
    chronic: bool | None = Field(default=None, description="a long-term condition followed in clinic")
    notifiable: str | None = Field(
        default=None, description="法定传染病 class (甲类/乙类/丙类) where the condition is notifiable"
    )

    @field_validator("code")
    @classmethod
    def _icd(cls, v: str) -> str:
        if not ICD10_CODE.match(v):
            raise ValueError(f"'{v}' is not an ICD-10 code like E11.9, E11.900 or A01.003+G01*")
        return v


# ---- symptoms

BodySystem = Literal[
    "general", "neurological", "psychiatric", "eye", "ent", "oral", "respiratory", "cardiovascular",
    "digestive", "urinary", "reproductive", "obstetric", "breast", "musculoskeletal", "skin",
    "endocrine", "hematologic", "pediatric",
]  # fmt: skip

#: Chinese labels of the body systems, for display.
BODY_SYSTEM_LABELS: dict[str, str] = {
    "general": "全身", "neurological": "神经系统", "psychiatric": "精神心理", "eye": "眼",
    "ent": "耳鼻咽喉", "oral": "口腔", "respiratory": "呼吸系统", "cardiovascular": "循环系统",
    "digestive": "消化系统", "urinary": "泌尿系统", "reproductive": "生殖系统", "obstetric": "妊娠相关",
    "breast": "乳腺", "musculoskeletal": "运动系统", "skin": "皮肤", "endocrine": "内分泌代谢",
    "hematologic": "血液淋巴", "pediatric": "儿童特有",
}  # fmt: skip


class SymptomItem(KnowledgeItem):
    """A symptom (what the patient reports) or sign (what the examiner finds), for triage and NER."""

    kind: Literal["symptom"] = "symptom"
    type: Literal["symptom", "sign"] = "symptom"
    system: BodySystem
    red_flag: bool = False
    red_flag_reason: str | None = Field(default=None, description="why it needs urgent attention")
    departments: list[NonEmpty] = Field(default_factory=list, description="dept: ids, usual first")

    @model_validator(mode="after")
    def _red_flag_reason(self) -> SymptomItem:
        if self.red_flag and not self.red_flag_reason:
            raise ValueError("red_flag is true: give red_flag_reason (one short sentence)")
        if not self.red_flag and self.red_flag_reason:
            raise ValueError("red_flag_reason given but red_flag is false; set red_flag: true or drop it")
        return self


# ---- labs

SexSpec = Literal["any", "male", "female"]

#: Reference ranges without an explicit ``age_min`` are for adults from this age (years).
ADULT_AGE = 18


class UnitConversion(_Strict):
    """``value_in_unit = value_in_primary_unit * factor`` (e.g. glucose mmol/L → mg/dL: 18.0)."""

    unit: NonEmpty
    factor: float = Field(gt=0)


class ReferenceRange(_Strict):
    """An adult reference interval in the item's primary unit; open ends are null."""

    sex: SexSpec = "any"
    low: float | None = None
    high: float | None = None
    age_min: float | None = Field(default=None, description="years, inclusive")
    age_max: float | None = Field(default=None, description="years, exclusive")
    condition: str | None = Field(default=None, description="e.g. 空腹, 卵泡期, 妊娠晚期")
    text: str | None = Field(default=None, description="qualitative reference, e.g. 阴性")

    @model_validator(mode="after")
    def _bounds(self) -> ReferenceRange:
        if self.low is None and self.high is None and not self.text:
            raise ValueError("a reference range needs low, high or text")
        if self.low is not None and self.high is not None and self.low > self.high:
            raise ValueError(f"low {self.low} is above high {self.high}")
        return self


class CriticalValue(_Strict):
    """危急值 limits in the primary unit: at or beyond them the lab must phone the clinician."""

    low: float | None = None
    high: float | None = None
    note: str | None = None
    source: str | None = Field(default=None, description="when it differs from the item source")

    @model_validator(mode="after")
    def _some_limit(self) -> CriticalValue:
        if self.low is None and self.high is None:
            raise ValueError("a critical value needs low or high")
        return self


class LabItem(KnowledgeItem):
    """A laboratory test: unit, conversions, reference ranges by sex, critical values, LOINC."""

    kind: Literal["lab"] = "lab"
    category: NonEmpty = Field(description="panel or group, e.g. 血常规, 肝功能, 凝血")
    specimen: NonEmpty = Field(description="e.g. 血清, 全血, 尿, 脑脊液")
    value_type: Literal["quantitative", "qualitative"] = "quantitative"
    unit: str | None = Field(default=None, description="primary unit used in Chinese labs (SI); \"1\" if dimensionless")
    conversions: list[UnitConversion] = Field(default_factory=list)
    reference_ranges: list[ReferenceRange] = Field(default_factory=list)
    critical: CriticalValue | None = None
    loinc: str | None = Field(default=None, description="only when confident; else null")
    loinc_also: list[str] = Field(
        default_factory=list,
        description="other LOINC codes for the same measurement (another unit, specimen or equation), e.g. "
        "creatinine in mg/dL beside μmol/L; systems that send only a code are mapped through these too",
    )

    @field_validator("loinc")
    @classmethod
    def _loinc(cls, v: str | None) -> str | None:
        if v is not None and not LOINC_CODE.match(v):
            raise ValueError(f"'{v}' is not a LOINC code like 718-7")
        return v

    @field_validator("loinc_also")
    @classmethod
    def _loinc_also(cls, v: list[str]) -> list[str]:
        for code in v:
            if not LOINC_CODE.match(code):
                raise ValueError(f"'{code}' is not a LOINC code like 718-7")
        return v

    @property
    def loinc_codes(self) -> list[str]:
        """Every LOINC code of this test, the primary one first."""
        return [*([self.loinc] if self.loinc else []), *self.loinc_also]

    @model_validator(mode="after")
    def _unit_for_quantitative(self) -> LabItem:
        if self.value_type == "quantitative" and not self.unit:
            raise ValueError("a quantitative lab needs a unit")
        return self

    def range_for(self, sex: str | None = None, age: float | None = None) -> ReferenceRange | None:
        """The reference range for a sex/age, falling back to the sex-neutral one.

        Ranges without ``age_min`` are adult ranges: for a child (age < ``ADULT_AGE``) only a range that
        states a matching ``age_min`` applies, because adult intervals misclassify children's results.
        """
        want = sex if sex in ("male", "female") else "any"
        best: ReferenceRange | None = None
        for r in self.reference_ranges:
            if age is not None and (
                (r.age_min is not None and age < r.age_min)
                or (r.age_max is not None and age >= r.age_max)
                or (r.age_min is None and age < ADULT_AGE)
            ):
                continue
            if r.sex == want:
                return r
            if r.sex == "any" and best is None:
                best = r
        return best


# ---- departments


class DepartmentItem(KnowledgeItem):
    """A clinical department (诊疗科目) with its parent and the catalogue code where it has one."""

    kind: Literal["department"] = "department"
    code: str | None = Field(default=None, description="《医疗机构诊疗科目名录》 code, e.g. 03.04")
    parent: str | None = Field(default=None, description="dept: id of the parent department")
    clinical: bool = Field(default=True, description="false for 医技科室 (检验, 影像, 病理 …)")
    in_catalogue: bool = Field(
        default=True, description="false for common hospital subdivisions not listed in the catalogue"
    )


# ---- drugs

Route = Literal[
    "po", "sl", "buccal", "iv", "im", "sc", "id", "inh", "nasal", "td", "topical", "pr", "vaginal",
    "ophthalmic", "otic", "intrathecal", "epidural", "intra_articular", "local",
]  # fmt: skip

#: Chinese labels of the route codes, for display and for matching orders written in Chinese.
ROUTE_LABELS: dict[str, str] = {
    "po": "口服", "sl": "舌下含服", "buccal": "口颊", "iv": "静脉", "im": "肌内注射", "sc": "皮下注射",
    "id": "皮内注射", "inh": "吸入", "nasal": "鼻用", "td": "经皮贴剂", "topical": "外用", "pr": "直肠",
    "vaginal": "阴道", "ophthalmic": "眼用", "otic": "耳用", "intrathecal": "鞘内", "epidural": "硬膜外",
    "intra_articular": "关节腔内", "local": "局部浸润/神经阻滞",
}  # fmt: skip

#: Prefixes of the two kinds of reference an interaction side may carry.
DRUG_REF_PREFIX = "drug:"
CLASS_REF_PREFIX = "class:"
_TAG = re.compile(r"^[a-z0-9][a-z0-9_]*$")
_ICD_PREFIX = re.compile(r"^[A-Z]\d{2}(\.[0-9A-Z]{1,4})?$")


class DoseSpec(_Strict):
    """Usual adult dose for one route, with the maximum single and daily dose when the label gives one."""

    route: Route
    usual: NonEmpty = Field(description="usual adult regimen in words, e.g. '10–20 mg qd'")
    max_single: float | None = Field(default=None, gt=0, description="in ``unit``; null when not fixed")
    max_daily: float | None = Field(default=None, gt=0, description="in ``unit``; null when not fixed")
    unit: str | None = Field(default=None, description="unit of max_single/max_daily, e.g. mg, g, U, μg")
    indication: str | None = Field(default=None, description="when the dose applies to one indication only")
    note: str | None = None
    forms: list[str] = Field(
        default_factory=list,
        description="words of a written product name this entry is for (吸入用…混悬液 vs 粉吸入剂); empty: any form",
    )
    below_years: float | None = Field(default=None, gt=0, description="a children's band: patients younger than this")
    from_years: float | None = Field(default=None, ge=0, description="with below_years: the band's lower age")

    @model_validator(mode="after")
    def _unit_with_limits(self) -> DoseSpec:
        if (self.max_single is not None or self.max_daily is not None) and not self.unit:
            raise ValueError("max_single/max_daily need a unit")
        return self


class AgeLimit(_Strict):
    """A paediatric restriction: below this age the drug is contraindicated, avoided or used with care."""

    below_years: float = Field(gt=0, description="applies to patients younger than this (years)")
    action: Literal["contraindicated", "avoid", "caution"]
    condition: str | None = Field(default=None, description="only in this situation, e.g. 病毒感染发热")
    note: NonEmpty


class PregnancyRisk(_Strict):
    """Pregnancy risk: the legacy FDA letter that Chinese labels still quote, and a short note."""

    category: Literal["A", "B", "C", "D", "X"] | None = Field(
        default=None, description="legacy FDA letter (pre-2015 PLLR); null when not confidently known"
    )
    note: NonEmpty


class LactationRisk(_Strict):
    """Breast-feeding advice in one word and a short note."""

    risk: Literal["compatible", "caution", "avoid"]
    note: str | None = None


class RenalRule(_Strict):
    """What to do below a kidney-function threshold (eGFR in mL/min/1.73 m² or CrCl in mL/min)."""

    measure: Literal["eGFR", "CrCl"] = "CrCl"
    below: float = Field(gt=0, description="applies when the measure is below this value")
    action: Literal["contraindicated", "avoid", "reduce_dose", "extend_interval", "monitor", "caution"]
    note: NonEmpty


class HepaticRule(_Strict):
    """What to do in hepatic impairment of a given severity (Child-Pugh where the label uses it)."""

    severity: Literal["any", "mild", "moderate", "severe"]
    action: Literal["contraindicated", "avoid", "reduce_dose", "monitor", "caution"]
    note: NonEmpty


class ConditionContraindication(_Strict):
    """A condition in which the drug is contraindicated (or must be avoided), as ICD-10 prefixes and text."""

    icd10: list[NonEmpty] = Field(default_factory=list, description="ICD-10 code prefixes, e.g. K25, I44.2")
    text: NonEmpty
    level: Literal["contraindicated", "avoid", "caution"] = "contraindicated"

    @field_validator("icd10")
    @classmethod
    def _prefixes(cls, v: list[str]) -> list[str]:
        for code in v:
            if not _ICD_PREFIX.match(code):
                raise ValueError(f"'{code}' is not an ICD-10 prefix like K25 or I44.2")
        return v


class CrossReactivity(_Strict):
    """Another allergy group that may cross-react with this drug's group."""

    group: NonEmpty
    risk: Literal["high", "moderate", "low", "rare"]
    note: NonEmpty


class BeersNote(_Strict):
    """AGS Beers Criteria 2023 advice for adults aged 65 and over."""

    recommendation: Literal["avoid", "avoid_in_condition", "caution", "adjust_renal", "avoid_combination"]
    note: NonEmpty


class DrugItem(KnowledgeItem):
    """A drug (generic, 通用名) or 中成药, with the facts prescription review needs.

    ``class_tags`` are machine tags (broad to narrow: ``antibacterial, beta_lactam, cephalosporin,
    cephalosporin_3g``) plus mechanism tags (``cyp3a4_strong_inhibitor``, ``qt_known``) that
    interaction class rules (``class:<tag>``) refer to; ``duplicate_group`` names the group in which
    two different drugs are a duplicate therapy. Null means "not recorded", never "no risk".
    """

    kind: Literal["drug"] = "drug"
    atc: str | None = Field(default=None, description="WHO ATC code when confident")
    drug_class: str | None = Field(default=None, description="pharmacological class, Chinese")
    is_tcm: bool = Field(default=False, description="中成药 / Chinese patent medicine")
    routes: list[NonEmpty] = Field(default_factory=list)
    antimicrobial_grade: Literal["非限制使用级", "限制使用级", "特殊使用级"] | None = None
    high_alert: bool = False
    brands: list[NonEmpty] = Field(default_factory=list, description="商品名, e.g. 立普妥")
    salts: list[NonEmpty] = Field(default_factory=list, description="salt/ester names that mean this generic")
    dose_forms: list[NonEmpty] = Field(default_factory=list, description="剂型, e.g. 片剂, 注射用粉针")
    class_tags: list[NonEmpty] = Field(default_factory=list, description="machine tags for class rules")
    duplicate_group: str | None = Field(default=None, description="two drugs of one group = duplicate therapy")
    doses: list[DoseSpec] = Field(default_factory=list)
    paediatric: list[AgeLimit] = Field(default_factory=list)
    pregnancy: PregnancyRisk | None = None
    lactation: LactationRisk | None = None
    renal: list[RenalRule] = Field(default_factory=list)
    hepatic: list[HepaticRule] = Field(default_factory=list)
    contraindications: list[ConditionContraindication] = Field(default_factory=list)
    allergy_group: str | None = Field(default=None, description="the allergy group this drug belongs to")
    cross_reactivity: list[CrossReactivity] = Field(default_factory=list)
    high_alert_scope: str | None = Field(
        default=None, description="which forms/routes the 高警示 listing covers and the list category"
    )
    antimicrobial_grade_note: str | None = Field(
        default=None, description="typical default grade; each province/hospital sets its own list"
    )
    controlled: Literal["麻醉药品", "第一类精神药品", "第二类精神药品", "医疗用毒性药品"] | None = None
    beers: BeersNote | None = None
    criteria: list[NonEmpty] = Field(default_factory=list, description="criteria lists used for this item")

    @field_validator("atc")
    @classmethod
    def _atc(cls, v: str | None) -> str | None:
        if v is not None and not ATC_CODE.match(v):
            raise ValueError(f"'{v}' is not an ATC code like C10AA05")
        return v

    @field_validator("class_tags")
    @classmethod
    def _tags(cls, v: list[str]) -> list[str]:
        for tag in v:
            if not _TAG.match(tag):
                raise ValueError(f"class tag '{tag}' must be lower_snake_case")
        if len(set(v)) != len(v):
            raise ValueError("class_tags contain duplicates; list each once")
        return v

    @model_validator(mode="after")
    def _consistent(self) -> DrugItem:
        names = [self.name, *self.synonyms]
        for extra in (*self.brands, *self.salts):
            if extra in names:
                raise ValueError(f"'{extra}' is listed both as a brand/salt and as a name or synonym")
        if self.high_alert_scope and not self.high_alert:
            raise ValueError("high_alert_scope given but high_alert is false")
        if self.antimicrobial_grade_note and not self.antimicrobial_grade:
            raise ValueError("antimicrobial_grade_note given without antimicrobial_grade")
        return self

    def terms(self) -> list[str]:
        """Names, synonyms, brands and salt forms: a brand (立普妥) or salt (阿托伐他汀钙) finds the generic."""
        return [*super().terms(), *self.brands, *self.salts]

    def has_tag(self, tag: str) -> bool:
        """Whether a class rule ``class:<tag>`` applies to this drug."""
        return tag in self.class_tags

    def dose_for(self, route: str) -> DoseSpec | None:
        """The first dose entry for a route code (``po``, ``iv`` …), if any."""
        return next((d for d in self.doses if d.route == route), None)


# ---- interactions


class InteractionItem(KnowledgeItem):
    """A drug–drug interaction between two drugs or drug classes.

    Each side is ``drug:<id>`` or ``class:<tag>`` (a ``DrugItem.class_tags`` value); a class rule
    applies to every pair of different drugs that carry the tags. When several rules match a pair, the
    engine should show the most severe one; pair rules are written where the label is stricter than the
    class rule.
    """

    kind: Literal["interaction"] = "interaction"
    drugs: list[NonEmpty] = Field(min_length=2, description="drug: ids or class names the pair refers to")
    severity: Literal["contraindicated", "major", "moderate", "minor"]
    effect: NonEmpty = Field(description="what happens, in our own words")
    mechanism: str | None = None
    management: str | None = None

    @field_validator("drugs")
    @classmethod
    def _sides(cls, v: list[str]) -> list[str]:
        if len(v) != 2:
            raise ValueError("an interaction names exactly two sides")
        for side in v:
            if not (side.startswith(DRUG_REF_PREFIX) or side.startswith(CLASS_REF_PREFIX)):
                raise ValueError(f"side '{side}' must be 'drug:<id>' or 'class:<tag>'")
        return v

    @property
    def is_class_rule(self) -> bool:
        """True when either side names a class rather than one drug."""
        return any(s.startswith(CLASS_REF_PREFIX) for s in self.drugs)


# ---- guideline cards


class GuidelineCard(KnowledgeItem):
    """A short card of key recommendations from one guideline, in our own words, with its citation.

    The four sections become retrieval passages; ``source`` and ``title``/``issuer``/``year`` are
    the citation shown with every passage.
    """

    kind: Literal["guideline"] = "guideline"
    title: str | None = Field(default=None, description="the guideline's published title")
    year: int | None = Field(default=None, ge=1950, le=2100)
    issuer: str | None = Field(default=None, description="issuing society or authority")
    diagnoses: list[NonEmpty] = Field(default_factory=list, description="ICD-10 codes or icd10: ids covered")
    points: list[NonEmpty] = Field(default_factory=list, description="key recommendations, our wording")
    url: str | None = None
    population: Literal["adult", "paediatric", "pregnancy", "elderly", "all"] = "adult"
    diagnostic_criteria: str | None = Field(default=None, description="how the diagnosis is made")
    first_line: str | None = Field(default=None, description="first-line treatment")
    red_flags: str | None = Field(default=None, description="signs that need urgent action or referral")
    follow_up: str | None = Field(default=None, description="monitoring and follow-up")
    related_drugs: list[NonEmpty] = Field(default_factory=list, description="drug: ids the card mentions")
    departments: list[NonEmpty] = Field(default_factory=list, description="dept: ids, usual first")

    def sections(self) -> dict[str, str]:
        """The non-empty sections by Chinese heading, in display order."""
        pairs = (("诊断要点", self.diagnostic_criteria), ("一线治疗", self.first_line),
                 ("警示征象", self.red_flags), ("随访监测", self.follow_up))
        return {k: v for k, v in pairs if v}

    def passage(self) -> str:
        """The card as one retrieval passage: title line, sections, then the citation."""
        body = "\n".join(f"{k}：{v}" for k, v in self.sections().items())
        cite = "，".join(x for x in (self.title, self.issuer, str(self.year) if self.year else None) if x)
        return f"{self.name}\n{body}\n出处：{cite or self.source}"


AnyItem = DiagnosisItem | SymptomItem | LabItem | DepartmentItem | DrugItem | InteractionItem | GuidelineCard

#: The item model of each pack kind.
ITEM_MODELS: dict[PackKind, type[KnowledgeItem]] = {
    "diagnosis": DiagnosisItem,
    "symptom": SymptomItem,
    "lab": LabItem,
    "department": DepartmentItem,
    "drug": DrugItem,
    "interaction": InteractionItem,
    "guideline": GuidelineCard,
}


def item_model(kind: str) -> type[KnowledgeItem]:
    """The schema class for a pack kind; an unknown kind fails with the known ones."""
    try:
        return ITEM_MODELS[kind]  # type: ignore[index]
    except KeyError:
        raise ConfigError(f"unknown pack kind '{kind}'; known kinds: {', '.join(PACK_KINDS)}") from None
