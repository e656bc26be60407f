"""Patients, encounters, documents and contexts: round trips, upserts, filters, missing records."""

from __future__ import annotations

from datetime import datetime

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from yizhu.core.models import ClinicalContext, ClinicalDocument, Encounter, MedicationOrder, Order, Patient
from yizhu.errors import InputError, NotFoundError
from yizhu.store import (
    count_documents,
    count_encounters,
    count_patients,
    document_id_for,
    get_document,
    get_encounter,
    get_patient,
    list_documents,
    list_encounters,
    list_patients,
    load_context,
    save_context,
    save_document,
    save_encounter,
    save_patient,
)
from yizhu.store.schema import encounter_items


def test_patient_round_trip_and_upsert(engine: Engine, sample_context: ClinicalContext) -> None:
    patient = sample_context.patient
    assert patient is not None
    assert save_patient(engine, patient) == "P1"
    assert get_patient(engine, "P1") == patient
    renamed = patient.model_copy(update={"name": "测试患者乙（合成）", "phone": "13800000000"})
    save_patient(engine, renamed)
    assert get_patient(engine, "P1") == renamed
    assert count_patients(engine) == 1


def test_list_patients_pages_and_filters_by_department(engine: Engine, context_factory) -> None:
    for i in range(5):
        ctx = context_factory(encounter_id=f"E{i}", patient_id=f"P{i}")
        if i % 2:
            ctx.encounter.department = "呼吸科"
        save_context(engine, ctx)
    assert [p.id for p in list_patients(engine)] == ["P0", "P1", "P2", "P3", "P4"]
    assert [p.id for p in list_patients(engine, limit=2, offset=2)] == ["P2", "P3"]
    assert [p.id for p in list_patients(engine, department="呼吸科")] == ["P1", "P3"]
    assert count_patients(engine, department="心内科") == 3
    assert list_patients(engine, department="眼科") == []


@pytest.mark.parametrize(("limit", "offset"), [(0, 0), (1001, 0), (10, -1)])
def test_bad_pages_are_input_errors(engine: Engine, limit: int, offset: int) -> None:
    with pytest.raises(InputError):
        list_patients(engine, limit=limit, offset=offset)


def test_encounter_round_trip_upsert_and_list(engine: Engine, sample_context: ClinicalContext) -> None:
    assert sample_context.patient and sample_context.encounter
    save_patient(engine, sample_context.patient)
    enc = sample_context.encounter
    save_encounter(engine, enc)
    assert get_encounter(engine, "E1") == enc
    discharged = enc.model_copy(update={"discharged_at": datetime(2024, 5, 9, 10, 0)})
    save_encounter(engine, discharged)
    assert get_encounter(engine, "E1") == discharged
    early = Encounter(id="E0", patient_id="P1", admitted_at=datetime(2023, 1, 1), department="急诊科")
    undated = Encounter(id="E9", patient_id="P1")
    save_encounter(engine, undated)
    save_encounter(engine, early)
    assert [e.id for e in list_encounters(engine, "P1")] == ["E0", "E1", "E9"]
    assert [e.id for e in list_encounters(engine, department="急诊科")] == ["E0"]
    assert list_encounters(engine, "nobody") == []
    assert count_encounters(engine) == 3
    assert count_encounters(engine, "P1", department="心内科") == 1


def test_encounter_needs_its_patient(engine: Engine) -> None:
    with pytest.raises(NotFoundError, match="save the patient"):
        save_encounter(engine, Encounter(id="E1", patient_id="missing"))


def test_document_round_trip_upsert_and_filters(engine: Engine, sample_context: ClinicalContext) -> None:
    save_context(engine, sample_context)
    adm = sample_context.documents[0]
    assert get_document(engine, adm.id or "") == adm
    edited = adm.model_copy(update={"text": adm.text + "\n既往史：高血压10年。"})
    save_document(engine, edited)
    assert get_document(engine, "E1-adm") == edited
    assert count_documents(engine) == 2
    assert [d.id for d in list_documents(engine, encounter_id="E1")] == ["E1-adm", "E1-prog"]
    assert [d.id for d in list_documents(engine, patient_id="P1", doc_type="首次病程记录")] == ["E1-prog"]
    assert count_documents(engine, "E1", "P1", doc_type="入院记录") == 1


def test_document_without_id_gets_a_stable_one(engine: Engine) -> None:
    doc = ClinicalDocument(doc_type="出院记录", text="出院诊断：肺炎（合成）", synthetic=True)
    first = save_document(engine, doc)
    assert first == document_id_for(doc) and first.startswith("doc_")
    assert save_document(engine, doc) == first  # same content, same row
    assert count_documents(engine) == 1
    assert get_document(engine, first) == doc.model_copy(update={"id": first})


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        (ClinicalDocument(id="D", patient_id="nobody", doc_type="入院记录"), "save the patient"),
        (ClinicalDocument(id="D", encounter_id="nowhere", doc_type="入院记录"), "save the encounter"),
    ],
)
def test_document_links_must_exist(engine: Engine, doc: ClinicalDocument, message: str) -> None:
    with pytest.raises(NotFoundError, match=message):
        save_document(engine, doc)


@pytest.mark.parametrize(
    ("getter", "record_id"),
    [(get_patient, "P404"), (get_encounter, "E404"), (get_document, "D404"), (load_context, "E404")],
)
def test_missing_records_raise_not_found(engine: Engine, getter, record_id: str) -> None:
    with pytest.raises(NotFoundError, match=record_id):
        getter(engine, record_id)


