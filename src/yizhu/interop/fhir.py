"""FHIR R4 import and export: a Bundle becomes ClinicalContexts, and a ClinicalContext a Bundle.

Why two layers of validation: ``fhir.resources.R4B`` (the installed model set closest to R4) checks
structure and datatypes, but not code values and it accepts numbers sent as JSON strings. So this
module also checks, against the HL7 FHIR R4 (4.0.1) value sets, every code it relies on to build a
context (gender, encounter class and status, medication status and intent, condition category and
status, quantity comparators, units of time, ...), and that the numbers it reads are JSON numbers.
Every failure is a :class:`~yizhu.errors.FHIRError` naming the bundle entry, the resource and the
field, and saying the fix::

    Bundle.entry[3] MedicationRequest/abc: field 'dosageInstruction.0.timing.repeat.frequency':
    Input should be a valid integer; fix the resource

Grouping: one ClinicalContext per Encounter. Resources without an encounter reference are
patient-level facts (allergies, problem list, results from elsewhere); they are copied into every
encounter context of their patient, and a patient without any encounter gets one patient-level
context (``encounter=None``). Resources that are valid but carry nothing to import (an
entered-in-error record, a refuted condition, a vital-sign observation, a PDF-only document) are
listed with the reason in ``ctx.extra["fhir_import"]["skipped"]``; a "no known allergy" record sets
``ctx.extra["fhir_import"]["no_known_allergies"]``.
"""

from __future__ import annotations

import base64
import json
import re
import uuid
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone, tzinfo
from html.parser import HTMLParser
from typing import Any

from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle
from pydantic import ValidationError

from yizhu.core.models import (
    AllergyIntolerance,
    ClinicalContext,
    ClinicalDocument,
    Diagnosis,
    Encounter,
    EncounterClass,
    LabResult,
    MedicationOrder,
    Order,
    Patient,
    Sex,
    parse_sex,
)
from yizhu.core.parsing import DOC_TYPES, UNKNOWN_TYPE, parse_document
from yizhu.errors import FHIRError, InputError

#: Hospital local time. FHIR times carry an offset; yizhu's are naive local time (see core.models).
CHINA_STANDARD_TIME = timezone(timedelta(hours=8), "CST")

SYSTEM_ICD10 = "http://hl7.org/fhir/sid/icd-10"
SYSTEM_LOINC = "http://loinc.org"
SYSTEM_UCUM = "http://unitsofmeasure.org"
SYSTEM_ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
SYSTEM_GTS = "http://terminology.hl7.org/CodeSystem/v3-GTSAbbreviation"
SYSTEM_INTERPRETATION = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"
SYSTEM_OBS_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
SYSTEM_COND_CATEGORY = "http://terminology.hl7.org/CodeSystem/condition-category"
SYSTEM_COND_CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical"
SYSTEM_COND_VERIFICATION = "http://terminology.hl7.org/CodeSystem/condition-ver-status"
SYSTEM_ALLERGY_CLINICAL = "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical"
SYSTEM_ALLERGY_VERIFICATION = "http://terminology.hl7.org/CodeSystem/allergyintolerance-verification"
SYSTEM_DIAGNOSIS_ROLE = "http://terminology.hl7.org/CodeSystem/diagnosis-role"
SYSTEM_IDENTIFIER_TYPE = "http://terminology.hl7.org/CodeSystem/v2-0203"
SYSTEM_PARTICIPATION = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType"
SYSTEM_LOCATION_TYPE = "http://terminology.hl7.org/CodeSystem/location-physical-type"
SYSTEM_ACT_REASON = "http://terminology.hl7.org/CodeSystem/v3-ActReason"
SYSTEM_SNOMED = "http://snomed.info/sct"
#: Our own tag system for synthetic (合成) records; HTEST in meta.security is recognised too.
SYSTEM_YIZHU_TAG = "https://yizhu.invalid/fhir/CodeSystem/tag"

# ---- R4 value sets this module relies on (source: HL7 FHIR R4 4.0.1, value set named per line) ----
BUNDLE_TYPES = (  # bundle-type
    "document", "message", "transaction", "transaction-response", "batch", "batch-response",
    "history", "searchset", "collection",
)
#: Bundle types whose entries are resources to import (responses and history are not).
IMPORTABLE_BUNDLE_TYPES = ("collection", "transaction", "batch", "searchset", "document")
GENDERS = ("male", "female", "other", "unknown")  # administrative-gender
#: v3 ActEncounterCode subset accepted (v3-ActEncounterCode); VR is 互联网医院 online care.
ENCOUNTER_CLASSES: dict[str, EncounterClass] = {
    "AMB": EncounterClass.outpatient,
    "VR": EncounterClass.outpatient,
    "IMP": EncounterClass.inpatient,
    "ACUTE": EncounterClass.inpatient,
    "NONAC": EncounterClass.inpatient,
    "EMER": EncounterClass.emergency,
}
ENCOUNTER_STATUSES = (  # encounter-status
    "planned", "arrived", "triaged", "in-progress", "onleave", "finished", "cancelled",
    "entered-in-error", "unknown",
)
MEDICATION_REQUEST_STATUSES = (  # medicationrequest-status
    "active", "on-hold", "cancelled", "completed", "entered-in-error", "stopped", "draft", "unknown",
)
MEDICATION_REQUEST_INTENTS = (  # medicationrequest-intent
    "proposal", "plan", "order", "original-order", "reflex-order", "filler-order", "instance-order", "option",
)
CONDITION_CATEGORIES = ("problem-list-item", "encounter-diagnosis")  # condition-category
CONDITION_CLINICAL = ("active", "recurrence", "relapse", "inactive", "remission", "resolved")  # condition-clinical
CONDITION_VERIFICATION = (  # condition-ver-status
    "unconfirmed", "provisional", "differential", "confirmed", "refuted", "entered-in-error",
)
OBSERVATION_STATUSES = (  # observation-status
    "registered", "preliminary", "final", "amended", "corrected", "cancelled", "entered-in-error", "unknown",
)
OBSERVATION_CATEGORIES = (  # observation-category
    "social-history", "vital-signs", "imaging", "laboratory", "procedure", "survey", "exam", "therapy",
    "activity",
)
QUANTITY_COMPARATORS = ("<", "<=", ">=", ">")  # quantity-comparator
UNITS_OF_TIME = ("s", "min", "h", "d", "wk", "mo", "a")  # units-of-time (UCUM)
ALLERGY_CLINICAL = ("active", "inactive", "resolved")  # allergyintolerance-clinical
ALLERGY_VERIFICATION = ("unconfirmed", "confirmed", "refuted", "entered-in-error")  # allergyintolerance-verification
ALLERGY_CRITICALITY = ("low", "high", "unable-to-assess")  # allergy-intolerance-criticality
REACTION_SEVERITY = ("mild", "moderate", "severe")  # reaction-event-severity
DOCUMENT_REFERENCE_STATUSES = ("current", "superseded", "entered-in-error")  # document-reference-status
COMPOSITION_STATUSES = ("preliminary", "final", "amended", "entered-in-error")  # composition-status

