"""Round 8 classes (inpatient drafting): diagnosis qualifiers the record needs, 主诉 of an admission, what an
admission leaves out, and discharge summaries (treatments named, allergies carried, instructions only).

Every dialogue and record here is synthetic (合成), written for these tests in wording of its own; none copies a
blind case of tests/realworld/. Each class has several wordings and look-alikes that must not change.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.clinical.notes.drafts import draft
from tests.clinical.notes.drafts import section_text as _sec
from yizhu.cli.note import load_input
from yizhu.clinical.notes import draft_note
from yizhu.clinical.notes.course import course_kind, drug_reactions
from yizhu.clinical.notes.dxphrase import stated_diagnoses
from yizhu.clinical.notes.types import NoteDraft


def _draft(kind: str, talk: str, pre: str | None = None) -> NoteDraft:
    if "患者：" not in talk and "家属：" not in talk:
        talk += "\n患者：好的。"  # a transcript needs a patient's turn
    return draft(kind, talk, pre)


def _dx(kind: str, talk: str, pre: str | None = None) -> str:
    return _sec(_draft(kind, talk, pre), "初步诊断")


# ── 1. diagnosis qualifiers the record needs ─────────────────────────────────────────────────────────────

@pytest.mark.parametrize("talk", [
    "医生：甲功回来了，TSH 12.5，FT4偏低，甲状腺功能减低。\n医生：诊断桥本甲状腺炎。左甲状腺素钠片每天50微克。",
    "医生：抗TPO抗体很高，甲功是减退的。\n医生：考虑桥本甲状腺炎，需要补充甲状腺素。",
    "医生：诊断是桥本甲状腺炎，已经甲减了，要长期吃优甲乐。",
    "医生：慢性淋巴细胞性甲状腺炎，甲状腺功能低下，先吃左甲状腺素钠片25微克。",
])
def test_the_thyroid_function_found_is_listed_beside_its_cause(talk: str):
    dx = _dx("outpatient", talk)
    assert "甲状腺炎" in dx
    assert "甲状腺功能减退" in dx or "甲减" in dx, dx


@pytest.mark.parametrize("talk", [
    "医生：诊断是桥本甲状腺炎，目前甲功正常，先观察，半年复查甲功。",
    "医生：考虑桥本甲状腺炎，甲功正常。\n患者：那以后会不会甲减？\n医生：有可能，所以要定期复查。",
    "医生：诊断桥本甲状腺炎，没有甲减，不用吃药。",
    "医生：家里人有甲状腺病吗？\n患者：我妈有甲减。\n医生：诊断桥本甲状腺炎，甲功正常。",  # a relative's, not hers
    "医生：诊断桥本甲状腺炎，甲功正常。\n患者：我姐姐也是桥本，已经甲减了。",
])
def test_no_functional_state_is_added_when_the_function_is_normal_asked_or_denied(talk: str):
    dx = _dx("outpatient", talk)
    assert "甲状腺炎" in dx and "甲状腺功能减退" not in dx and "甲减" not in dx, dx


@pytest.mark.parametrize("talk", [
    "医生：这个咳嗽考虑是依那普利引起的，先停掉，换成缬沙坦。诊断高血压病2级。",
    "医生：你这个干咳应该是卡托普利的副作用，诊断高血压病。",
    "医生：吃贝那普利以后才咳的，考虑贝那普利导致的咳嗽，诊断高血压病。",
])
def test_a_drug_induced_condition_is_named_with_the_drugs_class(talk: str):
    dx = _dx("outpatient", talk)
    assert "ACEI相关" in dx and "高血压" in dx, dx


@pytest.mark.parametrize("talk", [
    "医生：咳嗽考虑是受凉引起的，诊断急性支气管炎。",  # a cause that is no drug
    "医生：您吃的依那普利血压控制得不错，诊断高血压病2级。",  # a drug without an effect ascribed
])
def test_a_cause_that_is_no_drug_makes_no_drug_related_diagnosis(talk: str):
    assert "相关" not in _dx("outpatient", talk)


@pytest.mark.parametrize(("talk", "weeks"), [
    ("医生：B超看是宫内早孕，7周左右，诊断先兆流产。", "7周"),
    ("医生：停经8周，B超提示宫内早孕，可见胎心。\n医生：考虑先兆流产，黄体酮保胎。", "8周"),
    ("医生：B超宫内妊娠，孕囊相当于6+3周。诊断先兆流产。", "6+3周"),
])
def test_pregnancy_location_and_weeks_head_the_diagnoses(talk: str, weeks: str):
    dx = _dx("outpatient", talk)
    assert dx.startswith("宫内早孕") and weeks in dx and "先兆流产" in dx, dx


def test_no_pregnancy_line_without_an_obstetric_diagnosis_nor_when_ectopic_is_ruled_out_it_is_listed():
    assert "宫内" not in _dx("outpatient", "医生：B超子宫附件未见异常。\n医生：诊断急性胃肠炎。")
    dx = _dx("outpatient", "医生：B超看是宫内早孕，7周，不是宫外孕。诊断先兆流产。")
    assert "宫外孕" not in dx and "异位妊娠" not in dx and "先兆流产" in dx


@pytest.mark.parametrize(("talk", "status"), [
    ("医生：诊断慢性乙型肝炎。乙肝两对半：HBsAg阳性，HBeAg阴性，抗HBc阳性。", "HBeAg阴性"),
    ("医生：HBeAg(-)，HBV DNA 2.1×10^3 IU/ml。\n医生：诊断：慢性乙型病毒性肝炎。", "HBeAg阴性"),
    ("医生：e抗原阳性，DNA很高。诊断慢性乙肝，要抗病毒治疗。", "HBeAg阳性"),
])
def test_chronic_hepatitis_b_is_named_with_its_hbeag_status(talk: str, status: str):
    dx = _dx("outpatient", talk)
    assert status in dx and "B18.1" in dx, dx


def test_hepatitis_b_without_a_stated_serostatus_and_other_hepatitis_are_not_qualified():
    assert "HBeAg" not in _dx("outpatient", "医生：诊断慢性乙型肝炎，恩替卡韦继续吃。")
    assert "HBeAg" not in _dx("outpatient", "医生：HBeAg阴性。\n医生：诊断脂肪肝。")


@pytest.mark.parametrize("talk", [
    "患者：三周前在骨科行左膝关节置换术，这两天左小腿肿。\n医生：考虑左下肢深静脉血栓形成，收住院。",
    "医生：诊断：左膝关节置换术后，左下肢深静脉血栓形成。",
    "患者：10天前做了左膝关节置换术，今天突然胸闷气短。\n医生：考虑急性肺栓塞，左下肢深静脉血栓形成。",
])
def test_a_recent_operation_is_listed_as_the_post_operative_state(talk: str):
    dx = _dx("admission", talk)
    assert "左膝关节置换术后" in dx and "深静脉血栓" in dx, dx


@pytest.mark.parametrize("talk", [
    "患者：十年前做过阑尾切除术。\n医生：考虑急性胃肠炎。",  # long ago: history, not a diagnosis of this stay
    "患者：没做过手术。\n医生：考虑急性胃肠炎。",
    "医生：过两周行左膝关节置换术，诊断左膝骨关节炎。",  # planned, not done
])
def test_an_old_denied_or_planned_operation_is_no_post_operative_diagnosis(talk: str):
    assert "术后" not in _dx("admission", talk)


@pytest.mark.parametrize(("talk", "want"), [
    ("医生：宫高33厘米，胎方位LOA，胎心140次/分。\n医生：诊断：孕1产0，孕37+1周，胎膜早破。", "头位"),
    ("医生：先露头，已入盆。诊断：孕2产1，孕39周，临产。", "头位"),
    ("医生：B超示单活胎，臀位。诊断：孕1产0，孕36+2周。", "臀位"),
])
def test_the_presentation_joins_the_obstetric_status_line(talk: str, want: str):
    dx = _dx("admission", talk)
    assert f"周，{want}" in dx and ("孕1产0" in dx or "孕2产1" in dx), dx
    assert dx.startswith("孕"), dx


def test_a_presentation_not_stated_is_not_written():
    dx = _dx("admission", "医生：胎心145次/分。诊断：孕1产0，孕38周，妊娠期糖尿病。")
    assert "头位" not in dx and "臀位" not in dx


@pytest.mark.parametrize("said", ["不是阑尾炎", "阑尾炎可以排除", "排除宫外孕", "宫外孕不考虑"])
def test_a_ruled_out_diagnosis_is_never_listed(said: str):
    items = [x.text for x in stated_diagnoses(f"{said}，考虑急性胃肠炎")]
    assert items == ["急性胃肠炎"], items


# ── 4. discharge summaries: every treatment named, reactions carried, instructions only, no false rx alarm ──

DKA_ADMISSION = """合成医院
入 院 记 录
姓名：合成患者甲　性别：男　年龄：19岁　科别：内分泌科　床号：8　住院号：SYN1001
入院日期：2026-11-10 22:10　记录日期：2026-11-10 23:30
主诉：多饮、多尿、消瘦1个月，恶心呕吐伴腹痛1天。
现病史：患者1个月前无诱因出现口干多饮、多尿，体重下降约6kg。1天前出现恶心、呕吐胃内容物4次，伴上腹痛，乏力明显。急诊查随机血糖28.6mmol/L，尿酮体(+++)，血气pH 7.12，HCO3- 8mmol/L。
既往史：体健。否认药物过敏史。
体格检查：T 36.8℃　P 118次/分　R 28次/分　BP 102/64mmHg。神清，精神差，呼吸深大，可闻及烂苹果味，皮肤干燥，上腹轻压痛，无反跳痛。
辅助检查：血淀粉酶128U/L，脂肪酶正常；血钾4.1mmol/L；血肌酐98μmol/L。
初步诊断：
1.糖尿病酮症酸中毒
2.1型糖尿病可能
3.急性胰腺炎待排
医师签名：合成医师
"""
DKA_COURSE = """2026-11-10 23:45　首次病程记录
予0.9%氯化钠注射液快速静脉补液，第1小时1000ml，24小时补液约4500ml；胰岛素0.1U/kg/h持续静脉泵入；见尿补钾。监测血糖q1h、电解质q4h。

