"""The order document: what a prescription review receives, its JSON Schema, and how it becomes a context.

Two inputs are accepted and both end as a :class:`~yizhu.core.ClinicalContext` (the task seam):

* the **order document** below — ``{"patient": {...}, "orders": [...]}`` with free-text drug names as
  doctors write them; facts a context has no field for (weight, height, pregnancy, lactation, Child-Pugh,
  prescriber level) travel in ``ctx.extra["rx"]``;
* a **FHIR R4 Bundle** with Patient, MedicationRequest, Condition, AllergyIntolerance and Observation
  (imported by :mod:`yizhu.interop.fhir`; body weight, height, pregnancy and breast-feeding status
  observations, which that importer leaves out as vital signs/social history, are read here).
"""

from __future__ import annotations

import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from yizhu.core import (
    AllergyIntolerance,
    ClinicalContext,
    Diagnosis,
    Encounter,
    EncounterClass,
    LabResult,
    MedicationOrder,
    Patient,
)
from yizhu.core.models import Sex, SexField
from yizhu.errors import InputError, TooLargeError

#: Canonical prescriber levels (《抗菌药物临床应用管理办法》2012 第二十四条 ties grades to 职称).
PRESCRIBER_LEVELS: dict[str, str] = {
    "resident": "resident", "住院医师": "resident", "初级": "resident", "初级职称": "resident",
    "医师": "resident", "乡村医生": "resident", "junior": "resident",
    "attending": "attending", "主治医师": "attending", "中级": "attending", "中级职称": "attending",
    "intermediate": "attending",
    "associate_chief": "associate_chief", "副主任医师": "associate_chief", "副高": "associate_chief",
    "chief": "chief", "主任医师": "chief", "正高": "chief", "高级": "associate_chief", "高级职称": "associate_chief",
    "senior": "associate_chief",
}  # fmt: skip

RX_EXTRA_KEY = "rx"
#: Orders one review accepts (a whole inpatient stay's medication orders fit; 10,000 do not): more is a 413.
MAX_ORDERS = 500
LAB_UNITS = {
    "egfr": ("eGFR", "mL/min/1.73m²"), "crcl": ("CrCl", "mL/min"), "scr_umol_l": ("血肌酐", "μmol/L"),
    "scr_mg_dl": ("血肌酐", "mg/dL"), "alt": ("ALT", "U/L"), "ast": ("AST", "U/L"), "tbil": ("总胆红素", "μmol/L"),
    "albumin": ("白蛋白", "g/L"), "inr": ("INR", None), "potassium": ("血钾", "mmol/L"),
    "sodium": ("血钠", "mmol/L"), "platelets": ("血小板", "10^9/L"), "qtc": ("QTc", "ms"),
}  # fmt: skip