#: v3 ObservationInterpretation codes -> LabResult.flag (HU/LU "significantly high/low" as HH/LL).
INTERPRETATION_FLAGS: dict[str, str] = {
    "N": "N", "H": "H", "L": "L", "HH": "HH", "LL": "LL", "HU": "HH", "LU": "LL", "A": "A", "AA": "A",
    "POS": "A", "DET": "A", "NEG": "N", "ND": "N",
}
#: SNOMED CT situations that say "no known allergy" rather than naming an allergen.
NO_KNOWN_ALLERGY_CODES = {"716186003", "409137002", "429625007", "428607008"}
_NO_ALLERGY_TEXT = re.compile(r"^\s*(?:无|否认|无已知|NKA|NKDA|no known)", re.IGNORECASE)
_DAYS_PER_UNIT = {"min": 1 / 1440, "h": 1 / 24, "d": 1.0, "wk": 7.0, "mo": 30.0, "a": 365.0}
_UNIT_ALIASES = {
    "day": "d", "days": "d", "天": "d", "日": "d", "hour": "h", "hours": "h", "小时": "h",
    "week": "wk", "weeks": "wk", "周": "wk", "month": "mo", "months": "mo", "月": "mo",
    "minute": "min", "minutes": "min", "分钟": "min", "year": "a", "years": "a", "年": "a",
}
_DAILY = {1: "qd", 2: "bid", 3: "tid", 4: "qid"}
_TEXT_TYPES = ("text/plain", "text/html", "application/xhtml+xml", "text/markdown")
#: Keys whose raw JSON must be a number (fhir.resources would accept "5.6" as a string): Timing.repeat's,
#: anywhere's rank, and the value of a Quantity.
_REPEAT_NUMBERS = (
    "frequency", "frequencyMax", "period", "periodMax", "count", "countMax", "duration", "durationMax",
)
_QUANTITY_KEYS = (
    "valueQuantity", "doseQuantity", "low", "high", "expectedSupplyDuration", "quantity", "rateQuantity",
)
_ID_RE = re.compile(r"[A-Za-z0-9\-.]{1,64}")
_REF_TAIL_RE = re.compile(r"(?:^|/)([A-Z][A-Za-z]+)/([A-Za-z0-9\-.]{1,64})(?:/_history/[^/]+)?$")
_UUID_NAMESPACE = uuid.UUID("6f1d9c3e-2b7a-5c1e-9f5e-7a9d3c1b2e40")


class _Skip(Exception):
    """A valid resource with nothing to import; the reason is kept in the context."""


class _NoKnownAllergy(_Skip):
    """An AllergyIntolerance saying "no known allergy": not an allergen, but 过敏史 was taken."""


# ------------------------------------------------------------------------------------------------
# Bundle loading and validation


@dataclass(frozen=True)
class _Entry:
    """One validated bundle entry: its position, fullUrl, raw JSON and R4B model."""

    index: int
    full_url: str | None
    raw: dict[str, Any]
    resource: Any

    @property
    def type(self) -> str:
        return str(self.raw["resourceType"])

    @property
    def id(self) -> str:
        if self.resource.id:
            return str(self.resource.id)
        if self.full_url:
            return self.full_url.removeprefix("urn:uuid:").removeprefix("urn:oid:").rsplit("/", 1)[-1]
        return f"entry{self.index}"

    @property
    def key(self) -> str:
        return f"{self.type}/{self.id}"

    @property
    def label(self) -> str:
        return _label(self.type, self.resource.id, self.full_url)

    def error(self, field: str, problem: str, fix: str = "fix the resource") -> FHIRError:
        """A FHIRError naming this entry, the field and the fix."""
        return FHIRError(f"Bundle.entry[{self.index}] {self.label}: field '{field}': {problem}; {fix}")


def _label(rtype: str, rid: Any, full_url: str | None) -> str:
    if isinstance(rid, str) and rid:
        return f"{rtype}/{rid}"
    if full_url:
        return f"{rtype} ({full_url})"
    return rtype


def _load_json(data: dict[str, Any] | str | bytes) -> dict[str, Any]:
    """Decode the caller's input into a Bundle dict, or say exactly why it is not one."""
    obj: Any = data
    if isinstance(data, bytes | bytearray):
        try:
            obj = bytes(data).decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise FHIRError(f"Bundle: input is not UTF-8 text ({exc}); send FHIR JSON encoded as UTF-8.") from exc
    if isinstance(obj, str):
        try:
            obj = json.loads(obj)
        except json.JSONDecodeError as exc:
            raise FHIRError(
                f"Bundle: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}); fix the JSON syntax."
            ) from exc
    if not isinstance(obj, dict):
        raise FHIRError(
            f"Bundle: expected a JSON object with resourceType 'Bundle', got a JSON {type(obj).__name__}; "
            "send one Bundle resource."
        )
    rtype = obj.get("resourceType")
    if rtype != "Bundle":
        raise FHIRError(
            f"Bundle: field 'resourceType': expected 'Bundle', got {rtype!r}; wrap the resources in a "
            "Bundle of type 'collection' (each one as entry[].resource)."
        )
    return obj


