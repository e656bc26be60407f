"""Build a ClinicalContext from one parsed note: patient and encounter taken from its header fields."""

from __future__ import annotations

import hashlib
import re
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


_AGE_PART = re.compile(r"(\d+(?:\.\d+)?)\s*(岁半|岁|周岁|个月|个半月|月龄|月|周|天|日)")


def parse_age(value: str | None) -> float | None:
    """An age as written → years, every part counted: 67岁, 2岁8个月 (2.667), 3岁半, 8个月, 8月龄, 月龄8个月,
    3周, 20天 (a newborn). A bare number is years."""
    if not value:
        return None
    text = str(value).replace("月龄", "个月") if re.search(r"\d\s*月龄|月龄\s*\d", str(value)) else str(value)
    parts = _AGE_PART.findall(text)
    if not parts:
        m = re.search(r"\d+(?:\.\d+)?", text)
        return float(m.group(0)) if m else None
    per_year = {"岁": 1.0, "周岁": 1.0, "岁半": 1.0, "个月": 12.0, "月": 12.0, "月龄": 12.0, "个半月": 12.0,
                "周": 52.18, "天": 365.25, "日": 365.25}
    years = 0.0
    for num, unit in parts:
        years += float(num) / per_year[unit]
        if unit == "岁半":
            years += 0.5
        elif unit == "个半月":
            years += 0.5 / 12
    return round(years, 4)


def age_text(years: float) -> str:
    """An age in years as a record writes it: 67岁; a small child 2岁8个月; an infant 8个月; a newborn or young infant in days (20天, 45天)."""
    days = round(years * 365.25)
    if days < 90:
        return f"{days}天"
    months = round(years * 12)
    if months < 12:
        return f"{months}个月"
    whole = int(years + 1e-6)
    rest = round((years - whole) * 12)
    if rest == 12:
        whole, rest = whole + 1, 0
    return f"{whole}岁{rest}个月" if whole < 6 and rest else f"{whole}岁"


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
