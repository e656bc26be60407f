"""Patients, encounters and documents."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Query
from pydantic import BaseModel, ConfigDict, Field

import yizhu.store as repo
from yizhu.api.deps import EngineDep, Reader, Writer
from yizhu.api.services import import_payload
from yizhu.core import ClinicalContext, ClinicalDocument, Encounter, Patient
from yizhu.core.parsing import parse_document

router = APIRouter(prefix="/v1", tags=["records"])


class NoteIn(BaseModel):
    """A printed note as text."""

    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, max_length=500_000, description="the note, e.g. an 入院记录 as printed")


class ParsedSection(BaseModel):
    name: str
    start: int
    end: int
    text: str


class ParsedDocument(BaseModel):
    """The contract of ``yizhu doc parse --format json``."""

    doc_type: str
    header: dict[str, str]
    sections: list[ParsedSection]


class ImportIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    content: Annotated[str, Field(max_length=5_000_000)] | dict[str, Any] = Field(
        description="a FHIR R4 Bundle (object) or a printed note (string)")


@router.get("/patients", response_model=list[Patient])
def list_patients(
    engine: EngineDep,
    _: Reader,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000_000)] = 0,
) -> list[Patient]:
    """Patients, newest first."""
    return repo.list_patients(engine, limit=limit, offset=offset)


@router.get("/patients/{patient_id}", response_model=Patient)
def get_patient(patient_id: str, engine: EngineDep, _: Reader) -> Patient:
    return repo.get_patient(engine, patient_id)


@router.put("/patients/{patient_id}", response_model=Patient)
def put_patient(patient_id: str, patient: Patient, engine: EngineDep, _: Writer) -> Patient:
    """Create or update a patient (the id in the path wins)."""
    patient = patient.model_copy(update={"id": patient_id})
    repo.save_patient(engine, patient)
    return patient


@router.get("/patients/{patient_id}/encounters", response_model=list[Encounter])
def patient_encounters(patient_id: str, engine: EngineDep, _: Reader) -> list[Encounter]:
    repo.get_patient(engine, patient_id)
    return repo.list_encounters(engine, patient_id=patient_id)


@router.get("/encounters", response_model=list[Encounter])
def list_encounters(engine: EngineDep, _: Reader) -> list[Encounter]:
    return repo.list_encounters(engine)


@router.get("/encounters/{encounter_id}", response_model=ClinicalContext)
def get_encounter(encounter_id: str, engine: EngineDep, _: Reader) -> ClinicalContext:
    """The whole clinical context of an encounter: patient, documents, orders, labs, allergies."""
    return repo.load_context(engine, encounter_id)


@router.get("/encounters/{encounter_id}/documents", response_model=list[ClinicalDocument])
def encounter_documents(encounter_id: str, engine: EngineDep, _: Reader) -> list[ClinicalDocument]:
    repo.get_encounter(engine, encounter_id)
    return repo.list_documents(engine, encounter_id=encounter_id)


@router.get("/documents/{document_id}", response_model=ClinicalDocument)
def get_document(document_id: str, engine: EngineDep, _: Reader) -> ClinicalDocument:
    return repo.get_document(engine, document_id)


@router.post("/documents/parse", response_model=ParsedDocument)
def parse(note: NoteIn, _: Reader) -> ParsedDocument:
    """Parse a printed note into type, header and sections with offsets (nothing is stored)."""
    doc = parse_document(note.text)
    return ParsedDocument(
        doc_type=doc.doc_type,
        header=doc.header,
        sections=[ParsedSection(name=s.name, start=s.start, end=s.end, text=s.text) for s in doc.sections],
    )


@router.post("/import", status_code=201)
def import_(body: Annotated[ImportIn, Body()], engine: EngineDep, principal: Writer) -> dict[str, Any]:
    """Import a FHIR Bundle or a printed note; the structure check runs and is audited."""
    import json

    text = body.content if isinstance(body.content, str) else json.dumps(body.content, ensure_ascii=False)
    return import_payload(engine, text, actor=principal.name)