def _pydantic_problem(err: Any) -> tuple[str, str]:
    """(field path, readable problem) for one pydantic error of a FHIR model."""
    loc = [str(x) for x in err.get("loc", ())]
    msg = str(err.get("msg", "invalid"))
    msg = msg.removeprefix("Value error, ")
    kind = str(err.get("type"))
    given = err.get("input")
    choice = re.search(r"Expect any of field value from this list \[(.*?)\]", msg)
    if choice:
        names = re.findall(r"'(\w+)'", choice.group(1))
        stem = re.match(r"[a-z]+", names[0]) if names else None
        loc.append((stem.group(0) if stem else "value") + "[x]")
        msg = f"one of {', '.join(names)} is required"
    elif kind == "missing" or re.fullmatch(r"Value for the field '\w+' is required\.?", msg):
        msg = "is required but missing"
    elif kind == "extra_forbidden":
        msg = "is not an element of this resource in FHIR R4 (check the spelling and nesting)"
    elif isinstance(given, int | float) and not isinstance(given, bool) and "date" in f"{kind} {msg}".lower():
        msg = f"must be a JSON string such as 2024-03-01, got the number {given}"
    elif kind == "json_invalid":
        msg = "expected a JSON object here, got a plain value"
    elif "does not match spec regex" in msg:
        msg += (
            " (FHIR dates are YYYY, YYYY-MM or YYYY-MM-DD; dateTimes with a time need seconds and an "
            "offset, e.g. 2024-03-01T08:30:00+08:00)"
        )
    return ".".join(loc), msg


def _validation_error(prefix: str, exc: ValidationError, strip: int = 0) -> FHIRError:
    errors = exc.errors()
    field_path, problem = _pydantic_problem({**errors[0], "loc": tuple(errors[0]["loc"])[strip:]})
    more = ""
    if len(errors) > 1:
        others = [_pydantic_problem({**e, "loc": tuple(e["loc"])[strip:]})[0] for e in errors[1:4]]
        more = f" ({len(errors) - 1} more problem(s), in: {', '.join(repr(o) for o in others)})"
    where = f"field '{field_path}': " if field_path else ""
    return FHIRError(f"{prefix}: {where}{problem}; fix the resource{more}")


def _check_raw(index: int, label: str, node: Any, path: str = "", parent: str = "") -> None:
    """What fhir.resources lets through: numbers sent as JSON strings ("5.6") and loose base64."""
    if isinstance(node, dict):
        for key, value in node.items():
            sub = f"{path}.{key}" if path else key
            numeric = (
                key == "rank"
                or (parent == "repeat" and key in _REPEAT_NUMBERS)
                or (parent in _QUANTITY_KEYS and key == "value")
            )
            if numeric and isinstance(value, str):
                raise FHIRError(
                    f"Bundle.entry[{index}] {label}: field '{sub}': must be a JSON number, got the string "
                    f"{value!r}; write the number without quotes"
                )
            if key == "data" and isinstance(value, str):  # Attachment.data, Binary.data: base64Binary
                try:
                    base64.b64decode(re.sub(r"\s+", "", value), validate=True)
                except ValueError as exc:
                    raise FHIRError(
                        f"Bundle.entry[{index}] {label}: field '{sub}': is not valid base64 ({exc}); "
                        "encode the content with standard base64"
                    ) from exc
            _check_raw(index, label, value, sub, key)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            _check_raw(index, label, value, f"{path}.{i}", parent)


def _validate(raw: dict[str, Any]) -> tuple[str, list[_Entry]]:
    """Validate the Bundle shell and each resource; return the bundle type and the entries."""
    entries_raw = raw.get("entry")
    if entries_raw is None:
        entries_raw = []
    if not isinstance(entries_raw, list):
        raise FHIRError("Bundle: field 'entry': must be a JSON array of entries; fix the bundle.")
    shell = {k: v for k, v in raw.items() if k != "entry"}
    shell["entry"] = [
        {k: v for k, v in e.items() if k != "resource"} if isinstance(e, dict) else e for e in entries_raw
    ]
    if not shell["entry"]:
        del shell["entry"]
    try:
        bundle = Bundle.model_validate(shell)
    except ValidationError as exc:
        loc = exc.errors()[0]["loc"]
        if len(loc) >= 2 and loc[0] == "entry":
            raise _validation_error(f"Bundle.entry[{loc[1]}]", exc, strip=2) from exc
        raise _validation_error("Bundle", exc) from exc
    btype = str(bundle.type)
    if btype not in BUNDLE_TYPES:
        raise FHIRError(f"Bundle: field 'type': {btype!r} is not one of {', '.join(BUNDLE_TYPES)}; fix the code.")
    if btype not in IMPORTABLE_BUNDLE_TYPES:
        raise FHIRError(
            f"Bundle: field 'type': {btype!r} bundles are not imported (they hold responses or versions); "
            f"send one of {', '.join(IMPORTABLE_BUNDLE_TYPES)}."
        )
    entries: list[_Entry] = []
    for i, entry in enumerate(entries_raw):
        res = entry.get("resource")
        if res is None:
            request = entry.get("request")
            if isinstance(request, dict) and request.get("method") == "DELETE":  # a DELETE in a transaction
                continue
            raise FHIRError(
                f"Bundle.entry[{i}]: field 'resource': is missing; every entry but a transaction DELETE holds one."
            )
        if not isinstance(res, dict):
            raise FHIRError(f"Bundle.entry[{i}]: field 'resource': must be a JSON object; fix the entry.")
        rtype = res.get("resourceType")
        full_url = entry.get("fullUrl")
        if not isinstance(rtype, str) or not rtype:
            raise FHIRError(
                f"Bundle.entry[{i}]: field 'resource.resourceType': is missing; name the resource type."
            )
        label = _label(rtype, res.get("id"), full_url)
        try:
            model_class = get_fhir_model_class(rtype)
        except ValueError as exc:
            raise FHIRError(
                f"Bundle.entry[{i}] {label}: field 'resourceType': {rtype!r} is not a FHIR R4 resource type; "
                "fix the spelling (e.g. 'MedicationRequest')."
            ) from exc
        _check_raw(i, label, res)
        try:
            model = model_class.model_validate(res)
        except ValidationError as exc:
            raise _validation_error(f"Bundle.entry[{i}] {label}", exc) from exc
        except (ValueError, TypeError, KeyError) as exc:  # fhir.resources raises these for nested types
            raise FHIRError(f"Bundle.entry[{i}] {label}: {exc}; fix the resource") from exc
        entries.append(_Entry(i, full_url, res, model))
    return btype, entries