class _Edge(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class RxLabs(_Edge):
    """Lab values the checks read; give eGFR, or serum creatinine for yizhu to compute CKD-EPI 2021."""

    egfr: float | None = Field(default=None, ge=0, le=250, description="eGFR, mL/min/1.73 m²")
    crcl: float | None = Field(default=None, ge=0, le=300, description="creatinine clearance, mL/min")
    scr_umol_l: float | None = Field(default=None, gt=0, le=3000, description="serum creatinine, μmol/L")
    scr_mg_dl: float | None = Field(default=None, gt=0, le=35, description="serum creatinine, mg/dL")
    alt: float | None = Field(default=None, ge=0, description="ALT, U/L")
    ast: float | None = Field(default=None, ge=0, description="AST, U/L")
    tbil: float | None = Field(default=None, ge=0, description="total bilirubin, μmol/L")
    albumin: float | None = Field(default=None, ge=0, description="albumin, g/L")
    inr: float | None = Field(default=None, ge=0)
    potassium: float | None = Field(default=None, ge=0, description="serum potassium, mmol/L")
    sodium: float | None = Field(default=None, ge=0, description="serum sodium, mmol/L")
    platelets: float | None = Field(default=None, ge=0, description="platelets, 10^9/L")
    qtc: float | None = Field(default=None, ge=0, description="QTc, ms")
    child_pugh: Literal["A", "B", "C"] | None = Field(default=None, description="Child-Pugh class, when staged")


class RxDiagnosis(_Edge):
    """A diagnosis as written, with its ICD-10 code when the EMR has one."""

    text: str = Field(min_length=1)
    code: str | None = None


class RxAllergy(_Edge):
    """An allergy as written (drug, class or other substance), with the reaction when known."""

    substance: str = Field(min_length=1)
    reaction: str | None = None
    severity: Literal["mild", "moderate", "severe"] | None = None


class RxPatient(_Edge):
    """The patient facts prescription review needs; unknown facts are left out, never guessed."""

    id: str | None = None
    sex: SexField = Sex.unknown
    age_years: float | None = Field(default=None, ge=0, le=130)
    weight_kg: float | None = Field(default=None, gt=0, le=400)
    height_cm: float | None = Field(default=None, gt=20, le=250)
    pregnant: bool = False
    lactating: bool = False
    allergies: list[str | RxAllergy] = Field(default_factory=list)
    diagnoses: list[str | RxDiagnosis] = Field(default_factory=list)
    labs: RxLabs = Field(default_factory=RxLabs)
    prescriber_level: str | None = Field(
        default=None,
        description="resident|attending|associate_chief|chief (or 住院医师/主治医师/副主任医师/主任医师, 初级/中级/高级)",
    )

    @field_validator("prescriber_level")
    @classmethod
    def _level(cls, v: str | None) -> str | None:
        if v is None or not v.strip():
            return None
        key = v.strip().lower() if v.isascii() else v.strip()
        if key not in PRESCRIBER_LEVELS:
            raise ValueError(f"unknown prescriber level {v!r}; use resident, attending, associate_chief or chief")
        return PRESCRIBER_LEVELS[key]


class RxOrder(_Edge):
    """One medication order as written: the drug name may be a brand, a salt or carry its dose form."""

    id: str | None = None
    drug: str = Field(min_length=1, description="as the doctor wrote it, e.g. 阿托伐他汀钙片（立普妥）")
    dose: float | None = Field(default=None, gt=0)
    unit: str | None = Field(default=None, description="mg, g, μg, U, 万U, mL, 片 …")
    route: str | None = Field(default=None, description="口服, 静滴, 静推, 肌注, 皮下, po, iv, ivgtt, ih …")
    frequency: str | None = Field(default=None, description="qd, bid, tid, qid, q6h, q8h, q12h, qn, prn, qw, st …")
    days: float | None = Field(default=None, gt=0)
    status: Literal["draft", "active"] = Field(default="draft", description="draft: new; active: already taking")


class OrderDocument(_Edge):
    """A prescription to review: the patient and the orders (合成 test documents set ``synthetic``)."""

    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        json_schema_extra={
            "$id": "https://yizhu.invalid/schemas/rx-order-document.json",
            "examples": [
                {
                    "synthetic": True,
                    "patient": {"sex": "female", "age_years": 68, "weight_kg": 55, "allergies": ["青霉素"],
                                "diagnoses": ["2型糖尿病", {"text": "高血压", "code": "I10"}],
                                "labs": {"scr_umol_l": 110}, "prescriber_level": "attending"},
                    "orders": [{"drug": "盐酸二甲双胍片", "dose": 0.5, "unit": "g", "route": "口服",
                                "frequency": "tid", "days": 30}],
                }
            ],
        },
    )

    id: str | None = None
    synthetic: bool = Field(default=False, description="true for synthetic (合成) documents")
    setting: Literal["outpatient", "inpatient", "emergency"] | None = Field(
        default=None, description="门诊/住院/急诊: 特殊使用级 antimicrobials are not for outpatients"
    )
    patient: RxPatient = Field(default_factory=RxPatient)
    orders: list[RxOrder] = Field(min_length=1)


def order_document_schema() -> dict[str, Any]:
    """The JSON Schema of the order document (published at ``GET /v1/rx/schema``)."""
    schema = OrderDocument.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["description"] = (
        "A prescription for review by yizhu (医助审方). Drug names are free text as written. "
        "POST /v1/rx/review also accepts a FHIR R4 Bundle (Patient, MedicationRequest, Condition, "
        "AllergyIntolerance, Observation) instead of this document."
    )
    return schema


# ── order document → context ──────────────────────────────────────────────────────────────


def document_to_context(doc: OrderDocument) -> ClinicalContext:
    """The order document as a ClinicalContext; facts without a context field go to ``extra['rx']``."""
    p = doc.patient
    patient = Patient(id=p.id or doc.id or "rx-patient", sex=p.sex, age_years=p.age_years, synthetic=doc.synthetic)
    diagnoses = [
        Diagnosis(text=d, kind="other") if isinstance(d, str) else Diagnosis(text=d.text, code=d.code, kind="other")
        for d in p.diagnoses
    ]
    allergies = [
        AllergyIntolerance(substance=a) if isinstance(a, str)
        else AllergyIntolerance(substance=a.substance, reaction=a.reaction, severity=a.severity)
        for a in p.allergies
    ]
    labs = []
    for key, (name, unit) in LAB_UNITS.items():
        value = getattr(p.labs, key)
        if value is not None:
            labs.append(LabResult(name=name, value=float(value), unit=unit))
    orders = []
    for i, o in enumerate(doc.orders):
        parts = [o.drug, f"{o.dose:g}{o.unit or ''}" if o.dose is not None else None, o.route, o.frequency]
        orders.append(
            MedicationOrder(
                id=o.id or f"o{i + 1}", text=" ".join(x for x in parts if x), drug=o.drug, dose=o.dose, unit=o.unit,
                route=o.route, frequency=o.frequency, days=o.days, status=o.status,
            )
        )
    encounter = None
    if doc.setting:
        encounter = Encounter(id=f"{patient.id}-rx", patient_id=patient.id, encounter_class=EncounterClass(doc.setting))
    extra = {
        "weight_kg": p.weight_kg, "height_cm": p.height_cm, "pregnant": p.pregnant, "lactating": p.lactating,
        "prescriber_level": p.prescriber_level, "child_pugh": p.labs.child_pugh, "document_id": doc.id,
    }
    return ClinicalContext(
        patient=patient, encounter=encounter, diagnoses=diagnoses, orders=orders, labs=labs, allergies=allergies,
        extra={RX_EXTRA_KEY: {k: v for k, v in extra.items() if v not in (None, False)}},
    )


