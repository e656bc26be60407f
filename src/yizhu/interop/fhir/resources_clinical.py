"""Import mapping, what was done and found: MedicationRequest, Observation (labs), AllergyIntolerance,
DocumentReference and Composition, one small function per resource type.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import tzinfo
from typing import Any

from yizhu.core.models import (
    AllergyIntolerance,
    ClinicalDocument,
    LabResult,
    MedicationOrder,
)
from yizhu.core.parsing import DOC_TYPES, UNKNOWN_TYPE, parse_document
from yizhu.interop.fhir.datatypes import (
    cc_codes,
    cc_text,
    check_code,
    coding_code,
    fmt_number,
    json_number,
    local_time,
    ref_name,
    xhtml_to_text,
)
from yizhu.interop.fhir.validation import Entry, Index, NoKnownAllergy, Skip
from yizhu.interop.fhir.valuesets import (
    ALLERGY_CLINICAL,
    ALLERGY_CRITICALITY,
    ALLERGY_VERIFICATION,
    COMPOSITION_STATUSES,
    DAILY,
    DAYS_PER_UNIT,
    DOCUMENT_REFERENCE_STATUSES,
    INTERPRETATION_FLAGS,
    MEDICATION_REQUEST_INTENTS,
    MEDICATION_REQUEST_STATUSES,
    NO_ALLERGY_TEXT,
    NO_KNOWN_ALLERGY_CODES,
    OBSERVATION_CATEGORIES,
    OBSERVATION_STATUSES,
    QUANTITY_COMPARATORS,
    REACTION_SEVERITY,
    SYSTEM_ALLERGY_CLINICAL,
    SYSTEM_ALLERGY_VERIFICATION,
    SYSTEM_GTS,
    SYSTEM_LOINC,
    SYSTEM_OBS_CATEGORY,
    SYSTEM_SNOMED,
    TEXT_TYPES,
    UNIT_ALIASES,
    UNITS_OF_TIME,
)


def _medication(e: Entry, index: Index) -> tuple[str, str | None]:
    """(drug name, code) from the concept, a contained Medication or one in the bundle."""
    r = e.resource
    if r.medicationCodeableConcept is not None:
        name = cc_text(r.medicationCodeableConcept)
        if name is None:
            raise e.error(
                "medicationCodeableConcept", "has neither text nor a coding display", "name the drug in text"
            )
        return name, coding_code(r.medicationCodeableConcept)
    ref = r.medicationReference
    reference = ref.reference or ""
    medication: Any = None
    if reference.startswith("#"):
        medication = next((c for c in r.contained or [] if c.id == reference[1:]), None)
    elif (target := index.resolve(reference)) is not None:
        medication = target.resource
    if medication is not None and medication.code is not None:
        name = cc_text(medication.code)
        if name:
            return name, coding_code(medication.code)
    if ref.display:
        return str(ref.display), None
    raise e.error(
        "medicationReference",
        f"{reference or 'the reference'} is neither contained nor a Medication with a named code in the bundle",
        "include the Medication resource or give reference.display",
    )


def _frequency(e: Entry, dosage: Any, base: str) -> str | None:
    """Frequency as doctors write it: bid, tid, q8h, qn, prn, ..."""
    prn = bool(dosage.asNeededBoolean) or dosage.asNeededCodeableConcept is not None
    timing = dosage.timing
    if timing is None:
        return "prn" if prn else None
    freq: str | None = None
    if timing.code is not None:
        gts = coding_code(timing.code, SYSTEM_GTS)
        freq = gts.lower() if gts else cc_text(timing.code)
    rep = timing.repeat
    if freq is None and rep is not None and (rep.frequency is not None or rep.period is not None):
        unit = check_code(e, f"{base}.timing.repeat.periodUnit", rep.periodUnit, UNITS_OF_TIME)
        if rep.period is None or unit is None:
            raise e.error(
                f"{base}.timing.repeat.period", "is needed with periodUnit to read a frequency",
                "give frequency, period and periodUnit (e.g. 2 per 1 d)",
            )
        freq = _repeat_to_text(rep.frequency or 1, float(rep.period), unit, list(rep.when or []))
    if prn:
        return f"{freq} prn" if freq else "prn"
    return freq


def _repeat_to_text(count: int, period: float, unit: str, when: list[str]) -> str:
    if unit == "d" and period == 1:
        if count == 1 and "HS" in when:
            return "qn"
        return DAILY.get(count, f"{count}/d")
    if count == 1:
        if unit == "d" and period == 2:
            return "qod"
        if unit == "wk" and period == 1:
            return "qw"
        return f"q{fmt_number(period)}{unit}"
    if unit == "wk" and period == 1 and count in (2, 3):
        return {2: "biw", 3: "tiw"}[count]
    return f"{count}/{fmt_number(period)}{unit}"


def _days(e: Entry, dispense: Any) -> float | None:
    if dispense is None or dispense.expectedSupplyDuration is None:
        return None
    d = dispense.expectedSupplyDuration
    if d.value is None:
        return None
    unit = d.code or d.unit or "d"
    unit = UNIT_ALIASES.get(unit, unit)
    if unit not in DAYS_PER_UNIT:
        raise e.error(
            "dispenseRequest.expectedSupplyDuration.code",
            f"{unit!r} is not a unit of time ({', '.join(DAYS_PER_UNIT)})",
            "use a UCUM unit of time such as d",
        )
    return float(d.value) * DAYS_PER_UNIT[unit]


def read_medication_order(e: Entry, index: Index, tz: tzinfo) -> MedicationOrder:
    r = e.resource
    status = check_code(e, "status", r.status, MEDICATION_REQUEST_STATUSES)
    intent = check_code(e, "intent", r.intent, MEDICATION_REQUEST_INTENTS)
    if status == "entered-in-error":
        raise Skip("status entered-in-error")
    drug, code = _medication(e, index)
    dosage = r.dosageInstruction[0] if r.dosageInstruction else None
    dose = unit = route = frequency = None
    if dosage is not None:
        for dr in dosage.doseAndRate or []:
            if dr.doseQuantity is not None:
                dose, unit = json_number(dr.doseQuantity.value), dr.doseQuantity.unit or dr.doseQuantity.code
                break
        route = cc_text(dosage.route)
        frequency = _frequency(e, dosage, "dosageInstruction.0")
    order_status = {
        "draft": "draft", "completed": "completed", "cancelled": "cancelled", "stopped": "cancelled",
    }.get(status or "", "active")
    if intent in ("proposal", "plan", "option") and order_status == "active":
        order_status = "draft"
    text = (dosage.text if dosage is not None and dosage.text else None) or " ".join(
        x for x in [drug, f"{fmt_number(dose)}{unit or ''}" if dose is not None else None, route, frequency] if x
    )
    return MedicationOrder(
        id=e.id,
        text=text,
        ordered_at=local_time(r.authoredOn, tz),
        prescriber=ref_name(r.requester, index),
        status=order_status,  # type: ignore[arg-type]
        drug=drug,
        dose=dose,
        unit=unit,
        route=route,
        frequency=frequency,
        days=_days(e, r.dispenseRequest),
        code=code,
    )


def read_lab(e: Entry, tz: tzinfo) -> LabResult:
    r = e.resource
    status = check_code(e, "status", r.status, OBSERVATION_STATUSES)
    if status in ("cancelled", "entered-in-error"):
        raise Skip(f"status {status}")
    categories = cc_codes(e, "category", r.category, SYSTEM_OBS_CATEGORY, OBSERVATION_CATEGORIES)
    if categories and "laboratory" not in categories:
        raise Skip(f"category {categories[0]}, not laboratory")
    name = cc_text(r.code)
    loinc = coding_code(r.code, SYSTEM_LOINC)
    if name is None and loinc is not None:
        name = _lab_name_by_loinc(loinc)  # systems that send only the code: named through the lab pack
    if name is None:
        raise e.error(
            "code", "has neither text nor a coding display, nor a LOINC code the lab pack knows",
            "name the test in code.text",
        )
    value: float | str
    unit: str | None = None
    q = r.valueQuantity
    if q is not None:
        if q.value is None:
            raise e.error("valueQuantity.value", "is missing", "give the result as a number")
        comparator = check_code(e, "valueQuantity.comparator", q.comparator, QUANTITY_COMPARATORS)
        value = f"{comparator}{fmt_number(float(q.value))}" if comparator else float(q.value)
        unit = q.unit or q.code
    elif r.valueString is not None:
        value = str(r.valueString)
    elif r.valueCodeableConcept is not None and cc_text(r.valueCodeableConcept):
        value = str(cc_text(r.valueCodeableConcept))
    elif r.valueInteger is not None:
        value = float(r.valueInteger)
    elif r.valueBoolean is not None:
        value = "阳性" if r.valueBoolean else "阴性"
    else:
        raise Skip("no value (dataAbsentReason or components only)")
    low = high = None
    ref_text = None
    if r.referenceRange:
        rr = r.referenceRange[0]
        low = json_number(rr.low.value) if rr.low is not None else None
        high = json_number(rr.high.value) if rr.high is not None else None
        ref_text = rr.text or _range_text(low, high)
    flag = _flag(r.interpretation, value, low, high)
    return LabResult(
        name=name,
        value=value,
        unit=unit,
        reference_range=ref_text,
        flag=flag,  # type: ignore[arg-type]
        loinc=loinc,
        observed_at=local_time(r.effectiveDateTime, tz)
        or (local_time(r.effectivePeriod.start, tz) if r.effectivePeriod else None)
        or local_time(r.effectiveInstant, tz)
        or local_time(r.issued, tz),
    )


def _lab_name_by_loinc(code: str) -> str | None:
    """The lab pack's name of the test a LOINC code identifies (primary or ``loinc_also`` codes)."""
    from yizhu.knowledge.packs import get_kb

    item = get_kb().lab_by_loinc(code)
    return item.name if item is not None else None