class _Index:
    """Resolves references inside the bundle: by fullUrl, by Type/id, or by an absolute URL's tail."""

    def __init__(self, entries: Iterable[_Entry]) -> None:
        self._by: dict[str, _Entry] = {}
        for e in entries:
            if e.full_url:
                self._by.setdefault(e.full_url, e)
            self._by.setdefault(e.key, e)

    def resolve(self, reference: str | None) -> _Entry | None:
        if not reference:
            return None
        if reference in self._by:
            return self._by[reference]
        m = _REF_TAIL_RE.search(reference)
        return self._by.get(f"{m.group(1)}/{m.group(2)}") if m else None


# ------------------------------------------------------------------------------------------------
# Small readers of FHIR datatypes


def _check_code(e: _Entry, field_path: str, value: str | None, allowed: Collection[str]) -> str | None:
    """A code we rely on must be in its value set; fhir.resources does not check this."""
    if value is not None and value not in allowed:
        raise e.error(field_path, f"{value!r} is not one of {', '.join(allowed)}", "use one of these codes")
    return value


def _cc_codes(e: _Entry, field_path: str, concepts: Any, system: str, allowed: Collection[str]) -> list[str]:
    """Codes of one system in a CodeableConcept (or a list of them), each checked against ``allowed``."""
    if concepts is None:
        return []
    items = concepts if isinstance(concepts, list) else [concepts]
    prefix = field_path
    found: list[str] = []
    for i, cc in enumerate(items):
        base = f"{prefix}.{i}" if isinstance(concepts, list) else prefix
        for j, coding in enumerate(cc.coding or []):
            if coding.system in (system, None) and coding.code is not None:
                _check_code(e, f"{base}.coding.{j}.code", coding.code, allowed)
                found.append(coding.code)
    return found


def _cc_text(cc: Any) -> str | None:
    """What a clinician would read: the concept's text, else the first coding display."""
    if cc is None:
        return None
    if cc.text and cc.text.strip():
        return str(cc.text).strip()
    for coding in cc.coding or []:
        if coding.display and coding.display.strip():
            return str(coding.display).strip()
    return None


def _coding_code(cc: Any, system_prefix: str | None = None) -> str | None:
    if cc is None:
        return None
    for coding in cc.coding or []:
        if coding.code and (system_prefix is None or (coding.system or "").startswith(system_prefix)):
            return str(coding.code)
    return None


def _num(value: Any) -> float | None:
    return None if value is None else float(value)


def _fmt(value: float) -> str:
    return f"{value:g}"


def _local(value: Any, tz: tzinfo) -> datetime | None:
    """FHIR date/dateTime/instant to naive hospital-local time; partial dates (YYYY, YYYY-MM) give None."""
    if isinstance(value, datetime):
        return value.astimezone(tz).replace(tzinfo=None) if value.tzinfo else value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    return None


def _human_name(names: Any) -> str | None:
    """Chinese names are family+given without a space (张三); Western ones given family."""
    if not names:
        return None
    chosen = next((n for n in names if n.use in ("official", "usual")), names[0])
    if chosen.text and chosen.text.strip():
        return str(chosen.text).strip()
    family = chosen.family or ""
    given = list(chosen.given or [])
    parts = [family, *given]
    if any(_is_cjk(p) for p in parts):
        return "".join(parts) or None
    return " ".join(p for p in [*given, family] if p) or None


def _is_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def _ref_name(ref: Any, index: _Index) -> str | None:
    """A person or place named by a reference: its display, else the referenced resource's name."""
    if ref is None:
        return None
    if ref.display:
        return str(ref.display)
    target = index.resolve(ref.reference)
    if target is None:
        return None
    r = target.resource
    if target.type in ("Practitioner", "Patient", "RelatedPerson"):
        return _human_name(r.name)
    name = getattr(r, "name", None)
    return str(name) if isinstance(name, str) else None


def _is_synthetic(resource: Any) -> bool:
    """Synthetic (合成) records are tagged in meta.tag / meta.security or say so in their narrative."""
    meta = resource.meta
    if meta is not None:
        for coding in [*(meta.tag or []), *(meta.security or [])]:
            if coding.code in ("synthetic", "HTEST") or re.search(r"合成|synthetic", coding.display or "", re.I):
                return True
    text = getattr(resource, "text", None)
    return bool(text is not None and re.search(r"合成|synthetic", text.div or "", re.IGNORECASE))


class _TextExtractor(HTMLParser):
    """XHTML narrative to plain text: block elements and <br> become line breaks."""

    _BLOCKS = frozenset(
        {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "pre"}
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._BLOCKS:
            self.parts.append("\n")
        elif tag in ("td", "th"):
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def xhtml_to_text(xhtml: str) -> str:
    """Plain text of an XHTML fragment (FHIR narrative), one line per block, blank lines removed."""
    parser = _TextExtractor()
    parser.feed(xhtml)
    parser.close()
    lines = (re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in "".join(parser.parts).splitlines())
    return "\n".join(line for line in lines if line)


# ------------------------------------------------------------------------------------------------
# One small function per resource type


def _patient(e: _Entry) -> Patient:
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
        name=_human_name(r.name),
        sex=sex,
        birth_date=birth,
        mrn=_mrn(r.identifier),
        phone=phone,
        address=address,
        synthetic=_is_synthetic(r),
    )


def _sex(e: _Entry, gender: str | None) -> Sex:
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
        if _coding_code(ident.type, SYSTEM_IDENTIFIER_TYPE) == "MR" and ident.value:
            return str(ident.value)
    for ident in identifiers or []:
        if ident.value and re.search(r"mrn|medical-record|病案", ident.system or "", re.IGNORECASE):
            return str(ident.value)
    return None


def _encounter(e: _Entry, patient_id: str, index: _Index, tz: tzinfo) -> Encounter:
    r = e.resource
    _check_code(e, "status", r.status, ENCOUNTER_STATUSES)
    code = r.class_fhir.code
    if code not in ENCOUNTER_CLASSES:
        raise e.error(
            "class.code",
            f"{code!r} is not one of {', '.join(ENCOUNTER_CLASSES)} (v3 ActCode)",
            "use AMB (门诊), IMP (住院) or EMER (急诊)",
        )
    department = _cc_text(r.serviceType) or next((t for t in map(_cc_text, r.type or []) if t), None)
    period = r.period
    return Encounter(
        id=e.id,
        patient_id=patient_id,
        encounter_class=ENCOUNTER_CLASSES[code],
        department=department,
        admitted_at=_local(period.start, tz) if period else None,
        discharged_at=_local(period.end, tz) if period else None,
        bed=_bed(r.location, index),
        attending=_attending(r.participant, index),
    )


