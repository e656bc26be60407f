"""Drug names as hospitals write them, on the shipped drug pack: premixed infusions, carriers, 注射用…,
release forms, salts, strengths inside names, compound products and multi-product infusion lines.

The class of error these guard against (issue 13 item 5): a premixed infusion such as 左氧氟沙星氯化钠注射液
came back unknown and unreviewed, so a fluoroquinolone interaction or a renal rule never fired."""

from __future__ import annotations

from typing import Any

import pytest

from yizhu.clinical.rx import load_payload, review
from yizhu.clinical.rx.parsing import implied_route, split_order_line
from yizhu.clinical.rx.resolve import DrugResolver
from yizhu.knowledge.packs import KnowledgeBase, get_kb


@pytest.fixture(scope="module")
def shipped() -> KnowledgeBase:
    return get_kb()


@pytest.fixture(scope="module")
def resolver(shipped: KnowledgeBase) -> DrugResolver:
    return DrugResolver(shipped)


#: (written, the drug ids it must resolve to)
ACTIVES: list[tuple[str, list[str]]] = [
    ("左氧氟沙星氯化钠注射液", ["drug:levofloxacin"]),
    ("莫西沙星氯化钠注射液", ["drug:moxifloxacin"]),
    ("盐酸莫西沙星氯化钠注射液", ["drug:moxifloxacin"]),
    ("甲硝唑氯化钠注射液", ["drug:metronidazole"]),
    ("乳酸左氧氟沙星氯化钠注射液(0.5g:100ml)", ["drug:levofloxacin"]),
    ("左氧氟沙星氯化钠注射液 100ml:0.5g", ["drug:levofloxacin"]),
    ("氟康唑氯化钠注射液", ["drug:fluconazole"]),
    ("奥硝唑葡萄糖注射液", ["drug:ornidazole"]),
    ("替硝唑葡萄糖注射液", ["drug:tinidazole"]),
    ("注射用头孢曲松钠", ["drug:ceftriaxone"]),
    ("注射用哌拉西林钠他唑巴坦钠(4:1)", ["drug:piperacillin_tazobactam"]),
    ("盐酸二甲双胍缓释片", ["drug:metformin"]),
    ("奥美拉唑肠溶胶囊", ["drug:omeprazole"]),
    ("氯化钾缓释片", ["drug:potassium_chloride"]),
    ("硝苯地平控释片(拜新同)30mg", ["drug:nifedipine"]),
    ("葡萄糖酸钙注射液", ["drug:calcium_gluconate"]),  # 葡萄糖 inside a salt name is not a carrier
    ("10%氯化钠注射液 10ml", ["drug:sodium_chloride_hypertonic"]),  # above the carrier concentration
    ("50%葡萄糖注射液 20ml", ["drug:glucose_hypertonic"]),
    ("0.9%氯化钠注射液100ml+注射用头孢曲松钠2g", ["drug:ceftriaxone"]),  # diluent line + active
    ("5%葡萄糖注射液 500ml + 胰岛素 + 10%氯化钾注射液", ["drug:insulin_human_regular", "drug:potassium_chloride"]),
    ("氨氯地平贝那普利片", ["drug:amlodipine", "drug:benazepril"]),
    ("厄贝沙坦氢氯噻嗪片", ["drug:irbesartan", "drug:hydrochlorothiazide"]),
    ("氨酚待因片", ["drug:paracetamol", "drug:codeine"]),  # ingredient abbreviations of compound names
    ("洛芬待因缓释片", ["drug:ibuprofen", "drug:codeine"]),
    ("复方氨酚烷胺片", ["drug:paracetamol", "drug:chlorphenamine"]),  # label composition
    ("酚麻美敏片", ["drug:paracetamol", "drug:dextromethorphan", "drug:chlorphenamine"]),
    ("消渴丸", ["drug:glibenclamide"]),
]


@pytest.mark.parametrize(("written", "ids"), ACTIVES, ids=[a[0] for a in ACTIVES])
def test_active_moiety_is_resolved(resolver: DrugResolver, written: str, ids: list[str]) -> None:
    res = resolver.resolve(written)
    assert res.known, written
    assert sorted(i.id for i in res.items) == sorted(ids)


@pytest.mark.parametrize("written", ["0.9%氯化钠注射液", "0.9%氯化钠注射液 100ml", "5%葡萄糖注射液250ml",
                                     "葡萄糖氯化钠注射液", "灭菌注射用水", "复方氯化钠注射液", "乳酸钠林格注射液", "生理盐水"])
def test_carriers_are_recognised_not_reviewed_and_not_unknown(resolver: DrugResolver, written: str) -> None:
    res = resolver.resolve(written)
    assert res.known and res.how == "carrier" and res.carrier and not res.items


