"""The mapping tables FHIR import and export share: hospital time, code systems, the HL7 FHIR R4 (4.0.1)
value sets import checks codes against, and unit and frequency tables.
"""

from __future__ import annotations

import re
import uuid
from datetime import timedelta, timezone

from yizhu.core.models import EncounterClass

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
NO_ALLERGY_TEXT = re.compile(r"^\s*(?:无|否认|无已知|NKA|NKDA|no known)", re.IGNORECASE)
DAYS_PER_UNIT = {"min": 1 / 1440, "h": 1 / 24, "d": 1.0, "wk": 7.0, "mo": 30.0, "a": 365.0}
UNIT_ALIASES = {
    "day": "d", "days": "d", "天": "d", "日": "d", "hour": "h", "hours": "h", "小时": "h",
    "week": "wk", "weeks": "wk", "周": "wk", "month": "mo", "months": "mo", "月": "mo",
    "minute": "min", "minutes": "min", "分钟": "min", "year": "a", "years": "a", "年": "a",
}
DAILY = {1: "qd", 2: "bid", 3: "tid", 4: "qid"}
TEXT_TYPES = ("text/plain", "text/html", "application/xhtml+xml", "text/markdown")
#: Keys whose raw JSON must be a number (fhir.resources would accept "5.6" as a string): Timing.repeat's,
#: anywhere's rank, and the value of a Quantity.
REPEAT_NUMBERS = (
    "frequency", "frequencyMax", "period", "periodMax", "count", "countMax", "duration", "durationMax",
)
QUANTITY_KEYS = (
    "valueQuantity", "doseQuantity", "low", "high", "expectedSupplyDuration", "quantity", "rateQuantity",
)
ID_RE = re.compile(r"[A-Za-z0-9\-.]{1,64}")
REF_TAIL_RE = re.compile(r"(?:^|/)([A-Z][A-Za-z]+)/([A-Za-z0-9\-.]{1,64})(?:/_history/[^/]+)?$")
UUID_NAMESPACE = uuid.UUID("6f1d9c3e-2b7a-5c1e-9f5e-7a9d3c1b2e40")
