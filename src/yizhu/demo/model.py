"""Shared types of the demo hospital: defect kinds, the per-encounter plan, small helpers.

Kept apart from ``generator`` (which draws plans) and ``notes`` (which writes text from them)
so that both can import them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from yizhu.core.models import Patient
from yizhu.demo.data import ComorbidityDef, DrugDef, LabDef, Scenario, Setting

DEFAULT_SEED = 20261123
DEFAULT_PATIENTS = 50
#: The demo hospital's "now": notes, orders and labs all lie before it; some patients are still in.
AS_OF = datetime(2026, 11, 23, 8, 0)
DEPARTMENTS: tuple[str, ...] = ("心血管内科", "呼吸内科", "内分泌科", "神经内科", "普通外科", "儿科")
SYNTHETIC_LABEL = "【合成病历 / synthetic record — 非真实患者】"
#: Target share of encounters that carry at least one planted defect.
DEFECT_SHARE = 0.25
#: Hard ceiling: past it a kind is only planted on an already defective encounter.
MAX_DEFECT_SHARE = 0.3
FOLLOWUP_PROB = 0.2
ALLERGY_PROB = 0.18
MAX_PROGRESS_NOTES = 5

MAX_GAP = {"critical": 1, "serious": 2, "stable": 3}
_REGULATION = "《病历书写基本规范》（卫医政发〔2010〕11号）"
_RX_REVIEW = "《医疗机构处方审核规范》（国卫办医发〔2018〕14号）"

# ─────────────────────────────── public types ───────────────────────────────


@dataclass(frozen=True)
class DefectKind:
    """A kind of planted defect: what it is, which rule family should find it, and its source."""

    kind: str
    category: Literal["documentation", "prescription"]
    slot: str
    description: str
    source: str


# ─────────────────────────────── defect kinds ───────────────────────────────

DEFECT_KINDS: tuple[DefectKind, ...] = (
    DefectKind("missing_section:过敏史", "documentation", "allergy_section",
               "入院记录/门诊病历 lacks the 过敏史 section",
               f"{_REGULATION} 入院记录与门诊病历内容要求（过敏史）"),
    DefectKind("missing_section:体格检查", "documentation", "exam",
               "门诊病历 lacks the 体格检查 section",
               f"{_REGULATION} 门（急）诊病历内容要求（阳性体征和必要的阴性体征）"),
    DefectKind("missing_content:鉴别诊断", "documentation", "fpn_content",
               "首次病程记录 拟诊讨论 has no 鉴别诊断",
               f"{_REGULATION} 首次病程记录内容要求（拟诊讨论：诊断依据及鉴别诊断）"),
    DefectKind("timeliness:入院记录>24h", "documentation", "adm_time",
               "入院记录 completed more than 24 h after admission",
               f"{_REGULATION} 入院记录应于患者入院后24小时内完成"),
    DefectKind("timeliness:首次病程记录>8h", "documentation", "fpn_time",
               "首次病程记录 completed more than 8 h after admission",
               f"{_REGULATION} 首次病程记录应在患者入院8小时内完成"),
    DefectKind("timeliness:出院记录>24h", "documentation", "dis_time",
               "出院记录 completed more than 24 h after discharge",
               f"{_REGULATION} 出院记录应在患者出院后24小时内完成"),
    DefectKind("timeliness:病程记录间隔>3天", "documentation", "progress",
               "a stable patient's 日常病程记录 are more than 3 days apart",
               f"{_REGULATION} 日常病程记录：病情稳定的患者至少3天记录一次"),
    DefectKind("chief_complaint_too_long", "documentation", "cc",
               "主诉 longer than 20 characters (a list of symptoms and history instead of the main one)",
               f"{_REGULATION} 主诉为主要症状（或体征）及持续时间；省级病历质控评分标准一般要求主诉不超过20字"),
    DefectKind("chief_complaint_no_duration", "documentation", "cc",
               "主诉 without a duration",
               f"{_REGULATION} 主诉是指促使患者就诊的主要症状（或体征）及持续时间"),
    DefectKind("hpi_missing_chief_symptom", "documentation", "hpi",
               "现病史 does not mention the symptom of the 主诉",
               f"{_REGULATION} 现病史应围绕主诉记录发病及演变经过"),
    DefectKind("sex_inconsistency", "documentation", "history",
               "a male patient's 入院记录 contains 月经史 or pregnancy history",
               f"{_REGULATION} 病历书写应当客观、真实、准确（性别与病史内容矛盾）"),
    DefectKind("copy_paste", "documentation", "progress",
               "two 日常病程记录 of the same stay are near-identical (copied forward)",
               f"{_REGULATION} 病历书写应当客观、真实、准确、及时；病程记录应反映当日病情变化"),
    DefectKind("vitals_incomplete", "documentation", "exam",
               "体格检查 vital signs lack the blood pressure",
               f"{_REGULATION} 体格检查应当包括体温、脉搏、呼吸、血压等"),
    DefectKind("missing_signature", "documentation", "signature",
               "a note without the physician's signature",
               f"{_REGULATION} 病历应当按照规定的内容书写，并由相应医务人员签名"),
    DefectKind("allergy_conflict", "prescription", "rx",
               "penicillin allergy recorded, yet a penicillin or a cephalosporin (cross-reactivity) is ordered",
               f"{_RX_REVIEW} 过敏史审核；青霉素类及头孢菌素类药品说明书【禁忌】"),
    DefectKind("ddi:华法林+阿司匹林", "prescription", "rx",
               "warfarin with aspirin: additive bleeding risk",
               "华法林钠片说明书【药物相互作用】：与抗血小板药合用增加出血风险"),
    DefectKind("ddi:辛伐他汀+克拉霉素", "prescription", "rx",
               "simvastatin with clarithromycin (strong CYP3A4 inhibitor): myopathy/rhabdomyolysis",
               "辛伐他汀片说明书【禁忌】：禁止与强效CYP3A4抑制剂（如克拉霉素）合用"),
    DefectKind("ddi:氯吡格雷+奥美拉唑", "prescription", "rx",
               "clopidogrel with omeprazole (CYP2C19 inhibition lowers antiplatelet effect)",
               "硫酸氢氯吡格雷片说明书【药物相互作用】：避免与奥美拉唑或埃索美拉唑合用"),
    DefectKind("duplicate_therapy:阿托伐他汀", "prescription", "rx",
               "atorvastatin ordered twice, once by generic and once by brand name (立普妥)",
               f"{_RX_REVIEW} 重复给药审核"),
    DefectKind("overdose:对乙酰氨基酚>4g/d", "prescription", "rx",
               "paracetamol 1 g q4h = 6 g per day, above the adult maximum of 4 g",
               "对乙酰氨基酚说明书【用法用量】及FDA安全通告（2011）：成人每日总量不超过4 g"),
    DefectKind("renal_dose:二甲双胍+eGFR<30", "prescription", "rx",
               "metformin ordered while eGFR < 30 mL/min/1.73m²",
               "盐酸二甲双胍片说明书【禁忌】：eGFR<30 mL/min/1.73m²禁用；《二甲双胍临床应用专家共识（2018年版）》"),
    DefectKind("pediatric_contraindication:左氧氟沙星", "prescription", "rx",
               "levofloxacin ordered for a child",
               "左氧氟沙星说明书【儿童用药】：18岁以下患者禁用；《抗菌药物临床应用指导原则（2015年版）》"),
)
KIND_BY_NAME = {k.kind: k for k in DEFECT_KINDS}

# ─────────────────────────────── internal plan ───────────────────────────────


@dataclass
class Med:
    """One drug to order, already resolved to the name, dose and frequency as written."""

    drug: DrugDef
    name: str
    dose: float
    unit: str
    route: str
    frequency: str
    days: int | None = None
    home: bool = False
    planted: str | None = None
    order_id: str = ""

    @property
    def per_day(self) -> float | None:
        """Administrations per day, when the frequency fixes it."""
        return {"qd": 1, "qn": 1, "bid": 2, "q12h": 2, "tid": 3, "q8h": 3, "qid": 4, "q6h": 4,
                "q4h": 6}.get(self.frequency)


@dataclass
class LabDraw:
    """A lab value drawn for an encounter."""

    lab: LabDef
    value: float
    observed_at: datetime


@dataclass
class Doctors:
    """The department's team: who writes, who rounds."""

    residents: list[str]
    attending: str
    chief: str