def test_compound_products_never_count_as_one_drug_for_dose_checks(resolver: DrugResolver) -> None:
    assert resolver.resolve("消渴丸").drug is None  # 10 丸 of 消渴丸 is not 10 units of glibenclamide
    assert resolver.resolve("复方氨酚烷胺片").other == ("金刚烷胺", "咖啡因", "人工牛黄")


def test_a_compound_product_whose_ingredients_the_pack_lacks_is_reported_not_passed(shipped: KnowledgeBase) -> None:
    rv = review(load_payload(_doc([_o("复方甘草片", 3, "片", "口服", "tid")])), kb=shipped)
    [alert] = [a for a in rv.alerts if a.type == "unknown_drug"]
    assert "阿片粉" in alert.message


def test_an_unresolved_product_of_an_infusion_line_is_reported(resolver: DrugResolver) -> None:
    res = resolver.resolve("0.9%氯化钠注射液 100ml + 神奇消炎灵注射液")
    assert not res.known and res.unresolved == ("神奇消炎灵注射液",)


def test_order_line_split() -> None:
    line = split_order_line("0.9%氯化钠注射液 100ml＋注射用头孢曲松钠 2g")
    assert line.actives == ("注射用头孢曲松钠 2g",)
    assert [(c.key, pct) for c, pct in line.carriers] == [("sodium_chloride", 0.9)]


@pytest.mark.parametrize(("written", "route"), [("阿莫西林胶囊", "po"), ("左氧氟沙星氯化钠注射液", "iv"),
                                               ("Amoxicillin 250 MG Oral Capsule", "po"), ("呋塞米注射液", None),
                                               ("左氧氟沙星滴眼液", "ophthalmic"), ("华法林", None)])
def test_route_implied_by_the_dose_form(written: str, route: str | None) -> None:
    assert implied_route(written) == route


def _o(drug: str, dose: float | None, unit: str | None, route: str | None, frequency: str | None, **kw: Any) -> dict:
    return {k: v for k, v in {"drug": drug, "dose": dose, "unit": unit, "route": route, "frequency": frequency,
                              **kw}.items() if v is not None}


def _doc(orders: list[dict], **patient: Any) -> dict:
    return {"synthetic": True, "patient": {"sex": "male", "age_years": 60, "prescriber_level": "attending", **patient},
            "orders": orders}


def test_premixed_fluoroquinolone_is_reviewed_like_the_tablet(shipped: KnowledgeBase) -> None:
    """The demo's own order name: reviewed, with the QT interaction it has with amiodarone."""
    rv = review(load_payload(_doc([_o("盐酸莫西沙星氯化钠注射液", 0.4, "g", "静滴", "qd"),
                                   _o("盐酸胺碘酮片", 0.2, "g", "口服", "qd")])), kb=shipped)
    assert not rv.unknown
    assert any(a.type == "interaction" and "盐酸莫西沙星氯化钠注射液" in a.drugs for a in rv.alerts)


def test_diluent_line_alone_raises_nothing(shipped: KnowledgeBase) -> None:
    rv = review(load_payload(_doc([_o("0.9%氯化钠注射液", 100, "ml", "静滴", "qd")])), kb=shipped)
    assert rv.alerts == [] and rv.as_json()["orders"][0]["carrier"] == "氯化钠注射液（0.9%）"


@pytest.mark.parametrize(("order", "missing"), [
    (_o("硝苯地平控释片", None, None, "口服", "qd"), ["dose"]),
    (_o("注射用头孢曲松钠", 2, "g", "静滴", None), ["frequency"]),
    (_o("呋塞米注射液", 20, "mg", None, "qd"), ["route"]),
    (_o("阿托伐他汀钙片", 20, None, "口服", "qn"), ["dose"]),
    (_o("阿司匹林肠溶片", None, None, None, None), ["dose", "frequency"]),  # 肠溶片: oral
    (_o("华法林", None, None, None, None), ["dose", "route", "frequency"]),
])
def test_incomplete_orders_are_flagged_never_passed(shipped: KnowledgeBase, order: dict, missing: list[str]) -> None:
    out = review(load_payload(_doc([order])), kb=shipped).as_json()
    [alert] = [a for a in out["alerts"] if a["type"] == "incomplete"]
    assert alert["severity"] == "moderate" and alert["evidence"]["missing"] == missing
    assert out["incomplete_orders"] == [{"order": "o1", "drug": order["drug"], "missing": missing}]


def test_a_capsule_without_a_route_is_not_incomplete(shipped: KnowledgeBase) -> None:
    rv = review(load_payload(_doc([_o("阿莫西林胶囊", 0.5, "g", None, "tid")])), kb=shipped)
    assert not any(a.type == "incomplete" for a in rv.alerts)
