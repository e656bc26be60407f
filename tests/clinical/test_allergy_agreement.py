"""QC (病历质控) and prescription review (审方) agree on every allergy × drug pair, because both ask the one
allergy model (``yizhu.knowledge.allergy``). Each row is an allergy as a doctor writes it and a drug as it is
ordered; the expected relation is what a pharmacist would say. Synthetic records (合成), no real patient."""

from __future__ import annotations

import pytest

from yizhu.clinical.qc import check_document
from yizhu.clinical.rx import load_payload, review
from yizhu.knowledge.packs import get_kb

#: (allergy as written, drug as ordered, expected relation: same_drug | same_group | cross | None)
PAIRS: list[tuple[str, str, str | None]] = [
    ("头孢类", "头孢克洛缓释胶囊", "same_group"),
    ("头孢菌素类", "注射用头孢曲松钠", "same_group"),
    ("头孢", "头孢呋辛酯片", "same_group"),
    ("青霉素", "阿莫西林克拉维酸钾片", "same_group"),
    ("青霉素类", "注射用哌拉西林钠他唑巴坦钠", "same_group"),
    ("青霉素", "注射用青霉素钠", "same_drug"),
    ("阿莫西林", "阿莫西林胶囊", "same_drug"),
    ("青霉素", "头孢克洛胶囊", "cross"),
    ("青霉素", "注射用头孢曲松钠", "cross"),
    ("阿莫西林", "头孢氨苄胶囊", "cross"),
    ("青霉素", "注射用美罗培南", "cross"),
    ("磺胺类", "复方磺胺甲噁唑片", "same_group"),
    ("磺胺", "呋塞米片", "cross"),
    ("喹诺酮类", "盐酸莫西沙星片", "same_group"),
    ("沙星类", "左氧氟沙星片", "same_group"),
    ("喹诺酮类", "左氧氟沙星氯化钠注射液", "same_group"),
    ("喹诺酮类", "盐酸莫西沙星氯化钠注射液", "same_group"),
    ("罗氏芬", "注射用头孢曲松钠", "same_drug"),
    ("头孢菌素", "注射用头孢哌酮钠舒巴坦钠", "same_group"),
    ("青霉素", "阿奇霉素片", None),
    ("头孢类", "左氧氟沙星片", None),
    ("磺胺类", "阿莫西林胶囊", None),
]

NOTE = """出院记录
【合成病历 / synthetic record】
姓名：测试　性别：男　年龄：45岁　科别：呼吸内科
入院日期：2026-03-02 10:00　出院日期：2026-03-09 09:00　记录日期：2026-03-09 10:00
入院情况：患者因咳嗽、咳痰5天入院，既往{allergy}过敏。
入院诊断：社区获得性肺炎
诊疗经过：入院后完善血常规、胸片，予止咳化痰等治疗，症状好转。
出院诊断：社区获得性肺炎
出院情况：咳嗽明显减轻，无发热。
出院医嘱：{drug} 口服，1周后呼吸科门诊复诊。
医师签名：李某
"""


def _rx_relations(allergy: str, drug: str) -> set[str]:
    doc = {"synthetic": True, "patient": {"sex": "male", "age_years": 45, "allergies": [allergy]},
           "orders": [{"drug": drug, "route": "口服", "frequency": "bid"}]}
    rv = review(load_payload(doc), kb=get_kb(), types={"allergy"})
    names = {"rx.allergy.same_drug.v1": "same_drug", "rx.allergy.same_group.v1": "same_group",
             "rx.allergy.cross_reactivity.v1": "cross"}
    return {names[a.rule_id] for a in rv.alerts if a.rule_id in names}


def _qc_relations(allergy: str, drug: str) -> set[str]:
    report = check_document(NOTE.format(allergy=allergy, drug=drug), doc_id="discharge.txt")
    return {f.data["relation"] for f in report.findings if f.rule_id.startswith("qc.consistency.allergy_")}


@pytest.mark.parametrize(("allergy", "drug", "expected"), PAIRS, ids=[f"{a}×{d}" for a, d, _ in PAIRS])
def test_qc_and_rx_agree_on_allergy_and_drug(allergy: str, drug: str, expected: str | None) -> None:
    rx, qc = _rx_relations(allergy, drug), _qc_relations(allergy, drug)
    assert rx == qc, f"审方 {rx} vs 质控 {qc}"
    assert rx == ({expected} if expected else set())


def test_review_reads_allergies_from_the_records_notes_as_qc_does() -> None:
    """A stored encounter whose only allergy is written in a note: review and QC both see it."""
    from yizhu.core import ClinicalContext
    from yizhu.core.models import MedicationOrder
    from yizhu.core.parsing import parse_document

    note = parse_document(NOTE.format(allergy="头孢类", drug="头孢克洛缓释胶囊"), doc_id="discharge.txt")
    ctx = ClinicalContext(documents=[note], orders=[MedicationOrder(text="头孢克洛缓释胶囊 0.375g bid", drug="头孢克洛缓释胶囊")])
    rv = review(ctx, kb=get_kb(), types={"allergy"})
    assert [a.rule_id for a in rv.alerts] == ["rx.allergy.same_group.v1"]
    assert _qc_relations("头孢类", "头孢克洛缓释胶囊") == {"same_group"}