def _bed(locations: Any, index: _Index) -> str | None:
    """The bed: the location typed 'bd', else the active one, else the last listed."""
    if not locations:
        return None
    beds = [loc for loc in locations if _coding_code(loc.physicalType) == "bd"]
    active = [loc for loc in locations if loc.status == "active"]
    chosen = (beds or active or locations)[-1]
    return _ref_name(chosen.location, index)


def _attending(participants: Any, index: _Index) -> str | None:
    for p in participants or []:
        if any(_coding_code(t) == "ATND" for t in p.type or []):
            return _ref_name(p.individual, index)
    return None


@dataclass(frozen=True)
class _Role:
    """What the Encounter says about one of its diagnoses (Encounter.diagnosis)."""

    kind: str | None
    is_main: bool


def _diagnosis_roles(e: _Entry, index: _Index) -> dict[str, _Role]:
    roles: dict[str, _Role] = {}
    for d in e.resource.diagnosis or []:
        target = index.resolve(d.condition.reference)
        if target is None:
            continue
        use = _coding_code(d.use)
        kind = {"AD": "admission", "DD": "discharge"}.get(use or "")
        roles[target.key] = _Role(kind, d.rank == 1)
    return roles


def _diagnosis(e: _Entry, role: _Role | None, encounter: Encounter | None, tz: tzinfo) -> Diagnosis:
    r = e.resource
    categories = _cc_codes(e, "category", r.category, SYSTEM_COND_CATEGORY, CONDITION_CATEGORIES)
    clinical = _cc_codes(e, "clinicalStatus", r.clinicalStatus, SYSTEM_COND_CLINICAL, CONDITION_CLINICAL)
    verification = _cc_codes(
        e, "verificationStatus", r.verificationStatus, SYSTEM_COND_VERIFICATION, CONDITION_VERIFICATION
    )
    if {"refuted", "entered-in-error"} & set(verification):
        raise _Skip(f"verificationStatus {verification[0]}")
    if "problem-list-item" in categories and {"inactive", "resolved", "remission"} & set(clinical):
        raise _Skip(f"problem-list item with clinicalStatus {clinical[0]}")
    if r.code is None:
        raise e.error("code", "is required to import a diagnosis", "add the diagnosis as code.text or a coding")
    text = _cc_text(r.code)
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
        code=_coding_code(r.code, SYSTEM_ICD10),
        kind=kind,  # type: ignore[arg-type]
        is_main=bool(role and role.is_main),
        recorded_at=_local(r.recordedDate, tz) or _local(r.onsetDateTime, tz),
    )


def _medication(e: _Entry, index: _Index) -> tuple[str, str | None]:
    """(drug name, code) from the concept, a contained Medication or one in the bundle."""
    r = e.resource
    if r.medicationCodeableConcept is not None:
        name = _cc_text(r.medicationCodeableConcept)
        if name is None:
            raise e.error(
                "medicationCodeableConcept", "has neither text nor a coding display", "name the drug in text"
            )
        return name, _coding_code(r.medicationCodeableConcept)
    ref = r.medicationReference
    reference = ref.reference or ""
    medication: Any = None
    if reference.startswith("#"):
        medication = next((c for c in r.contained or [] if c.id == reference[1:]), None)
    elif (target := index.resolve(reference)) is not None:
        medication = target.resource
    if medication is not None and medication.code is not None:
        name = _cc_text(medication.code)
        if name:
            return name, _coding_code(medication.code)
    if ref.display:
        return str(ref.display), None
    raise e.error(
        "medicationReference",
        f"{reference or 'the reference'} is neither contained nor a Medication with a named code in the bundle",
        "include the Medication resource or give reference.display",
    )


def _frequency(e: _Entry, dosage: Any, base: str) -> str | None:
    """Frequency as doctors write it: bid, tid, q8h, qn, prn, ..."""
    prn = bool(dosage.asNeededBoolean) or dosage.asNeededCodeableConcept is not None
    timing = dosage.timing
    if timing is None:
        return "prn" if prn else None
    freq: str | None = None
    if timing.code is not None:
        gts = _coding_code(timing.code, SYSTEM_GTS)
        freq = gts.lower() if gts else _cc_text(timing.code)
    rep = timing.repeat
    if freq is None and rep is not None and (rep.frequency is not None or rep.period is not None):
        unit = _check_code(e, f"{base}.timing.repeat.periodUnit", rep.periodUnit, UNITS_OF_TIME)
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
        return _DAILY.get(count, f"{count}/d")
    if count == 1:
        if unit == "d" and period == 2:
            return "qod"
        if unit == "wk" and period == 1:
            return "qw"
        return f"q{_fmt(period)}{unit}"
    if unit == "wk" and period == 1 and count in (2, 3):
        return {2: "biw", 3: "tiw"}[count]
    return f"{count}/{_fmt(period)}{unit}"


def _days(e: _Entry, dispense: Any) -> float | None:
    if dispense is None or dispense.expectedSupplyDuration is None:
        return None
    d = dispense.expectedSupplyDuration
    if d.value is None:
        return None
    unit = d.code or d.unit or "d"
    unit = _UNIT_ALIASES.get(unit, unit)
    if unit not in _DAYS_PER_UNIT:
        raise e.error(
            "dispenseRequest.expectedSupplyDuration.code",
            f"{unit!r} is not a unit of time ({', '.join(_DAYS_PER_UNIT)})",
            "use a UCUM unit of time such as d",
        )
    return float(d.value) * _DAYS_PER_UNIT[unit]


