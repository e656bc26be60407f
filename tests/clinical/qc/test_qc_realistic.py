"""Regression tests from realistic notes (issue 13 items 1–3): allergy conflicts written anywhere in the
record, scores that must not mislead (单项否决, non-clinical documents), and document vs encounter mode.

Every note here is synthetic (合成), written as hospitals write them; no real patient."""

from __future__ import annotations

from pathlib import Path

import pytest

from yizhu.clinical.qc import check_document, evaluate
from yizhu.clinical.qc.batch import run_batch, statistics
from yizhu.core import ClinicalContext
from yizhu.core.parsing import parse_document

ALLERGY = "qc.consistency.allergy_vs_drugs.v1"
ALLERGY_LOW = "qc.consistency.allergy_cross_low.v1"
NOT_CLINICAL = "qc.document.not_clinical_note.v1"

ADMISSION = """入院记录
【合成病历 / synthetic record】
姓名：测试甲　性别：{sex}　年龄：67岁　科别：呼吸内科　住院号：ZY-R-0101
入院日期：2026-04-03 09:20　记录日期：2026-04-03 15:10
主诉：咳嗽、咳黄痰伴发热3天。
现病史：患者3天前受凉后出现咳嗽，咳黄色黏痰，伴发热，最高体温38.9℃，无胸痛、咯血。{hpi}今为进一步诊治来我院，门诊以“社区获得性肺炎”收入院。
既往史：高血压病史10年，口服硝苯地平控释片30mg qd，血压控制可。否认糖尿病、冠心病史。否认手术、外伤、输血史。{past}
个人史：生于原籍，无烟酒嗜好。
婚育史：已婚，育1子1女。
家族史：{family}
体格检查：T 38.5℃ P 96次/分 R 22次/分 BP 142/86mmHg。神志清，精神稍差。右下肺可闻及湿啰音。心律齐，未闻及杂音。腹软，无压痛。双下肢无水肿。
辅助检查：2026-04-02 我院门诊胸部CT：右下肺斑片状渗出影。血常规：WBC 13.2×10^9/L，N 86%。
初步诊断：
1.社区获得性肺炎
2.高血压2级
诊疗计划：
1.完善痰培养、降钙素原等检查；
2.{plan}
3.止咳化痰，监测体温。
医师签名：王某
"""


def _admission(*, hpi: str = "", past: str = "否认药物、食物过敏史。", family: str = "父母已故，否认家族遗传病史。",
               plan: str = "予哌拉西林他唑巴坦4.5g 静滴 q8h 抗感染；", sex: str = "男") -> str:
    return ADMISSION.format(hpi=hpi, past=past, family=family, plan=plan, sex=sex)


def _rules(text: str) -> list[str]:
    return [f.rule_id for f in check_document(text, doc_id="admission.txt").findings]


# ── item 1: allergy conflicts ───────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("past", "plan"),
    [
        ("过敏史：头孢类药物过敏（皮疹）。", "予头孢克洛缓释胶囊0.375g 口服 bid；"),
        ("有头孢菌素类过敏史。", "予注射用头孢曲松钠2g+0.9%氯化钠注射液100ml 静滴 qd；"),
        ("自述“头孢”过敏。", "予头孢呋辛钠1.5g 静滴 q8h；"),
        ("青霉素过敏史，表现为皮疹。", "予阿莫西林克拉维酸钾片0.457g 口服 bid；"),
        ("对磺胺类药物过敏。", "予复方磺胺甲噁唑片2片 口服 bid；"),
        ("喹诺酮类过敏（2020年外院用后皮疹）。", "予盐酸莫西沙星片0.4g 口服 qd；"),
        ("喹诺酮类过敏。", "予左氧氟沙星氯化钠注射液0.5g 静滴 qd；"),
        ("有头孢类过敏史。", "予三代头孢抗感染；"),
    ],
)
def test_class_allergy_against_a_specific_drug_is_a_critical_conflict(past: str, plan: str) -> None:
    report = check_document(_admission(past=past, plan=plan), doc_id="admission.txt")
    assert ALLERGY in [f.rule_id for f in report.findings]
    assert report.grade == "丙"  # 单项否决 whatever the points
    assert any(v["id"] == "qc.veto.allergy_conflict.v1" for v in report.vetoes)


def test_allergy_in_present_illness_counts() -> None:
    text = _admission(hpi="院外自服“阿莫西林”后出现全身皮疹，考虑青霉素过敏，已停药。",
                      plan="予阿莫西林克拉维酸钾1.2g 静滴 q8h；")
    assert ALLERGY in _rules(text)