@dataclass
class Plan:
    """Every draw for one encounter, made before any text is written."""

    patient_index: int
    patient: Patient
    scenario: Scenario
    setting: Setting
    encounter_id: str
    start: datetime
    end: datetime | None
    los: int
    age: int
    female: bool
    child: bool
    weight: float | None
    identity: dict[str, str]
    doctors: Doctors
    resident: str
    number: str
    bed: str | None
    values: dict[str, str]
    vitals: dict[str, float]
    comorbid: list[tuple[ComorbidityDef, list[Med], str]]
    allergies: list[tuple[str, str]]
    meds: list[Med]
    labs: list[LabDraw]
    recheck: list[LabDraw] = field(default_factory=list)
    progress_days: list[int] = field(default_factory=list)
    op_at: datetime | None = None
    followup_of: Plan | None = None
    extra_dx: list[tuple[str, str | None]] = field(default_factory=list)
    defects: list[str] = field(default_factory=list)
    defect_data: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def inpatient(self) -> bool:
        return self.setting == "inpatient"

    @property
    def discharged(self) -> bool:
        return self.end is not None

    @property
    def active(self) -> bool:
        """Orders still in force: outpatient prescriptions and patients still admitted."""
        return not self.inpatient or self.end is None

    def has_group(self, group: str) -> bool:
        return any(m.drug.group == group for m in self.meds)

    def has_drug(self, key: str) -> bool:
        return any(m.drug.key == key for m in self.meds)

    def lab_value(self, name: str) -> float | None:
        for d in self.labs:
            if d.lab.name == name:
                return d.value
        return None


