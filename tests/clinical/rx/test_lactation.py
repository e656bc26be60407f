"""Breast-feeding: drugs whose current labels or regulators advise against breast-feeding (tramadol and codeine
— FDA 2017; pethidine, clozapine, tamoxifen, megestrol, a combined oral contraceptive) are *major* lactation
alerts citing that source; drugs compatible with breast-feeding stay quiet and cautions stay *minor*. Shipped
packs."""

from __future__ import annotations

from typing import Any

import pytest

from yizhu.clinical.rx import load_payload, review
from yizhu.knowledge.packs import get_kb


def _lactation(drug: str, dose: float, unit: str, frequency: str = "tid", lactating: bool = True) -> list[Any]:
    doc = {"synthetic": True,
           "patient": {"sex": "female", "age_years": 29, "weight_kg": 58, "lactating": lactating,
                       "prescriber_level": "attending"},
           "orders": [{"drug": drug, "dose": dose, "unit": unit, "route": "口服", "frequency": frequency}]}
    return [a for a in review(load_payload(doc), kb=get_kb()).alerts if a.type == "lactation"]


@pytest.mark.parametrize(("drug", "dose", "unit", "cites"), [
    ("盐酸曲马多缓释片", 100, "mg", "FDA"),
    ("曲马多胶囊 50mg", 50, "mg", "2017"),
    ("磷酸可待因片", 30, "mg", "FDA"),
    ("盐酸哌替啶片", 50, "mg", "哺乳"),
    ("氯氮平片", 25, "mg", "哺乳"),
    ("枸橼酸他莫昔芬片", 10, "mg", "哺乳"),
    ("屈螺酮炔雌醇片", 1, "片", "2015"),
])
def test_drugs_advised_against_in_breastfeeding_are_major(drug: str, dose: float, unit: str, cites: str) -> None:
    [alert] = _lactation(drug, dose, unit)
    assert alert.severity == "major"
    assert cites in alert.source


@pytest.mark.parametrize(("drug", "expected"), [
    ("对乙酰氨基酚片", []),          # compatible
    ("布洛芬片", ["minor"]),        # caution, the preferred NSAID
    ("盐酸舍曲林片", ["minor"]),
])
def test_compatible_and_cautioned_drugs_keep_their_level(drug: str, expected: list[str]) -> None:
    assert [a.severity for a in _lactation(drug, 0.3 if "对乙酰" in drug else 50, "g" if "对乙酰" in drug else "mg")] \
        == expected


def test_no_lactation_alert_when_not_breastfeeding() -> None:
    assert _lactation("盐酸曲马多缓释片", 100, "mg", lactating=False) == []


def test_a_lactation_source_is_not_cited_on_other_alerts() -> None:
    doc = {"synthetic": True, "patient": {"sex": "male", "age_years": 70, "prescriber_level": "attending"},
           "orders": [{"drug": "盐酸曲马多缓释片", "dose": 100, "unit": "mg", "route": "口服", "frequency": "bid"}]}
    for a in review(load_payload(doc), kb=get_kb()).alerts:
        assert "哺乳" not in a.source
