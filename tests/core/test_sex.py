"""Sex as hospital systems send it, read by one parser everywhere a patient is read.

HIS and EMR interfaces send HL7 v2 codes (M/F/U), GB/T 2261.1-2003 codes (1 男性, 2 女性, 0 未知, 9 未说明),
Chinese (男/女) or FHIR words; each door (order documents, QC contexts, FHIR import, the patients API) must
accept all of them and store male/female/unknown, and reject what is none of them with a clear error."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

import yizhu.store as store
from yizhu.api.app import create_app
from yizhu.clinical.qc.engine import build_input
from yizhu.clinical.rx import load_payload
from yizhu.config import Settings
from yizhu.core import ClinicalContext, Patient, Sex, parse_sex
from yizhu.errors import FHIRError, InputError
from yizhu.interop import bundle_to_context

SPELLINGS: list[tuple[Any, Sex]] = [
    ("M", Sex.male), ("F", Sex.female), ("U", Sex.unknown), ("m", Sex.male), (" f ", Sex.female),
    ("1", Sex.male), ("2", Sex.female), ("0", Sex.unknown), ("9", Sex.unknown), (1, Sex.male), (2, Sex.female),
    ("男", Sex.male), ("女", Sex.female), ("男性", Sex.male), ("女性", Sex.female), ("未知", Sex.unknown),
    ("male", Sex.male), ("Female", Sex.female), ("unknown", Sex.unknown), ("other", Sex.unknown),
    ("Ｍ", Sex.male), (None, Sex.unknown), ("", Sex.unknown),
]


@pytest.mark.parametrize(("value", "expected"), SPELLINGS, ids=[repr(v) for v, _ in SPELLINGS])
def test_every_his_spelling_is_read(value: Any, expected: Sex) -> None:
    assert parse_sex(value) is expected
    assert Patient(id="p", sex=value).sex is expected


@pytest.mark.parametrize("value", ["X", "3", "男女", True, 1.5, "boyish"])
def test_what_is_no_sex_code_is_refused_with_the_codes_named(value: Any) -> None:
    with pytest.raises(ValueError, match="M/F/U"):
        parse_sex(value)
    with pytest.raises(ValidationError):
        Patient(id="p", sex=value)
    assert parse_sex(value, strict=False) is Sex.unknown


def test_stored_and_serialised_as_the_canonical_word() -> None:
    assert Patient(id="p", sex="2").model_dump(mode="json")["sex"] == "female"


@pytest.mark.parametrize(("sent", "expected"), [("M", "male"), ("2", "female"), ("女", "female"), (1, "male")])
def test_order_document_accepts_his_codes(sent: Any, expected: str) -> None:
    doc = {"patient": {"sex": sent, "age_years": 70, "labs": {"scr_umol_l": 150}},
           "orders": [{"drug": "盐酸二甲双胍片", "dose": 0.5, "unit": "g", "route": "口服", "frequency": "tid"}]}
    ctx = load_payload(doc)
    assert ctx.patient is not None and ctx.patient.sex.value == expected


def test_order_document_with_a_nonsense_sex_is_an_input_error() -> None:
    doc = {"patient": {"sex": "X"}, "orders": [{"drug": "阿司匹林", "dose": 100, "unit": "mg", "route": "口服",
                                                   "frequency": "qd"}]}
    with pytest.raises(InputError, match=r"patient\.sex"):
        load_payload(doc)


@pytest.mark.parametrize(("sent", "expected"), [("F", Sex.female), ("1", Sex.male)])
def test_qc_reads_the_context_patient_sex(sent: str, expected: Sex) -> None:
    ctx = ClinicalContext.model_validate({"patient": {"id": "p1", "sex": sent}})
    assert build_input(ctx).sex is expected


def test_qc_reads_a_his_code_written_in_the_note_header() -> None:
    from yizhu.core.parsing import parse_document

    doc = parse_document("入院记录\n姓名：测试　性别：F　年龄：30岁\n主诉：腹痛1天。\n")
    assert build_input(ClinicalContext(documents=[doc])).sex is Sex.female


BUNDLE = Path(__file__).parents[1] / "interop" / "data" / "inpatient_bundle.json"


@pytest.mark.parametrize(("gender", "expected"), [("M", Sex.male), ("2", Sex.female), ("男", Sex.male),
                                                  ("female", Sex.female)])
def test_fhir_import_accepts_his_codes_in_gender(gender: str, expected: Sex) -> None:
    bundle = json.loads(BUNDLE.read_text(encoding="utf-8"))
    patient = next(e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient")
    patient["gender"] = gender
    ctx = bundle_to_context(copy.deepcopy(bundle))
    assert ctx.patient is not None and ctx.patient.sex is expected


def test_fhir_import_refuses_an_unknown_gender_code() -> None:
    bundle = json.loads(BUNDLE.read_text(encoding="utf-8"))
    patient = next(e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient")
    patient["gender"] = "X"
    with pytest.raises(FHIRError, match="gender"):
        bundle_to_context(bundle)


def test_patients_api_accepts_his_codes_and_refuses_nonsense(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'sex.db'}")
    engine = store.init_db(settings.resolved_database_url)
    key = store.create_api_key(engine, role="admin", name="t")
    with TestClient(create_app(settings, engine=engine)) as client:
        r = client.put("/v1/patients/p1", json={"id": "p1", "sex": "F", "synthetic": True}, headers={"X-API-Key": key})
        assert r.status_code == 200 and r.json()["sex"] == "female"
        assert client.get("/v1/patients/p1", headers={"X-API-Key": key}).json()["sex"] == "female"
        r = client.put("/v1/patients/p2", json={"id": "p2", "sex": "X"}, headers={"X-API-Key": key})
        assert r.status_code == 422 and r.headers["content-type"].startswith("application/problem+json")