def _medication_order(e: _Entry, index: _Index, tz: tzinfo) -> MedicationOrder:
    r = e.resource
    status = _check_code(e, "status", r.status, MEDICATION_REQUEST_STATUSES)
    intent = _check_code(e, "intent", r.intent, MEDICATION_REQUEST_INTENTS)
    if status == "entered-in-error":
        raise _Skip("status entered-in-error")
    drug, code = _medication(e, index)
    dosage = r.dosageInstruction[0] if r.dosageInstruction else None
    dose = unit = route = frequency = None
    if dosage is not None:
        for dr in dosage.doseAndRate or []:
            if dr.doseQuantity is not None:
                dose, unit = _num(dr.doseQuantity.value), dr.doseQuantity.unit or dr.doseQuantity.code
                break
        route = _cc_text(dosage.route)
        frequency = _frequency(e, dosage, "dosageInstruction.0")
    order_status = {
        "draft": "draft", "completed": "completed", "cancelled": "cancelled", "stopped": "cancelled",
    }.get(status or "", "active")
    if intent in ("proposal", "plan", "option") and order_status == "active":
        order_status = "draft"
    text = (dosage.text if dosage is not None and dosage.text else None) or " ".join(
        x for x in [drug, f"{_fmt(dose)}{unit or ''}" if dose is not None else None, route, frequency] if x
    )
    return MedicationOrder(
        id=e.id,
        text=text,
        ordered_at=_local(r.authoredOn, tz),
        prescriber=_ref_name(r.requester, index),
        status=order_status,  # type: ignore[arg-type]
        drug=drug,
        dose=dose,
        unit=unit,
        route=route,
        frequency=frequency,
        days=_days(e, r.dispenseRequest),
        code=code,
    )


def _lab(e: _Entry, tz: tzinfo) -> LabResult:
    r = e.resource
    status = _check_code(e, "status", r.status, OBSERVATION_STATUSES)
    if status in ("cancelled", "entered-in-error"):
        raise _Skip(f"status {status}")
    categories = _cc_codes(e, "category", r.category, SYSTEM_OBS_CATEGORY, OBSERVATION_CATEGORIES)
    if categories and "laboratory" not in categories:
        raise _Skip(f"category {categories[0]}, not laboratory")
    name = _cc_text(r.code)
    loinc = _coding_code(r.code, SYSTEM_LOINC)
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
        comparator = _check_code(e, "valueQuantity.comparator", q.comparator, QUANTITY_COMPARATORS)
        value = f"{comparator}{_fmt(float(q.value))}" if comparator else float(q.value)
        unit = q.unit or q.code
    elif r.valueString is not None:
        value = str(r.valueString)
    elif r.valueCodeableConcept is not None and _cc_text(r.valueCodeableConcept):
        value = str(_cc_text(r.valueCodeableConcept))
    elif r.valueInteger is not None:
        value = float(r.valueInteger)
    elif r.valueBoolean is not None:
        value = "阳性" if r.valueBoolean else "阴性"
    else:
        raise _Skip("no value (dataAbsentReason or components only)")
    low = high = None
    ref_text = None
    if r.referenceRange:
        rr = r.referenceRange[0]
        low = _num(rr.low.value) if rr.low is not None else None
        high = _num(rr.high.value) if rr.high is not None else None
        ref_text = rr.text or _range_text(low, high)
    flag = _flag(r.interpretation, value, low, high)
    return LabResult(
        name=name,
        value=value,
        unit=unit,
        reference_range=ref_text,
        flag=flag,  # type: ignore[arg-type]
        loinc=loinc,
        observed_at=_local(r.effectiveDateTime, tz)
        or (_local(r.effectivePeriod.start, tz) if r.effectivePeriod else None)
        or _local(r.effectiveInstant, tz)
        or _local(r.issued, tz),
    )


def _lab_name_by_loinc(code: str) -> str | None:
    """The lab pack's name of the test a LOINC code identifies (primary or ``loinc_also`` codes)."""
    from yizhu.knowledge.packs import get_kb

    item = get_kb().lab_by_loinc(code)
    return item.name if item is not None else None


def _range_text(low: float | None, high: float | None) -> str | None:
    if low is not None and high is not None:
        return f"{_fmt(low)}-{_fmt(high)}"
    if low is not None:
        return f">={_fmt(low)}"
    if high is not None:
        return f"<={_fmt(high)}"
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


def _allergy(e: _Entry) -> AllergyIntolerance:
    r = e.resource
    clinical = _cc_codes(e, "clinicalStatus", r.clinicalStatus, SYSTEM_ALLERGY_CLINICAL, ALLERGY_CLINICAL)
    verification = _cc_codes(
        e, "verificationStatus", r.verificationStatus, SYSTEM_ALLERGY_VERIFICATION, ALLERGY_VERIFICATION
    )
    criticality = _check_code(e, "criticality", r.criticality, ALLERGY_CRITICALITY)
    if {"refuted", "entered-in-error"} & set(verification):
        raise _Skip(f"verificationStatus {verification[0]}")
    if {"inactive", "resolved"} & set(clinical):
        raise _Skip(f"clinicalStatus {clinical[0]}")
    substance = _cc_text(r.code)
    if substance is None:
        substance = next((t for t in (_cc_text(x.substance) for x in r.reaction or []) if t), None)
    if substance is None:
        raise e.error("code", "has neither text nor a coding display", "name the allergen in code.text")
    if _coding_code(r.code, SYSTEM_SNOMED) in NO_KNOWN_ALLERGY_CODES or _NO_ALLERGY_TEXT.match(substance):
        raise _NoKnownAllergy("records no known allergy")
    manifestations: list[str] = []
    severities: list[str] = []
    for i, reaction in enumerate(r.reaction or []):
        for m in reaction.manifestation or []:
            text = _cc_text(m)
            if text and text not in manifestations:
                manifestations.append(text)
        sev = _check_code(e, f"reaction.{i}.severity", reaction.severity, REACTION_SEVERITY)
        if sev:
            severities.append(sev)
    severity = max(severities, key=REACTION_SEVERITY.index) if severities else None
    if severity is None:
        severity = {"high": "severe", "low": "mild"}.get(criticality or "")
    return AllergyIntolerance(
        substance=substance,
        reaction="、".join(manifestations) or None,
        severity=severity,  # type: ignore[arg-type]
        code=_coding_code(r.code),
    )


def _note(e: _Entry, text: str, type_text: str | None) -> ClinicalDocument:
    """Parse note text with the document parser; the FHIR type names the note when the text does not."""
    doc = parse_document(text, doc_id=e.id)
    if doc.doc_type == UNKNOWN_TYPE and type_text:
        compact = re.sub(r"\s+", "", type_text)
        for canon, titles in DOC_TYPES.items():
            if compact in titles or compact == canon:
                doc = doc.model_copy(update={"doc_type": canon})
                break
    return doc


