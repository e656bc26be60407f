"""Patient facts: kidney function equations, liver impairment, pregnancy, diagnoses and allergies."""

from __future__ import annotations

import pytest

from yizhu.clinical.rx import load_payload
from yizhu.clinical.rx.facts import (
    bedside_schwartz,
    ckd_epi_2021,
    cockcroft_gault,
    gather_facts,
    resolve_allergy,
)
from yizhu.clinical.rx.resolve import DrugResolver
from yizhu.core.models import Sex
from yizhu.knowledge.packs import KnowledgeBase

from .conftest import document


@pytest.mark.parametrize(
    ("scr", "age", "sex", "expected"),
    [
        # worked by hand from the published CKD-EPI 2021 equation (Inker et al., NEJM 2021): 142 × min(Scr/κ,1)^α
        # × max(Scr/κ,1)^−1.200 × 0.9938^age × 1.012 (female)
        (1.0, 50, Sex.male, 91.7),
        (0.7, 50, Sex.female, 105.3),
        (2.0, 70, Sex.male, 35.2),
        (1.5, 70, Sex.female, 37.3),
    ],
)
def test_ckd_epi_2021(scr: float, age: float, sex: Sex, expected: float) -> None:
    assert ckd_epi_2021(scr, age, sex) == pytest.approx(expected, abs=0.2)


def test_unknown_sex_takes_the_lower_estimate() -> None:
    both = (ckd_epi_2021(1.5, 60, Sex.male), ckd_epi_2021(1.5, 60, Sex.female))
    assert ckd_epi_2021(1.5, 60, Sex.unknown) == min(both)


def test_schwartz_and_cockcroft_gault() -> None:
    assert bedside_schwartz(0.5, 110) == pytest.approx(90.9, abs=0.1)
    assert cockcroft_gault(1.0, 60, 70, Sex.male) == pytest.approx(77.8, abs=0.1)
    assert cockcroft_gault(1.0, 60, 70, Sex.female) == pytest.approx(66.1, abs=0.1)


def facts(kb: KnowledgeBase, **patient: object):
    ctx = load_payload(document([{"drug": "阿莫西林"}], **patient))
    return gather_facts(ctx, kb, DrugResolver(kb))


def test_egfr_is_computed_from_creatinine_in_umol(kb: KnowledgeBase) -> None:
    f = facts(kb, sex="female", age_years=70, labs={"scr_umol_l": 132.6})
    assert f.egfr == pytest.approx(37.3, abs=0.2)
    assert "CKD-EPI 2021" in (f.egfr_basis or "")


def test_given_egfr_wins_and_crcl_falls_back_to_it(kb: KnowledgeBase) -> None:
    f = facts(kb, labs={"egfr": 42, "scr_umol_l": 300}, weight_kg=None)
    assert f.egfr == 42
    assert f.crcl is not None


def test_crcl_by_cockcroft_gault_when_weight_known(kb: KnowledgeBase) -> None:
    f = facts(kb, age_years=60, weight_kg=70, labs={"scr_mg_dl": 1.0})
    assert f.crcl == pytest.approx(77.8, abs=0.1)


def test_ckd_stage_gives_a_conservative_egfr_without_labs(kb: KnowledgeBase) -> None:
    assert facts(kb, diagnoses=["慢性肾脏病4期"]).egfr == 22


def test_children_need_height_for_egfr(kb: KnowledgeBase) -> None:
    assert facts(kb, age_years=6, weight_kg=20, labs={"scr_umol_l": 40}).egfr is None
    f = facts(kb, age_years=6, weight_kg=20, height_cm=115, labs={"scr_umol_l": 40})
    assert f.egfr == pytest.approx(0.413 * 115 / (40 / 88.4), abs=0.2)


@pytest.mark.parametrize(
    ("patient", "level"),
    [
        ({"labs": {"child_pugh": "C"}}, "severe"),
        ({"diagnoses": ["肝硬化"]}, "moderate"),
        ({"labs": {"alt": 150}}, "mild"),
        ({"labs": {"alt": 150, "tbil": 60}}, "moderate"),
        ({"labs": {"alt": 80}}, None),
        ({"diagnoses": [{"text": "非酒精性脂肪肝", "code": "K76.0"}]}, None),
    ],
)
def test_hepatic_impairment(kb: KnowledgeBase, patient: dict, level: str | None) -> None:
    assert facts(kb, **patient).hepatic == level


@pytest.mark.parametrize(
    ("patient", "pregnant"),
    [
        ({"sex": "female", "pregnant": True}, True),
        ({"sex": "female", "diagnoses": ["孕20周"]}, True),
        ({"sex": "female", "diagnoses": [{"text": "妊娠期糖尿病", "code": "O24.4"}]}, True),
        ({"sex": "female", "diagnoses": ["否认妊娠"]}, False),
        ({"sex": "male", "diagnoses": ["妊娠"]}, False),
    ],
)
def test_pregnancy_from_flag_or_diagnoses(kb: KnowledgeBase, patient: dict, pregnant: bool) -> None:
    assert facts(kb, **patient).pregnant is pregnant


@pytest.mark.parametrize(
    ("text", "drug", "groups"),
    [
        ("青霉素", None, {"penicillin"}),
        ("头孢类", None, {"cephalosporin"}),
        ("β-内酰胺类", None, {"penicillin", "cephalosporin", "carbapenem", "monobactam", "beta_lactam"}),
        ("芬必得", "drug:ibuprofen", {"nsaid"}),
        ("磺胺类药物", None, {"sulfonamide_antibiotic"}),
        ("海鲜", None, set()),
    ],
)
def test_allergy_resolution(kb: KnowledgeBase, text: str, drug: str | None, groups: set[str]) -> None:
    item, found = resolve_allergy(text, DrugResolver(kb))
    assert (item.id if item else None) == drug
    assert found == groups


def test_penicillin_allergy_history_code_counts_as_allergy(kb: KnowledgeBase) -> None:
    f = facts(kb, diagnoses=[{"text": "青霉素过敏史", "code": "Z88.0"}])
    assert any("penicillin" in a.groups for a in f.allergies)
