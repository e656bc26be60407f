"""A small synthetic hospital in a temporary SQLite file, shared by the page and browser tests.

Every record is synthetic (合成). The one fully described patient, 张测试, has an admission note
with a non-standard heading (心理评估) and without 家族史, so ``document.structure`` reports
findings the pages must show.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from yizhu.api.services import run_task
from yizhu.core import (
    AllergyIntolerance,
    ClinicalContext,
    Diagnosis,
    Encounter,
    EncounterClass,
    LabResult,
    MedicationOrder,
    Order,
    Patient,
)
from yizhu.core.models import Sex
from yizhu.core.parsing import parse_document
from yizhu.store import create_api_key, init_db, save_context

ADMISSION_NOTE = """入院记录（合成病历）
姓名：张测试　性别：男　年龄：58岁　科别：心内科　住院号：ZY0001　入院日期：2026-03-01 09:30
主诉：反复胸闷3年，加重2天。
现病史：患者3年前起活动后胸闷，休息后缓解；2天前胸闷加重，持续约10分钟。
既往史：高血压病史10年，服用氨氯地平。
过敏史：青霉素过敏（皮疹）。
个人史：吸烟20年，每日10支。
体格检查：T 36.5℃ P 88次/分 R 18次/分 BP 150/90mmHg，神清，双肺呼吸音清。
心理评估：焦虑情绪，睡眠差。
辅助检查：心电图示V4-V6导联ST段压低0.1mV。
初步诊断：1.不稳定型心绞痛 2.高血压病3级（很高危）
医师签名：李合成
"""

PROGRESS_NOTE = """首次病程记录（合成病历）
姓名：张测试　性别：男　住院号：ZY0001
病例特点：老年男性，反复胸闷3年，加重2天。
拟诊讨论：根据胸闷症状及心电图改变，考虑不稳定型心绞痛。
诊疗计划：抗血小板、调脂治疗，完善冠脉造影。
医师签名：李合成
"""


@dataclass(frozen=True)
class Hospital:
    """What the tests need to find again: ids and a key per role."""

    engine: Engine
    db_url: str
    patient_id: str
    encounter_id: str
    outpatient_encounter_id: str
    admission_doc_id: str
    progress_doc_id: str
    clinician_key: str
    patient_app_key: str
    n_patients: int


def _zhang() -> tuple[ClinicalContext, ClinicalContext]:
    patient = Patient(
        id="pat-web-zhang", name="张测试", sex=Sex.male, birth_date=date(1967, 5, 12), mrn="ZY0001", synthetic=True
    )
    enc = Encounter(
        id="enc-web-zhang-1",
        patient_id=patient.id,
        encounter_class=EncounterClass.inpatient,
        department="心内科",
        admitted_at=datetime(2026, 3, 1, 9, 30),
        bed="12床",
        attending="王合成",
        condition_level="serious",
    )
    adm = parse_document(ADMISSION_NOTE, doc_id="doc-web-adm").model_copy(
        update={"author": "李合成", "recorded_at": datetime(2026, 3, 1, 11, 0)}
    )
    prog = parse_document(PROGRESS_NOTE, doc_id="doc-web-prog").model_copy(
        update={"author": "李合成", "recorded_at": datetime(2026, 3, 1, 15, 20), "synthetic": True}
    )
    inpatient = ClinicalContext(
        patient=patient,
        encounter=enc,
        documents=[adm, prog],
        diagnoses=[
            Diagnosis(text="不稳定型心绞痛", code="I20.0", kind="preliminary", is_main=True),
            Diagnosis(text="高血压病3级（很高危）", code="I10", kind="preliminary"),
        ],
        orders=[
            MedicationOrder(
                id="o1", text="阿司匹林肠溶片 100mg 口服 每日一次", drug="阿司匹林肠溶片", dose=100, unit="mg",
                route="口服", frequency="qd", days=7, ordered_at=datetime(2026, 3, 1, 10, 0), prescriber="李合成",
            ),
            MedicationOrder(
                id="o2", text="阿托伐他汀钙片 20mg 口服 每晚一次", drug="阿托伐他汀钙片", dose=20, unit="mg",
                route="口服", frequency="qn",
            ),
            Order(id="o3", kind="exam", text="冠状动脉造影"),
        ],
        labs=[
            LabResult(name="肌钙蛋白I", value=0.08, unit="ng/mL", reference_range="<0.04", flag="H",
                      observed_at=datetime(2026, 3, 1, 10, 40)),
            LabResult(name="血钾", value=4.1, unit="mmol/L", reference_range="3.5-5.3", flag="N"),
        ],
        allergies=[AllergyIntolerance(substance="青霉素", reaction="皮疹", severity="moderate")],
    )
    outpatient = ClinicalContext(
        patient=patient,
        encounter=Encounter(
            id="enc-web-zhang-0", patient_id=patient.id, encounter_class=EncounterClass.outpatient,
            department="心内科门诊", admitted_at=datetime(2025, 11, 2, 8, 15),
        ),
        diagnoses=[Diagnosis(text="高血压病", code="I10", kind="outpatient", is_main=True)],
    )
    return inpatient, outpatient


def _filler(i: int) -> ClinicalContext:
    """Plain synthetic patients so that the list pages."""
    patient = Patient(
        id=f"pat-web-{i:03d}", name=f"合成患者{i:02d}", sex=Sex.female if i % 2 else Sex.male,
        age_years=20 + i, mrn=f"MZ{1000 + i}", synthetic=True,
    )
    enc = Encounter(
        id=f"enc-web-{i:03d}", patient_id=patient.id, encounter_class=EncounterClass.emergency,
        department="急诊科", admitted_at=datetime(2026, 2, 1, 8, 0),
    )
    return ClinicalContext(patient=patient, encounter=enc)


def build_hospital(db_path: Path) -> Hospital:
    """Store the synthetic hospital, run ``document.structure`` on the inpatient stay, make keys."""
    url = f"sqlite:///{db_path.as_posix()}"
    engine = init_db(url)
    inpatient, outpatient = _zhang()
    save_context(engine, outpatient)
    save_context(engine, inpatient)
    fillers = [_filler(i) for i in range(1, 25)]
    for ctx in fillers:
        save_context(engine, ctx)
    # Also a patient whose name would be markup if the pages did not escape it.
    save_context(
        engine,
        ClinicalContext(
            patient=Patient(id="pat-web-xss", name="<b>合成</b>", mrn="XSS1", synthetic=True),
            encounter=Encounter(id="enc-web-xss", patient_id="pat-web-xss"),
        ),
    )
    run_task(engine, "document.structure", inpatient, actor="web-test")
    return Hospital(
        engine=engine,
        db_url=url,
        patient_id="pat-web-zhang",
        encounter_id="enc-web-zhang-1",
        outpatient_encounter_id="enc-web-zhang-0",
        admission_doc_id="doc-web-adm",
        progress_doc_id="doc-web-prog",
        clinician_key=create_api_key(engine, "clinician", "dr-web-test"),
        patient_app_key=create_api_key(engine, "patient_app", "patient-app-test"),
        n_patients=1 + len(fillers) + 1,
    )


@pytest.fixture(scope="session")
def hospital(tmp_path_factory: pytest.TempPathFactory) -> Hospital:
    """One synthetic hospital for all web tests (read-only for them)."""
    return build_hospital(tmp_path_factory.mktemp("web") / "yizhu.db")


# --- browser tests ---------------------------------------------------------------------------------

CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="module")
def browser_path() -> Path:
    """Chromium for the Playwright tests, or a skip saying what is missing."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        pytest.skip("Python Playwright is not installed: pip install -e '.[dev]'")
    if not CHROMIUM.is_file() and shutil.which("chromium") is None:
        pytest.skip(f"no Chromium at {CHROMIUM}: apt-get install chromium")
    return CHROMIUM
