"""Build a ClinicalContext from one parsed note: patient and encounter taken from its header fields."""

from __future__ import annotations

import hashlib
from datetime import datetime

from yizhu.core.models import ClinicalContext, ClinicalDocument, Encounter, EncounterClass, Patient, Sex


def _short_hash(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:12]


def _parse_dt(value: str | None) -> datetime | None:
    if not value:
        return None
    v = value.strip().replace("/", "-").replace("年", "-").replace("月", "-").replace("日", " ").replace("时", ":")
    v = v.replace("分", "").strip()
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"):
        try:
            return datetime.strptime(v, fmt)
        except ValueError:
            continue
    return None


def _age(value: str | None) -> float | None:
    if not value:
        return None
    digits = "".join(ch for ch in value if ch.isdigit() or ch == ".")
    try:
        years = float(digits)
    except ValueError:
        return None
    if "月" in value and "岁" not in value:
        return round(years / 12, 2)
    if "天" in value and "岁" not in value:
        return round(years / 365.25, 3)
    return years


def context_from_note(doc: ClinicalDocument) -> ClinicalContext:
    """A context for one parsed note, with patient and encounter taken from its header fields."""
    h = doc.header
    number = h.get("住院号") or h.get("门诊号") or h.get("病案号") or h.get("ID号")
    name = h.get("姓名")
    pid = "pat-" + _short_hash(name or "", h.get("性别", ""), number or doc.text[:200])
    eid = "enc-" + _short_hash(pid, number or "", h.get("入院日期") or h.get("就诊日期") or "")
    sex = {"男": Sex.male, "女": Sex.female}.get(h.get("性别", "").strip(), Sex.unknown)
    klass = EncounterClass.outpatient if doc.doc_type == "门诊病历" or "门诊号" in h else EncounterClass.inpatient
    patient = Patient(
        id=pid, name=name, sex=sex, age_years=_age(h.get("年龄")), mrn=number, synthetic=doc.synthetic
    )
    encounter = Encounter(
        id=eid,
        patient_id=pid,
        encounter_class=klass,
        department=h.get("科别") or h.get("科室"),
        admitted_at=_parse_dt(h.get("入院日期") or h.get("入院时间") or h.get("就诊日期") or h.get("就诊时间")),
        discharged_at=_parse_dt(h.get("出院日期") or h.get("出院时间")),
        bed=h.get("床号"),
    )
    recorded = _parse_dt(h.get("记录日期") or h.get("记录时间")) or encounter.admitted_at
    doc_id = doc.id or "doc-" + _short_hash(eid, doc.doc_type, doc.text)
    doc = doc.model_copy(update={"id": doc_id, "patient_id": pid, "encounter_id": eid, "recorded_at": recorded})
    return ClinicalContext(patient=patient, encounter=encounter, documents=[doc])