def test_context_round_trip_is_exact(engine: Engine, sample_context: ClinicalContext) -> None:
    stored = save_context(engine, sample_context)
    loaded = load_context(engine, "E1")
    assert stored == loaded == sample_context
    # Medication orders come back as MedicationOrder, in their original place among the orders.
    assert [type(o) for o in loaded.orders] == [MedicationOrder, Order, MedicationOrder]
    assert [o.drug for o in loaded.medication_orders] == ["阿司匹林", "阿托伐他汀"]


def test_resaving_a_context_replaces_it(engine: Engine, sample_context: ClinicalContext) -> None:
    save_context(engine, sample_context)
    save_context(engine, sample_context)
    with engine.connect() as conn:
        items = conn.execute(sa.select(sa.func.count()).select_from(encounter_items)).scalar_one()
    assert items == 2 + 3 + 2 + 1  # not doubled
    smaller = sample_context.model_copy(
        update={
            "documents": sample_context.documents[:1],
            "labs": [],
            "orders": sample_context.orders[1:2],
            "extra": {},
        }
    )
    save_context(engine, smaller)
    assert load_context(engine, "E1") == smaller
    assert count_documents(engine) == 1
    empty = ClinicalContext(patient=sample_context.patient, encounter=sample_context.encounter)
    save_context(engine, empty)
    assert load_context(engine, "E1") == empty
    assert count_documents(engine) == 0


def test_context_fills_in_document_links_and_ids(engine: Engine, sample_context: ClinicalContext) -> None:
    bare = ClinicalDocument(doc_type="日常病程记录", text="今日胸闷缓解。", synthetic=True)
    ctx = sample_context.model_copy(update={"documents": [bare]})
    stored = save_context(engine, ctx)
    (doc,) = stored.documents
    assert (doc.patient_id, doc.encounter_id) == ("P1", "E1")
    assert doc.id == document_id_for(doc.model_copy(update={"id": None}))
    assert load_context(engine, "E1") == stored
    save_context(engine, ctx)  # idempotent: the derived id is stable
    assert count_documents(engine) == 1


def test_single_saved_document_joins_its_encounter_context(
    engine: Engine, sample_context: ClinicalContext
) -> None:
    save_context(engine, sample_context)
    later = ClinicalDocument(
        id="E1-day2",
        patient_id="P1",
        encounter_id="E1",
        doc_type="日常病程记录",
        text="病情平稳。",
        recorded_at=datetime(2024, 5, 3, 9, 0),
    )
    save_document(engine, later)
    assert [d.id for d in load_context(engine, "E1").documents] == ["E1-adm", "E1-prog", "E1-day2"]


def test_context_without_patient_uses_the_stored_one(engine: Engine, sample_context: ClinicalContext) -> None:
    save_context(engine, sample_context)
    ctx = sample_context.model_copy(update={"patient": None})
    assert save_context(engine, ctx).patient == sample_context.patient


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"encounter": None}, "needs ctx.encounter"),
        ({"patient": Patient(id="someone-else")}, "differs from encounter.patient_id"),
        (
            {"documents": [ClinicalDocument(id="X", encounter_id="E2", doc_type="入院记录")]},
            "another encounter",
        ),
        (
            {"documents": [ClinicalDocument(id="X", patient_id="P2", doc_type="入院记录")]},
            "another encounter or patient",
        ),
        (
            {
                "documents": [
                    ClinicalDocument(id="X", doc_type="入院记录"),
                    ClinicalDocument(id="X", doc_type="a"),
                ]
            },
            "repeat",
        ),
    ],
)
def test_inconsistent_contexts_are_refused(
    engine: Engine, sample_context: ClinicalContext, change: dict, message: str
) -> None:
    with pytest.raises(InputError, match=message):
        save_context(engine, sample_context.model_copy(update=change))
    assert count_patients(engine) == 0  # nothing half-saved


def test_failed_context_save_leaves_nothing_behind(engine: Engine, sample_context: ClinicalContext) -> None:
    ctx = sample_context.model_copy(update={"patient": None})  # patient not stored: must fail as a whole
    with pytest.raises(NotFoundError):
        save_context(engine, ctx)
    assert count_encounters(engine) == 0 and count_documents(engine) == 0


def test_concurrent_saves_of_one_context_do_not_duplicate(
    db_url: str, engine: Engine, sample_context: ClinicalContext
) -> None:
    import threading

    from yizhu.store import make_engine

    engines = [make_engine(db_url) for _ in range(4)]
    barrier = threading.Barrier(len(engines))
    errors: list[BaseException] = []

    def save(eng: Engine) -> None:
        try:
            barrier.wait()
            for _ in range(3):
                save_context(eng, sample_context)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=save, args=(e,)) for e in engines]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for e in engines:
        e.dispose()
    assert errors == []
    assert load_context(engine, "E1") == sample_context


def test_patient_search_by_name_or_mrn_takes_wildcards_literally(engine) -> None:
    from yizhu.core import Patient
    from yizhu.store import count_patients, list_patients, save_patient

    save_patient(engine, Patient(id="s1", name="王建国", mrn="ZY100_1", synthetic=True))
    save_patient(engine, Patient(id="s2", name="李建华", mrn="ZY1001", synthetic=True))
    assert {p.id for p in list_patients(engine, q="建")} >= {"s1", "s2"}
    assert [p.id for p in list_patients(engine, q="zy100_")] == ["s1"]  # _ is not a wildcard
    assert count_patients(engine, q="王建国") == 1
    assert list_patients(engine, q="%") == []