# ─────────────────────────────── helpers ───────────────────────────────


def egfr_ckd_epi_2021(scr_umol: float, age: float, female: bool) -> float:
    """eGFR (mL/min/1.73m²) by the race-free CKD-EPI 2021 creatinine equation (Inker, NEJM 2021)."""
    scr = scr_umol / 88.4
    kappa, alpha = (0.7, -0.241) if female else (0.9, -0.302)
    value = 142 * min(scr / kappa, 1) ** alpha * max(scr / kappa, 1) ** -1.200 * 0.9938**age
    return value * (1.012 if female else 1.0)


def scr_for_egfr(target: float, age: float, female: bool) -> float:
    """Serum creatinine (μmol/L) that gives the target eGFR (inverse of the equation, Scr > κ)."""
    kappa = 0.7 if female else 0.9
    base = 142 * 0.9938**age * (1.012 if female else 1.0)
    return kappa * (base / target) ** (1 / 1.2) * 88.4


def lab_flag(value: float, low: float, high: float) -> Literal["H", "L", "N"]:
    """The flag a laboratory system prints against the reference range."""
    if value > high:
        return "H"
    if value < low:
        return "L"
    return "N"


def fmt_num(value: float, decimals: int = 2) -> str:
    """A number as doctors write it: no trailing zeros ("2" not "2.0", "0.5" not "0.50")."""
    text = f"{value:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def fmt_dt(when: datetime) -> str:
    return when.strftime("%Y-%m-%d %H:%M")


def round_dose(mg: float) -> float:
    if mg >= 100:
        return round(mg / 10) * 10
    if mg >= 20:
        return round(mg / 5) * 5
    return round(mg, 1)
