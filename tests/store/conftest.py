"""Fixtures: every store test runs against SQLite and a real PostgreSQL server (``db_url`` and
``pg_server`` live in tests/conftest.py, shared with the API tests)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

import pytest
from sqlalchemy.engine import Engine

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
    Section,
    Sex,
)
from yizhu.store import init_db


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """A migrated database of each dialect."""
    eng = init_db(db_url)
    try:
        yield eng
    finally:
        eng.dispose()


def make_context(encounter_id: str = "E1", patient_id: str = "P1") -> ClinicalContext:
    """A synthetic (合成) inpatient context with one of every kind of item."""
    return ClinicalContext(
        patient=Patient(
            id=patient_id,
            name="测试患者甲（合成）",
            sex=Sex.female,
            birth_date=date(1956, 3, 14),
            mrn=f"MRN-{patient_id}",
            synthetic=True,
        ),
        encounter=Encounter(
            id=encounter_id,
            patient_id=patient_id,
            encounter_class=EncounterClass.inpatient,
            department="心内科",
            admitted_at=datetime(2024, 5, 2, 9, 30),
            bed="12床",
            condition_level="serious",
        ),
        documents=[
            ClinicalDocument(
                id=f"{encounter_id}-adm",
                patient_id=patient_id,
                encounter_id=encounter_id,
                doc_type="入院记录",
                text="主诉：胸闷3天。\n现病史：患者3天前活动后胸闷。",
                sections=[Section(name="主诉", heading="主诉", start=3, end=8, text="胸闷3天。")],
                header={"科室": "心内科"},
                recorded_at=datetime(2024, 5, 2, 11, 0),
                synthetic=True,
            ),
            ClinicalDocument(
                id=f"{encounter_id}-prog",
                patient_id=patient_id,
                encounter_id=encounter_id,
                doc_type="首次病程记录",
                text="病例特点：老年女性，胸闷。",
                recorded_at=datetime(2024, 5, 2, 15, 0),
                synthetic=True,
            ),
        ],
        diagnoses=[
            Diagnosis(text="冠状动脉粥样硬化性心脏病", code="I25.103", kind="admission", is_main=True),
            Diagnosis(text="高血压病3级", code="I10.x05", kind="admission"),
        ],
        orders=[
            MedicationOrder(
                id="O1",
                text="阿司匹林肠溶片 100mg po qd",
                drug="阿司匹林",
                dose=100,
                unit="mg",
                route="po",
                frequency="qd",
            ),
            Order(id="O2", kind="lab", text="血常规"),
            MedicationOrder(id="O3", text="阿托伐他汀钙片 20mg po qn", drug="阿托伐他汀", dose=20, unit="mg"),
        ],
        labs=[
            LabResult(name="肌钙蛋白I", value=0.02, unit="ng/mL", flag="N"),
            LabResult(name="尿蛋白", value="阴性"),
        ],
        allergies=[AllergyIntolerance(substance="青霉素", reaction="皮疹", severity="moderate")],
        extra={"question": "是否需要调整他汀剂量？", "weights": [1, 2.5]},
    )


@pytest.fixture
def sample_context() -> ClinicalContext:
    """The synthetic context of ``make_context``."""
    return make_context()


@pytest.fixture
def context_factory() -> Any:
    """``make_context`` itself, for tests that need several contexts."""
    return make_context
