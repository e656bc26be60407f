"""Import mapping, who and why: one small function per resource type — Patient, Encounter and Condition
(with its diagnosis role) — each turning a validated entry into the core model it stands for.

To import a new resource type: add its function here or in ``resources_clinical``, and name the type in
``importer._IMPORTED``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, tzinfo
from typing import Any

from yizhu.core.models import (
    Diagnosis,
    Encounter,
    EncounterClass,
    Patient,
    Sex,
    parse_sex,
)
from yizhu.interop.fhir.datatypes import (
    cc_codes,
    cc_text,
    check_code,
    coding_code,
    human_name,
    is_synthetic,
    local_time,
    ref_name,
)
from yizhu.interop.fhir.validation import Entry, Index, Skip
from yizhu.interop.fhir.valuesets import (
    CONDITION_CATEGORIES,
    CONDITION_CLINICAL,
    CONDITION_VERIFICATION,
    ENCOUNTER_CLASSES,
    ENCOUNTER_STATUSES,
    GENDERS,
    SYSTEM_COND_CATEGORY,
    SYSTEM_COND_CLINICAL,
    SYSTEM_COND_VERIFICATION,
    SYSTEM_ICD10,
    SYSTEM_IDENTIFIER_TYPE,
)

# ------------------------------------------------------------------------------------------------
# One small function per resource type


def read_patient(e: Entry) -> Patient:
    r = e.resource
    sex = _sex(e, r.gender)
    birth = r.birthDate if isinstance(r.birthDate, date) else None
    phone = next((str(t.value) for t in r.telecom or [] if t.system == "phone" and t.value), None)
    address = None
    if r.address:
        a = r.address[0]
        parts: list[str] = []
        for part in [a.state, a.city, a.district, *(a.line or [])]:
            if part and (not parts or parts[-1] != part):  # 北京市 is both state and city
                parts.append(str(part))
        address = a.text or "".join(parts) or None
    return Patient(
        id=e.id,
        name=human_name(r.name),
        sex=sex,
        birth_date=birth,
        mrn=_mrn(r.identifier),
        phone=phone,
        address=address,
        synthetic=is_synthetic(r),
    )


def _sex(e: Entry, gender: str | None) -> Sex:
    """administrative-gender, or the code a HIS puts there instead (M/F, 1/2 of GB/T 2261.1, 男/女): one
    parser for every reader of a patient (:func:`yizhu.core.models.parse_sex`)."""
    if gender is None or gender in GENDERS:
        return parse_sex(gender)
    try:
        return parse_sex(gender)
    except ValueError:
        raise e.error(
            "gender", f"{gender!r} is not one of {', '.join(GENDERS)} nor a HIS sex code (M/F/U, 1/2/0/9, 男/女)",
            "use one of these codes",
        ) from None


def _mrn(identifiers: Any) -> str | None:
    """The 病案号: an identifier typed MR (v2-0203), or one whose system names an MRN."""
    for ident in identifiers or []:
        if coding_code(ident.type, SYSTEM_IDENTIFIER_TYPE) == "MR" and ident.value:
            return str(ident.value)
    for ident in identifiers or []:
        if ident.value and re.search(r"mrn|medical-record|病案", ident.system or "", re.IGNORECASE):
            return str(ident.value)
    return None


def read_encounter(e: Entry, patient_id: str, index: Index, tz: tzinfo) -> Encounter:
    r = e.resource
    check_code(e, "status", r.status, ENCOUNTER_STATUSES)
    code = r.class_fhir.code
    if code not in ENCOUNTER_CLASSES:
        raise e.error(
            "class.code",
            f"{code!r} is not one of {', '.join(ENCOUNTER_CLASSES)} (v3 ActCode)",
            "use AMB (门诊), IMP (住院) or EMER (急诊)",
        )
    department = cc_text(r.serviceType) or next((t for t in map(cc_text, r.type or []) if t), None)
    period = r.period
    return Encounter(
        id=e.id,
        patient_id=patient_id,
        encounter_class=ENCOUNTER_CLASSES[code],
        department=department,
        admitted_at=local_time(period.start, tz) if period else None,
        discharged_at=local_time(period.end, tz) if period else None,
        bed=_bed(r.location, index),
        attending=_attending(r.participant, index),
    )


def _bed(locations: Any, index: Index) -> str | None:
    """The bed: the location typed 'bd', else the active one, else the last listed."""
    if not locations:
        return None
    beds = [loc for loc in locations if coding_code(loc.physicalType) == "bd"]
    active = [loc for loc in locations if loc.status == "active"]
    chosen = (beds or active or locations)[-1]
    return ref_name(chosen.location, index)


def _attending(participants: Any, index: Index) -> str | None:
    for p in participants or []:
        if any(coding_code(t) == "ATND" for t in p.type or []):
            return ref_name(p.individual, index)
    return None


@dataclass(frozen=True)
class Role:
    """What the Encounter says about one of its diagnoses (Encounter.diagnosis)."""

    kind: str | None
    is_main: bool


def diagnosis_roles(e: Entry, index: Index) -> dict[str, Role]:
    roles: dict[str, Role] = {}
    for d in e.resource.diagnosis or []:
        target = index.resolve(d.condition.reference)
        if target is None:
            continue
        use = coding_code(d.use)
        kind = {"AD": "admission", "DD": "discharge"}.get(use or "")
        roles[target.key] = Role(kind, d.rank == 1)
    return roles


def read_diagnosis(e: Entry, role: Role | None, encounter: Encounter | None, tz: tzinfo) -> Diagnosis:
    r = e.resource
    categories = cc_codes(e, "category", r.category, SYSTEM_COND_CATEGORY, CONDITION_CATEGORIES)
    clinical = cc_codes(e, "clinicalStatus", r.clinicalStatus, SYSTEM_COND_CLINICAL, CONDITION_CLINICAL)
    verification = cc_codes(
        e, "verificationStatus", r.verificationStatus, SYSTEM_COND_VERIFICATION, CONDITION_VERIFICATION
    )
    if {"refuted", "entered-in-error"} & set(verification):
        raise Skip(f"verificationStatus {verification[0]}")
    if "problem-list-item" in categories and {"inactive", "resolved", "remission"} & set(clinical):
        raise Skip(f"problem-list item with clinicalStatus {clinical[0]}")
    if r.code is None:
        raise e.error("code", "is required to import a diagnosis", "add the diagnosis as code.text or a coding")
    text = cc_text(r.code)
    if text is None:
        raise e.error("code", "has neither text nor a coding display", "add code.text (the diagnosis as written)")
    kind = role.kind if role and role.kind else None
    if kind is None:
        if {"provisional", "differential", "unconfirmed"} & set(verification):
            kind = "preliminary"
        elif encounter is not None and encounter.encounter_class != EncounterClass.inpatient:
            kind = "outpatient"
        else:
            kind = "other"
    return Diagnosis(
        text=text,
        code=coding_code(r.code, SYSTEM_ICD10),
        kind=kind,  # type: ignore[arg-type]
        is_main=bool(role and role.is_main),
        recorded_at=local_time(r.recordedDate, tz) or local_time(r.onsetDateTime, tz),
    )