2026-11-11 10:00　主治医师查房
复查腹部CT：胰腺形态密度未见异常，急性胰腺炎可排除。血钾3.2mmol/L，加强补钾。

2026-11-12 09:00　病程记录
血气pH 7.36，尿酮体转阴，酮症酸中毒纠正。停静脉胰岛素，改为门冬胰岛素三餐前各6U皮下注射+甘精胰岛素睡前14U皮下注射。谷氨酸脱羧酶抗体阳性，C肽0.12ng/ml，诊断明确为1型糖尿病。

2026-11-15 09:00　出院前病程记录
患者无不适，空腹血糖6.8mmol/L，餐后2小时血糖9.6mmol/L，血钾4.0mmol/L。今日出院。
出院诊断：1.1型糖尿病伴酮症酸中毒　2.低钾血症
出院带药：门冬胰岛素注射液 三餐前各6U 皮下注射；甘精胰岛素注射液 14U 睡前皮下注射。
出院医嘱：糖尿病饮食；每日监测指尖血糖4次并记录；血钾4.0mmol/L；1周后内分泌科门诊复诊；出现恶心呕吐、血糖>16.7mmol/L及时就诊。
"""
PYELO_ADMISSION = """合成医院
入 院 记 录
姓名：合成患者乙　性别：女　年龄：34岁　科别：泌尿外科　床号：5　住院号：SYN1002
入院日期：2026-11-20 09:00　记录日期：2026-11-20 11:00
主诉：发热伴左侧腰痛2天。
现病史：患者2天前出现寒战、高热，最高39.4℃，伴左侧腰部胀痛、尿频尿急。3天前在社区诊所口服阿莫西林胶囊1次后全身出现风团样皮疹伴瘙痒，诊为荨麻疹，停药后2天消退。
既往史：否认高血压、糖尿病。
过敏史：见现病史。
体格检查：T 39.0℃　P 104次/分　BP 118/72mmHg。左肾区叩击痛(+)，左肋脊角压痛。
辅助检查：血白细胞15.2×10^9/L，中性粒细胞88%；尿白细胞满视野，亚硝酸盐阳性。泌尿系超声：左肾轻度增大，未见结石及积水。
初步诊断：
1.急性左侧肾盂肾炎
医师签名：合成医师
"""
PYELO_COURSE = """2026-11-20 12:00　首次病程记录
予头孢曲松钠2g ivgtt qd抗感染，留取尿培养。

