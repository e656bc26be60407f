"""FHIR export: a ClinicalContext becomes a ``collection`` Bundle of R4 resources (Patient, Encounter,
Condition, MedicationRequest, Observation, AllergyIntolerance, DocumentReference).
"""

from __future__ import annotations

import base64
import re
import uuid
from datetime import datetime, tzinfo
from typing import Any

from yizhu.core.models import (
    AllergyIntolerance,
    ClinicalContext,
    ClinicalDocument,
    Diagnosis,
    Encounter,
    EncounterClass,
    LabResult,
    MedicationOrder,
    Patient,
)
from yizhu.errors import InputError
from yizhu.interop.fhir.validation import validate_bundle
from yizhu.interop.fhir.valuesets import (
    CHINA_STANDARD_TIME,
    ID_RE,
    SYSTEM_ACT_CODE,
    SYSTEM_ACT_REASON,
    SYSTEM_ALLERGY_CLINICAL,
    SYSTEM_COND_CATEGORY,
    SYSTEM_COND_CLINICAL,
    SYSTEM_COND_VERIFICATION,
    SYSTEM_DIAGNOSIS_ROLE,
    SYSTEM_GTS,
    SYSTEM_ICD10,
    SYSTEM_IDENTIFIER_TYPE,
    SYSTEM_INTERPRETATION,
    SYSTEM_LOCATION_TYPE,
    SYSTEM_LOINC,
    SYSTEM_OBS_CATEGORY,
    SYSTEM_PARTICIPATION,
    SYSTEM_UCUM,
    SYSTEM_YIZHU_TAG,
    UUID_NAMESPACE,
)

# ------------------------------------------------------------------------------------------------
# Export: ClinicalContext -> Bundle (collection)


def _fhir_id(value: str) -> str:
    """A FHIR id ([A-Za-z0-9-.]{1,64}); other ids become a stable hash."""
    if ID_RE.fullmatch(value):
        return value
    return uuid.uuid5(UUID_NAMESPACE, value).hex[:32]


def _iso(value: datetime | None, tz: tzinfo) -> str | None:
    if value is None:
        return None
    return (value if value.tzinfo else value.replace(tzinfo=tz)).isoformat(timespec="seconds")


