"""Patient facts a review needs, gathered once from a ClinicalContext: age, weight, kidney and liver
function, pregnancy, diagnoses as ICD-10, allergies as drug groups, the prescriber's level.

Kidney function: a given eGFR wins; else CKD-EPI 2021 (race-free; Inker et al., NEJM 2021) from serum
creatinine, age and sex for adults, the bedside Schwartz formula (Schwartz et al., JASN 2009) for
children with a height; else a conservative value from a coded CKD stage (N18.3 → 45, N18.4 → 22,
N18.5/dialysis → 10). CrCl: given, else Cockcroft–Gault (1976) when weight is known, else the eGFR.
Liver: Child-Pugh when staged; else coded liver failure (severe), cirrhosis (moderate) or other chronic
liver disease (mild); else ALT/AST ≥ 3×ULN (mild) together with bilirubin ≥ 2×ULN (moderate).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from yizhu.clinical.rx.document import RX_EXTRA_KEY
from yizhu.clinical.rx.resolve import DrugResolver
from yizhu.clinical.rx.tables import table
from yizhu.core import ClinicalContext, LabResult
from yizhu.core.models import Sex
from yizhu.knowledge.allergy import document_allergies, model_for
from yizhu.knowledge.packs import KnowledgeBase, get_kb, normalize_term
from yizhu.knowledge.schema import DrugItem

ALT_ULN = 40.0  # U/L, adult upper reference limit commonly used by Chinese labs
AST_ULN = 40.0
TBIL_ULN = 21.0  # μmol/L
SCR_UMOL_PER_MG_DL = 88.4
HEPATIC_ORDER = {"mild": 1, "moderate": 2, "severe": 3}

_LAB_NAMES: dict[str, set[str]] = {
    "egfr": {"egfr", "估算肾小球滤过率", "肾小球滤过率", "gfr", "egfr(ckd-epi)", "egfr-epi", "估算gfr"},
    "crcl": {"crcl", "肌酐清除率", "内生肌酐清除率", "ccr"},
    "scr": {"肌酐", "血肌酐", "血清肌酐", "scr", "cr", "crea", "creatinine", "肌酐(酶法)", "肌酐(cr)"},
    "alt": {"alt", "谷丙转氨酶", "丙氨酸氨基转移酶", "gpt", "alt(谷丙转氨酶)"},
    "ast": {"ast", "谷草转氨酶", "天门冬氨酸氨基转移酶", "天冬氨酸氨基转移酶", "got"},
    "tbil": {"总胆红素", "tbil", "tb", "血清总胆红素"},
    "potassium": {"血钾", "钾", "k", "k+", "血清钾"},
    "sodium": {"血钠", "钠", "na", "na+", "血清钠"},
    "inr": {"inr", "国际标准化比值"},
    "platelets": {"血小板", "plt", "血小板计数"},
    "qtc": {"qtc", "qtc间期"},
    "weight": {"体重", "weight", "body weight"},
    "height": {"身高", "height", "body height"},
}
#: Lab pack items → the fact they give; a LOINC code is mapped through the lab pack (primary and
#: ``loinc_also`` codes), so a result sent with only its code counts the same as one sent by name.
_PACK_LABS = {"lab:egfr": "egfr", "lab:cr": "scr", "lab:alt": "alt", "lab:ast": "ast", "lab:tbil": "tbil",
              "lab:k": "potassium", "lab:na": "sodium", "lab:inr": "inr", "lab:plt": "platelets"}  # fmt: skip
#: Codes the lab pack does not hold (vital signs, measured creatinine clearance).
_LAB_LOINC: dict[str, set[str]] = {
    "crcl": {"2164-2"},
    "weight": {"29463-7", "3141-9"},
    "height": {"8302-2", "8306-3"},
}
_LAB_INDEX = {normalize_term(n): key for key, names in _LAB_NAMES.items() for n in names}
_LOINC_INDEX = {code: key for key, codes in _LAB_LOINC.items() for code in codes}
_NUM = re.compile(r"[-+]?\d+(?:\.\d+)?")
_PREGNANT_TEXT = re.compile(r"妊娠|怀孕|孕\d+\+?\d*周|早孕|中孕|晚孕|宫内孕|孕期")
_NOT_PREGNANT = re.compile(r"非妊娠|未孕|否认妊娠|排除妊娠|无妊娠|未怀孕|妊娠试验阴性")
_LACTATING_TEXT = re.compile(r"哺乳|母乳喂养|产后哺乳")


@dataclass(frozen=True)
class CodedDiagnosis:
    """A diagnosis as written and its ICD-10 code (from the EMR, or looked up in the diagnosis pack)."""

    text: str
    code: str | None
    coded_by: str  # emr | pack | none


@dataclass(frozen=True)
class AllergyFact:
    """An allergy, resolved: the drug it names (if one) and the allergy groups it covers."""

    text: str
    drug: DrugItem | None
    groups: frozenset[str]
    severity: str | None
    reaction: str | None

    @property
    def is_drug(self) -> bool:
        return self.drug is not None or bool(self.groups)


@dataclass
class PatientFacts:
    """Everything about the patient the checks read; None means "not known", never "normal"."""

    sex: Sex = Sex.unknown
    age: float | None = None
    weight_kg: float | None = None
    height_cm: float | None = None
    pregnant: bool = False
    lactating: bool = False
    egfr: float | None = None
    egfr_basis: str | None = None
    crcl: float | None = None
    crcl_basis: str | None = None
    hepatic: str | None = None  # mild | moderate | severe
    hepatic_basis: str | None = None
    diagnoses: list[CodedDiagnosis] = field(default_factory=list)
    allergies: list[AllergyFact] = field(default_factory=list)
    prescriber_level: str | None = None
    setting: str | None = None
    labs: dict[str, float] = field(default_factory=dict)

    @property
    def transaminase_x_uln(self) -> float | None:
        """The higher of ALT and AST as a multiple of the upper reference limit (None without either)."""
        alt, ast = self.labs.get("alt"), self.labs.get("ast")
        if alt is None and ast is None:
            return None
        return max((alt or 0) / ALT_ULN, (ast or 0) / AST_ULN)

    def codes(self) -> list[str]:
        """ICD-10 codes of the diagnoses that have one."""
        return [d.code for d in self.diagnoses if d.code]

    def has_code(self, *prefixes: str) -> CodedDiagnosis | None:
        """The first diagnosis whose code starts with one of the prefixes."""
        for d in self.diagnoses:
            if d.code and any(d.code.upper().startswith(p.upper()) for p in prefixes if p):
                return d
        return None

    @property
    def is_child(self) -> bool:
        return self.age is not None and self.age < 18

    @property
    def is_elderly(self) -> bool:
        return self.age is not None and self.age >= 65


# ── kidney ──────────────────────────────────────────────────────────────────────────────────


def ckd_epi_2021(scr_mg_dl: float, age: float, sex: Sex) -> float:
    """eGFR (mL/min/1.73 m²) by the race-free CKD-EPI 2021 creatinine equation.

    >>> round(ckd_epi_2021(1.0, 50, Sex.male))
    91
    """
    if sex is Sex.unknown:  # the lower of the two: the safer assumption for dosing
        return min(ckd_epi_2021(scr_mg_dl, age, Sex.male), ckd_epi_2021(scr_mg_dl, age, Sex.female))
    female = sex is Sex.female
    kappa, alpha = (0.7, -0.241) if female else (0.9, -0.302)
    r = scr_mg_dl / kappa
    value = 142 * min(r, 1.0) ** alpha * max(r, 1.0) ** -1.200 * 0.9938**age
    return value * 1.012 if female else value


def bedside_schwartz(scr_mg_dl: float, height_cm: float) -> float:
    """Paediatric eGFR = 0.413 × height (cm) / serum creatinine (mg/dL)."""
    return 0.413 * height_cm / scr_mg_dl


def cockcroft_gault(scr_mg_dl: float, age: float, weight_kg: float, sex: Sex) -> float:
    """Creatinine clearance (mL/min) by Cockcroft–Gault; unknown sex takes the female (lower) value."""
    value = (140 - age) * weight_kg / (72 * scr_mg_dl)
    return value * 0.85 if sex is not Sex.male else value


def _scr_mg_dl(value: float, unit: str | None) -> float:
    u = (unit or "").lower().replace("µ", "μ")
    if "mg" in u:
        return value
    if "μmol" in u or "umol" in u or value > 20:  # μmol/L values are > 20; mg/dL values are not
        return value / SCR_UMOL_PER_MG_DL
    return value


# ── building the facts ──────────────────────────────────────────────────────────────────────


def _lab_key(lab: LabResult, kb: KnowledgeBase | None = None) -> str | None:
    if lab.loinc:
        if lab.loinc in _LOINC_INDEX:
            return _LOINC_INDEX[lab.loinc]
        labs_kb = kb if kb is not None and len(kb.pack("lab")) else get_kb()  # a drug-only pack: the shipped labs
        item = labs_kb.lab_by_loinc(lab.loinc)
        if item is not None and item.id in _PACK_LABS:
            return _PACK_LABS[item.id]
    name = normalize_term(re.sub(r"[（(].*?[)）]", "", lab.name)) or normalize_term(lab.name)
    return _LAB_INDEX.get(name) or _LAB_INDEX.get(normalize_term(lab.name))


def _lab_value(lab: LabResult) -> float | None:
    if isinstance(lab.value, int | float):
        return float(lab.value)
    m = _NUM.search(str(lab.value))
    return float(m.group()) if m else None


def _code_diagnosis(text: str, code: str | None, kb: KnowledgeBase | None) -> CodedDiagnosis:
    if code and code.strip():
        return CodedDiagnosis(text, code.strip().upper(), "emr")
    if kb is not None:
        candidates = [text, re.sub(r"[（(].*?[)）]", "", text).strip(), re.sub(r"^[\d.、\s]+", "", text).strip()]
        for c in candidates:
            if not c:
                continue
            item = kb.diagnosis(c)
            if item is not None:
                return CodedDiagnosis(text, item.code.upper(), "pack")
    keyword = _keyword_code(text)
    if keyword:
        return CodedDiagnosis(text, keyword, "pack")
    return CodedDiagnosis(text, None, "none")


def _keyword_code(text: str) -> str | None:
    """A coarse ICD-10 category for common diagnoses the pack does not name exactly (rules/diagnosis_keywords)."""
    t = text.strip()
    for _, row in table("diagnosis_keywords").items():
        if any(k in t for k in row["keywords"]) and not any(x in t for x in row.get("exclude", [])):
            return str(row["code"])
    return None


def resolve_allergy(text: str, resolver: DrugResolver | None) -> tuple[DrugItem | None, frozenset[str]]:
    """The drug and/or allergy groups an allergy as written names (头孢类 → cephalosporin), read by the
    allergy model QC shares (``yizhu.knowledge.allergy``)."""
    kb = resolver.kb if resolver is not None else get_kb()
    a = model_for(kb, resolver).resolve(text)
    return a.drug, a.groups


def _hepatic(ctx_extra: dict[str, Any], facts: PatientFacts) -> tuple[str | None, str | None]:
    cp = ctx_extra.get("child_pugh")
    if cp in ("A", "B", "C"):
        return {"A": "mild", "B": "moderate", "C": "severe"}[cp], f"Child-Pugh {cp}级"
    for prefixes, severity in (
        (("K72", "K76.7"), "severe"),
        (("K74.3", "K74.4", "K74.5", "K74.6", "K70.3", "K70.4", "K71.7", "K76.6", "I85"), "moderate"),
        # hepatitis and fibrosis (not fatty liver or a carrier state, which do not impair function)
        (("K70.1", "K70.2", "K70.9", "K71", "K73", "K74.0", "K74.1", "K74.2", "K75", "K76.9", "K77"), "mild"),
    ):
        d = facts.has_code(*prefixes)
        if d is not None:
            return severity, f"诊断「{d.text}」({d.code})"
    alt, ast, tbil = facts.labs.get("alt"), facts.labs.get("ast"), facts.labs.get("tbil")
    transaminase = max((alt or 0) / ALT_ULN, (ast or 0) / AST_ULN)
    if transaminase >= 3:
        detail = f"ALT {alt:g} U/L" if alt is not None else f"AST {ast:g} U/L"
        if tbil is not None and tbil >= 2 * TBIL_ULN:
            return "moderate", f"{detail}（≥3×ULN）且总胆红素 {tbil:g} μmol/L（≥2×ULN）"
        return "mild", f"{detail}（≥3×ULN）"
    if tbil is not None and tbil >= 3 * TBIL_ULN:
        return "mild", f"总胆红素 {tbil:g} μmol/L（≥3×ULN）"
    return None, None


def gather_facts(
    ctx: ClinicalContext, kb: KnowledgeBase | None = None, resolver: DrugResolver | None = None,
    today: date | None = None,
) -> PatientFacts:
    """Read the patient facts out of a context (and the diagnosis/drug packs for coding)."""
    extra: dict[str, Any] = dict(ctx.extra.get(RX_EXTRA_KEY) or {})
    facts = PatientFacts()
    p = ctx.patient
    if p is not None:
        facts.sex = p.sex
        when = today or (ctx.encounter.admitted_at.date() if ctx.encounter and ctx.encounter.admitted_at else date.today())
        facts.age = p.age_on(when) if p.birth_date else p.age_years
    units: dict[str, str | None] = {}
    for lab in ctx.labs:
        key = _lab_key(lab, kb)
        value = _lab_value(lab)
        if key is not None and value is not None:
            facts.labs[key] = value  # later results replace earlier ones: contexts list oldest first
            units[key] = lab.unit
    facts.weight_kg = extra.get("weight_kg") or facts.labs.get("weight")
    facts.height_cm = extra.get("height_cm") or facts.labs.get("height")
    facts.diagnoses = [_code_diagnosis(d.text, d.code, kb) for d in ctx.diagnoses]
    facts.prescriber_level = extra.get("prescriber_level")
    facts.setting = ctx.encounter.encounter_class.value if ctx.encounter else None

    # pregnancy and lactation: stated, or coded/written in the diagnoses (never for a male patient)
    facts.pregnant = bool(extra.get("pregnant"))
    facts.lactating = bool(extra.get("lactating"))
    if facts.sex is not Sex.male:
        for d in facts.diagnoses:
            if _NOT_PREGNANT.search(d.text):
                continue
            if (d.code and (d.code.startswith("O") or d.code[:3] in ("Z33", "Z34", "Z35"))) or _PREGNANT_TEXT.search(d.text):
                facts.pregnant = True
            if (d.code and d.code.startswith("Z39.1")) or _LACTATING_TEXT.search(d.text):
                facts.lactating = True
    else:
        facts.pregnant = facts.lactating = False

    # kidney
    scr = facts.labs.get("scr")
    scr_mg = _scr_mg_dl(scr, units.get("scr")) if scr else None
    if "egfr" in facts.labs:
        facts.egfr, facts.egfr_basis = facts.labs["egfr"], f"eGFR {facts.labs['egfr']:g}"
    elif scr_mg and facts.age is not None and facts.age >= 18:
        facts.egfr = round(ckd_epi_2021(scr_mg, facts.age, facts.sex), 1)
        facts.egfr_basis = f"CKD-EPI 2021 由血肌酐 {scr:g} {units.get('scr') or 'μmol/L'} 计算 eGFR {facts.egfr:g}"
    elif scr_mg and facts.height_cm:
        facts.egfr = round(bedside_schwartz(scr_mg, facts.height_cm), 1)
        facts.egfr_basis = f"床旁 Schwartz 公式由血肌酐和身高计算 eGFR {facts.egfr:g}"
    else:
        for prefixes, value in ((("N18.5", "N18.6", "Z99.2", "Z49"), 10.0), (("N18.4",), 22.0), (("N18.3",), 45.0)):
            d = facts.has_code(*prefixes)
            if d is not None:
                facts.egfr, facts.egfr_basis = value, f"诊断「{d.text}」({d.code}) 按分期估计 eGFR<{value * 1.4:.0f}"
                break
    if "crcl" in facts.labs:
        facts.crcl, facts.crcl_basis = facts.labs["crcl"], f"CrCl {facts.labs['crcl']:g}"
    elif scr_mg and facts.age is not None and facts.age >= 18 and facts.weight_kg:
        facts.crcl = round(cockcroft_gault(scr_mg, facts.age, facts.weight_kg, facts.sex), 1)
        facts.crcl_basis = f"Cockcroft–Gault 计算 CrCl {facts.crcl:g} mL/min"
    elif facts.egfr is not None:
        facts.crcl, facts.crcl_basis = facts.egfr, (facts.egfr_basis or "") + "（以 eGFR 代替 CrCl）"

    facts.hepatic, facts.hepatic_basis = _hepatic(extra, facts)

    model = model_for(resolver.kb if resolver is not None else (kb or get_kb()), resolver)
    for a in ctx.allergies:
        resolved = model.resolve(a.substance)
        facts.allergies.append(AllergyFact(a.substance, resolved.drug, resolved.groups, a.severity, a.reaction))
    for d in facts.diagnoses:  # 青霉素过敏史 coded as Z88.x counts as an allergy too
        implied = model.from_codes(d.code, d.text) if d.code and d.code.startswith("Z88") else None
        if implied is not None and not any(implied.groups & f.groups for f in facts.allergies):
            facts.allergies.append(AllergyFact(d.text, None, implied.groups, None, None))
    # allergies the record's notes state (入院情况, 现病史, 过敏史 …), read as QC reads them
    found, _ = document_allergies(model, ctx.documents) if ctx.documents else ([], [])
    for _, a in found:
        if a.is_drug and not any((a.drug is not None and f.drug is not None and a.drug.id == f.drug.id)
                                 or (a.groups and a.groups <= f.groups) for f in facts.allergies):
            facts.allergies.append(AllergyFact(a.text, a.drug, a.groups, None, None))
    return facts