def _range_text(low: float | None, high: float | None) -> str | None:
    if low is not None and high is not None:
        return f"{fmt_number(low)}-{fmt_number(high)}"
    if low is not None:
        return f">={fmt_number(low)}"
    if high is not None:
        return f"<={fmt_number(high)}"
    return None


def _flag(interpretation: Any, value: float | str, low: float | None, high: float | None) -> str | None:
    """The sender's interpretation when given; else computed from a numeric reference range."""
    for cc in interpretation or []:
        for coding in cc.coding or []:
            if coding.code in INTERPRETATION_FLAGS:
                return INTERPRETATION_FLAGS[coding.code]
    if isinstance(value, float) and (low is not None or high is not None):
        if low is not None and value < low:
            return "L"
        if high is not None and value > high:
            return "H"
        return "N"
    return None


def read_allergy(e: Entry) -> AllergyIntolerance:
    r = e.resource
    clinical = cc_codes(e, "clinicalStatus", r.clinicalStatus, SYSTEM_ALLERGY_CLINICAL, ALLERGY_CLINICAL)
    verification = cc_codes(
        e, "verificationStatus", r.verificationStatus, SYSTEM_ALLERGY_VERIFICATION, ALLERGY_VERIFICATION
    )
    criticality = check_code(e, "criticality", r.criticality, ALLERGY_CRITICALITY)
    if {"refuted", "entered-in-error"} & set(verification):
        raise Skip(f"verificationStatus {verification[0]}")
    if {"inactive", "resolved"} & set(clinical):
        raise Skip(f"clinicalStatus {clinical[0]}")
    substance = cc_text(r.code)
    if substance is None:
        substance = next((t for t in (cc_text(x.substance) for x in r.reaction or []) if t), None)
    if substance is None:
        raise e.error("code", "has neither text nor a coding display", "name the allergen in code.text")
    if coding_code(r.code, SYSTEM_SNOMED) in NO_KNOWN_ALLERGY_CODES or NO_ALLERGY_TEXT.match(substance):
        raise NoKnownAllergy("records no known allergy")
    manifestations: list[str] = []
    severities: list[str] = []
    for i, reaction in enumerate(r.reaction or []):
        for m in reaction.manifestation or []:
            text = cc_text(m)
            if text and text not in manifestations:
                manifestations.append(text)
        sev = check_code(e, f"reaction.{i}.severity", reaction.severity, REACTION_SEVERITY)
        if sev:
            severities.append(sev)
    severity = max(severities, key=REACTION_SEVERITY.index) if severities else None
    if severity is None:
        severity = {"high": "severe", "low": "mild"}.get(criticality or "")
    return AllergyIntolerance(
        substance=substance,
        reaction="、".join(manifestations) or None,
        severity=severity,  # type: ignore[arg-type]
        code=coding_code(r.code),
    )