2026-11-22 10:00　主治医师查房
体温正常。尿培养：大肠埃希菌，对头孢曲松敏感。

2026-11-26 09:00　出院前病程记录
头孢曲松静滴6天，改口服头孢克肟出院。患者无发热，无腰痛。复查血白细胞6.8×10^9/L。今日出院。
出院诊断：1.急性左侧肾盂肾炎（大肠埃希菌）
出院带药：头孢克肟胶囊 0.1g po bid×7天。
出院医嘱：多饮水，勿憋尿；2周后复查尿常规及尿培养；泌尿外科门诊随诊。
"""
HIP_ADMISSION = """合成医院
入 院 记 录
姓名：合成患者丙　性别：女　年龄：81岁　科别：骨科　床号：21　住院号：SYN1003
入院日期：2026-11-02 15:00　记录日期：2026-11-02 17:00
主诉：摔伤致右髋部疼痛、活动受限5小时。
现病史：患者5小时前在家滑倒，右髋着地，即感右髋剧痛，不能站立。
既往史：高血压病10年，服苯磺酸氨氯地平片5mg qd。否认药物过敏史。
体格检查：T 36.5℃　BP 146/82mmHg　体重50kg。右下肢短缩外旋畸形，右髋压痛，轴向叩击痛(+)。
辅助检查：骨盆正位片：右股骨颈骨折（Garden Ⅳ型）。血肌酐96μmol/L，eGFR 52ml/min/1.73m²。
初步诊断：
1.右股骨颈骨折（Garden Ⅳ型）
2.高血压病2级
医师签名：合成医师
"""
HIP_COURSE = """2026-11-03 10:00　手术记录摘要
腰硬联合麻醉下行右侧人工全髋关节置换术，术中出血约300ml，手术顺利。

