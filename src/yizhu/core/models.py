"""Pydantic v2 domain types: the shapes every package agrees on.

Dates are timezone-naive local hospital time in memory unless stated (``LocalDateTime``): a time
given with an offset is converted to hospital time, and every time is written to JSON *with* the
hospital's offset (``2026-03-01T09:30:00+08:00``), so no API answer or stored record carries a
date-time without a timezone. Offsets are Python string indices into the text they belong to
(``text[start:end]``).
"""

from __future__ import annotations

import unicodedata
from datetime import date, datetime, timedelta, timezone
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    WithJsonSchema,
)

#: the hospital's zone (China Standard Time, UTC+8, no daylight saving)
HOSPITAL_TZ = timezone(timedelta(hours=8), "CST")


def _to_local_naive(value: datetime) -> datetime:
    return value.astimezone(HOSPITAL_TZ).replace(tzinfo=None) if value.tzinfo is not None else value


def _with_offset(value: datetime) -> str:
    return value.replace(tzinfo=HOSPITAL_TZ).isoformat()


#: naive local hospital time in memory; read with or without an offset; written to JSON with the offset
LocalDateTime = Annotated[
    datetime,
    AfterValidator(_to_local_naive),
    PlainSerializer(_with_offset, return_type=str, when_used="json"),
    WithJsonSchema({"type": "string", "format": "date-time"}, mode="serialization"),
]

#: every text field is bounded: short fields (ids, names, codes, header values) by SHORT_TEXT, note and
#: section bodies by LONG_TEXT (checked by tests/api/test_text_bounds.py over the whole OpenAPI)
SHORT_TEXT = 20_000
LONG_TEXT = 2_000_000


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, str_max_length=SHORT_TEXT)


class Sex(StrEnum):
    """Administrative sex as recorded in 病案首页."""

    male = "male"
    female = "female"
    unknown = "unknown"


#: Every spelling of administrative sex that hospital systems send, normalised (NFKC, lower case, no spaces):
#: FHIR administrative-gender; HL7 v2 table 0001 (M/F/U, O other, A ambiguous, N not applicable);
#: GB/T 2261.1-2003 人的性别代码 (0 未知的性别, 1 男性, 2 女性, 9 未说明的性别); written Chinese and English.
#: Sex has no "other": other, ambiguous and not-stated values read as unknown (never guessed).
SEX_CODES: dict[str, Sex] = {
    "male": Sex.male, "female": Sex.female, "unknown": Sex.unknown, "other": Sex.unknown,
    "m": Sex.male, "f": Sex.female, "u": Sex.unknown, "o": Sex.unknown, "a": Sex.unknown, "n": Sex.unknown,
    "1": Sex.male, "2": Sex.female, "0": Sex.unknown, "9": Sex.unknown,
    "男": Sex.male, "女": Sex.female, "男性": Sex.male, "女性": Sex.female, "未知": Sex.unknown,
    "不详": Sex.unknown, "未说明": Sex.unknown, "未知的性别": Sex.unknown, "未说明的性别": Sex.unknown,
    "man": Sex.male, "woman": Sex.female, "boy": Sex.male, "girl": Sex.female,
}  # fmt: skip


def parse_sex(value: Any, *, strict: bool = True) -> Sex:
    """Sex as a HIS sends it (``M``/``F``/``U``, ``1``/``2``/``0``/``9``, 男/女, male/female) → :class:`Sex`.

    The one parser every reader of a patient uses (order documents, QC, FHIR import, the API). ``None`` or
    an empty value is unknown; an unrecognised value raises ValueError (``strict``) or reads as unknown.

    >>> parse_sex("M"), parse_sex(2), parse_sex("女")
    (<Sex.male: 'male'>, <Sex.female: 'female'>, <Sex.female: 'female'>)
    """
    if isinstance(value, Sex):
        return value
    if value is None:
        return Sex.unknown
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, str):
        key = unicodedata.normalize("NFKC", value).strip().lower().replace(" ", "")
        if not key:
            return Sex.unknown
        found = SEX_CODES.get(key)
        if found is not None:
            return found
    if not strict:
        return Sex.unknown
    raise ValueError(
        f"unrecognised sex {value!r}; use male/female/unknown, M/F/U (HL7 v2), 1/2/0/9 (GB/T 2261.1) or 男/女"
    )