def _note(e: Entry, text: str, type_text: str | None) -> ClinicalDocument:
    """Parse note text with the document parser; the FHIR type names the note when the text does not."""
    doc = parse_document(text, doc_id=e.id)
    if doc.doc_type == UNKNOWN_TYPE and type_text:
        compact = re.sub(r"\s+", "", type_text)
        for canon, titles in DOC_TYPES.items():
            if compact in titles or compact == canon:
                doc = doc.model_copy(update={"doc_type": canon})
                break
    return doc


def read_document_reference(e: Entry, index: Index) -> ClinicalDocument:
    r = e.resource
    status = check_code(e, "status", r.status, DOCUMENT_REFERENCE_STATUSES)
    doc_status = check_code(e, "docStatus", r.docStatus, COMPOSITION_STATUSES)
    if status != "current" or doc_status == "entered-in-error":
        raise Skip(f"status {status}, docStatus {doc_status}")
    text: str | None = None
    for j, content in enumerate(r.content):
        text = _attachment_text(e, f"content.{j}.attachment", content.attachment, index)
        if text:
            break
    if not text:
        raise Skip("no text/plain or text/html attachment with inline data (URLs are not fetched)")
    type_text = cc_text(r.type)
    doc = _note(e, text, type_text)
    update = {
        "title": doc.title or r.description or type_text,
        "author": ref_name(r.author[0], index) if r.author else None,
    }
    return doc.model_copy(update=update)


