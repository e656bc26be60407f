"""Build a ClinicalContext from one parsed note: patient and encounter taken from its header fields."""

from __future__ import annotations

import hashlib
from datetime import datetime

from yizhu.core.models import ClinicalContext, ClinicalDocument, Encounter, EncounterClass, Patient, Sex


def _short_hash(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:12]


def parse_datetime(value: str | None) -> datetime | None:
    """A header date/time as written (2026-03-02 09:30, 2026/3/2, 2026年3月2日 9时30分) → datetime."""
    if not value:
        return None
    v = value.strip()
    for a, b in (("年", "-"), ("月", "-"), ("日", " "), ("/", "-"), ("时", ":"), ("分", "")):
        v = v.replace(a, b)
    v = " ".join(v.split())
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"):
        try:
            return datetime.strptime(v, fmt)
        except ValueError:
            continue
    return None


def parse_age(value: str | None) -> float | None:
    """An age as written (67岁, 8个月, 20天) → years."""
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


def decode_text(data: bytes) -> str | None:
    """Bytes of a note file as text: UTF-8 (with or without BOM) or GB18030, as Chinese EMRs export; None if neither."""
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    return None


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
        id=pid, name=name, sex=sex, age_years=parse_age(h.get("年龄")), mrn=number, synthetic=doc.synthetic
    )
    encounter = Encounter(
        id=eid,
        patient_id=pid,
        encounter_class=klass,
        department=h.get("科别") or h.get("科室"),
        admitted_at=parse_datetime(h.get("入院日期") or h.get("入院时间") or h.get("就诊日期") or h.get("就诊时间")),
        discharged_at=parse_datetime(h.get("出院日期") or h.get("出院时间")),
        bed=h.get("床号"),
    )
    recorded = parse_datetime(h.get("记录日期") or h.get("记录时间")) or encounter.admitted_at
    doc_id = doc.id or "doc-" + _short_hash(eid, doc.doc_type, doc.text)
    doc = doc.model_copy(update={"id": doc_id, "patient_id": pid, "encounter_id": eid, "recorded_at": recorded})
    return ClinicalContext(patient=patient, encounter=encounter, documents=[doc])
