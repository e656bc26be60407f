"""The review engine as a specification: one row per rule, what it must say and what it must not.

Runs on the fixture pack in ``data/packs`` (our own small drug and interaction items)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from yizhu.clinical.rx import ALERT_TYPES, RxReviewTask, default_rules, load_payload, load_rules, review
from yizhu.clinical.rx.rules import SEVERITIES
from yizhu.clinical.rx.tables import table
from yizhu.errors import ConfigError, InputError
from yizhu.knowledge.packs import KnowledgeBase

from .conftest import document, order

O = order  # noqa: E741 - the tables below read better short

#: (case id, orders, patient, expected [(rule id, severity, drugs as written)])
RULE_TABLE: list[tuple[str, list[dict[str, Any]], dict[str, Any], list[tuple[str, str, list[str]]]]] = [
    ("pair interaction", [O("克拉霉素", 0.5, "g", frequency="bid"), O("辛伐他汀片", 20, "mg", frequency="qn")], {},
     [("rx.interaction.pair.v1", "contraindicated", ["克拉霉素", "辛伐他汀片"])]),
    ("class interaction", [O("华法林钠片", 3, "mg"), O("双氯芬酸钠片", 50, "mg", frequency="tid")], {},
     [("rx.interaction.class.v1", "major", ["华法林钠片", "双氯芬酸钠片"])]),
    ("QT class pair", [O("胺碘酮", 200, "mg"), O("左氧氟沙星片", 0.5, "g")], {},
     [("rx.interaction.class.v1", "major", ["胺碘酮", "左氧氟沙星片"])]),
    ("same ingredient, brand and salt", [O("立普妥", 20, "mg"), O("阿托伐他汀钙片", 20, "mg")], {},
     [("rx.duplicate.ingredient.v1", "major", ["立普妥", "阿托伐他汀钙片"])]),
    ("combination product and its component", [O("氨氯地平贝那普利片", 1, "片"), O("氨氯地平片", 5, "mg")], {},
     [("rx.duplicate.ingredient.v1", "major", ["氨氯地平贝那普利片", "氨氯地平片"])]),
    ("same class", [O("奥美拉唑肠溶胶囊", 20, "mg"), O("泮托拉唑钠肠溶片", 40, "mg")], {},
     [("rx.duplicate.class.v1", "moderate", ["奥美拉唑肠溶胶囊", "泮托拉唑钠肠溶片"])]),
    ("daily maximum", [O("辛伐他汀片", 80, "mg", frequency="qn")], {},
     [("rx.dose.daily_max.v1", "major", ["辛伐他汀片"])]),
    ("single maximum", [O("布洛芬片", 1000, "mg", frequency="bid")], {},
     [("rx.dose.single_max.v1", "major", ["布洛芬片"])]),
    ("grams written for milligrams", [O("阿莫西林胶囊", 5, "g", frequency="tid")], {},
     [("rx.dose.unit_slip.v1", "major", ["阿莫西林胶囊"])]),
    ("daily maximum exceeded, not a slip", [O("阿莫西林胶囊", 2, "g", frequency="tid")], {},
     [("rx.dose.daily_max.v1", "major", ["阿莫西林胶囊"])]),
    ("above usual when no maximum", [O("泮托拉唑钠肠溶片", 200, "mg")], {},
     [("rx.dose.above_usual.v1", "moderate", ["泮托拉唑钠肠溶片"])]),
    ("weekly-only methotrexate daily", [O("甲氨蝶呤片", 7.5, "mg", frequency="qd")], {},
     [("rx.frequency.fixed_interval.v1", "major", ["甲氨蝶呤片"])]),
    ("controlled release three times a day", [O("硝苯地平控释片", 30, "mg", frequency="tid")], {},
     [("rx.frequency.above_usual.v1", "moderate", ["硝苯地平控释片"])]),
    ("unrecognised frequency", [O("氯雷他定片", 10, "mg", frequency="看情况")], {},
     [("rx.frequency.unrecognised.v1", "minor", ["氯雷他定片"])]),
    ("potassium chloride push", [O("氯化钾注射液", 10, "mL", route="静推", frequency="st")], {},
     [("rx.route.forbidden.v1", "contraindicated", ["氯化钾注射液"])]),
    ("route not on label", [O("头孢曲松钠", 1, "g", route="口服")], {},
     [("rx.route.not_labelled.v1", "major", ["头孢曲松钠"])]),
    ("tablet given IV (the drug itself has an IV form)", [O("左氧氟沙星片", 0.5, "g", route="静滴")], {},
     [("rx.route.form_mismatch.v1", "major", ["左氧氟沙星片"])]),
    ("unrecognised route", [O("氯雷他定片", 10, "mg", route="按医嘱")], {},
     [("rx.route.unrecognised.v1", "minor", ["氯雷他定片"])]),
    ("allergy same group", [O("阿莫西林胶囊", 0.5, "g", frequency="tid")], {"allergies": ["青霉素"]},
     [("rx.allergy.same_group.v1", "contraindicated", ["阿莫西林胶囊"])]),
    ("allergy same drug by brand", [O("布洛芬片", 0.2, "g", frequency="tid")], {"allergies": ["芬必得"]},
     [("rx.allergy.same_drug.v1", "contraindicated", ["布洛芬片"])]),
    ("cross-reactivity low → moderate", [O("注射用头孢曲松钠", 2, "g", route="静滴")], {"allergies": ["青霉素"]},
     [("rx.allergy.cross_reactivity.v1", "moderate", ["注射用头孢曲松钠"])]),
    ("cross-reactivity same side chain → major", [O("头孢氨苄胶囊", 0.5, "g", frequency="q6h")],
     {"allergies": ["阿莫西林"]}, [("rx.allergy.cross_reactivity.v1", "major", ["头孢氨苄胶囊"])]),
    ("cross-reactivity rare → minor", [O("美罗培南", 1, "g", route="静滴", frequency="q8h")],
     {"allergies": ["青霉素"], "prescriber_level": "chief"}, [("rx.allergy.cross_reactivity.v1", "minor", ["美罗培南"])]),
    ("anaphylaxis raises cross-reactivity", [O("注射用头孢曲松钠", 2, "g", route="静滴")],
     {"allergies": [{"substance": "青霉素", "reaction": "过敏性休克", "severity": "severe"}]},
     [("rx.allergy.cross_reactivity.v1", "major", ["注射用头孢曲松钠"])]),
    ("pregnancy X", [O("阿托伐他汀钙片", 20, "mg")], {"sex": "female", "pregnant": True},
     [("rx.pregnancy.risk.v1", "contraindicated", ["阿托伐他汀钙片"])]),
    ("pregnancy D from a written diagnosis", [O("贝那普利", 10, "mg")], {"sex": "female", "diagnoses": ["孕20周"]},
     [("rx.pregnancy.risk.v1", "major", ["贝那普利"])]),
    ("lactation avoid", [O("多西环素", 0.1, "g", frequency="bid")], {"sex": "female", "lactating": True},
     [("rx.lactation.risk.v1", "major", ["多西环素"])]),
    ("child under age limit", [O("多西环素", 50, "mg", frequency="bid")], {"age_years": 6, "weight_kg": 20},
     [("rx.pediatric.age_limit.v1", "contraindicated", ["多西环素"])]),
    ("aspirin in a child with influenza", [O("阿司匹林", 0.3, "g", frequency="tid")],
     {"age_years": 8, "weight_kg": 26, "diagnoses": ["流感"]}, [("rx.pediatric.age_limit.v1", "contraindicated", ["阿司匹林"])]),
    ("aspirin in a child without the condition", [O("阿司匹林", 0.1, "g")], {"age_years": 8, "weight_kg": 26},
     [("rx.pediatric.age_limit.v1", "minor", ["阿司匹林"])]),
    ("child weight-based ceiling", [O("阿莫西林干混悬剂", 500, "mg", frequency="tid")], {"age_years": 2, "weight_kg": 12},
     [("rx.dose.pediatric_weight.v1", "major", ["阿莫西林干混悬剂"])]),
    ("child without weight", [O("阿莫西林颗粒", 125, "mg", frequency="tid")], {"age_years": 3, "weight_kg": None},
     [("rx.dose.pediatric_weight_missing.v1", "minor", ["阿莫西林颗粒"])]),
    ("Beers avoid", [O("苯海拉明", 25, "mg", frequency="qn")], {"age_years": 78},
     [("rx.geriatric.beers.v1", "moderate", ["苯海拉明"])]),
    ("eGFR computed from creatinine", [O("盐酸二甲双胍片", 0.5, "g", frequency="bid")],
     {"sex": "female", "age_years": 70, "labs": {"scr_umol_l": 220}},
     [("rx.renal.function.v1", "contraindicated", ["盐酸二甲双胍片"])]),
    ("CrCl rule", [O("美罗培南", 1, "g", route="静滴", frequency="q8h")], {"labs": {"crcl": 30}, "prescriber_level": "chief"},
     [("rx.renal.function.v1", "moderate", ["美罗培南"])]),
    ("severe liver impairment", [O("对乙酰氨基酚片", 0.5, "g", frequency="tid")], {"labs": {"child_pugh": "C"}},
     [("rx.hepatic.function.v1", "major", ["对乙酰氨基酚片"])]),
    ("drug-disease by ICD-10", [O("美托洛尔", 25, "mg", frequency="bid")],
     {"diagnoses": [{"text": "三度房室传导阻滞", "code": "I44.2"}]},
     [("rx.contraindication.diagnosis.v1", "contraindicated", ["美托洛尔"])]),
    ("qualified contraindication becomes a reminder", [O("布洛芬片", 0.2, "g", frequency="tid")],
     {"diagnoses": [{"text": "胃溃疡", "code": "K25.9"}]}, [("rx.contraindication.diagnosis.v1", "minor", ["布洛芬片"])]),
    ("resident and a special-grade antibiotic", [O("美罗培南", 1, "g", route="静滴", frequency="q8h")],
     {"prescriber_level": "住院医师"}, [("rx.antimicrobial.prescriber_level.v1", "major", ["美罗培南"])]),
    ("special grade in outpatients", [O("美罗培南", 1, "g", route="静滴", frequency="q8h")],
     {"prescriber_level": "chief", "setting": "outpatient"}, [("rx.antimicrobial.outpatient_special.v1", "major", ["美罗培南"])]),
    ("restricted grade, level unknown", [O("左氧氟沙星片", 0.5, "g")], {"prescriber_level": None},
     [("rx.antimicrobial.level_unknown.v1", "minor", ["左氧氟沙星片"])]),
    ("high-alert drug", [O("甘精胰岛素注射液", 10, "U", route="皮下注射", frequency="qn")], {},
     [("rx.high_alert.flag.v1", "minor", ["甘精胰岛素注射液"])]),
    ("unknown drug is reported", [O("神奇消炎灵胶囊", 2, "粒", frequency="tid")], {},
     [("rx.unknown_drug.unresolved.v1", "moderate", ["神奇消炎灵胶囊"])]),
]


def _found(rv: Any) -> set[tuple[str, str, tuple[str, ...]]]:
    return {(a.rule_id, a.severity, tuple(a.drugs)) for a in rv.alerts}


@pytest.mark.parametrize(("name", "orders", "patient", "expected"), RULE_TABLE, ids=[r[0] for r in RULE_TABLE])
def test_rule(run: Any, name: str, orders: list, patient: dict, expected: list) -> None:
    found = _found(run(orders, **patient))
    for rule_id, severity, drugs in expected:
        assert (rule_id, severity, tuple(drugs)) in found, f"{name}: {found}"


#: Orders that must raise nothing above minor (what a clean regimen looks like to the engine).
CLEAN_TABLE: list[tuple[str, list[dict[str, Any]], dict[str, Any]]] = [
    ("hypertension", [O("苯磺酸氨氯地平片", 5, "mg"), O("贝那普利", 10, "mg")], {"diagnoses": ["高血压"]}),
    ("secondary prevention", [O("阿司匹林肠溶片", 100, "mg"), O("阿托伐他汀钙片", 20, "mg", frequency="qn")],
     {"age_years": 70, "diagnoses": ["冠心病"]}),
    ("controlled-release once daily", [O("硝苯地平控释片", 30, "mg")], {}),
    ("child dose inside the ceiling", [O("阿莫西林颗粒", 250, "mg", frequency="tid")], {"age_years": 4, "weight_kg": 16}),
    ("pregnancy-safe antihypertensive", [O("拉贝洛尔", 100, "mg", frequency="bid")], {"sex": "female", "pregnant": True}),
    ("chronic heart failure on a β-blocker", [O("美托洛尔", 25, "mg", frequency="bid")], {"diagnoses": ["慢性心力衰竭"]}),
    ("methotrexate weekly", [O("甲氨蝶呤片", 10, "mg", frequency="qw")], {"sex": "female"}),
    ("eye drops are not checked against oral doses", [O("左氧氟沙星滴眼液", 1, "滴", route="滴眼", frequency="qid")],
     {"prescriber_level": "attending"}),
]


@pytest.mark.parametrize(("name", "orders", "patient"), CLEAN_TABLE, ids=[r[0] for r in CLEAN_TABLE])
def test_clean_orders_raise_nothing_above_minor(run: Any, name: str, orders: list, patient: dict) -> None:
    rv = run(orders, **patient)
    assert all(a.severity == "minor" for a in rv.alerts), [(a.rule_id, a.severity, a.message) for a in rv.alerts]


def test_every_alert_names_rule_drugs_source_and_message(run: Any) -> None:
    rv = run([O("华法林钠片", 3, "mg"), O("布洛芬片", 1000, "mg", frequency="qid"), O("神奇药", 1, "片")],
             age_years=80, labs={"egfr": 20}, allergies=["阿司匹林"])
    assert rv.alerts
    rules = {r.id for r in default_rules().rules}
    for a in rv.alerts:
        assert a.rule_id in rules and a.type in ALERT_TYPES and a.severity in SEVERITIES
        assert a.drugs and a.message and a.source and a.orders


def test_alerts_are_sorted_most_severe_first(run: Any) -> None:
    rv = run([O("克拉霉素", 0.5, "g", frequency="bid"), O("辛伐他汀片", 20, "mg"), O("甘精胰岛素", 8, "U", route="皮下")])
    ranks = [SEVERITIES.index(a.severity) for a in rv.alerts]
    assert ranks == sorted(ranks)


def test_unknown_drugs_are_listed_and_never_silently_passed(run: Any) -> None:
    out = run([O("神奇消炎灵胶囊", 2, "粒", frequency="tid"), O("氯雷他定片", 10, "mg")]).as_json()
    assert out["unknown_drugs"] == [{"order": "o1", "drug": "神奇消炎灵胶囊"}]
    assert any(a["type"] == "unknown_drug" for a in out["alerts"])
    assert [o["resolved"] for o in out["orders"]] == [[], ["drug:loratadine"]]


def test_focus_limits_alerts_to_the_new_orders(kb: KnowledgeBase) -> None:
    doc = document([O("克拉霉素", 0.5, "g", frequency="bid", status="active"),
                    O("辛伐他汀片", 20, "mg", status="active"), O("氯雷他定片", 10, "mg")])
    rv = review(load_payload(doc), kb=kb)
    assert not any(a.type == "interaction" for a in rv.alerts)  # both already active: not this review's news
    rv = review(load_payload(doc), kb=kb, focus={"o2"})
    assert any(a.type == "interaction" for a in rv.alerts)


def test_duplicate_alerts_keep_the_most_severe(run: Any) -> None:
    rv = run([O("华法林钠片", 3, "mg"), O("阿司匹林肠溶片", 100, "mg")])
    pair = [a for a in rv.alerts if a.type == "interaction"]
    assert len(pair) == 1 and pair[0].severity == "major"


def test_alternatives_are_suggested_where_a_safer_drug_exists(run: Any) -> None:
    rv = run([O("克拉霉素", 0.5, "g", frequency="bid"), O("辛伐他汀片", 20, "mg")])
    ia = next(a for a in rv.alerts if a.type == "interaction")
    assert ia.alternatives == ["阿奇霉素"] and ia.evidence["alternative_ids"] == ["drug:azithromycin"]


def test_task_seam(kb: KnowledgeBase) -> None:
    task = RxReviewTask(kb=kb)
    result = task.run(load_payload(document([O("克拉霉素", 0.5, "g", frequency="bid"), O("辛伐他汀片", 20, "mg")])))
    assert (result.task, result.task_version) == ("rx.review", task.version)
    assert result.findings[0].rule_id == "rx.interaction.pair.v1"
    assert result.findings[0].severity.value == "contraindicated"
    assert {c.id for c in result.citations} >= {"ddi:clarithromycin-simvastatin"}
    assert result.output["alerts"][0]["rule_id"] == "rx.interaction.pair.v1"


def test_no_medication_orders_is_an_input_error(kb: KnowledgeBase) -> None:
    from yizhu.core import ClinicalContext

    with pytest.raises(InputError, match="no medication orders"):
        review(ClinicalContext(), kb=kb)


def test_rules_file_rejects_unknown_checks(tmp_path: Path) -> None:
    bad = tmp_path / "rules.yaml"
    bad.write_text(
        "version: '1'\nrules:\n  - {id: rx.x.y.v1, type: dose, check: nope, severity: minor, message: m, rationale: r,"
        " source: s}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not registered"):
        load_rules(bad)


def test_rules_cover_every_alert_type_with_sources() -> None:
    rs = default_rules()
    assert {r.type for r in rs.rules} == set(ALERT_TYPES)
    assert all(r.source.strip() and r.rationale.strip() for r in rs.rules)
    assert len({r.id for r in rs.rules}) == len(rs.rules)


@pytest.mark.parametrize(
    "name",
    ["alternatives", "antimicrobial", "carriers", "compound_products", "diagnosis_keywords",
     "duplicate_groups", "frequency_rules",
     "indicated_combinations", "paediatric_doses", "pediatric_conditions", "route_rules"],
)
def test_rule_tables_load_and_every_entry_names_its_source(name: str) -> None:
    rows = table(name)
    assert rows and all(r["source"].strip() for r in rows.values())