#: A sex field that accepts every spelling :func:`parse_sex` knows and always stores male/female/unknown.
SexField = Annotated[
    Sex,
    BeforeValidator(parse_sex),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "enum": sorted({*SEX_CODES, "M", "F", "U", "O", "A", "N"})},
                {"type": "integer", "enum": [0, 1, 2, 9]},
            ],
            "description": "male/female/unknown; also M/F/U (HL7 v2), 1/2/0/9 (GB/T 2261.1), 男/女; "
                           "stored as male, female or unknown",
        },
        mode="validation",
    ),
]


class EncounterClass(StrEnum):
    """门诊 / 住院 / 急诊."""

    outpatient = "outpatient"
    inpatient = "inpatient"
    emergency = "emergency"


class Severity(StrEnum):
    """Finding severity, shared by QC (critical..info) and Rx review (contraindicated..minor)."""

    critical = "critical"
    contraindicated = "contraindicated"
    major = "major"
    moderate = "moderate"
    minor = "minor"
    info = "info"


class Span(_Model):
    """A character range of a text, with the text it covers."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str = Field(default="", max_length=LONG_TEXT)
    source: str | None = Field(default=None, description="which text: a document id, section or field")


class Patient(_Model):
    """Demographics. Synthetic records set ``synthetic=True`` and are labelled as such everywhere."""

    id: str
    name: str | None = None
    sex: SexField = Sex.unknown
    birth_date: date | None = None
    age_years: float | None = None
    mrn: str | None = Field(default=None, description="病案号 / medical record number")
    phone: str | None = None
    address: str | None = None
    synthetic: bool = False

    def age_on(self, when: date) -> float | None:
        """Age in years on a date, from birth_date when known, else the recorded age."""
        if self.birth_date is None:
            return self.age_years
        return (when - self.birth_date).days / 365.25


class Encounter(_Model):
    """One visit or admission."""

    id: str
    patient_id: str
    encounter_class: EncounterClass = Field(alias="class", default=EncounterClass.outpatient)
    department: str | None = None
    admitted_at: LocalDateTime | None = None
    discharged_at: LocalDateTime | None = None
    bed: str | None = None
    attending: str | None = None
    condition_level: Literal["critical", "serious", "stable"] | None = Field(
        default=None, description="病危 / 病重 / 一般, drives progress-note intervals"
    )


class Section(_Model):
    """One headed section of a clinical document, with exact offsets into the document text."""

    name: str = Field(description="canonical section name, e.g. 主诉")
    heading: str = Field(default="", description="the heading as written, e.g. 查体")
    start: int = Field(ge=0, description="offset of the section body (after the colon)")
    end: int = Field(ge=0)
    text: str = Field(max_length=LONG_TEXT)
    heading_start: int | None = None
    known: bool = True


class ClinicalDocument(_Model):
    """A clinical note: type, header fields, sections with offsets, author, time."""

    id: str | None = None
    patient_id: str | None = None
    encounter_id: str | None = None
    doc_type: str = Field(description="canonical type, e.g. 入院记录; 未知 when not recognised")
    title: str | None = None
    header: dict[str, str] = Field(default_factory=dict)
    sections: list[Section] = Field(default_factory=list)
    text: str = Field(default="", max_length=LONG_TEXT)
    author: str | None = None
    recorded_at: LocalDateTime | None = None
    synthetic: bool = False

    def section(self, name: str) -> Section | None:
        """The first section with this canonical name, if present."""
        for s in self.sections:
            if s.name == name:
                return s
        return None


class Diagnosis(_Model):
    """A diagnosis as written, with its ICD-10 code when known."""

    text: str
    code: str | None = None
    system: str = "ICD-10"
    kind: Literal["admission", "preliminary", "discharge", "outpatient", "other"] = "other"
    is_main: bool = False
    recorded_at: LocalDateTime | None = None


class Order(_Model):
    """A clinical order of any kind."""

    id: str | None = None
    kind: Literal["medication", "lab", "exam", "procedure", "nursing", "diet", "other"] = "other"
    text: str
    ordered_at: LocalDateTime | None = None
    prescriber: str | None = None
    status: Literal["draft", "active", "completed", "cancelled"] = "active"


class MedicationOrder(Order):
    """A medication order as doctors write it (free-text drug name allowed)."""

    kind: Literal["medication"] = "medication"  # type: ignore[assignment]
    drug: str
    dose: float | None = None
    unit: str | None = None
    route: str | None = None
    frequency: str | None = None
    days: float | None = None
    code: str | None = Field(default=None, description="drug code when known (ATC or formulary)")


class LabResult(_Model):
    """One lab value."""

    name: str
    value: float | str
    unit: str | None = None
    reference_range: str | None = None
    flag: Literal["H", "L", "N", "HH", "LL", "A"] | None = None
    loinc: str | None = None
    observed_at: LocalDateTime | None = None


class AllergyIntolerance(_Model):
    """An allergy; ``substance`` as written, with a normalised code when known."""

    substance: str
    reaction: str | None = None
    severity: Literal["mild", "moderate", "severe"] | None = None
    code: str | None = None


class Citation(_Model):
    """A pointer to knowledge: a pack item, a guideline passage or an imported document."""

    id: str
    title: str
    source: str = Field(description="regulation, label, guideline or classification with year")
    locator: str | None = Field(default=None, description="section, page or item id inside the source")
    url: str | None = None


class Provenance(_Model):
    """What an output rests on: an input span or a knowledge citation."""

    kind: Literal["span", "citation"]
    source: str = Field(description="document id/section, dialogue turn, or knowledge item id")
    start: int | None = None
    end: int | None = None


class Finding(_Model):
    """One issue found by a rule or model, pointing at its evidence and its source."""

    rule_id: str = Field(description="versioned id, e.g. qc.admission.allergy_history.v1")
    severity: Severity
    category: str
    message: str
    evidence: Span | None = None
    section: str | None = None
    source: str = Field(description="the regulation, label or guideline the rule comes from")
    model_generated: bool = False
    data: dict[str, Any] = Field(default_factory=dict)


class ClinicalContext(_Model):
    """Everything a task may read about one patient at one time."""

    patient: Patient | None = None
    encounter: Encounter | None = None
    documents: list[ClinicalDocument] = Field(default_factory=list)
    diagnoses: list[Diagnosis] = Field(default_factory=list)
    orders: list[Order | MedicationOrder] = Field(default_factory=list)
    labs: list[LabResult] = Field(default_factory=list)
    allergies: list[AllergyIntolerance] = Field(default_factory=list)
    extra: dict[str, Any] = Field(default_factory=dict, description="task-specific inputs")

    @property
    def medication_orders(self) -> list[MedicationOrder]:
        """Only the medication orders."""
        return [o for o in self.orders if isinstance(o, MedicationOrder)]


class Result(_Model):
    """What every task returns: output, findings, citations, provenance and degraded flags."""

    task: str
    task_version: str
    output: dict[str, Any] = Field(default_factory=dict)
    findings: list[Finding] = Field(default_factory=list)
    citations: list[Citation] = Field(default_factory=list)
    provenance: list[Provenance] = Field(default_factory=list)
    degraded: list[str] = Field(default_factory=list, description="e.g. no_llm")
    model: str | None = None
    prompt_version: str | None = None