# ── FHIR Bundle → context ─────────────────────────────────────────────────────────────────

LOINC_WEIGHT = {"29463-7", "3141-9", "8335-2"}
LOINC_HEIGHT = {"8302-2", "8306-3", "3137-7"}
LOINC_PREGNANCY = {"82810-3", "11449-6"}
LOINC_LACTATION = {"63895-7"}
_YES = {"77386006", "LA15173-0", "yes", "true", "pregnant", "妊娠", "是", "阳性", "LA33-6"}
_NO = {"60001007", "LA26683-5", "no", "false", "not pregnant", "否", "阴性", "LA32-8"}


def _codes(cc: Any) -> list[str]:
    if not isinstance(cc, dict):
        return []
    return [str(c.get("code")) for c in cc.get("coding") or [] if isinstance(c, dict) and c.get("code")]


def _quantity_kg(q: Any, *, height: bool = False) -> float | None:
    if not isinstance(q, dict) or not isinstance(q.get("value"), int | float):
        return None
    value = float(q["value"])
    unit = str(q.get("code") or q.get("unit") or "").lower()
    if height:
        return value * 100 if unit == "m" else value * 2.54 if unit in ("[in_i]", "in") else value
    if unit in ("g",):
        return value / 1000
    if unit in ("[lb_av]", "lb", "lbs"):
        return value * 0.45359237
    return value


def _yes_no(obs: dict[str, Any]) -> bool | None:
    if isinstance(obs.get("valueBoolean"), bool):
        return bool(obs["valueBoolean"])
    cc = obs.get("valueCodeableConcept")
    words = {*(_codes(cc)), str((cc or {}).get("text") or "").lower()} if isinstance(cc, dict) else set()
    if isinstance(obs.get("valueString"), str):
        words.add(obs["valueString"].strip().lower())
    if words & _YES:
        return True
    if words & _NO:
        return False
    return None


def fhir_facts(resources: list[dict[str, Any]]) -> dict[str, Any]:
    """Weight, height, pregnancy, breast-feeding and prescriber level read from raw FHIR resources."""
    facts: dict[str, Any] = {}
    for r in resources:
        rtype = r.get("resourceType")
        if rtype == "Observation" and r.get("status") not in ("cancelled", "entered-in-error"):
            codes = set(_codes(r.get("code")))
            text = str((r.get("code") or {}).get("text") or "")
            if codes & LOINC_WEIGHT or text in ("体重", "body weight", "Body weight"):
                if (w := _quantity_kg(r.get("valueQuantity"))) is not None:
                    facts["weight_kg"] = w
            elif codes & LOINC_HEIGHT or text in ("身高", "body height", "Body height"):
                if (h := _quantity_kg(r.get("valueQuantity"), height=True)) is not None:
                    facts["height_cm"] = h
            elif codes & LOINC_PREGNANCY or text in ("妊娠状态", "Pregnancy status"):
                if (yes := _yes_no(r)) is not None:
                    facts["pregnant"] = yes
            elif (codes & LOINC_LACTATION or text in ("哺乳状态", "Breastfeeding status")) and (
                yes := _yes_no(r)
            ) is not None:
                facts["lactating"] = yes
        elif rtype in ("Practitioner", "PractitionerRole"):
            items = r.get("qualification") or [] if rtype == "Practitioner" else r.get("code") or []
            for q in items:
                cc = q.get("code") if rtype == "Practitioner" and isinstance(q, dict) else q
                words = [str((cc or {}).get("text") or "")] + [
                    str(c.get("display") or c.get("code") or "") for c in (cc or {}).get("coding") or []
                ]
                for w in words:
                    key = w.strip().lower() if w.isascii() else w.strip()
                    if key in PRESCRIBER_LEVELS:
                        facts["prescriber_level"] = PRESCRIBER_LEVELS[key]
    return facts