def _document_reference(e: _Entry, index: _Index) -> ClinicalDocument:
    r = e.resource
    status = _check_code(e, "status", r.status, DOCUMENT_REFERENCE_STATUSES)
    doc_status = _check_code(e, "docStatus", r.docStatus, COMPOSITION_STATUSES)
    if status != "current" or doc_status == "entered-in-error":
        raise _Skip(f"status {status}, docStatus {doc_status}")
    text: str | None = None
    for j, content in enumerate(r.content):
        text = _attachment_text(e, f"content.{j}.attachment", content.attachment, index)
        if text:
            break
    if not text:
        raise _Skip("no text/plain or text/html attachment with inline data (URLs are not fetched)")
    type_text = _cc_text(r.type)
    doc = _note(e, text, type_text)
    update = {
        "title": doc.title or r.description or type_text,
        "author": _ref_name(r.author[0], index) if r.author else None,
    }
    return doc.model_copy(update=update)


def _attachment_text(e: _Entry, field_path: str, att: Any, index: _Index) -> str | None:
    """Inline note text of an attachment (its data, or a Binary in the bundle); None for non-text."""
    ctype = (att.contentType or "text/plain").lower()
    mime = ctype.split(";")[0].strip()
    if mime not in _TEXT_TYPES:
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


def _composition(e: _Entry, index: _Index) -> ClinicalDocument:
    r = e.resource
    status = _check_code(e, "status", r.status, COMPOSITION_STATUSES)
    if status == "entered-in-error":
        raise _Skip("status entered-in-error")
    lines = [str(r.title)] if r.title else []
    lines.extend(_section_lines(r.section or []))
    if len(lines) <= 1:
        raise _Skip("no section text")
    type_text = _cc_text(r.type)
    doc = _note(e, "\n".join(lines), type_text)
    return doc.model_copy(
        update={"title": doc.title or r.title, "author": _ref_name(r.author[0], index) if r.author else None}
    )


def _section_lines(sections: Any) -> Iterator[str]:
    """One 'heading：text' line per Composition section (nested sections follow their parent)."""
    for s in sections:
        heading = s.title or _cc_text(s.code)
        body = xhtml_to_text(s.text.div) if s.text is not None and s.text.div else ""
        if heading and body:
            yield f"{heading}：{body}"
        elif body:
            yield body
        elif heading and s.section:
            yield f"{heading}："
        yield from _section_lines(s.section or [])


# ------------------------------------------------------------------------------------------------
# Grouping into contexts

_IMPORTED = ("Patient", "Encounter", "Condition", "MedicationRequest", "Observation", "AllergyIntolerance",
             "DocumentReference", "Composition")
#: Resources read only to resolve references (names of drugs, doctors, beds, note data).
_REFERENCED = ("Medication", "Practitioner", "PractitionerRole", "Location", "Organization", "Binary")


@dataclass
class _Bucket:
    """What one patient (and one of their encounters, or none) holds, in bundle order."""

    items: list[tuple[int, Any]] = field(default_factory=list)
    skipped: list[dict[str, Any]] = field(default_factory=list)
    no_known_allergies: bool = False


