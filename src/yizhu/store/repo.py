"""Clinical records: patients, encounters, documents and whole clinical contexts.

Small functions that take the Engine first and open their own transaction, so callers never pass
sessions around. Saves are upserts keyed by the record id; missing records raise
``NotFoundError``; database failures raise ``StoreError``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

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
from yizhu.errors import InputError, NotFoundError
from yizhu.store.db import transaction, upsert, utcnow
from yizhu.store.schema import documents, encounter_items, encounters, patients

MAX_PAGE = 1000


def _page(limit: int, offset: int) -> tuple[int, int]:
    if not 1 <= limit <= MAX_PAGE:
        raise InputError(f"limit must be between 1 and {MAX_PAGE}, got {limit}; page with offset instead.")
    if not 0 <= offset <= 2**62:  # a database integer; a larger offset is a client error, not an overflow
        raise InputError(f"offset must be between 0 and 2**62, got {offset}.")
    return limit, offset


def _exists(conn: Connection, table: sa.Table, record_id: str) -> bool:
    return conn.execute(sa.select(table.c.id).where(table.c.id == record_id)).first() is not None


def _require(conn: Connection, table: sa.Table, record_id: str, what: str, fix: str) -> None:
    if not _exists(conn, table, record_id):
        raise NotFoundError(f"{what} {record_id!r} is not stored; {fix}")


# --- patients -------------------------------------------------------------------------------------


def _put_patient(conn: Connection, patient: Patient, now: datetime) -> None:
    upsert(
        conn,
        patients,
        {
            "id": patient.id,
            "name": patient.name,
            "sex": patient.sex.value,
            "birth_date": patient.birth_date,
            "mrn": patient.mrn,
            "synthetic": patient.synthetic,
            "data": patient.model_dump(mode="json"),
            "created_at": now,
            "updated_at": now,
        },
        keep=("created_at",),
    )


def save_patient(engine: Engine, patient: Patient) -> str:
    """Insert or update a patient by id; returns the id."""
    with transaction(engine, write_lock=True) as conn:
        _put_patient(conn, patient, utcnow())
    return patient.id


def get_patient(engine: Engine, patient_id: str) -> Patient:
    """The stored patient, or NotFoundError."""
    with transaction(engine) as conn:
        row = conn.execute(sa.select(patients.c.data).where(patients.c.id == patient_id)).first()
    if row is None:
        raise NotFoundError(
            f"patient {patient_id!r} is not stored; check the id or import the patient first."
        )
    return Patient.model_validate(row.data)


def _patients_where(department: str | None, q: str | None = None) -> list[sa.ColumnElement[bool]]:
    where: list[sa.ColumnElement[bool]] = []
    if q:
        # Substring of name or 病案号, case-insensitive; LIKE wildcards in the query are taken literally.
        like = "%" + q.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        where.append(
            sa.or_(
                sa.func.lower(patients.c.name).like(like, escape="\\"),
                sa.func.lower(patients.c.mrn).like(like, escape="\\"),
            )
        )
    if department is not None:
        # Patients have no department; a patient belongs to every department they had an encounter in.
        in_dept = sa.select(encounters.c.id).where(
            encounters.c.patient_id == patients.c.id, encounters.c.department == department
        )
        where.append(sa.exists(in_dept))
    return where


def list_patients(
    engine: Engine, *, limit: int = 100, offset: int = 0, department: str | None = None, q: str | None = None
) -> list[Patient]:
    """Patients ordered by id; ``department`` keeps those with an encounter in that department,
    ``q`` those whose name or 病案号 contains it."""
    limit, offset = _page(limit, offset)
    stmt = (
        sa.select(patients.c.data)
        .where(*_patients_where(department, q))
        .order_by(patients.c.id)
        .limit(limit)
        .offset(offset)
    )
    with transaction(engine) as conn:
        return [Patient.model_validate(r.data) for r in conn.execute(stmt)]


def count_patients(engine: Engine, *, department: str | None = None, q: str | None = None) -> int:
    """How many patients ``list_patients`` would page through with the same filters."""
    stmt = sa.select(sa.func.count()).select_from(patients).where(*_patients_where(department, q))
    with transaction(engine) as conn:
        return int(conn.execute(stmt).scalar_one())


# --- encounters -----------------------------------------------------------------------------------


def _put_encounter(
    conn: Connection, enc: Encounter, now: datetime, extra: dict[str, Any] | None = None
) -> None:
    _require(conn, patients, enc.patient_id, "patient", f"save the patient before encounter {enc.id!r}.")
    values: dict[str, Any] = {
        "id": enc.id,
        "patient_id": enc.patient_id,
        "encounter_class": enc.encounter_class.value,
        "department": enc.department,
        "admitted_at": enc.admitted_at,
        "discharged_at": enc.discharged_at,
        "data": enc.model_dump(mode="json", by_alias=True),
        "created_at": now,
        "updated_at": now,
    }
    if extra is not None:
        values["context_extra"] = extra
    upsert(conn, encounters, values, keep=("created_at",))


def save_encounter(engine: Engine, encounter: Encounter) -> str:
    """Insert or update an encounter by id (its patient must be stored); returns the id."""
    with transaction(engine, write_lock=True) as conn:
        _put_encounter(conn, encounter, utcnow())
    return encounter.id


def get_encounter(engine: Engine, encounter_id: str) -> Encounter:
    """The stored encounter, or NotFoundError."""
    with transaction(engine) as conn:
        row = conn.execute(sa.select(encounters.c.data).where(encounters.c.id == encounter_id)).first()
    if row is None:
        raise NotFoundError(f"encounter {encounter_id!r} is not stored; check the id or import it first.")
    return Encounter.model_validate(row.data)


def _encounters_where(patient_id: str | None, department: str | None) -> list[sa.ColumnElement[bool]]:
    where: list[sa.ColumnElement[bool]] = []
    if patient_id is not None:
        where.append(encounters.c.patient_id == patient_id)
    if department is not None:
        where.append(encounters.c.department == department)
    return where


def list_encounters(
    engine: Engine,
    patient_id: str | None = None,
    *,
    department: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[Encounter]:
    """Encounters, oldest admission first (undated last), optionally of one patient or department."""
    limit, offset = _page(limit, offset)
    stmt = (
        sa.select(encounters.c.data)
        .where(*_encounters_where(patient_id, department))
        .order_by(encounters.c.admitted_at.is_(None), encounters.c.admitted_at, encounters.c.id)
        .limit(limit)
        .offset(offset)
    )
    with transaction(engine) as conn:
        return [Encounter.model_validate(r.data) for r in conn.execute(stmt)]


def count_encounters(engine: Engine, patient_id: str | None = None, *, department: str | None = None) -> int:
    """How many encounters are stored, with the same filters as ``list_encounters``."""
    stmt = (
        sa.select(sa.func.count()).select_from(encounters).where(*_encounters_where(patient_id, department))
    )
    with transaction(engine) as conn:
        return int(conn.execute(stmt).scalar_one())


# --- documents ------------------------------------------------------------------------------------


def document_id_for(doc: ClinicalDocument) -> str:
    """A stable id for a document that arrived without one: the same content always gets the same id,
    so saving it again updates instead of duplicating."""
    body = doc.model_dump(mode="json", exclude={"id"})
    digest = hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()
    return f"doc_{digest[:24]}"


def _with_id(doc: ClinicalDocument) -> ClinicalDocument:
    return doc if doc.id else doc.model_copy(update={"id": document_id_for(doc)})


def _put_document(conn: Connection, doc: ClinicalDocument, now: datetime, position: int | None) -> str:
    assert doc.id is not None
    if doc.patient_id is not None:
        _require(conn, patients, doc.patient_id, "patient", f"save the patient before document {doc.id!r}.")
    if doc.encounter_id is not None:
        _require(
            conn, encounters, doc.encounter_id, "encounter", f"save the encounter before document {doc.id!r}."
        )
    upsert(
        conn,
        documents,
        {
            "id": doc.id,
            "patient_id": doc.patient_id,
            "encounter_id": doc.encounter_id,
            "doc_type": doc.doc_type,
            "recorded_at": doc.recorded_at,
            "position": position,
            "synthetic": doc.synthetic,
            "text": doc.text,
            "data": doc.model_dump(mode="json"),
            "created_at": now,
            "updated_at": now,
        },
        keep=("created_at",) if position is not None else ("created_at", "position"),
    )
    return doc.id


def save_document(engine: Engine, document: ClinicalDocument) -> str:
    """Insert or update a document; one without an id gets ``document_id_for(document)``. Returns the id."""
    doc = _with_id(document)
    with transaction(engine, write_lock=True) as conn:
        return _put_document(conn, doc, utcnow(), None)


def get_document(engine: Engine, document_id: str) -> ClinicalDocument:
    """The stored document, or NotFoundError."""
    with transaction(engine) as conn:
        row = conn.execute(sa.select(documents.c.data).where(documents.c.id == document_id)).first()
    if row is None:
        raise NotFoundError(f"document {document_id!r} is not stored; check the id or import it first.")
    return ClinicalDocument.model_validate(row.data)


def _documents_where(
    encounter_id: str | None, patient_id: str | None, doc_type: str | None
) -> list[sa.ColumnElement[bool]]:
    where: list[sa.ColumnElement[bool]] = []
    if encounter_id is not None:
        where.append(documents.c.encounter_id == encounter_id)
    if patient_id is not None:
        where.append(documents.c.patient_id == patient_id)
    if doc_type is not None:
        where.append(documents.c.doc_type == doc_type)
    return where


_DOC_ORDER = (
    documents.c.position.is_(None),
    documents.c.position,
    documents.c.recorded_at.is_(None),
    documents.c.recorded_at,
    documents.c.id,
)


def list_documents(
    engine: Engine,
    encounter_id: str | None = None,
    patient_id: str | None = None,
    *,
    doc_type: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[ClinicalDocument]:
    """Documents filtered by encounter, patient and type; in context order, then by time."""
    limit, offset = _page(limit, offset)
    stmt = (
        sa.select(documents.c.data)
        .where(*_documents_where(encounter_id, patient_id, doc_type))
        .order_by(*_DOC_ORDER)
        .limit(limit)
        .offset(offset)
    )
    with transaction(engine) as conn:
        return [ClinicalDocument.model_validate(r.data) for r in conn.execute(stmt)]


def count_documents(
    engine: Engine,
    encounter_id: str | None = None,
    patient_id: str | None = None,
    *,
    doc_type: str | None = None,
) -> int:
    """How many documents match the same filters as ``list_documents``."""
    stmt = (
        sa.select(sa.func.count())
        .select_from(documents)
        .where(*_documents_where(encounter_id, patient_id, doc_type))
    )
    with transaction(engine) as conn:
        return int(conn.execute(stmt).scalar_one())


# --- whole contexts -------------------------------------------------------------------------------


def _item_rows(ctx: ClinicalContext, encounter_id: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []

    def add(kind: str, items: Sequence[Any]) -> None:
        for i, item in enumerate(items):
            k = "medication_order" if isinstance(item, MedicationOrder) else kind
            data = item.model_dump(mode="json")
            rows.append({"encounter_id": encounter_id, "kind": k, "position": i, "data": data})

    add("diagnosis", ctx.diagnoses)
    add("order", ctx.orders)
    add("lab", ctx.labs)
    add("allergy", ctx.allergies)
    return rows


def _link(doc: ClinicalDocument, enc: Encounter) -> ClinicalDocument:
    update = {"patient_id": doc.patient_id or enc.patient_id, "encounter_id": doc.encounter_id or enc.id}
    return doc.model_copy(update=update)


def save_context(engine: Engine, ctx: ClinicalContext) -> ClinicalContext:
    """Store a whole context so that ``load_context`` returns it; returns the context as stored.

    The encounter becomes exactly what ``ctx`` says: its documents and items are replaced, so
    documents stored earlier for this encounter but absent from ``ctx`` are removed. Documents
    without ids get ``document_id_for``; documents without patient or encounter id are linked to
    the context's. When ``ctx.patient`` is None the patient must already be stored. All of it is
    one transaction.
    """
    enc = ctx.encounter
    if enc is None:
        raise InputError("save_context needs ctx.encounter: contexts are stored per encounter.")
    if ctx.patient is not None and ctx.patient.id != enc.patient_id:
        raise InputError(
            f"ctx.patient.id {ctx.patient.id!r} differs from encounter.patient_id {enc.patient_id!r}; "
            "a context holds one patient."
        )
    docs = [_with_id(_link(d, enc)) for d in ctx.documents]
    foreign = [d.id for d in docs if (d.encounter_id, d.patient_id) != (enc.id, enc.patient_id)]
    if foreign:
        raise InputError(
            f"documents {foreign} belong to another encounter or patient than {enc.id!r}; "
            "save them with save_document."
        )
    ids = [d.id for d in docs]
    if len(set(ids)) != len(ids):
        raise InputError(f"document ids repeat in the context: {ids}; give each document its own id.")

    now = utcnow()
    with transaction(engine, write_lock=True) as conn:
        if ctx.patient is not None:
            _put_patient(conn, ctx.patient, now)
        _put_encounter(conn, enc, now, extra=ctx.model_dump(mode="json", include={"extra"})["extra"])
        keep_ids = [d.id for d in docs if d.id is not None]
        conn.execute(
            sa.delete(documents).where(documents.c.encounter_id == enc.id, documents.c.id.not_in(keep_ids))
        )
        for i, d in enumerate(docs):
            _put_document(conn, d, now, i)
        conn.execute(sa.delete(encounter_items).where(encounter_items.c.encounter_id == enc.id))
        rows = _item_rows(ctx, enc.id)
        if rows:
            conn.execute(sa.insert(encounter_items), rows)
        return _load(conn, enc.id)


_ITEM_TYPES: dict[str, type[Any]] = {
    "diagnosis": Diagnosis,
    "order": Order,
    "medication_order": MedicationOrder,
    "lab": LabResult,
    "allergy": AllergyIntolerance,
}


def _load(conn: Connection, encounter_id: str) -> ClinicalContext:
    enc_row = conn.execute(
        sa.select(encounters.c.data, encounters.c.patient_id, encounters.c.context_extra).where(
            encounters.c.id == encounter_id
        )
    ).first()
    if enc_row is None:
        raise NotFoundError(f"encounter {encounter_id!r} is not stored; save its context first.")
    pat_row = conn.execute(sa.select(patients.c.data).where(patients.c.id == enc_row.patient_id)).first()
    doc_rows = conn.execute(
        sa.select(documents.c.data).where(documents.c.encounter_id == encounter_id).order_by(*_DOC_ORDER)
    )
    item_rows = conn.execute(
        sa.select(encounter_items.c.kind, encounter_items.c.data)
        .where(encounter_items.c.encounter_id == encounter_id)
        .order_by(encounter_items.c.position, encounter_items.c.id)
    )
    lists: dict[str, list[Any]] = {"diagnosis": [], "order": [], "lab": [], "allergy": []}
    for kind, data in item_rows:
        item = _ITEM_TYPES[kind].model_validate(data)
        lists["order" if kind == "medication_order" else kind].append(item)
    return ClinicalContext(
        patient=Patient.model_validate(pat_row.data) if pat_row is not None else None,
        encounter=Encounter.model_validate(enc_row.data),
        documents=[ClinicalDocument.model_validate(r.data) for r in doc_rows],
        diagnoses=lists["diagnosis"],
        orders=lists["order"],
        labs=lists["lab"],
        allergies=lists["allergy"],
        extra=enc_row.context_extra or {},
    )


def load_context(engine: Engine, encounter_id: str) -> ClinicalContext:
    """Everything stored for one encounter as a ClinicalContext (the inverse of ``save_context``)."""
    with transaction(engine) as conn:
        return _load(conn, encounter_id)