def test_allergy_in_admission_status_against_discharge_orders() -> None:
    text = """出院记录
【合成病历 / synthetic record】
姓名：测试乙　性别：女　年龄：52岁　科别：普外科
入院日期：2026-05-06 08:30　出院日期：2026-05-12 10:00　记录日期：2026-05-12 11:00
入院情况：患者因转移性右下腹痛1天入院，青霉素过敏。查体：右下腹压痛、反跳痛。
入院诊断：急性阑尾炎
诊疗经过：入院后急诊行腹腔镜阑尾切除术，术后予左氧氟沙星氯化钠注射液0.5g 静滴 qd 抗感染，恢复顺利。
出院诊断：急性化脓性阑尾炎
出院情况：切口愈合良好，无发热。
出院医嘱：1.阿莫西林克拉维酸钾片 0.457g 口服 bid×5天；2.1周后普外科门诊复查。
医师签名：赵某
"""
    report = check_document(text, doc_id="discharge.txt")
    hits = [f for f in report.findings if f.rule_id == ALLERGY]
    assert len(hits) == 1 and "阿莫西林克拉维酸钾" in hits[0].message and hits[0].section == "出院医嘱"
    assert report.grade == "丙"


@pytest.mark.parametrize(
    "past",
    [
        "否认药物、食物过敏史。",
        "无青霉素过敏史，否认其他药物过敏。",
        "青霉素皮试（-）。",
        "过敏史：无。",
    ],
)
def test_negated_allergy_is_no_conflict(past: str) -> None:
    rules = _rules(_admission(past=past, plan="予注射用头孢曲松钠2g 静滴 qd；阿莫西林胶囊0.5g 口服 tid；"))
    assert ALLERGY not in rules and ALLERGY_LOW not in rules


def test_a_skin_test_or_a_warning_in_the_plan_is_no_conflict() -> None:
    text = _admission(past="否认药物过敏史。",
                      plan="青霉素皮试阴性后予阿莫西林胶囊0.5g 口服 tid，用药期间如出现皮疹等过敏反应及时停药；")
    assert ALLERGY not in _rules(text)
    text = _admission(past="青霉素过敏史（皮疹）。", plan="拟行头孢曲松皮试，阴性后再决定抗感染方案；")
    assert ALLERGY not in _rules(text) and ALLERGY_LOW not in _rules(text)


def test_a_drug_named_in_a_susceptibility_result_is_not_given() -> None:
    text = _admission(past="头孢类过敏史。", plan="痰培养：肺炎克雷伯菌，对头孢曲松敏感、对氨苄西林耐药；予左氧氟沙星0.5g 静滴 qd；")
    assert ALLERGY not in _rules(text)


def test_a_relatives_allergy_is_not_the_patients() -> None:
    text = _admission(family="其母对青霉素过敏，否认家族遗传病史。", plan="予阿莫西林胶囊0.5g 口服 tid；")
    assert ALLERGY not in _rules(text)


def test_a_drug_stopped_or_avoided_is_no_conflict() -> None:
    text = _admission(past="有头孢类过敏史。", plan="避免使用头孢类，停用头孢曲松，改用左氧氟沙星0.5g 静滴 qd；")
    assert ALLERGY not in _rules(text)


def test_low_risk_cross_reactivity_is_a_lesser_finding_without_veto() -> None:
    report = check_document(_admission(past="青霉素过敏史。", plan="予注射用头孢曲松钠2g 静滴 qd；"), doc_id="a.txt")
    rules = [f.rule_id for f in report.findings]
    assert ALLERGY_LOW in rules and ALLERGY not in rules
    assert not any(v["id"] == "qc.veto.allergy_conflict.v1" for v in report.vetoes)


def test_structured_allergy_and_premixed_infusion_order() -> None:
    from yizhu.core.models import AllergyIntolerance, MedicationOrder

    doc = parse_document(_admission(plan="予抗感染治疗；"), doc_id="admission.txt")
    ctx = ClinicalContext(documents=[doc], allergies=[AllergyIntolerance(substance="喹诺酮类")],
                          orders=[MedicationOrder(text="盐酸莫西沙星氯化钠注射液 0.4g 静滴 qd", drug="盐酸莫西沙星氯化钠注射液", dose=0.4, unit="g")])
    assert ALLERGY in [f.rule_id for f in evaluate(ctx).findings]


