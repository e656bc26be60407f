"""Route against the dose form written in the name: a modified-release or enteric-coated product chewed,
crushed, held under the tongue or put down a feeding tube is a *major* route alert naming the form; an
injection-only or inhaled form ordered by mouth is *major*; the usual ways stay quiet, and the label's own
exceptions (PPI pellets down a gastric tube, a chewed aspirin loading dose) too. Immediate-release nifedipine
under the tongue — an old practice abandoned for hypertensive urgency — is a *moderate* alert. Shipped packs."""

from __future__ import annotations

from typing import Any

import pytest

from yizhu.clinical.rx import load_payload, review
from yizhu.knowledge.packs import get_kb


def _route_alerts(drug: str, route: str, dose: float = 1, unit: str = "片", frequency: str = "qd") -> list[Any]:
    doc = {"synthetic": True, "patient": {"sex": "female", "age_years": 64, "weight_kg": 60, "prescriber_level": "attending"},
           "orders": [{"drug": drug, "dose": dose, "unit": unit, "route": route, "frequency": frequency}]}
    return [a for a in review(load_payload(doc), kb=get_kb()).alerts if a.type == "route"]


@pytest.mark.parametrize(("drug", "route", "form"), [
    ("硝苯地平控释片", "舌下含服", "控释"),
    ("拜新同（硝苯地平控释片）30mg", "舌下", "控释"),
    ("硝苯地平缓释片(II)", "嚼服", "缓释"),
    ("琥珀酸美托洛尔缓释片", "碾碎后鼻饲", "缓释"),
    ("单硝酸异山梨酯缓释胶囊", "胃管注入", "缓释"),
    ("盐酸二甲双胍缓释片", "嚼碎服", "缓释"),
    ("泮托拉唑钠肠溶胶囊", "鼻饲", "肠溶"),
    ("埃索美拉唑镁肠溶片", "嚼服", "肠溶"),
])
def test_a_modified_release_form_given_a_way_that_destroys_it(drug: str, route: str, form: str) -> None:
    [alert] = _route_alerts(drug, route)
    assert alert.severity == "major" and alert.rule_id == "rx.route.form_manipulated.v1"
    assert form in alert.message and route in alert.message


@pytest.mark.parametrize(("drug", "route"), [
    ("注射用头孢曲松钠", "口服"),
    ("注射用奥美拉唑钠", "口服"),
    ("吸入用布地奈德混悬液", "口服"),
    ("沙丁胺醇气雾剂", "po"),
    ("噻托溴铵粉雾剂", "口服"),
])
def test_an_injection_or_inhaled_form_by_mouth_is_major(drug: str, route: str) -> None:
    alerts = _route_alerts(drug, route)
    assert [a.severity for a in alerts] == ["major"]


@pytest.mark.parametrize(("drug", "route", "dose", "unit"), [
    ("硝苯地平控释片", "口服", 30, "mg"),
    ("琥珀酸美托洛尔缓释片", "口服", 47.5, "mg"),
    ("阿司匹林肠溶片", "口服", 100, "mg"),
    ("阿司匹林肠溶片", "嚼服", 300, "mg"),           # ACS loading dose, chewed by guideline
    ("埃索美拉唑镁肠溶片", "鼻饲", 20, "mg"),        # label: dispersed in water for a gastric tube
    ("奥美拉唑肠溶胶囊", "胃管注入", 20, "mg"),
    ("硝酸甘油片", "舌下含服", 0.5, "mg"),
    ("蒙脱石散", "鼻饲", 3, "g"),
    ("吸入用布地奈德混悬液", "雾化吸入", 1, "mg"),
])
def test_usual_ways_and_labelled_exceptions_stay_quiet(drug: str, route: str, dose: float, unit: str) -> None:
    assert _route_alerts(drug, route, dose, unit) == []


def test_a_chewed_daily_enteric_aspirin_is_still_reported() -> None:
    [alert] = _route_alerts("阿司匹林肠溶片", "嚼服", 100, "mg")
    assert alert.severity == "major"


def test_immediate_release_nifedipine_under_the_tongue_is_moderate() -> None:
    [alert] = _route_alerts("硝苯地平片", "舌下含服", 10, "mg", "st")
    assert alert.severity == "moderate" and "JAMA 1996" in alert.source