def _bundle_resources(bundle: dict[str, Any]) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle.get("entry") or [] if isinstance(e, dict) and isinstance(e.get("resource"), dict)]


def bundle_to_rx_context(bundle: dict[str, Any]) -> ClinicalContext:
    """A FHIR Bundle as one review context (all of one patient's encounters merged) with rx facts."""
    from yizhu.interop.fhir import bundle_to_contexts

    contexts = bundle_to_contexts(bundle)
    if not contexts:
        raise InputError("the FHIR Bundle holds no patient; include a Patient or MedicationRequest.subject")
    patients = {c.patient.id for c in contexts if c.patient}
    if len(patients) > 1:
        raise InputError(f"the FHIR Bundle holds {len(patients)} patients; send one patient's orders per review")
    ctx = contexts[0]
    for other in contexts[1:]:
        ctx = ctx.model_copy(update={
            "orders": [*ctx.orders, *(o for o in other.orders if o not in ctx.orders)],
            "diagnoses": [*ctx.diagnoses, *(d for d in other.diagnoses if d not in ctx.diagnoses)],
            "labs": [*ctx.labs, *(x for x in other.labs if x not in ctx.labs)],
            "allergies": [*ctx.allergies, *(a for a in other.allergies if a not in ctx.allergies)],
        })
    facts = fhir_facts(_bundle_resources(bundle))
    if not any(isinstance(o, MedicationOrder) for o in ctx.orders):
        raise InputError("the FHIR Bundle holds no MedicationRequest to review")
    return ctx.model_copy(update={"extra": {**ctx.extra, RX_EXTRA_KEY: {**ctx.extra.get(RX_EXTRA_KEY, {}), **facts}}})


# ── any payload → context ─────────────────────────────────────────────────────────────────


def _first_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    loc = ".".join(str(x) for x in err["loc"]) or "(document)"
    msg = str(err["msg"]).removeprefix("Value error, ")
    more = f" (and {len(exc.errors()) - 1} more)" if len(exc.errors()) > 1 else ""
    return f"{loc}: {msg}{more}"


def parse_order_document(data: dict[str, Any]) -> OrderDocument:
    """Validate an order document; an invalid one is an InputError naming the field and the fix."""
    try:
        return OrderDocument.model_validate(data)
    except ValidationError as exc:
        raise InputError(
            f"invalid order document: {_first_error(exc)}; see the schema at GET /v1/rx/schema"
        ) from exc


def _check_size(obj: dict[str, Any]) -> None:
    """A 413 before validating thousands of orders: count them first (document orders, Bundle entries)."""
    if obj.get("resourceType") == "Bundle":
        entries = obj.get("entry") if isinstance(obj.get("entry"), list) else []
        n = sum(1 for e in entries if isinstance(e, dict) and isinstance(e.get("resource"), dict)
                and e["resource"].get("resourceType") == "MedicationRequest")
    else:
        n = len(obj["orders"]) if isinstance(obj.get("orders"), list) else 0
    if n > MAX_ORDERS:
        raise TooLargeError(
            f"{n} medication orders in one review; the limit is {MAX_ORDERS}. Review one patient's current "
            "orders (split a long stay by day or by order group)"
        )


def load_payload(data: str | bytes | dict[str, Any]) -> ClinicalContext:
    """An order document, a FHIR Bundle or a ClinicalContext (JSON text or dict) as a review context."""
    obj: Any = data
    if isinstance(data, bytes | bytearray):
        data = bytes(data).decode("utf-8-sig", errors="replace")
    if isinstance(data, str):
        if not data.strip():
            raise InputError("empty input: expected an order document or a FHIR Bundle (JSON)")
        try:
            obj = json.loads(data)
        except json.JSONDecodeError as exc:
            raise InputError(f"not valid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}") from exc
    if not isinstance(obj, dict):
        raise InputError(f"expected a JSON object (order document or FHIR Bundle), got a JSON {type(obj).__name__}")
    _check_size(obj)
    if obj.get("resourceType") == "Bundle":
        return bundle_to_rx_context(obj)
    if "resourceType" in obj:
        raise InputError(f"expected a FHIR Bundle, got a {obj['resourceType']}; wrap the resources in a Bundle")
    orders = obj.get("orders")
    is_context = isinstance(orders, list) and bool(orders) and all(isinstance(o, dict) and "text" in o for o in orders)
    if is_context:  # a ClinicalContext (Order.text is required there, and absent from order documents)
        try:
            ctx = ClinicalContext.model_validate(obj)
        except ValidationError as exc:
            raise InputError(f"invalid clinical context: {_first_error(exc)}") from exc
        if not ctx.medication_orders:
            raise InputError("the context holds no medication orders to review")
        return ctx
    return document_to_context(parse_order_document(obj))
