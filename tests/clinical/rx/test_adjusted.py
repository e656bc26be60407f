"""Classes found by the blind real-world cases, on the shipped packs: a renal dose reduction already made
is a reminder, not a warning; raised transaminases meet a label's liver contraindication without a coded
diagnosis."""

from __future__ import annotations

from typing import Any

import pytest

from yizhu.clinical.rx import load_payload, review
from yizhu.knowledge.packs import get_kb


def _review(drug: str, dose: float, unit: str, frequency: str, **patient: Any) -> list[Any]:
    doc = {"synthetic": True, "patient": {"sex": "female", "age_years": 70, "prescriber_level": "attending", **patient},
           "orders": [{"drug": drug, "dose": dose, "unit": unit, "route": "口服", "frequency": frequency}]}
    return review(load_payload(doc), kb=get_kb()).alerts


@pytest.mark.parametrize(("dose", "frequency", "crcl", "severity"), [
    (15, "qd", 34, "minor"),      # 利伐沙班 already reduced to 15 mg qd (CrCl 15–49)
    (20, "qd", 34, "moderate"),   # not reduced
    (15, "bid", 34, "moderate"),  # the daily dose is twice the reduced one
])
def test_renal_reduction_already_made_is_a_reminder(dose: float, frequency: str, crcl: float, severity: str) -> None:
    [renal] = [a for a in _review("利伐沙班片", dose, "mg", frequency, labs={"crcl": crcl}) if a.type == "renal"]
    assert renal.severity == severity
    assert ("already_adjusted_to" in renal.evidence) == (severity == "minor")


def test_tiered_note_uses_the_patients_tier() -> None:
    """恩替卡韦 0.25 mg qd is the 30–49 tier; at CrCl 20 the 10–29 tier (0.15 mg) applies: still a warning."""
    [renal] = [a for a in _review("恩替卡韦分散片", 0.25, "mg", "qd", labs={"crcl": 20}) if a.type == "renal"]
    assert renal.severity == "moderate"
    [renal] = [a for a in _review("恩替卡韦分散片", 0.25, "mg", "qd", labs={"crcl": 40}) if a.type == "renal"]
    assert renal.severity == "minor"


@pytest.mark.parametrize(("alt", "expected"), [(320, "major"), (80, None)])
def test_statin_with_transaminases_over_three_times_normal(alt: float, expected: str | None) -> None:
    found = [a for a in _review("阿托伐他汀钙片", 20, "mg", "qn", labs={"alt": alt, "ast": 60})
             if a.type == "contraindication"]
    if expected is None:
        assert found == []
    else:
        assert [a.severity for a in found] == [expected] and found[0].evidence["x_uln"] == round(alt / 40, 1)


@pytest.mark.parametrize(("drug", "dose", "unit", "frequency", "labs", "severity"), [
    ("盐酸二甲双胍片", 500, "mg", "bid", {"egfr": 40}, "minor"),        # 1000 mg/d at eGFR 30–44: within ≤1000 mg/d
    ("二甲双胍缓释片", 1, "g", "qd", {"egfr": 35}, "minor"),
    ("盐酸二甲双胍片", 500, "mg", "tid", {"egfr": 40}, "moderate"),     # 1500 mg/d: above the ceiling
    ("盐酸二甲双胍片", 500, "mg", "bid", {"egfr": 25}, "contraindicated"),  # below 30: the ceiling does not apply
    ("盐酸曲马多片", 50, "mg", "q12h", {"crcl": 25}, "minor"),          # q12h and ≤200 mg/d
    ("盐酸曲马多片", 50, "mg", "q6h", {"crcl": 25}, "moderate"),        # 200 mg/d but the interval is not extended
    ("阿替洛尔片", 25, "mg", "bid", {"crcl": 25}, "minor"),             # 最大 50 mg/d
    ("阿替洛尔片", 50, "mg", "bid", {"crcl": 25}, "moderate"),
    ("左乙拉西坦片", 500, "mg", "bid", {"crcl": 40}, "minor"),          # 30–49 ≤1500 (unit of the first tier)
    ("左乙拉西坦片", 1000, "mg", "bid", {"crcl": 40}, "moderate"),
    ("加巴喷丁胶囊", 300, "mg", "tid", {"crcl": 40}, "minor"),          # 400–1400 mg/d
    ("加巴喷丁胶囊", 600, "mg", "tid", {"crcl": 40}, "moderate"),
    ("美金刚片", 5, "mg", "bid", {"crcl": 20}, "minor"),                # 10 mg/d
])
def test_a_daily_dose_within_the_renal_ceiling_is_monitoring(drug: str, dose: float, unit: str, frequency: str,
                                                             labs: dict[str, float], severity: str) -> None:
    [renal] = [a for a in _review(drug, dose, unit, frequency, labs=labs) if a.type == "renal"]
    assert renal.severity == severity
    assert ("within_ceiling" in renal.evidence) == (severity == "minor")


def test_a_components_ceiling_is_not_the_products() -> None:
    """头孢哌酮舒巴坦: 舒巴坦≤2 g/d is the sulbactam part's ceiling, not the product's (2 g q12h stays moderate)."""
    doc = {"synthetic": True, "patient": {"sex": "female", "age_years": 70, "labs": {"crcl": 20},
                                          "prescriber_level": "chief"},
           "orders": [{"drug": "注射用头孢哌酮钠舒巴坦钠", "dose": 1, "unit": "g", "route": "静滴", "frequency": "q12h"}]}
    [renal] = [a for a in review(load_payload(doc), kb=get_kb()).alerts if a.type == "renal"]
    assert renal.severity == "moderate"