def _drop_none(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {k: _drop_none(v) for k, v in obj.items() if v is not None and v != [] and v != {}}
    if isinstance(obj, list):
        return [_drop_none(v) for v in obj]
    return obj


def _text_cc(text: str | None, system: str | None = None, code: str | None = None) -> dict[str, Any] | None:
    if text is None and code is None:
        return None
    coding = [{"system": system, "code": code, "display": text}] if code else None
    return {"coding": coding, "text": text}


def _quantity(value: float | None, unit: str | None) -> dict[str, Any] | None:
    return None if value is None else {"value": value, "unit": unit}


def _export_patient(p: Patient) -> dict[str, Any]:
    tags = [{"system": SYSTEM_YIZHU_TAG, "code": "synthetic", "display": "合成数据 synthetic"}]
    security = [{"system": SYSTEM_ACT_REASON, "code": "HTEST", "display": "test health data"}]
    identifier_type = {"coding": [{"system": SYSTEM_IDENTIFIER_TYPE, "code": "MR"}], "text": "病案号"}
    return {
        "resourceType": "Patient",
        "id": _fhir_id(p.id),
        "meta": {"tag": tags, "security": security} if p.synthetic else None,
        "identifier": [{"type": identifier_type, "value": p.mrn}] if p.mrn else None,
        "name": [{"use": "official", "text": p.name}] if p.name else None,
        "telecom": [{"system": "phone", "value": p.phone}] if p.phone else None,
        "gender": p.sex.value,
        "birthDate": p.birth_date.isoformat() if p.birth_date else None,
        "address": [{"text": p.address}] if p.address else None,
    }


def _export_encounter(enc: Encounter, patient_ref: str, diagnoses: list[tuple[str, Diagnosis]],
                      tz: tzinfo) -> dict[str, Any]:
    code = {EncounterClass.outpatient: "AMB", EncounterClass.inpatient: "IMP", EncounterClass.emergency: "EMER"}
    roles = {"admission": "AD", "discharge": "DD"}
    return {
        "resourceType": "Encounter",
        "id": _fhir_id(enc.id),
        "status": "finished" if enc.discharged_at else "in-progress",
        "class": {"system": SYSTEM_ACT_CODE, "code": code[enc.encounter_class]},
        "serviceType": {"text": enc.department} if enc.department else None,
        "subject": {"reference": patient_ref},
        "participant": [
            {"type": [{"coding": [{"system": SYSTEM_PARTICIPATION, "code": "ATND"}]}],
             "individual": {"display": enc.attending}}
        ] if enc.attending else None,
        "period": {"start": _iso(enc.admitted_at, tz), "end": _iso(enc.discharged_at, tz)}
        if enc.admitted_at or enc.discharged_at else None,
        "diagnosis": [
            {
                "condition": {"reference": ref},
                "use": {"coding": [{"system": SYSTEM_DIAGNOSIS_ROLE, "code": roles[d.kind]}]}
                if d.kind in roles else None,
                "rank": 1 if d.is_main else None,
            }
            for ref, d in diagnoses if d.kind in roles or d.is_main
        ],
        "location": [
            {"location": {"display": enc.bed},
             "physicalType": {"coding": [{"system": SYSTEM_LOCATION_TYPE, "code": "bd"}]}}
        ] if enc.bed else None,
    }


def _export_condition(rid: str, d: Diagnosis, subject: dict[str, Any], encounter: dict[str, Any] | None,
                      tz: tzinfo) -> dict[str, Any]:
    category = "encounter-diagnosis" if encounter else "problem-list-item"
    verification = "provisional" if d.kind == "preliminary" else "confirmed"
    return {
        "resourceType": "Condition",
        "id": rid,
        "clinicalStatus": {"coding": [{"system": SYSTEM_COND_CLINICAL, "code": "active"}]},
        "verificationStatus": {"coding": [{"system": SYSTEM_COND_VERIFICATION, "code": verification}]},
        "category": [{"coding": [{"system": SYSTEM_COND_CATEGORY, "code": category}]}],
        "code": _text_cc(d.text, SYSTEM_ICD10 if d.system == "ICD-10" else None, d.code),
        "subject": subject,
        "encounter": encounter,
        "recordedDate": _iso(d.recorded_at, tz),
    }


def _export_timing(frequency: str | None) -> dict[str, Any] | None:
    if not frequency:
        return None
    gts = {"qd", "bid", "tid", "qid", "qod", "am", "pm", "qh", "q4h", "q6h"}
    m = re.fullmatch(r"q(\d+(?:\.\d+)?)(min|h|d|wk)", frequency)
    if frequency in gts:
        return {"code": {"coding": [{"system": SYSTEM_GTS, "code": frequency.upper()}], "text": frequency}}
    if m:
        period = float(m.group(1))
        return {"repeat": {"frequency": 1, "period": int(period) if period.is_integer() else period,
                           "periodUnit": m.group(2)}}
    return {"code": {"text": frequency}}


def _export_medication(rid: str, o: MedicationOrder, subject: dict[str, Any], encounter: dict[str, Any] | None,
                       tz: tzinfo) -> dict[str, Any]:
    status = {"draft": "draft", "active": "active", "completed": "completed", "cancelled": "cancelled"}
    dosage = {
        "text": o.text,
        "timing": _export_timing(o.frequency),
        "route": {"text": o.route} if o.route else None,
        "doseAndRate": [{"doseQuantity": _quantity(o.dose, o.unit)}] if o.dose is not None else None,
    }
    return {
        "resourceType": "MedicationRequest",
        "id": rid,
        "status": status[o.status],
        "intent": "order",
        "medicationCodeableConcept": _text_cc(o.drug, None, o.code),
        "subject": subject,
        "encounter": encounter,
        "authoredOn": _iso(o.ordered_at, tz),
        "requester": {"display": o.prescriber} if o.prescriber else None,
        "dosageInstruction": [dosage],
        "dispenseRequest": {
            "expectedSupplyDuration": {"value": o.days, "unit": "d", "system": SYSTEM_UCUM, "code": "d"}
        } if o.days is not None else None,
    }


def _export_lab(rid: str, lab: LabResult, subject: dict[str, Any], encounter: dict[str, Any] | None,
                tz: tzinfo) -> dict[str, Any]:
    low = high = None
    if lab.reference_range:
        m = re.fullmatch(r"\s*(-?\d+(?:\.\d+)?)\s*[-~～–]\s*(-?\d+(?:\.\d+)?)\s*", lab.reference_range)
        if m:
            low, high = float(m.group(1)), float(m.group(2))
    value: dict[str, Any] = {"valueString": lab.value}
    compared = re.fullmatch(r"(<=|>=|<|>)\s*(-?\d+(?:\.\d+)?)", str(lab.value).strip())
    if isinstance(lab.value, float | int):
        value = {"valueQuantity": _quantity(lab.value, lab.unit)}
    elif compared:
        value = {"valueQuantity": {"value": float(compared.group(2)), "comparator": compared.group(1),
                                   "unit": lab.unit}}
    return {
        "resourceType": "Observation",
        "id": rid,
        "status": "final",
        "category": [{"coding": [{"system": SYSTEM_OBS_CATEGORY, "code": "laboratory"}]}],
        "code": {
            "coding": [{"system": SYSTEM_LOINC, "code": lab.loinc}] if lab.loinc else None,
            "text": lab.name,
        },
        "subject": subject,
        "encounter": encounter,
        "effectiveDateTime": _iso(lab.observed_at, tz),
        **value,
        "interpretation": [{"coding": [{"system": SYSTEM_INTERPRETATION, "code": lab.flag}]}] if lab.flag else None,
        "referenceRange": [
            {"low": _quantity(low, lab.unit), "high": _quantity(high, lab.unit), "text": lab.reference_range}
        ] if lab.reference_range else None,
    }


def _export_allergy(rid: str, a: AllergyIntolerance, patient: dict[str, Any]) -> dict[str, Any]:
    criticality = {"severe": "high", "mild": "low"}.get(a.severity or "")
    return {
        "resourceType": "AllergyIntolerance",
        "id": rid,
        "clinicalStatus": {"coding": [{"system": SYSTEM_ALLERGY_CLINICAL, "code": "active"}]},
        "code": _text_cc(a.substance, None, a.code),
        "patient": patient,
        "criticality": criticality if not a.reaction else None,
        "reaction": [{"manifestation": [{"text": a.reaction}], "severity": a.severity}] if a.reaction else None,
    }


def _export_document(rid: str, doc: ClinicalDocument, subject: dict[str, Any], encounter: dict[str, Any] | None,
                     tz: tzinfo) -> dict[str, Any]:
    data = base64.b64encode(doc.text.encode("utf-8")).decode("ascii")
    return {
        "resourceType": "DocumentReference",
        "id": rid,
        "meta": {"tag": [{"system": SYSTEM_YIZHU_TAG, "code": "synthetic", "display": "合成数据 synthetic"}]}
        if doc.synthetic else None,
        "status": "current",
        "type": {"text": doc.doc_type},
        "subject": subject,
        "date": _iso(doc.recorded_at, tz),
        "author": [{"display": doc.author}] if doc.author else None,
        "description": doc.title,
        "content": [{"attachment": {"contentType": "text/plain; charset=utf-8", "data": data}}],
        "context": {"encounter": [encounter]} if encounter else None,
    }


def context_to_bundle(ctx: ClinicalContext, *, hospital_tz: tzinfo = CHINA_STANDARD_TIME) -> dict[str, Any]:
    """Export a ClinicalContext as a FHIR R4 Bundle of type collection (validated before return).

    Round-trips through :func:`bundle_to_context`; not represented: Patient.age_years,
    Encounter.condition_level, non-medication orders, section offsets (re-parsed from the text).
    """
    if ctx.patient is None:
        raise InputError("context_to_bundle needs ctx.patient: every exported resource names its subject.")
    resources: list[dict[str, Any]] = []
    pid = _fhir_id(ctx.patient.id)

    def full_url(rtype: str, rid: str) -> str:
        return f"urn:uuid:{uuid.uuid5(UUID_NAMESPACE, f'{pid}/{rtype}/{rid}')}"

    subject = {"reference": full_url("Patient", pid)}
    enc_id = _fhir_id(ctx.encounter.id) if ctx.encounter else None
    encounter = {"reference": full_url("Encounter", enc_id)} if enc_id else None
    prefix = enc_id or pid
    resources.append(_export_patient(ctx.patient))
    conditions = [
        _export_condition(f"{prefix}-dx{i}", d, subject, encounter, hospital_tz) for i, d in enumerate(ctx.diagnoses)
    ]
    if ctx.encounter is not None:
        refs = [(full_url("Condition", c["id"]), d) for c, d in zip(conditions, ctx.diagnoses, strict=True)]
        enc = _export_encounter(ctx.encounter, subject["reference"], refs, hospital_tz)
        enc["id"] = enc_id
        resources.append(enc)
    resources.extend(conditions)
    resources.extend(
        _export_medication(_fhir_id(o.id) if o.id else f"{prefix}-rx{i}", o, subject, encounter, hospital_tz)
        for i, o in enumerate(ctx.medication_orders)
    )
    resources.extend(
        _export_lab(f"{prefix}-lab{i}", lab, subject, encounter, hospital_tz) for i, lab in enumerate(ctx.labs)
    )
    resources.extend(_export_allergy(f"{pid}-allergy{i}", a, subject) for i, a in enumerate(ctx.allergies))
    resources.extend(
        _export_document(_fhir_id(d.id) if d.id else f"{prefix}-doc{i}", d, subject, encounter, hospital_tz)
        for i, d in enumerate(ctx.documents)
    )
    bundle = {
        "resourceType": "Bundle",
        "id": f"{prefix}-export",
        "type": "collection",
        "entry": [{"fullUrl": full_url(r["resourceType"], r["id"]), "resource": _drop_none(r)} for r in resources],
    }
    validate_bundle(bundle)  # our own output must pass our own import checks
    return bundle
