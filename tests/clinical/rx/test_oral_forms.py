"""Children's oral forms as a HIS prints them (干混悬剂, 颗粒, 口服混悬液, 滴剂, 糖浆, 泡腾片 … with a strength per
sachet or per ml) resolve to their drug, and a dose written in sachets or ml is read through that strength, so
the mg/kg checks run; a name the pack does not hold stays an unknown drug. Shipped packs."""

from __future__ import annotations

from typing import Any

import pytest

from yizhu.clinical.rx import load_payload, review
from yizhu.clinical.rx.parsing import strength_of
from yizhu.clinical.rx.resolve import resolver_for
from yizhu.knowledge.packs import get_kb


def _review(orders: list[dict[str, Any]], **patient: Any) -> list[Any]:
    p = {"sex": "female", "age_years": 4, "weight_kg": 16, "prescriber_level": "attending", **patient}
    return review(load_payload({"synthetic": True, "patient": p, "orders": orders}), kb=get_kb()).alerts


@pytest.mark.parametrize(("written", "drug"), [
    ("阿奇霉素干混悬剂 0.1g/袋", "drug:azithromycin"),
    ("头孢克肟颗粒 50mg/袋", "drug:cefixime"),
    ("阿莫西林颗粒 0.125g/包", "drug:amoxicillin"),
    ("布洛芬混悬液(美林) 100ml:2g/瓶", "drug:ibuprofen"),
    ("对乙酰氨基酚口服溶液 100ml:2.4g", "drug:paracetamol"),
    ("对乙酰氨基酚口服滴剂", "drug:paracetamol"),
    ("头孢克洛干糖浆", "drug:cefaclor"),
    ("对乙酰氨基酚泡腾颗粒", "drug:paracetamol"),
    ("布洛芬颗粒冲剂", "drug:ibuprofen"),
    ("阿奇霉素混悬颗粒", "drug:azithromycin"),
    ("蒙脱石散剂 3g/袋", "drug:diosmectite"),
    ("氯雷他定糖浆 60ml:60mg", "drug:loratadine"),
    ("孟鲁司特钠咀嚼片 4mg", "drug:montelukast"),
    ("阿莫西林分散片 0.25g*12片", "drug:amoxicillin"),
    ("维生素D滴剂", "drug:colecalciferol"),
    ("维生素AD滴剂（伊可新）", "drug:vitamin_ad"),
    ("枯草杆菌二联活菌颗粒 1g/袋", "drug:bacillus_subtilis_enterococcus_live"),
    ("布拉氏酵母菌散 0.25g/袋", "drug:saccharomyces_boulardii"),
    ("小儿豉翘清热颗粒 2g/袋", "drug:xiaoer_chiqiao_qingre"),
])
def test_childrens_oral_forms_resolve(written: str, drug: str) -> None:
    res = resolver_for(get_kb()).resolve(written)
    assert res.drug is not None and res.drug.id == drug


@pytest.mark.parametrize("written", ["乳酸菌素片", "维C泡腾片", "小儿退热宝颗粒 5g/袋"])
def test_a_name_the_pack_lacks_stays_unknown(written: str) -> None:
    alerts = _review([{"drug": written, "dose": 1, "unit": "袋", "route": "口服", "frequency": "qd"}])
    assert [a.type for a in alerts] == ["unknown_drug"]


@pytest.mark.parametrize(("written", "expected"), [
    ("阿奇霉素干混悬剂 0.1g/袋", {"count": (0.1, "g")}),
    ("布洛芬混悬液 100ml:2g", {"ml": (0.02, "g")}),
    ("阿莫西林克拉维酸钾干混悬剂 125mg/5ml", {"ml": (25.0, "mg")}),
    ("阿莫西林胶囊 0.25g", {"count": (0.25, "g")}),
    ("阿莫西林克拉维酸钾片 0.5g/0.125g", {}),  # two components: no one strength per tablet
    ("阿奇霉素干混悬剂", {}),
])
def test_strength_stated_in_the_name(written: str, expected: dict[str, tuple[float, str]]) -> None:
    assert strength_of(written) == expected


@pytest.mark.parametrize(("drug", "dose", "unit", "frequency", "alerts"), [
    ("阿奇霉素干混悬剂 0.1g/袋", 3, "袋", "qd", 1),      # 300 mg at 16 kg: > 12 mg/kg
    ("阿奇霉素干混悬剂(0.1g/袋)", 300, "mg", "qd", 1),    # the same dose written in mg
    ("阿奇霉素干混悬剂 0.1g/袋", 1.5, "袋", "qd", 0),     # 150 mg ≈ 9.4 mg/kg
    ("布洛芬混悬液 100ml:2g", 15, "ml", "q6h", 1),        # 300 mg at 16 kg: > 10 mg/kg
    ("布洛芬混悬液 100ml:2g", 7.5, "ml", "q6h", 0),       # 150 mg
    ("头孢克肟颗粒 50mg/袋", 4, "袋", "bid", 1),          # 200 mg a dose
    ("头孢克肟颗粒 50mg/袋", 1, "袋", "bid", 0),        # 100 mg/d ≈ 6 mg/kg/d
])
def test_a_dose_in_sachets_or_ml_is_checked_per_kg(drug: str, dose: float, unit: str, frequency: str,
                                                   alerts: int) -> None:
    found = [a for a in _review([{"drug": drug, "dose": dose, "unit": unit, "route": "口服", "frequency": frequency}])
             if a.type == "dose"]
    assert len(found) == alerts
    if found and unit != "mg":
        assert "≈" in found[0].message or "mg" in found[0].message


def test_a_dose_in_sachets_without_a_stated_strength_is_not_guessed() -> None:
    alerts = _review([{"drug": "阿奇霉素干混悬剂", "dose": 3, "unit": "袋", "route": "口服", "frequency": "qd"}])
    assert [a for a in alerts if a.type == "dose"] == []
