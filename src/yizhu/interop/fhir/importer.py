"""FHIR import: a Bundle becomes ClinicalContexts, one per Encounter, with patient-level facts copied into
every encounter of their patient and what carries nothing to import listed with the reason.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import tzinfo
from typing import Any

from yizhu.core.models import (
    AllergyIntolerance,
    ClinicalContext,
    ClinicalDocument,
    Diagnosis,
    Encounter,
    LabResult,
    MedicationOrder,
    Order,
    Patient,
)
from yizhu.errors import InputError
from yizhu.interop.fhir.datatypes import is_synthetic, local_time
from yizhu.interop.fhir.resources import Role, diagnosis_roles, read_diagnosis, read_encounter, read_patient
from yizhu.interop.fhir.resources_clinical import (
    read_allergy,
    read_composition,
    read_document_reference,
    read_lab,
    read_medication_order,
)
from yizhu.interop.fhir.validation import Entry, Index, NoKnownAllergy, Skip, load_json, validate_bundle
from yizhu.interop.fhir.valuesets import CHINA_STANDARD_TIME, REF_TAIL_RE

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

    def __init__(self, raw: dict[str, Any], btype: str, entries: list[Entry], tz: tzinfo) -> None:
        self.raw, self.btype, self.entries, self.tz = raw, btype, entries, tz
        self.index = Index(entries)
        self.patients: dict[str, Patient] = {}
        self.encounters: dict[str, tuple[str, Encounter, Entry]] = {}  # key -> (patient key, ...)
        self.buckets: dict[tuple[str, str | None], _Bucket] = {}
        self.unassigned: list[dict[str, Any]] = []

    def run(self) -> list[ClinicalContext]:
        for e in self.entries:
            if e.type == "Patient":
                self.patients[e.key] = read_patient(e)
        for e in self.entries:
            if e.type == "Encounter":
                pkey = self._patient_key(e, e.resource.subject, "subject")
                patient_id = self.patients[pkey].id
                self.encounters[e.key] = (pkey, read_encounter(e, patient_id, self.index, self.tz), e)
        roles: dict[str, Role] = {}
        for _pkey, _enc, enc_entry in self.encounters.values():
            roles.update(diagnosis_roles(enc_entry, self.index))
        for e in self.entries:
            self._one(e, roles)
        return self._contexts()

    def _one(self, e: Entry, roles: dict[str, Role]) -> None:
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
        except Skip as skip:
            bucket.skipped.append(_skip_note(e, str(skip)))
            bucket.no_known_allergies |= isinstance(skip, NoKnownAllergy)
            return
        bucket.items.append((e.index, item))

    def _map(self, e: Entry, role: Role | None, encounter: Encounter | None, pkey: str, ekey: str | None) -> Any:
        if e.type == "Condition":
            return read_diagnosis(e, role, encounter, self.tz)
        if e.type == "MedicationRequest":
            return read_medication_order(e, self.index, self.tz)
        if e.type == "Observation":
            return read_lab(e, self.tz)
        if e.type == "AllergyIntolerance":
            return read_allergy(e)
        if e.type == "DocumentReference":
            doc = read_document_reference(e, self.index)
        else:
            doc = read_composition(e, self.index)
        patient = self.patients[pkey]
        return doc.model_copy(
            update={
                "patient_id": patient.id,
                "encounter_id": encounter.id if encounter else None,
                "recorded_at": local_time(e.resource.date, self.tz),
                "synthetic": doc.synthetic or patient.synthetic or is_synthetic(e.resource),
            }
        )

    def _patient_key(self, e: Entry, ref: Any, field_path: str) -> str:
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
        m = REF_TAIL_RE.search(ref.reference)
        if m is None or m.group(1) != "Patient":
            raise e.error(
                f"{field_path}.reference",
                f"{ref.reference!r} is not a Patient reference found in the bundle",
                "include the Patient resource or use 'Patient/<id>'",
            )
        key = f"Patient/{m.group(2)}"
        self.patients.setdefault(key, Patient(id=m.group(2)))
        return key

    def _encounter_key(self, e: Entry, ref: Any, field_path: str, pkey: str) -> str | None:
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


def _skip_note(e: Entry, reason: str) -> dict[str, Any]:
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
    raw = load_json(data)
    btype, entries = validate_bundle(raw)
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