2026-11-04 09:00　主治医师查房
切口敷料干燥，予利伐沙班10mg po qd预防深静脉血栓。复查血红蛋白108g/L。

2026-11-09 09:00　出院前病程记录
患者可扶助行器行走，切口愈合良好。血肌酐92μmol/L，eGFR 55ml/min/1.73m²。今日出院。
出院诊断：1.右股骨颈骨折（Garden Ⅳ型）　右侧人工全髋关节置换术后　2.高血压病2级
出院带药：利伐沙班片 10mg po qd×30天；苯磺酸氨氯地平片 5mg po qd。
出院医嘱：助行器辅助行走，避免髋关节过度屈曲内收；术后2周拆线；1个月后骨科门诊复诊；如出现小腿肿痛、黑便及时就诊。
"""
STROKE_ADMISSION = """合成医院
入 院 记 录
姓名：合成患者丁　性别：男　年龄：66岁　科别：神经内科　床号：9　住院号：SYN1004
入院日期：2026-11-05 08:00　记录日期：2026-11-05 10:00
主诉：右侧肢体无力伴言语不清6小时。
现病史：患者6小时前晨起发现右侧肢体无力，持物不稳，伴言语含糊。
既往史：高血压病8年。否认药物过敏史。
体格检查：BP 162/94mmHg。神清，运动性失语，右侧肢体肌力4级，右侧巴氏征阳性。NIHSS 4分。
辅助检查：头颅MRI：左侧基底节区急性梗死。低密度脂蛋白胆固醇3.6mmol/L。
初步诊断：
1.急性脑梗死（左侧基底节区）
2.高血压病2级
医师签名：合成医师
"""
STROKE_COURSE = """2026-11-05 11:00　首次病程记录
予阿司匹林肠溶片100mg qd联合氯吡格雷75mg qd双联抗血小板21天，阿托伐他汀钙片20mg qn。