def test_allergy_in_a_nursing_note_of_the_encounter_counts() -> None:
    adm = parse_document(_admission(plan="予复方磺胺甲噁唑片2片 口服 bid；"), doc_id="admission.txt")
    nursing = parse_document("护理记录\n2026-04-03 16:00 患者自诉对磺胺类药物过敏，已告知医生。责任护士：孙某", doc_id="nursing.txt")
    report = evaluate(ClinicalContext(documents=[adm, nursing]), mode="encounter")
    assert ALLERGY in [f.rule_id for f in report.findings]


# ── item 2: scores that mislead ─────────────────────────────────────────────────────────────


@pytest.mark.parametrize("text", ["", "   \n", "今天天气很好，适合出去散步。", "患者咳嗽3天，予对症处理。"])
def test_a_document_that_is_not_a_clinical_note_is_not_graded(text: str) -> None:
    report = check_document(text, doc_id="x.txt")
    out = report.as_document_json("x.txt")
    assert out["grade"] == "未评级" and out["score"] is None and out["gradable"] is False
    assert NOT_CLINICAL in [f["rule_id"] for f in out["findings"]]


def test_a_one_line_note_of_a_known_type_is_not_graded_a() -> None:
    report = check_document("入院记录\n主诉：咳嗽3天。", doc_id="x.txt")
    assert report.grade == "丙"
    assert any(v["id"] == "qc.veto.missing_core_content.v1" for v in report.vetoes)


def test_sex_contradiction_caps_the_grade_whatever_the_points() -> None:
    text = _admission(hpi="末次月经2026-03-20。")
    report = check_document(text, doc_id="admission.txt")
    assert "qc.consistency.sex_content.v1" in [f.rule_id for f in report.findings]
    assert report.score is not None and report.score >= 90  # the points alone would say 甲
    assert report.grade == "丙"


def test_every_critical_rule_is_a_veto_so_no_record_with_a_critical_finding_is_graded_a() -> None:
    from yizhu.clinical.qc import default_rules

    rs = default_rules()
    vetoed = {rid for v in rs.vetoes for rid in v.rules}
    assert {r.id for r in rs.rules if r.severity == "critical"} <= vetoed
    assert all("江苏省住院病历质量评定标准" in v.source for v in rs.vetoes)


def test_batch_grade_a_rate_counts_vetoed_and_ungraded_records(tmp_path: Path) -> None:
    d = tmp_path / "notes"
    d.mkdir()
    (d / "clean.txt").write_text(_admission(), encoding="utf-8")
    (d / "allergy.txt").write_text(_admission(past="青霉素过敏。", plan="予阿莫西林胶囊0.5g 口服 tid；"), encoding="utf-8")
    (d / "weather.txt").write_text("今天天气很好", encoding="utf-8")
    rows, errors = run_batch(d)
    assert errors == []
    st = statistics(rows)
    assert st["grades"] == {"甲": 1, "乙": 0, "丙": 1, "未评级": 1}
    assert st["grade_a_rate"] == round(1 / 3, 3) and st["vetoed"] == 1


# ── item 3: document mode vs encounter mode ─────────────────────────────────────────────────

DISCHARGE = """出院记录
【合成病历 / synthetic record】
姓名：测试丙　性别：男　年龄：71岁　科别：心内科
入院日期：2026-06-01 10:00　出院日期：2026-06-08 09:30　记录日期：2026-06-08 10:30
入院情况：患者因反复胸闷3年，加重2天入院。
入院诊断：冠状动脉粥样硬化性心脏病 不稳定型心绞痛
诊疗经过：入院后予阿司匹林、阿托伐他汀、单硝酸异山梨酯等治疗，6月3日行冠脉造影+PCI术，术后恢复好。
出院诊断：冠状动脉粥样硬化性心脏病 不稳定型心绞痛 PCI术后
出院情况：无胸闷胸痛，生命体征平稳。
出院医嘱：1.阿司匹林肠溶片100mg 口服 qd；2.硫酸氢氯吡格雷片75mg 口服 qd；3.1个月后心内科门诊复诊。
医师签名：钱某
"""


def test_a_document_checked_alone_never_reports_other_documents_missing() -> None:
    report = check_document(DISCHARGE, doc_id="discharge.txt")
    rules = [f.rule_id for f in report.findings]
    assert "qc.timeliness.senior_round_48h.v1" not in rules
    assert report.mode == "document"
    skipped = {r["rule_id"] for r in report.skipped_rules}
    assert {"qc.timeliness.senior_round_48h.v1", "qc.timeliness.progress_interval.v1",
            "qc.consistency.diagnoses_across_documents.v1"} <= skipped
    assert report.as_document_json()["skipped_rules"] == report.skipped_rules


