"""Drafts that must not lose or carry forward clinical facts (issue 13 item 4), from hand-written records
(合成 synthetic, not from the demo generator): every diagnosis of a list kept, 待排 never promoted, results
never in 出院医嘱, discharge medicines reviewed, a dialogue's treatment, results and plan captured in clinical
wording, and every source item either in the draft or reported as left out."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from yizhu.clinical.notes import dialogue_context, draft_note
from yizhu.core import ClinicalContext, ClinicalDocument, Encounter, LabResult, MedicationOrder, Patient

ADMISSION = """入院记录
主诉：咳嗽、咳痰伴发热5天，气促1天。
现病史：患者5天前受凉后出现咳嗽，咳黄痰，伴发热，最高体温39.2℃，1天前出现活动后气促。
既往史：高血压病史10年，2型糖尿病史8年，长期口服二甲双胍0.5g bid。
过敏史：青霉素过敏。
体格检查：T 38.6℃ P 102次/分 R 24次/分 BP 136/78mmHg，右下肺可闻及湿啰音。
辅助检查：胸部CT示右下肺大片实变影。血常规：白细胞计数 14.2×10^9/L↑。
初步诊断：1.社区获得性肺炎 重症肺炎待排 2.高血压病3级 很高危 3.2型糖尿病
诊疗计划：1.予头孢曲松2g ivgtt qd抗感染。2.监测血糖、肾功能。
"""
COURSE = """病程记录
患者体温正常3天，咳嗽明显减轻，复查胸部CT示右下肺实变影较前明显吸收。肾功能：估算肾小球滤过率26mL/min/1.73m²。拟明日出院，嘱出院后2周呼吸科门诊复诊，复查胸部CT。
"""


@pytest.fixture(scope="module")
def discharge() -> object:
    ctx = ClinicalContext(
        patient=Patient(id="p1", sex="male", age_years=71, synthetic=True),
        encounter=Encounter(id="e1", patient_id="p1", encounter_class="inpatient", admitted_at=datetime(2026, 11, 1, 9)),
        documents=[
            ClinicalDocument(id="adm", doc_type="入院记录", text=ADMISSION, recorded_at=datetime(2026, 11, 1, 10), synthetic=True),
            ClinicalDocument(id="pn", doc_type="日常病程记录", text=COURSE, recorded_at=datetime(2026, 11, 9, 10), synthetic=True),
        ],
        orders=[
            MedicationOrder(id="M1", text="盐酸二甲双胍片 0.5g po bid", drug="盐酸二甲双胍片", dose=0.5, unit="g", route="po",
                            frequency="bid", status="active"),
            MedicationOrder(id="M2", text="注射用头孢曲松钠 2g ivgtt qd", drug="注射用头孢曲松钠", dose=2, unit="g",
                            route="ivgtt", frequency="qd", status="completed"),
        ],
        labs=[LabResult(name="估算肾小球滤过率", value=26, unit="mL/min/1.73m²", flag="L", observed_at=datetime(2026, 11, 9, 7))],
    )
    return draft_note("discharge", ctx, use_llm=False)


def _section(draft, name: str) -> str:
    return "".join(s.text for s in next(x for x in draft.sections if x.name == name).sentences)


def test_every_diagnosis_of_a_numbered_list_is_kept(discharge) -> None:
    adm = _section(discharge, "入院诊断")
    assert "社区获得性肺炎" in adm and "高血压病3级" in adm and "2型糖尿病" in adm


def test_a_diagnosis_to_be_ruled_out_is_never_promoted(discharge) -> None:
    dis_sec = next(x for x in discharge.sections if x.name == "出院诊断")
    dis = _section(discharge, "出院诊断")
    assert "待排" not in dis and "重症" not in dis
    assert "社区获得性肺炎" in dis and "2型糖尿病" in dis  # the confirmed part of the mixed item stays
    assert "重症肺炎待排" in (dis_sec.note or "")


def test_results_stay_out_of_the_discharge_orders(discharge) -> None:
    orders = _section(discharge, "出院医嘱")
    assert "示" not in orders and "吸收" not in orders and "实变" not in orders
    assert "出院后2周呼吸科门诊复诊" in orders and "青霉素过敏" in orders


def test_discharge_medicines_go_through_prescription_review(discharge) -> None:
    alerts = [a for a in discharge.rx_alerts if "二甲双胍" in "".join(a["drugs"])]
    assert any(a["severity"] in ("contraindicated", "major") and "26" in a["message"] for a in alerts), alerts
    assert any(f["data"].get("from") == "rx" for f in discharge.findings)
    assert "审方提示" in (next(x for x in discharge.sections if x.name == "出院医嘱").note or "")


def test_the_draft_reports_every_source_item(discharge) -> None:
    cov = discharge.coverage
    assert cov["included"] >= 6 and cov["omitted"] == 0, discharge.omissions
    assert {o["text"] for o in discharge.omissions if o["status"] == "left_out"} == {"社区获得性肺炎 重症肺炎待排"}


DIALOGUE = (Path(__file__).parent / "data" / "visit_mycoplasma.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def outpatient() -> object:
    return draft_note("outpatient", dialogue_context(DIALOGUE), use_llm=False)


def test_dialogue_treatment_results_and_plan_are_captured(outpatient) -> None:
    plan = _section(outpatient, "处理意见")
    assert "阿奇霉素" in plan and "3天后复诊" in plan
    aux = _section(outpatient, "辅助检查")
    assert "白细胞" in aux and "9.8" in aux and "C反应蛋白35" in aux and "片状影" in aux
    assert "支原体肺炎" in _section(outpatient, "初步诊断")
    assert outpatient.coverage["omitted"] == 0, outpatient.omissions


def test_lay_speech_is_written_in_clinical_terms(outpatient) -> None:
    text = outpatient.text
    for said in ("我听一下肺", "听一下肺", "拉肚子", "没吐", "量个血压", "拜新同", "吃三天", "回来复查", "打针"):
        assert said not in text, said
    for written in ("肺部听诊", "右下肺可闻及湿啰音", "无呕吐", "无腹泻", "血压150/90mmHg", "硝苯地平", "最高体温38.5℃"):
        assert written in text, written


def test_clinical_wording_stays_grounded(outpatient) -> None:
    flagged = [(s.text, s.reasons) for sec in outpatient.sections for s in sec.sentences if s.status != "supported"]
    assert not flagged


# ── the child's weight is read from every note of the encounter (合成 synthetic records) ─────────────

PEDS_ADMISSION = """入院记录
姓名：测试患儿　性别：女　年龄：6岁
主诉：发热、咳嗽5天。
现病史：患儿5天前出现发热，伴干咳。
体格检查：T 38.5℃　P 116次/分　R 26次/分　{weight}。咽充血，右下肺可闻及细湿啰音。
辅助检查：肺炎支原体IgM阳性。
初步诊断：1.肺炎支原体肺炎
"""
PEDS_COURSE = """病程记录
患儿体温正常3天，咳嗽减轻。今日出院。
出院诊断：1.肺炎支原体肺炎
出院带药：阿奇霉素干混悬剂 {dose}mg po qd×3天。
出院医嘱：2周后门诊复诊。
"""


def _peds_discharge(weight: str, dose: int) -> object:
    from yizhu.core.parsing import parse_document

    docs = [ClinicalDocument(id="adm", doc_type="入院记录", text=PEDS_ADMISSION.format(weight=weight),
                             recorded_at=datetime(2026, 11, 1, 10), synthetic=True),
            ClinicalDocument(id="pn", doc_type="日常病程记录", text=PEDS_COURSE.format(dose=dose),
                             recorded_at=datetime(2026, 11, 6, 10), synthetic=True)]
    assert parse_document(docs[0].text, doc_id="adm").sections
    ctx = ClinicalContext(patient=Patient(id="p2", sex="female", age_years=6, synthetic=True), documents=docs)
    return draft_note("discharge", ctx, use_llm=False)


def _weight_alerts(draft) -> list[str]:
    return [a["message"] for a in draft.rx_alerts if "未提供体重" in a["message"]]


@pytest.mark.parametrize("weight", ["体重22kg", "体重：22 kg", "体重 22公斤"])
def test_a_childs_weight_written_in_the_admission_note_reaches_the_discharge_review(weight: str) -> None:
    draft = _peds_discharge(weight, 220)  # 10 mg/kg: within the label
    assert "阿奇霉素" in _section(draft, "出院医嘱")
    assert not _weight_alerts(draft), _weight_alerts(draft)
    assert not [a for a in draft.rx_alerts if "阿奇霉素" in "".join(a["drugs"])]


def test_the_weight_read_from_the_notes_is_used_for_the_dose_check() -> None:
    draft = _peds_discharge("体重22kg", 1100)  # 50 mg/kg/day: over the label's limit
    assert not _weight_alerts(draft)
    assert [a for a in draft.rx_alerts if "阿奇霉素" in "".join(a["drugs"]) and "22 kg" in a["message"]]


def test_without_a_written_weight_the_review_still_says_it_is_missing() -> None:
    draft = _peds_discharge("神清", 220)
    assert _weight_alerts(draft)


@pytest.mark.parametrize(("text", "want"), [
    ("体重22kg，身高118cm", [("体重", 22.0, "kg"), ("身高", 118.0, "cm")]),
    ("体重：65.5 千克", [("体重", 65.5, "kg")]),
    ("体重下降5kg", []),          # a change, not a measurement
    ("体重 170cm", []),           # a weight in centimetres is no measurement
])
def test_body_measurements_are_read_with_their_unit(text: str, want: list[tuple[str, float, str]]) -> None:
    from yizhu.clinical.notes.engine import body_measurements

    assert [(m.name, m.value, m.unit) for m in body_measurements(text)] == want