2026-11-12 09:00　出院前病程记录
患者右侧肢体肌力5-级，言语较前流利。复查低密度脂蛋白胆固醇2.9mmol/L。今日出院。
出院诊断：1.急性脑梗死（左侧基底节区）　2.高血压病2级
出院带药：阿司匹林肠溶片 100mg po qd；氯吡格雷片 75mg po qd（满21天后停用）；阿托伐他汀钙片 20mg po qn；苯磺酸氨氯地平片 5mg po qd。
出院医嘱：低盐低脂饮食；LDL-C 2.9mmol/L，目标<1.8mmol/L；坚持康复训练；2周后神经内科门诊复诊。
"""


def _discharge(tmp: Path, admission: str, course: str) -> NoteDraft:
    (tmp / "01-入院记录.txt").write_text(admission, encoding="utf-8")
    (tmp / "02-病程记录.txt").write_text(course, encoding="utf-8")
    ctx, _ = load_input(str(tmp))
    return draft_note("discharge", ctx, use_llm=False)


def _flags(d: NoteDraft) -> list[str]:
    return [f"{sec.name}:{s.text}:{s.reasons}" for sec in d.sections for s in sec.sentences if s.status != "supported"]


@pytest.mark.parametrize("said", [
    "予0.9%氯化钠注射液快速静脉补液，第1小时1000ml。",
    "胰岛素0.1U/kg/h持续静脉泵入。",
    "血钾3.2mmol/L，加强补钾。",
    "予吸氧、雾化治疗。",
])
def test_a_treatment_given_without_a_pack_drug_tells_the_course(said: str):
    assert course_kind(said) == "drug"


@pytest.mark.parametrize("said", ["患者无发热，精神好。", "血钾4.0mmol/L。", "胰岛素抗体阴性。"])
def test_a_state_or_a_bare_value_is_not_a_treatment(said: str):
    assert course_kind(said) != "drug"


def test_the_course_names_fluids_and_the_insulin_regimen(tmp_path: Path):
    d = _discharge(tmp_path, DKA_ADMISSION, DKA_COURSE)
    course = _sec(d, "诊疗经过")
    assert "补液" in course and "静脉泵入" in course and "甘精胰岛素" in course
    assert not d.rx_alerts, d.rx_alerts  # 三餐前各6U / 睡前 are frequencies; the name stops before them
    assert "血钾4.0" not in _sec(d, "出院医嘱") and "血糖>16.7mmol/L" in _sec(d, "出院医嘱")


@pytest.mark.parametrize(("text", "drug", "reaction"), [
    ("3天前口服阿莫西林胶囊1次后全身出现风团样皮疹伴瘙痒，诊为荨麻疹。", "阿莫西林", "荨麻疹"),
    ("静滴头孢曲松过程中出现全身红色皮疹，考虑药疹，停用头孢曲松。", "头孢曲松", "药疹"),
    ("既往服用卡马西平后出现全身皮疹。", "卡马西平", "皮疹"),
])
def test_a_reaction_after_a_drug_is_read_as_an_allergy(text: str, drug: str, reaction: str):
    assert [(r.drug, r.reaction) for r in drug_reactions(text)] == [(drug, reaction)]


@pytest.mark.parametrize("text", ["既往用阿莫西林后无过敏。", "服用氨氯地平后血压控制可。", "予头孢曲松抗感染，体温正常。",
                                  "否认药物过敏史。"])
def test_no_reaction_when_none_is_told_or_it_is_denied(text: str):
    assert drug_reactions(text) == []


def test_a_reaction_in_the_history_is_carried_into_the_discharge_orders_supported(tmp_path: Path):
    d = _discharge(tmp_path, PYELO_ADMISSION, PYELO_COURSE)
    orders = _sec(d, "出院医嘱")
    assert "对阿莫西林过敏" in orders and "荨麻疹" in orders
    assert not _flags(d), _flags(d)


def test_a_drug_of_the_same_class_sent_home_after_the_reaction_is_flagged(tmp_path: Path):
    course = PYELO_COURSE.replace("头孢克肟胶囊 0.1g po bid×7天", "阿莫西林克拉维酸钾片 0.625g po tid×7天")
    d = _discharge(tmp_path, PYELO_ADMISSION, course)
    assert any("阿莫西林" in str(a.get("message")) and a.get("severity") != "minor" for a in d.rx_alerts), d.rx_alerts


@pytest.mark.parametrize(("written", "kept", "gone"), [
    ("低盐低脂饮食；LDL-C 2.9mmol/L，目标<1.8mmol/L；2周后门诊复诊。", "LDL-C目标<1.8mmol/L", "2.9mmol"),
    ("低盐低脂饮食；出院时血钾3.9mmol/L；2周后门诊复诊。", "低盐低脂饮食", "3.9mmol"),
    ("低盐低脂饮食；复查血糖6.2mmol/L，继续监测血糖；2周后门诊复诊。", "继续监测血糖", "6.2mmol"),
])
def test_discharge_orders_hold_instructions_never_a_value_of_the_stay(tmp_path: Path, written: str, kept: str, gone: str):
    course = STROKE_COURSE.replace("低盐低脂饮食；LDL-C 2.9mmol/L，目标<1.8mmol/L；坚持康复训练；2周后神经内科门诊复诊。", written)
    orders = _sec(_discharge(tmp_path, STROKE_ADMISSION, course), "出院医嘱")
    assert kept in orders and gone not in orders and "2周后" in orders, orders


def test_an_instruction_with_a_threshold_stays(tmp_path: Path):
    orders = _sec(_discharge(tmp_path, DKA_ADMISSION, DKA_COURSE), "出院医嘱")
    assert "出现恶心呕吐、血糖>16.7mmol/L及时就诊" in orders


def test_a_prophylactic_anticoagulant_at_a_reduced_kidney_function_raises_no_flag(tmp_path: Path):
    d = _discharge(tmp_path, HIP_ADMISSION, HIP_COURSE)  # 81 y, 50 kg, eGFR 52: CrCl 33, 利伐沙班 10 mg qd
    assert "利伐沙班" in _sec(d, "出院医嘱")
    assert not d.rx_alerts and not [f for f in d.findings if "利伐沙班" in str(f.get("message"))]


def test_an_anticoagulant_above_the_kidney_regimen_is_still_flagged(tmp_path: Path):
    course = HIP_COURSE.replace("利伐沙班片 10mg po qd×30天", "利伐沙班片 20mg po qd")
    d = _discharge(tmp_path, HIP_ADMISSION, course)
    assert any("利伐沙班" in str(a.get("message")) for a in d.rx_alerts), d.rx_alerts


# ── 2. 主诉 of an admission: the presenting symptom with its side and its own, most recent time ───────────

@pytest.mark.parametrize(("talk", "want"), [
    ("医生：老人家哪里不好？\n家属：我爸一个月前摔了一跤，碰到头了，当时没事。这一个礼拜左边手脚没力气，走路拖着腿。\n"
     "医生：右侧慢性硬膜下血肿，收住院。", "左侧肢体无力"),
    ("医生：哪里不舒服？\n患者：右边手脚没劲三天了。\n医生：考虑急性脑梗死。", "右侧肢体无力3天"),
    ("医生：哪里不舒服？\n患者：左侧手脚无力一周了。\n医生：考虑脑梗死。", "左侧肢体无力1周"),
])
def test_one_sides_limbs_weak_are_named_as_such_with_their_own_time(talk: str, want: str):
    chief = _sec(_draft("admission", talk), "主诉")
    assert want in chief and "四肢" not in chief and "左乏力" not in chief and "1个月" not in chief, chief


def test_a_weakness_without_a_side_of_the_limbs_is_not_made_one_sided():
    chief = _sec(_draft("admission", "医生：哪里不舒服？\n患者：浑身没力气一周了。\n医生：考虑贫血。"), "主诉")
    assert "肢体" not in chief and "1周" in chief, chief


@pytest.mark.parametrize("said", ["两个小时前突然下面流了好多水，裤子都湿了。", "两个小时前阴道流水。"])
def test_a_pregnancy_complaint_names_the_presenting_symptom_and_its_time(said: str):
    talk = f"医生：今天怎么了？\n患者：{said}\n医生：诊断：孕1产0，孕37+1周，胎膜早破。"
    chief = _sec(_draft("admission", talk), "主诉")
    assert chief.startswith("孕37+1周") and "阴道流液2小时" in chief, chief


def test_a_pregnancy_visit_without_a_time_keeps_its_form():
    talk = "医生：怀孕几周了？\n患者：12周多。\n医生：孕12+3周。有什么不舒服？\n患者：有点恶心。"
    chief = _sec(_draft("outpatient", talk), "主诉")
    assert chief.startswith("孕12+3周") and "恶心" in chief, chief


@pytest.mark.parametrize(("talk", "want"), [
    ("医生：哪里不舒服？\n患者：胸口疼两个小时了，压着疼，出汗。以前有高血压十年了。\n医生：考虑急性心肌梗死。", "胸痛2小时"),
    ("医生：哪里不舒服？\n患者：咳嗽三天了。我有糖尿病五年了。\n医生：考虑急性支气管炎。", "咳嗽3天"),
])
def test_past_history_said_in_the_complaint_turn_does_not_hide_the_complaint(talk: str, want: str):
    assert _sec(_draft("admission", talk), "主诉").startswith(want)


@pytest.mark.parametrize("talk", [
    "医生：哪里不舒服？\n患者：三周前做了左膝关节置换术，今天上午突然胸闷气短。\n医生：考虑急性肺栓塞。",
    "医生：哪里不舒服？\n患者：半个月前做了阑尾切除术，今天早上开始发烧。\n医生：考虑切口感染。",
])
def test_the_time_of_an_earlier_operation_is_not_the_complaints(talk: str):
    chief = _sec(_draft("admission", talk), "主诉")
    assert chief and "3周" not in chief and "半个月" not in chief and "15天" not in chief, chief


def test_a_symptom_that_started_after_an_operation_keeps_its_own_time():
    talk = "医生：哪里不舒服？\n患者：三周前做了左膝关节置换术，昨天开始胸闷气短。\n医生：考虑急性肺栓塞。"
    chief = _sec(_draft("admission", talk), "主诉")
    assert chief.startswith("胸闷") and "1天" in chief, chief


# ── 3. what an admission leaves out: every order of the stay is listed ──────────────────────────────────

def _left_out(d: NoteDraft) -> list[str]:
    return [str(o.get("item") or o.get("text")) for o in d.omissions if o.get("status") in ("left_out", "omitted")]


@pytest.mark.parametrize(("order", "want"), [
    ("收入院，予低分子肝素抗凝治疗。", "低分子肝素"),
    ("收入院，观察12小时无宫缩予缩宫素引产。", "缩宫素"),
    ("收入院，拟急诊行腹腔镜阑尾切除术，头孢呋辛抗感染。", "头孢呋辛"),
    ("收入院，拟急诊行腹腔镜阑尾切除术，术前禁食水。", "腹腔镜阑尾切除术"),
])
def test_an_order_of_the_stay_is_listed_as_left_out_of_the_admission_note(order: str, want: str):
    talk = f"医生：哪里不舒服？\n患者：右下腹痛一天。\n医生：右下腹压痛。考虑急性阑尾炎。{order}"
    d = _draft("admission", talk)
    assert any(want in x for x in _left_out(d)), d.omissions


def test_an_embolism_is_no_suppository_and_a_denied_drug_is_no_order():
    talk = ("医生：哪里不舒服？\n患者：胸闷。\n医生：CTPA示肺动脉栓塞。考虑急性肺栓塞。\n"
            "医生：以前用过华法林吗？\n患者：没用过。")
    d = _draft("admission", talk)
    assert not any("肺栓" in x or "华法林" in x for x in _left_out(d)), d.omissions


def test_the_focused_examination_is_kept_whole():
    talk = ("医生：哪里不舒服？\n患者：三周前做了左膝关节置换术，昨天开始左小腿肿。\n"
            "医生：血压128/76mmHg，心率88次/分。双肺呼吸音清，未闻及啰音。左小腿周径较右侧粗2厘米，左腓肠肌压痛。"
            "左膝手术切口愈合良好。\n医生：考虑左下肢深静脉血栓形成。")
    exam = _sec(_draft("admission", talk), "体格检查")
    for part in ("血压128/76mmHg", "双肺呼吸音清", "左小腿周径较右侧粗2厘米", "左腓肠肌压痛", "切口愈合良好"):
        assert part in exam, exam


@pytest.mark.parametrize("said", ["血氧91%", "SpO2 93%", "血氧饱和度92%"])
def test_pulse_oximetry_is_a_vital_sign_of_the_examination(said: str):
    talk = f"医生：哪里不舒服？\n患者：胸闷。\n医生：血压128/76mmHg，心率108次/分，{said}，双肺呼吸音清。\n医生：考虑急性肺栓塞。"
    d = _draft("admission", talk)
    assert said in _sec(d, "体格检查") and said not in _sec(d, "辅助检查")


def test_a_blood_gas_saturation_stays_a_result():
    talk = "医生：哪里不舒服？\n患者：胸闷。\n医生：血气分析：pH 7.35，PaO2 60mmHg，SaO2 90%。\n医生：考虑急性肺栓塞。"
    assert "PaO2" in _sec(_draft("admission", talk), "辅助检查")


def test_an_examination_naming_the_operation_wound_is_no_plan():
    talk = ("医生：哪里不舒服？\n患者：左小腿肿。\n医生：血压120/70mmHg，心率88次/分，左小腿周径较右侧粗2厘米，左腓肠肌压痛，"
            "左膝手术切口愈合良好。\n医生：考虑左下肢深静脉血栓形成。")
    d = _draft("admission", talk)
    assert "左膝手术切口愈合良好" in _sec(d, "体格检查")
    assert not any("切口" in x for x in _left_out(d))


@pytest.mark.parametrize("order", ["观察12小时未临产予缩宫素引产。", "若12小时未临产，缩宫素静滴引产。"])
def test_an_order_after_a_denied_condition_is_still_an_order(order: str):
    talk = f"医生：今天怎么了？\n患者：两个小时前阴道流水。\n医生：诊断：孕1产0，孕37+1周，胎膜早破。收入院，{order}"
    assert any("缩宫素" in x for x in _left_out(_draft("admission", talk)))


def test_a_drug_with_no_use_is_no_order():
    talk = "医生：今天怎么了？\n患者：两个小时前阴道流水。\n医生：诊断：孕1产0，孕37+1周，胎膜早破。无缩宫素使用指征，期待治疗。"
    assert not any("缩宫素" in x for x in _left_out(_draft("admission", talk)))


@pytest.mark.parametrize(("order", "want"), [
    ("收入院。先观察，12小时内没有自然发动就上缩宫素。", "缩宫素"),
    ("住院吧，超过12个小时还没发动就打催产素。", "缩宫素"),  # named by the pack's name beside the word said
])
def test_a_drug_started_after_a_condition_is_listed(order: str, want: str):
    talk = f"医生：今天怎么了？\n患者：两个小时前阴道流水。\n医生：诊断：孕1产0，孕37+1周，胎膜早破。\n医生：{order}"
    assert any(want in x for x in _left_out(_draft("admission", talk)))


@pytest.mark.parametrize(("talk", "want"), [
    ("医生：怎么了？\n家属：一个月前摔倒过，头疼了一个月。一周前开始左侧肢体无力。\n医生：考虑右侧慢性硬膜下血肿。",
     "头痛1个月，左侧肢体无力1周"),
    ("医生：哪里不舒服？\n患者：咳嗽一个月了，发烧三天。\n医生：考虑肺炎。", "咳嗽1个月，发热3天"),
])
def test_complaints_that_began_at_different_times_each_keep_their_own(talk: str, want: str):
    assert _sec(_draft("admission", talk), "主诉") == want


def test_complaints_of_one_time_share_it():
    chief = _sec(_draft("admission", "医生：哪里不舒服？\n患者：咳嗽、发烧三天了。\n医生：考虑肺炎。"), "主诉")
    assert chief == "咳嗽伴发热3天", chief