class _Importer:
    """Maps validated entries to domain objects and groups them per patient and encounter."""

    def __init__(self, raw: dict[str, Any], btype: str, entries: list[_Entry], tz: tzinfo) -> None:
        self.raw, self.btype, self.entries, self.tz = raw, btype, entries, tz
        self.index = _Index(entries)
        self.patients: dict[str, Patient] = {}
        self.encounters: dict[str, tuple[str, Encounter, _Entry]] = {}  # key -> (patient key, ...)
        self.buckets: dict[tuple[str, str | None], _Bucket] = {}
        self.unassigned: list[dict[str, Any]] = []

    def run(self) -> list[ClinicalContext]:
        for e in self.entries:
            if e.type == "Patient":
                self.patients[e.key] = _patient(e)
        for e in self.entries:
            if e.type == "Encounter":
                pkey = self._patient_key(e, e.resource.subject, "subject")
                patient_id = self.patients[pkey].id
                self.encounters[e.key] = (pkey, _encounter(e, patient_id, self.index, self.tz), e)
        roles: dict[str, _Role] = {}
        for _pkey, _enc, enc_entry in self.encounters.values():
            roles.update(_diagnosis_roles(enc_entry, self.index))
        for e in self.entries:
            self._one(e, roles)
        return self._contexts()

    def _one(self, e: _Entry, roles: dict[str, _Role]) -> None:
        if e.type in ("Patient", "Encounter"):
            return
        if e.type not in _IMPORTED:
            if e.type not in _REFERENCED:
                self.unassigned.append(_skip_note(e, f"{e.type} is not imported"))
            return
        r = e.resource
        subject = r.patient if e.type == "AllergyIntolerance" else r.subject
        pkey = self._patient_key(e, subject, "patient" if e.type == "AllergyIntolerance" else "subject")
        enc_ref: Any = None
        if e.type == "DocumentReference":
            encs = r.context.encounter if r.context is not None and r.context.encounter else []
            enc_ref, enc_field = (encs[0] if encs else None), "context.encounter.0"
        else:
            enc_ref, enc_field = r.encounter, "encounter"
        ekey = self._encounter_key(e, enc_ref, enc_field, pkey)
        bucket = self.buckets.setdefault((pkey, ekey), _Bucket())
        encounter = self.encounters[ekey][1] if ekey else None
        try:
            item = self._map(e, roles.get(e.key), encounter, pkey, ekey)
        except _Skip as skip:
            bucket.skipped.append(_skip_note(e, str(skip)))
            bucket.no_known_allergies |= isinstance(skip, _NoKnownAllergy)
            return
        bucket.items.append((e.index, item))

    def _map(self, e: _Entry, role: _Role | None, encounter: Encounter | None, pkey: str, ekey: str | None) -> Any:
        if e.type == "Condition":
            return _diagnosis(e, role, encounter, self.tz)
        if e.type == "MedicationRequest":
            return _medication_order(e, self.index, self.tz)
        if e.type == "Observation":
            return _lab(e, self.tz)
        if e.type == "AllergyIntolerance":
            return _allergy(e)
        if e.type == "DocumentReference":
            doc = _document_reference(e, self.index)
        else:
            doc = _composition(e, self.index)
        patient = self.patients[pkey]
        return doc.model_copy(
            update={
                "patient_id": patient.id,
                "encounter_id": encounter.id if encounter else None,
                "recorded_at": _local(e.resource.date, self.tz),
                "synthetic": doc.synthetic or patient.synthetic or _is_synthetic(e.resource),
            }
        )

    def _patient_key(self, e: _Entry, ref: Any, field_path: str) -> str:
        """The patient a resource belongs to; a reference to a Patient outside the bundle makes a stub."""
        if ref is None or not ref.reference:
            if len(self.patients) == 1:
                return next(iter(self.patients))
            raise e.error(
                field_path,
                f"is missing and the bundle holds {len(self.patients)} Patient resources",
                "reference the patient (e.g. 'Patient/123')",
            )
        target = self.index.resolve(ref.reference)
        if target is not None:
            if target.type != "Patient":
                raise e.error(f"{field_path}.reference", f"points at a {target.type}", "reference a Patient")
            return target.key
        m = _REF_TAIL_RE.search(ref.reference)
        if m is None or m.group(1) != "Patient":
            raise e.error(
                f"{field_path}.reference",
                f"{ref.reference!r} is not a Patient reference found in the bundle",
                "include the Patient resource or use 'Patient/<id>'",
            )
        key = f"Patient/{m.group(2)}"
        self.patients.setdefault(key, Patient(id=m.group(2)))
        return key

    def _encounter_key(self, e: _Entry, ref: Any, field_path: str, pkey: str) -> str | None:
        if ref is None or not ref.reference:
            return None
        target = self.index.resolve(ref.reference)
        if target is None or target.type != "Encounter":
            return None  # an encounter outside the bundle: keep the resource at patient level
        enc_pkey = self.encounters[target.key][0]
        if enc_pkey != pkey:
            raise e.error(
                f"{field_path}.reference",
                f"{target.label} belongs to {enc_pkey} but the resource's subject is {pkey}",
                "reference the patient's own encounter",
            )
        return target.key

    def _contexts(self) -> list[ClinicalContext]:
        contexts: list[ClinicalContext] = []
        for pkey, patient in self.patients.items():
            shared = self.buckets.get((pkey, None), _Bucket())
            encs = [(k, v[1]) for k, v in self.encounters.items() if v[0] == pkey]
            for ekey, encounter in encs or [(None, None)]:
                own = self.buckets.get((pkey, ekey), _Bucket()) if ekey else _Bucket()
                status = self.encounters[ekey][2].resource.status if ekey else None
                contexts.append(self._context(patient, encounter, shared, own, status))
        return contexts

    def _context(
        self, patient: Patient, encounter: Encounter | None, shared: _Bucket, own: _Bucket, status: str | None
    ) -> ClinicalContext:
        ctx = ClinicalContext(
            patient=patient,
            encounter=encounter,
            extra={
                "fhir_import": {
                    "bundle_id": self.raw.get("id"),
                    "bundle_type": self.btype,
                    "encounter_status": status,
                    "no_known_allergies": shared.no_known_allergies or own.no_known_allergies,
                    "skipped": sorted(shared.skipped + own.skipped + self.unassigned, key=lambda s: s["entry"]),
                }
            },
        )
        adders: dict[type, Callable[[Any], None]] = {
            Diagnosis: ctx.diagnoses.append,
            MedicationOrder: ctx.orders.append,
            Order: ctx.orders.append,
            LabResult: ctx.labs.append,
            AllergyIntolerance: ctx.allergies.append,
            ClinicalDocument: ctx.documents.append,
        }
        for _, item in sorted(shared.items + own.items, key=lambda x: x[0]):
            adders[type(item)](item)
        return ctx


def _skip_note(e: _Entry, reason: str) -> dict[str, Any]:
    return {"entry": e.index, "resource": e.label, "reason": reason}


# ------------------------------------------------------------------------------------------------
# Public import API


def bundle_to_contexts(
    data: dict[str, Any] | str | bytes, *, hospital_tz: tzinfo = CHINA_STANDARD_TIME
) -> list[ClinicalContext]:
    """Import a FHIR R4 Bundle (dict, JSON text or bytes): one ClinicalContext per Encounter.

    Patient-level resources (no encounter reference) join every encounter context of their patient;
    a patient with no encounter gets one context with ``encounter=None``. Raises FHIRError naming
    the entry, resource and field when anything we rely on is invalid.
    """
    raw = _load_json(data)
    btype, entries = _validate(raw)
    return _Importer(raw, btype, entries, hospital_tz).run()


def bundle_to_context(
    data: dict[str, Any] | str | bytes, *, hospital_tz: tzinfo = CHINA_STANDARD_TIME
) -> ClinicalContext:
    """Import a Bundle that holds exactly one patient and at most one encounter (the usual request)."""
    contexts = bundle_to_contexts(data, hospital_tz=hospital_tz)
    if len(contexts) != 1:
        found = ", ".join(
            f"{c.patient.id if c.patient else '?'}/{c.encounter.id if c.encounter else '-'}" for c in contexts
        )
        raise InputError(
            f"expected exactly one patient and one encounter in the bundle, found {len(contexts)} "
            f"patient/encounter contexts ({found or 'none'}); send one patient's encounter per bundle, "
            "or call bundle_to_contexts for several."
        )
    return contexts[0]


# ------------------------------------------------------------------------------------------------
# Export: ClinicalContext -> Bundle (collection)


def _fhir_id(value: str) -> str:
    """A FHIR id ([A-Za-z0-9-.]{1,64}); other ids become a stable hash."""
    if _ID_RE.fullmatch(value):
        return value
    return uuid.uuid5(_UUID_NAMESPACE, value).hex[:32]


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
        return f"urn:uuid:{uuid.uuid5(_UUID_NAMESPACE, f'{pid}/{rtype}/{rid}')}"

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
    _validate(bundle)  # our own output must pass our own import checks
    return bundle


__all__ = [
    "CHINA_STANDARD_TIME",
    "bundle_to_context",
    "bundle_to_contexts",
    "context_to_bundle",
    "xhtml_to_text",
]