def _attachment_text(e: Entry, field_path: str, att: Any, index: Index) -> str | None:
    """Inline note text of an attachment (its data, or a Binary in the bundle); None for non-text."""
    ctype = (att.contentType or "text/plain").lower()
    mime = ctype.split(";")[0].strip()
    if mime not in TEXT_TYPES:
        return None
    data: bytes | None = att.data
    if data is None and att.url:
        target = index.resolve(att.url)
        if target is not None and target.type == "Binary":
            data = target.resource.data
    if data is None:
        return None
    charset_match = re.search(r"charset=([\w\-]+)", ctype)
    charset = charset_match.group(1) if charset_match else "utf-8"
    try:
        text = bytes(data).decode(charset)
    except (LookupError, UnicodeDecodeError) as exc:
        raise e.error(f"{field_path}.data", f"is not valid {charset} text ({exc})", "fix contentType charset") from exc
    if mime in ("text/html", "application/xhtml+xml"):
        text = xhtml_to_text(text)
    return text.strip() or None


def read_composition(e: Entry, index: Index) -> ClinicalDocument:
    r = e.resource
    status = check_code(e, "status", r.status, COMPOSITION_STATUSES)
    if status == "entered-in-error":
        raise Skip("status entered-in-error")
    lines = [str(r.title)] if r.title else []
    lines.extend(_section_lines(r.section or []))
    if len(lines) <= 1:
        raise Skip("no section text")
    type_text = cc_text(r.type)
    doc = _note(e, "\n".join(lines), type_text)
    return doc.model_copy(
        update={"title": doc.title or r.title, "author": ref_name(r.author[0], index) if r.author else None}
    )


def _section_lines(sections: Any) -> Iterator[str]:
    """One 'heading：text' line per Composition section (nested sections follow their parent)."""
    for s in sections:
        heading = s.title or cc_text(s.code)
        body = xhtml_to_text(s.text.div) if s.text is not None and s.text.div else ""
        if heading and body:
            yield f"{heading}：{body}"
        elif body:
            yield body
        elif heading and s.section:
            yield f"{heading}："
        yield from _section_lines(s.section or [])
