"""The maximum a dose is held to matches the product written (吸入用布地奈德混悬液 for a nebuliser vs 布地奈德粉吸入剂
or 气雾剂) and the patient's age (the label's children's band where it has one); a product named without its form
is held to the most permissive entry, and adults to the adult entries. Shipped packs."""

from __future__ import annotations

import pytest

from yizhu.clinical.rx import load_payload, review
from yizhu.clinical.rx.checks.dose import dose_specs
from yizhu.knowledge.packs import get_kb


def _dose(drug: str, dose: float, unit: str, frequency: str, age: float, route: str = "吸入") -> list[tuple[str, str]]:
    doc = {"synthetic": True, "patient": {"sex": "female", "age_years": age, "weight_kg": 20 if age < 12 else 60,
                                          "prescriber_level": "attending"},
           "orders": [{"drug": drug, "dose": dose, "unit": unit, "route": route, "frequency": frequency}]}
    return [(a.rule_id, a.severity) for a in review(load_payload(doc), kb=get_kb()).alerts if a.type == "dose"]


DAILY = [("rx.dose.daily_max.v1", "major")]
SINGLE = [("rx.dose.single_max.v1", "major")]


@pytest.mark.parametrize(("drug", "dose", "unit", "frequency", "age", "route", "expected"), [
    # nebulised suspension: a child's 1 mg bid is the label's children's dose, not above the dry powder's 1.6 mg/d
    ("吸入用布地奈德混悬液", 1, "mg", "bid", 5, "雾化吸入", []),
    ("吸入用布地奈德混悬液 2ml:1mg", 1, "mg", "q12h", 3, "雾化", []),
    ("布地奈德混悬液（普米克令舒）", 0.5, "mg", "bid", 2, "雾化吸入", []),
    ("吸入用布地奈德混悬液", 2, "mg", "bid", 5, "雾化吸入", SINGLE),       # above the children's 1 mg a dose
    ("吸入用布地奈德混悬液", 2, "mg", "bid", 45, "雾化吸入", []),          # the adult nebuliser dose
    ("吸入用布地奈德混悬液", 3, "mg", "bid", 45, "雾化吸入", SINGLE),
    # dry powder and aerosol keep their own maxima
    ("布地奈德粉吸入剂", 400, "μg", "bid", 8, "吸入", []),                 # 800 μg/d: the 6–11 y maximum
    ("布地奈德粉吸入剂", 800, "μg", "bid", 8, "吸入", DAILY),
    ("布地奈德粉吸入剂", 800, "μg", "bid", 40, "吸入", []),                 # 1.6 mg/d: the adult maximum
    ("布地奈德粉吸入剂", 1, "mg", "bid", 40, "吸入", DAILY),
    ("布地奈德气雾剂", 1, "mg", "bid", 40, "吸入", DAILY),
])
def test_the_maximum_matches_the_form_and_the_age(drug: str, dose: float, unit: str, frequency: str, age: float,
                                                  route: str, expected: list[tuple[str, str]]) -> None:
    assert _dose(drug, dose, unit, frequency, age, route) == expected


def test_a_product_named_without_its_form_gets_every_entry() -> None:
    """普米克 (a brand of both forms): the checks take the most permissive entry, so no false alert."""
    assert _dose("普米克", 1, "mg", "bid", 40) == []


def test_adults_and_unknown_age_get_the_general_entries() -> None:
    class _Order:
        name = "吸入用布地奈德混悬液"
        route = type("R", (), {"code": "inh"})()

    drug = get_kb().pack("drug").get("drug:budesonide_inh")
    for age in (None, 30.0):
        specs = dose_specs(_Order(), drug, age)  # type: ignore[arg-type]
        assert specs and all(s.below_years is None and "吸入用" in s.forms for s in specs)
    child = dose_specs(_Order(), drug, 4.0)  # type: ignore[arg-type]
    assert [s.below_years for s in child] == [12]


def test_the_alert_says_whose_maximum_it_is() -> None:
    doc = {"synthetic": True, "patient": {"sex": "male", "age_years": 6, "weight_kg": 21, "prescriber_level": "attending"},
           "orders": [{"drug": "吸入用布地奈德混悬液", "dose": 2, "unit": "mg", "route": "雾化吸入", "frequency": "bid"}]}
    [alert] = [a for a in review(load_payload(doc), kb=get_kb()).alerts if a.type == "dose"]
    assert "儿童" in alert.message and alert.evidence["below_years"] == 12


