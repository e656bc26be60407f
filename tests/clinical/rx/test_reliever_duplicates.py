"""A reliever beside a scheduled drug of the same group — sublingual nitroglycerin for angina attacks beside a
long-acting nitrate, an inhaled SABA for symptoms, a prn opioid for breakthrough pain beside a long-acting one —
is the intended controller-plus-reliever regimen: a *minor* note, not duplicate therapy. Two scheduled drugs of
one group, or a prn NSAID beside a scheduled NSAID, still are duplicates. Shipped packs."""

from __future__ import annotations

from typing import Any

import pytest

from yizhu.clinical.rx import load_payload, review
from yizhu.knowledge.packs import get_kb


def rx_order(drug: str, dose: float, unit: str, route: str, frequency: str) -> dict[str, Any]:
    return {"drug": drug, "dose": dose, "unit": unit, "route": route, "frequency": frequency}


def _duplicates(*orders: dict[str, Any]) -> list[tuple[str, str]]:
    doc = {"synthetic": True, "patient": {"sex": "male", "age_years": 62, "weight_kg": 72, "prescriber_level": "attending"},
           "orders": list(orders)}
    return [(a.rule_id, a.severity) for a in review(load_payload(doc), kb=get_kb()).alerts if a.type == "duplicate"]


LONG_NITRATE = rx_order("单硝酸异山梨酯缓释片", 40, "mg", "口服", "qd")
AS_NEEDED = [("rx.duplicate.as_needed.v1", "minor")]


@pytest.mark.parametrize("reliever", [
    rx_order("硝酸甘油片", 0.5, "mg", "舌下含服", "必要时"),
    rx_order("硝酸甘油片", 0.5, "mg", "舌下", "prn"),
    rx_order("硝酸甘油片 0.5mg", 0.5, "mg", "舌下含服", "st"),        # sublingual nitroglycerin is a reliever by nature
    rx_order("硝酸甘油片", 0.5, "mg", "舌下含服", "胸痛时"),         # frequency not parsed: the route still tells
    rx_order("硝酸异山梨酯片", 5, "mg", "舌下含服", "心绞痛发作时"),
])
def test_a_sublingual_nitrate_beside_a_long_acting_nitrate(reliever: dict[str, Any]) -> None:
    assert _duplicates(reliever, LONG_NITRATE) == AS_NEEDED


@pytest.mark.parametrize(("a", "b"), [
    (rx_order("沙丁胺醇气雾剂", 200, "μg", "吸入", "prn"), rx_order("特布他林片", 2.5, "mg", "口服", "tid")),
    (rx_order("盐酸吗啡片", 10, "mg", "口服", "q4h prn"), rx_order("盐酸羟考酮缓释片", 20, "mg", "口服", "q12h")),
    (rx_order("盐酸吗啡注射液", 5, "mg", "皮下注射", "必要时"), rx_order("硫酸吗啡缓释片", 30, "mg", "口服", "q12h")),
])
def test_other_reliever_regimens(a: dict[str, Any], b: dict[str, Any]) -> None:
    found = _duplicates(a, b)
    assert all(sev == "minor" for _, sev in found) and found


@pytest.mark.parametrize(("a", "b", "expected"), [
    (rx_order("硝酸异山梨酯片", 10, "mg", "口服", "tid"), LONG_NITRATE, [("rx.duplicate.class.v1", "moderate")]),
    (rx_order("盐酸吗啡片", 10, "mg", "口服", "q4h"), rx_order("盐酸羟考酮缓释片", 20, "mg", "口服", "q12h"),
     [("rx.duplicate.class.v1", "moderate")]),
    (rx_order("布洛芬片", 0.2, "g", "口服", "prn"), rx_order("塞来昔布胶囊", 200, "mg", "口服", "qd"),
     [("rx.duplicate.class.v1", "moderate")]),   # two NSAIDs stay a duplicate even when one is prn
])
def test_two_scheduled_drugs_of_one_group_are_still_duplicates(a: dict[str, Any], b: dict[str, Any],
                                                               expected: list[tuple[str, str]]) -> None:
    assert _duplicates(a, b) == expected


def test_the_same_drug_as_controller_and_reliever() -> None:
    assert _duplicates(rx_order("硝酸甘油贴片", 5, "mg", "外贴", "qd"), rx_order("硝酸甘油片", 0.5, "mg", "舌下含服", "prn")) == AS_NEEDED


def test_the_same_ingredient_prn_beside_scheduled_outside_reliever_groups_stays_major() -> None:
    assert _duplicates(rx_order("对乙酰氨基酚片", 0.5, "g", "口服", "prn"), rx_order("对乙酰氨基酚缓释片", 0.65, "g", "口服", "tid")) \
        == [("rx.duplicate.ingredient.v1", "major")]
