"""A dose ten times (or more) the label's maximum — or its usual dose, where the label gives no maximum — is
almost always a unit written wrongly (g for mg, mg for μg): a *major* dose alert saying so, *contraindicated*
from a hundred times; a dose just above the usual one stays a *moderate* reminder. Shipped packs."""

from __future__ import annotations

from typing import Any

import pytest

from yizhu.clinical.rx import load_payload, review
from yizhu.knowledge.packs import get_kb


def _dose_alerts(drug: str, dose: float, unit: str, frequency: str = "qd", route: str = "口服") -> list[Any]:
    doc = {"synthetic": True, "patient": {"sex": "male", "age_years": 58, "weight_kg": 66, "prescriber_level": "attending"},
           "orders": [{"drug": drug, "dose": dose, "unit": unit, "route": route, "frequency": frequency}]}
    return [a for a in review(load_payload(doc), kb=get_kb()).alerts if a.type == "dose"]


@pytest.mark.parametrize(("drug", "dose", "unit", "frequency", "severity"), [
    ("地高辛片", 0.25, "g", "qd", "contraindicated"),       # 250 mg: g written for mg (usual ≤0.25 mg, no maximum)
    ("地高辛片 0.25mg", 2.5, "mg", "qd", "major"),          # ten times the usual dose
    ("左甲状腺素钠片", 100, "mg", "qd", "contraindicated"),  # mg written for μg
    ("华法林钠片", 30, "mg", "qd", "major"),
    ("泮托拉唑钠肠溶胶囊", 400, "mg", "qd", "major"),
    ("阿莫西林胶囊", 500, "g", "tid", "contraindicated"),   # 500 g a dose
    ("甲钴胺片", 5, "mg", "tid", "major"),                  # mg written for 0.5 mg
    ("瑞舒伐他汀钙片", 10, "g", "qn", "contraindicated"),   # g for mg, against the daily maximum
])
def test_a_tenfold_dose_is_a_unit_slip(drug: str, dose: float, unit: str, frequency: str, severity: str) -> None:
    alerts = _dose_alerts(drug, dose, unit, frequency)
    slips = [a for a in alerts if a.rule_id == "rx.dose.unit_slip.v1"]
    assert [a.severity for a in slips] == [severity], [a.message for a in alerts]
    assert "单位" in slips[0].message and slips[0].evidence["ratio"] >= 10
    assert len(alerts) == 1  # the maximum and usual-dose alerts leave the order to the slip alert


@pytest.mark.parametrize(("drug", "dose", "unit", "frequency", "expected"), [
    ("地高辛片", 0.5, "mg", "qd", [("rx.dose.above_usual.v1", "moderate")]),   # just above usual
    ("地高辛片", 0.25, "mg", "qd", []),
    ("地高辛片", 125, "μg", "qd", []),                                          # the same dose in μg
    ("阿莫西林胶囊", 2, "g", "tid", [("rx.dose.daily_max.v1", "major")]),       # over the maximum, not tenfold
    ("左甲状腺素钠片", 100, "μg", "qd", []),
    ("华法林钠片", 3, "mg", "qd", []),
])
def test_doses_near_the_label_are_not_slips(drug: str, dose: float, unit: str, frequency: str,
                                            expected: list[tuple[str, str]]) -> None:
    assert [(a.rule_id, a.severity) for a in _dose_alerts(drug, dose, unit, frequency)] == expected
