"""The usual-dose text of the drug pack read as a dose ceiling: amounts per kg, m², mL, hour or day are rates, not
doses; a slash between the strengths of a compound's components separates two doses (the larger one counts)."""

from __future__ import annotations

import pytest

from yizhu.clinical.rx.checks.dose import usual_max_dose


@pytest.mark.parametrize(("usual", "unit", "top"), [
    ("2片（SMZ 800 mg/TMP 160 mg）bid", "mg", 800.0),
    ("1片（5 mg/325 mg）q6h 按需", "mg", 325.0),
    ("1片（0.5 mg/10 mg）早晨", "mg", 10.0),
    ("2片（SMZ 800 mg/TMP 160 mg）bid", "g", 0.8),
])
def test_component_strengths_each_count_as_a_dose(usual: str, unit: str, top: float) -> None:
    assert usual_max_dose(usual, unit=unit) == pytest.approx(top)


@pytest.mark.parametrize(("usual", "top"), [
    ("0.5 g qd，浓度≤2 mg/mL 静滴≥1 h", 500.0),
    ("4.6 mg/24 h 起，可至 9.5 mg/24 h", None),
    ("15–20 mg/kg/d 分次", None),
    ("40 mg qd；体表面积 75 mg/m² 每3周", 40.0),
    ("严重过敏反应 0.3–0.5 mg（1 mg/mL）大腿前外侧肌注", 0.5),
])
def test_rates_and_concentrations_are_not_doses(usual: str, top: float | None) -> None:
    got = usual_max_dose(usual, unit="mg")
    assert got == (pytest.approx(top) if top is not None else None), got


def _above_usual(dose_g: float) -> list:
    from yizhu.clinical.rx import load_payload, review
    from yizhu.knowledge.packs import get_kb

    from .conftest import document, order

    res = review(load_payload(document([order("复方磺胺甲噁唑片", dose_g, "g", frequency="bid")])), kb=get_kb())
    assert not [a for a in res.alerts if a.rule_id.startswith("rx.unknown_drug")], res.alerts
    return [a for a in res.alerts if a.rule_id == "rx.dose.above_usual.v1"]


def test_a_usual_two_tablet_dose_of_the_compound_is_not_above_usual() -> None:
    assert not _above_usual(0.96)  # 2 tablets: SMZ 0.8 g + TMP 0.16 g, written as their sum
    assert _above_usual(2.4)  # three times the SMZ strength of a usual dose