def test_encounter_mode_runs_encounter_rules(tmp_path: Path) -> None:
    from yizhu.core.context import context_from_note

    doc = parse_document(DISCHARGE, doc_id="discharge.txt")
    ctx = context_from_note(doc).model_copy(update={"documents": [doc]})
    report = evaluate(ctx, mode="encounter")
    assert report.skipped_rules == [] and report.mode == "encounter"
    assert "qc.timeliness.senior_round_48h.v1" in [f.rule_id for f in report.findings]


def test_batch_runs_loose_notes_in_document_mode_and_admissions_in_encounter_mode(tmp_path: Path) -> None:
    from yizhu.clinical.qc.batch import render_html

    d = tmp_path / "notes"
    (d / "ZY-001").mkdir(parents=True)
    (d / "ZY-001" / "入院记录.txt").write_text(_admission(), encoding="utf-8")
    (d / "ZY-001" / "出院记录.txt").write_text(DISCHARGE, encoding="utf-8")
    (d / "discharge-only.txt").write_text(DISCHARGE, encoding="utf-8")
    rows, _ = run_batch(d)
    by = {r["document"]: r for r in rows}
    assert by["discharge-only.txt"]["mode"] == "document"
    assert "qc.timeliness.senior_round_48h.v1" in {x["rule_id"] for x in by["discharge-only.txt"]["skipped_rules"]}
    assert "qc.timeliness.senior_round_48h.v1" not in {f["rule_id"] for f in by["discharge-only.txt"]["findings"]}
    assert by["ZY-001"]["mode"] == "encounter" and by["ZY-001"]["skipped_rules"] == []
    assert statistics(rows)["document_mode"] == 1
    assert "qc.timeliness.senior_round_48h.v1" in render_html(rows, [])


# ── a correct diagnosis written with its side, remarks and code is normalisable (issue 13, notes-229/230) ──

NORMALISABLE = "qc.standard.diagnosis_normalisable.v1"


@pytest.mark.parametrize("dx", [
    "右卵巢成熟性囊性畸胎瘤（腹腔镜右卵巢囊肿剥除术后）",
    "右卵巢成熟性囊性畸胎瘤（腹腔镜右卵巢囊肿剥除术后）（D27）",
    "左桡骨远端粉碎性骨折（AO C2型）切开复位钢板内固定术后",
    "左桡骨远端粉碎性骨折（AO C2型）（S52.5）",
])
def test_a_correct_diagnosis_with_side_remarks_and_code_is_normalisable(dx: str) -> None:
    text = _admission().replace("1.社区获得性肺炎\n2.高血压2级", f"1.{dx}\n2.高血压2级")
    assert dx in text
    assert NORMALISABLE not in _rules(text)


def test_a_name_with_no_icd_counterpart_is_still_reported() -> None:
    text = _admission().replace("2.高血压2级", "2.气血两虚综合症候群（D27）")
    assert NORMALISABLE in _rules(text)



@pytest.mark.parametrize(
    ("age", "personal"),
    [("5岁", "吸烟10年，约10支/日。"), ("8岁", "无烟酒嗜好。"), ("30岁", "吸烟28年，每日20支。")],
)
def test_content_impossible_at_the_patients_age_caps_the_grade_like_a_sex_contradiction(age: str, personal: str) -> None:
    # the template's 婚育史 says 已婚，育1子1女: impossible at 8; 28 years of smoking is impossible at 30
    text = _admission().replace("年龄：67岁", f"年龄：{age}").replace("无烟酒嗜好。", personal)
    report = check_document(text, doc_id="admission.txt")
    assert "qc.consistency.age_content.v1" in [f.rule_id for f in report.findings]
    assert report.grade == "丙"
    assert any(v["id"] == "qc.veto.age_error.v1" for v in report.vetoes)


def test_smoking_years_possible_at_the_patients_age_are_not_a_contradiction() -> None:
    report = check_document(_admission().replace("无烟酒嗜好。", "吸烟20年，每日10支。"), doc_id="admission.txt")
    assert "qc.consistency.age_content.v1" not in [f.rule_id for f in report.findings]


