"""Brand names (商品名) parents, patients and prescribers say, on the shipped packs (session drugbrands).

Class of error: a product named by its brand (培菲康, 易坦静, 小快克) resolved to nothing, so the review called it an
unknown drug and a second product holding the same ingredient (美林 beside 臣功再欣: ibuprofen twice) passed unseen.
A single-ingredient brand resolves to its generic in the drug pack; a compound product's brand resolves to every
ingredient the pack holds (``rules/compound_products.yaml``) and is never one drug for dose checks. Look-alikes:
a name the pack does not hold stays unknown, and two different probiotics are no duplicate.
"""

from __future__ import annotations

from typing import Any

import pytest

from yizhu.clinical.rx import load_payload, review
from yizhu.clinical.rx.resolve import DrugResolver
from yizhu.knowledge.packs import get_kb


@pytest.fixture(scope="module")
def resolver() -> DrugResolver:
    return DrugResolver(get_kb())


#: (brand as written, the one generic it names)
SINGLE = [
    ("培菲康", "drug:bifid_triple_live"),
    ("妈咪爱", "drug:bacillus_subtilis_enterococcus_live"),
    ("美常安", "drug:bacillus_subtilis_enterococcus_live"),
    ("金双歧", "drug:bifid_lacto_triple_live"),
    ("思连康", "drug:bifid_quadruple_live"),
    ("亿活", "drug:saccharomyces_boulardii"),
    ("整肠生", "drug:bacillus_licheniformis_live"),
    ("伊可新", "drug:vitamin_ad"),
    ("星鲨", "drug:colecalciferol"),
    ("利君沙", "drug:erythromycin"),
    ("舒美特", "drug:azithromycin"),
    ("黄连素", "drug:berberine"),
    ("美普清", "drug:procaterol"),
    ("达克宁", "drug:miconazole"),
    ("百多邦", "drug:mupirocin"),
    ("达芙通", "drug:dydrogesterone"),
    ("斯利安", "drug:folic_acid"),
    ("小儿豉翘清热颗粒", "drug:xiaoer_chiqiao_qingre"),
    ("丁桂儿脐贴", "drug:dingguier_patch"),
]

#: (brand as written, every pack ingredient of the compound product)
COMPOUND = [
    ("易坦静", ["drug:ambroxol"]),  # 氨溴特罗: ambroxol and clenbuterol
    ("氨溴特罗口服溶液", ["drug:ambroxol"]),
    ("小快克", ["drug:paracetamol", "drug:chlorphenamine"]),
    ("优卡丹", ["drug:paracetamol", "drug:chlorphenamine"]),
    ("臣功再欣", ["drug:ibuprofen", "drug:chlorphenamine"]),
    ("复方锌布颗粒", ["drug:ibuprofen", "drug:chlorphenamine"]),
    ("艾畅", ["drug:dextromethorphan"]),
    ("可必特", ["drug:ipratropium", "drug:salbutamol"]),
    ("倍博特", ["drug:valsartan", "drug:amlodipine"]),
]


@pytest.mark.parametrize(("written", "drug"), SINGLE, ids=[s[0] for s in SINGLE])
def test_a_brand_resolves_to_its_generic(resolver: DrugResolver, written: str, drug: str) -> None:
    res = resolver.resolve(written)
    assert res.drug is not None and res.drug.id == drug


@pytest.mark.parametrize(("written", "ids"), COMPOUND, ids=[c[0] for c in COMPOUND])
def test_a_compound_brand_resolves_to_every_ingredient_and_is_never_one_drug(
    resolver: DrugResolver, written: str, ids: list[str]
) -> None:
    res = resolver.resolve(written)
    assert res.known and res.drug is None and res.how == "product"
    assert sorted(i.id for i in res.items) == sorted(ids)


def _duplicates(*orders: tuple[str, float, str, str]) -> list[str]:
    doc: dict[str, Any] = {
        "synthetic": True,
        "patient": {"sex": "female", "age_years": 4, "weight_kg": 16, "prescriber_level": "attending"},
        "orders": [{"drug": d, "dose": q, "unit": u, "route": "口服", "frequency": f} for d, q, u, f in orders],
    }
    return [a.message for a in review(load_payload(doc), kb=get_kb()).alerts if a.type == "duplicate"]


@pytest.mark.parametrize(("a", "b", "ingredient"), [
    (("美林", 5, "ml", "q6h"), ("臣功再欣", 1, "袋", "tid"), "布洛芬"),
    (("泰诺林", 5, "ml", "q6h"), ("小快克", 1, "袋", "tid"), "对乙酰氨基酚"),
    (("沐舒坦", 5, "ml", "bid"), ("易坦静", 5, "ml", "bid"), "氨溴索"),
])
def test_two_brands_holding_one_ingredient_are_a_duplicate(
    a: tuple[str, float, str, str], b: tuple[str, float, str, str], ingredient: str
) -> None:
    found = _duplicates(a, b)
    assert found and ingredient in found[0]


def test_two_different_probiotics_are_no_duplicate() -> None:
    assert _duplicates(("培菲康", 1, "袋", "tid"), ("妈咪爱", 1, "袋", "bid")) == []


@pytest.mark.parametrize("written", ["康萃乐", "乳酸菌素片", "馨通"])
def test_a_brand_the_packs_do_not_hold_stays_unknown(resolver: DrugResolver, written: str) -> None:
    assert not resolver.resolve(written).known