@pytest.mark.parametrize(
    ("day2_note", "round_in_time"),
    [
        ("患者一般情况好，术前检查已回。待上级医师查房后安排手术。", False),
        ("患者诉夜间咳嗽，拟明日请主任医师查房决定下一步方案。", False),
        ("今日尚未见主治医师查房，已电话告知。", False),
        ("今日李某主治医师查房：诊断明确，同意手术。", True),
        ("今日请王某副主任医师查房，指示：完善肺功能检查。", True),
    ],
)
def test_a_senior_round_only_awaited_or_planned_is_not_a_round(tmp_path: Path, day2_note: str, round_in_time: bool) -> None:
    from yizhu.clinical.qc.batch import context_from_files

    adm = tmp_path / "adm"
    adm.mkdir()
    (adm / "01.txt").write_text(_admission(), encoding="utf-8")
    (adm / "02.txt").write_text(f"日常病程记录\n2026-04-04 09:00\n{day2_note}\n医师签名：王某", encoding="utf-8")
    (adm / "03.txt").write_text("日常病程记录\n2026-04-08 09:00\n患者体温正常，咳嗽减轻。\n医师签名：王某", encoding="utf-8")
    report = evaluate(context_from_files(sorted(adm.iterdir())), mode="encounter")
    late = "qc.timeliness.senior_round_48h.v1" in [f.rule_id for f in report.findings]
    assert late is not round_in_time


REACTION_NOTE = """日常病程记录
2026-04-06 10:00
患者今晨诉躯干瘙痒，查见躯干散在红色斑丘疹，无黏膜受累。患者入院后第2天起{given}，{cause}。
处理：{stop}，今后禁用头孢类药物，已在过敏史及医嘱系统标注“头孢类过敏”。抗感染改为阿奇霉素0.5g ivgtt qd；予氯雷他定片10mg口服qd。
医师签名：王某"""


@pytest.mark.parametrize(
    ("given", "cause", "stop"),
    [
        ("静滴注射用头孢呋辛钠1.5g q8h", "考虑头孢呋辛所致药疹", "立即停用注射用头孢呋辛钠"),
        ("予头孢曲松钠2g ivgtt qd", "皮疹出现于用药后36小时，考虑头孢曲松引起的过敏反应", "停用头孢曲松"),
        ("予头孢他啶2g q8h静滴", "考虑药物相关皮疹", "已停头孢他啶"),
    ],
)
def test_the_drug_a_note_stops_for_the_reaction_it_records_is_not_an_allergy_conflict(given: str, cause: str, stop: str) -> None:
    report = check_document(REACTION_NOTE.format(given=given, cause=cause, stop=stop), doc_id="progress.txt")
    assert ALLERGY not in [f.rule_id for f in report.findings]


def test_a_cephalosporin_ordered_after_the_reaction_note_stops_another_is_still_a_conflict() -> None:
    text = REACTION_NOTE.format(given="静滴注射用头孢呋辛钠1.5g q8h", cause="考虑头孢呋辛所致药疹", stop="立即停用注射用头孢呋辛钠")
    text = text.replace("抗感染改为阿奇霉素0.5g ivgtt qd", "抗感染改为头孢曲松钠2g ivgtt qd")
    assert ALLERGY in [f.rule_id for f in check_document(text, doc_id="progress.txt").findings]


@pytest.mark.parametrize(
    "staff_line",
    [
        "术者：陆某　　助手：丁某　　麻醉方式：臂丛神经阻滞麻醉　　麻醉医师：吴某",
        "术者：陆某\t麻醉方式：全身麻醉\t麻醉医师：吴某",
        "手术医师：陆某 麻醉方式：腰硬联合麻醉 器械护士：周某",
    ],
)
def test_a_required_item_written_as_a_field_of_a_form_line_is_present(staff_line: str) -> None:
    text = (
        "手术记录\n手术日期：2026-03-05 09:00—10:30\n术前诊断：右桡骨远端骨折\n术后诊断：右桡骨远端骨折\n"
        f"手术名称：右桡骨远端骨折切开复位内固定术\n{staff_line}\n"
        "手术经过：麻醉成功后取仰卧位，常规消毒铺巾，逐层切开显露骨折端，复位后钢板固定，逐层缝合。\n医师签名：陆某"
    )
    report = check_document(text, doc_id="op.txt")
    assert "qc.operation.required.v1" not in [f.rule_id for f in report.findings]


def test_a_form_line_without_the_anaesthesia_still_lacks_it() -> None:
    text = (
        "手术记录\n手术日期：2026-03-05 09:00—10:30\n术前诊断：右桡骨远端骨折\n术后诊断：右桡骨远端骨折\n"
        "手术名称：右桡骨远端骨折切开复位内固定术\n术者：陆某　　助手：丁某　　麻醉医师：吴某\n"
        "手术经过：取仰卧位，常规消毒铺巾，逐层切开显露骨折端，复位后钢板固定，逐层缝合。\n医师签名：陆某"
    )
    findings = check_document(text, doc_id="op.txt").findings
    assert any(f.rule_id == "qc.operation.required.v1" and "麻醉方式" in f.message for f in findings)
