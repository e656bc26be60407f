"""Dictated findings, orders and misplaced facts of the rule-based draft (classes found by blind set 3 of
tests/realworld/notes).

Every dialogue here is synthetic (合成), written for these tests in wording of our own; none copies a blind
case. Each test states one class:
1. what the doctor sees or reads out (bedside tests, otoscopy, measured values, scales, a wound described)
   goes to 体格检查 or 辅助检查 with its value and unit; nothing of it is dropped silently;
2. every order and piece of advice is drafted into the plan, or listed as left out where the note has no
   plan (入院记录), and spoken advice is written in record wording that grounding still supports;
3. facts land in their own section: an instruction with a temperature is no finding, a change of treatment
   is no result, smoking is no allergy.
"""

from __future__ import annotations

import pytest

from tests.clinical.notes.drafts import draft as _draft
from tests.clinical.notes.drafts import section_text as _sec
from yizhu.clinical.notes.findings import AUX, EXAM, finding_section, is_order_clause, lab_value
from yizhu.clinical.notes.orders import is_advice, order_terms
from yizhu.clinical.notes.types import NoteDraft


def _left_out(d: NoteDraft) -> str:
    return " ".join(f"{o['text']} {o['reason']}" for o in d.omissions if o["status"] == "left_out")


def _flagged(d: NoteDraft) -> list[tuple[str, list[str]]]:
    return [(s.text, s.reasons) for sec in d.sections for s in sec.sentences if s.status != "supported"]


# ── 1. dictated findings and results ───────────────────────────────────────────────────────────
@pytest.mark.parametrize(("said", "where"), [
    ("胃镜示胃窦多发糜烂", AUX),  # a finding named in a test's report is the test's result
    ("间接喉镜见右侧声带充血", EXAM),  # a mirror examination at the chair
    ("疼痛评分VAS 5分", EXAM),  # a bedside score
    ("头颅CT没什么问题", AUX),  # a normal result said in plain words is still a result
    ("这个病好治", None),
    ("皮损为簇集性水疱，沿左侧肋间分布", EXAM),
    ("左耳鼓膜充血内陷，外耳道干净", EXAM),
    ("韦伯试验偏右", EXAM),
    ("左侧滚转试验阳性", EXAM),
    ("足底溃疡约3×2厘米，可见肉芽", EXAM),
    ("单丝试验双足感觉减退", EXAM),
    ("NIHSS评分4分", EXAM),
    ("纯音测听左耳听阈60分贝", AUX),
    ("心超射血分数42%", AUX),
    ("骨密度股骨颈T值负2.7", AUX),
    ("变应原检测猫毛2级", AUX),
    ("PHQ-9评分12分", AUX),
    ("中性粒细胞76%", AUX),
    ("超过39度吃一片布洛芬", None),  # an instruction, though it names a temperature
    ("有没有做过骨密度", None),  # a question
])
def test_a_dictated_clause_is_placed_by_what_it_reports(said: str, where: str | None):
    assert finding_section(said) == where


def test_bedside_findings_and_results_reach_their_sections_with_values():
    d = _draft("outpatient",
               "医生：哪里不舒服？\n患者：左边耳朵闷，听不太清，五天了。\n"
               "医生：左耳鼓膜完整，轻度内陷，右耳正常。音叉试验韦伯偏左。\n"
               "医生：纯音测听左耳平均听阈45分贝，传导性聋。声导抗左耳B型。\n"
               "医生：诊断左耳分泌性中耳炎。\n"
               "医生：给你开桉柠蒎肠溶软胶囊，一次0.3克，一天三次。两周后复查声导抗。\n")
    exam, aux = _sec(d, "体格检查"), _sec(d, "辅助检查")
    assert "鼓膜完整" in exam and "韦伯偏左" in exam
    assert "45分贝" in aux and "B型" in aux
    assert "分贝" not in exam and "鼓膜" not in aux
    assert not _flagged(d)


def test_a_scale_score_is_a_result_not_a_diagnosis():
    d = _draft("outpatient",
               "医生：最近情绪怎么样？\n患者：总是高兴不起来，两个月了，睡不好。\n"
               "医生：PHQ-9评分14分，GAD-7评分6分。\n医生：考虑抑郁发作可能。\n"
               "医生：给你开艾司西酞普兰片，每天一次，一次5毫克。两周后复诊。\n")
    assert "PHQ-9评分14分" in _sec(d, "辅助检查")
    dx = _sec(d, "初步诊断")
    assert "PHQ" not in dx and "GAD" not in dx


def test_a_bare_continuation_joins_the_finding_before_it():
    d = _draft("outpatient",
               "医生：头晕怎么晕？\n患者：一躺下就转，三天了。\n"
               "医生：左侧滚转试验阳性，见水平向地性眼震；右侧阴性。\n医生：诊断水平半规管耳石症。\n"
               "医生：现在给你做手法复位，一周后复诊。\n")
    exam = _sec(d, "体格检查")
    assert "滚转试验阳性" in exam and "右侧阴性" in exam


def test_what_an_admission_has_no_place_for_is_listed_not_dropped():
    d = _draft("admission",
               "医生：哪里不舒服？\n患者：胸口闷，喘不上气，两天了。\n"
               "医生：血压150/90，心率102，双肺底湿啰音。\n"
               "医生：心超左室射血分数38%，NT-proBNP 5200。\n"
               "医生：诊断急性心力衰竭。收住院。\n"
               "医生：上无创呼吸机，托拉塞米10毫克静推，记出入量。\n")
    assert "38%" in _sec(d, "辅助检查") and "5200" in _sec(d, "辅助检查")
    left = _left_out(d)
    for order in ("无创", "托拉塞米", "出入量"):
        assert order in left, (order, d.omissions)
    assert not [o for o in d.omissions if o["status"] == "omitted" and o["kind"] in ("plan", "medication")]


# ── 2. orders and advice ─────────────────────────────────────────────────────────────────────────
@pytest.mark.parametrize(("clause", "ordered"), [
    ("以后把烟戒了", True),
    ("床上用品换成防螨的", True),
    ("下地走路戴上腰围", True),
    ("准备腹腔镜探查", True),
    ("鼻窦CT暂时不用做", False),  # said as not needed
    ("你抽烟吗", False),  # a question
    ("以前做过腹腔镜", False),  # history
    ("消了肿再把这颗牙拔掉", True),
    ("监测血压和尿量", True),
])
def test_an_order_term_orders_only_when_said_as_an_order(clause: str, ordered: bool):
    assert bool(order_terms(clause)) is ordered


@pytest.mark.parametrize(("clause", "advice"), [
    ("这段时间别吃辣的", True),
    ("这一个月不要提重物", True),
    ("多晒太阳", True),
    ("适当运动", True),
    ("保持伤口干燥", True),
    ("饭后用淡盐水漱口", True),
    ("别担心", False),
    ("不要紧", False),
    ("能不能吃辣的", False),  # a question
])
def test_advice_said_as_a_clause(clause: str, advice: bool):
    assert is_advice(clause) is advice


def test_spoken_advice_is_drafted_in_record_wording_and_stays_supported():
    d = _draft("outpatient",
               "医生：咳嗽多久了？\n患者：一个多月了，早上咳得多，抽烟三十年了。\n"
               "医生：双肺呼吸音粗，未闻及啰音。\n医生：考虑慢性支气管炎。\n"
               "医生：给你开氨溴索片，一次30毫克，一天三次。把烟戒了，少吃盐。这段时间别熬夜。一个月后复诊。\n")
    plan = _sec(d, "处理意见")
    assert "戒烟" in plan and "把烟戒了" not in plan
    assert "低盐饮食" in plan and "熬夜" in plan
    assert not _flagged(d)
    assert not [o for o in d.omissions if o["status"] == "omitted"]


def test_a_drug_ordered_at_admission_is_listed_as_left_out():
    d = _draft("admission",
               "医生：黑便几天了？\n患者：两天了，头晕。\n医生：血压100/62，心率104，上腹轻压痛。\n"
               "医生：考虑上消化道出血。收住院，先禁食，泮托拉唑80毫克静推，明天胃镜。\n")
    left = _left_out(d)
    assert "泮托拉唑" in left and "禁食" in left and "胃镜" in left


def test_a_false_product_is_no_medication():
    d = _draft("admission",
               "医生：什么时候开始的？\n家属：一个小时前突然左边手脚没劲。\n医生：左上肢肌力2级。\n"
               "医生：诊断急性脑梗死，考虑心源性栓塞可能。在时间窗内，予静脉溶栓，再评估要不要取栓。\n")
    meds = [o["text"] for o in d.omissions if o["kind"] == "medication"]
    assert not [m for m in meds if "栓" in m]


# ── 3. misplaced facts ─────────────────────────────────────────────────────────────────────────
def test_an_instruction_with_a_temperature_is_not_a_finding():
    assert is_order_clause("超过39度吃一片布洛芬")
    d = _draft("outpatient",
               "医生：发烧几天了？\n患者：两天，最高39度。\n医生：体温38.6度，咽部充血，扁桃体Ⅱ度肿大。\n"
               "医生：诊断急性扁桃体炎。\n医生：给你开头孢克肟，一次0.1克，一天两次。超过38度5吃一片布洛芬。三天后复诊。\n")
    assert "布洛芬" not in _sec(d, "体格检查")
    assert "布洛芬" in _sec(d, "处理意见")


def test_a_change_of_treatment_is_not_a_result():
    assert is_order_clause("改胰岛素泵控制血糖")
    assert finding_section("改胰岛素泵控制血糖") is None


def test_a_result_read_out_is_not_a_return_visit():
    d = _draft("admission",
               "医生：哪里不舒服？\n患者：喘，三天了。\n医生：化验回来了：NT-proBNP 3100，肌酐96。\n"
               "医生：诊断慢性心力衰竭急性加重。收住院。\n")
    assert "3100" in _sec(d, "辅助检查")


def test_smoking_in_an_answer_about_history_and_allergy_is_not_an_allergy():
    d = _draft("outpatient",
               "医生：怎么不舒服？\n患者：咳嗽发烧三天。\n"
               "医生：平时身体怎么样？抽烟吗？对什么药过敏吗？\n患者：身体还可以，抽烟十年了。对磺胺过敏。\n"
               "医生：诊断急性支气管炎。\n医生：给你开氨溴索片，一次30毫克，一天三次。\n")
    allergy = _sec(d, "过敏史")
    assert "磺胺" in allergy
    assert "吸烟" not in allergy and "抽烟" not in allergy
    assert "10年" in _sec(d, "既往史")


def test_a_lab_name_with_its_value_is_a_result():
    assert lab_value("中性粒细胞76%")
    assert lab_value("NT-proBNP 3100")
    assert not lab_value("右侧肢体肌力3级")


# ── the data behind these classes ────────────────────────────────────────────────────────────────
@pytest.mark.parametrize("which", ["findings", "orders", "course"])
def test_the_class_data_files_name_their_source_and_reject_unknown_keys(tmp_path, which: str):
    import yaml

    from yizhu.clinical.notes.course import COURSE_FILE, CourseRules
    from yizhu.clinical.notes.findings import FINDINGS_FILE, FindingRules
    from yizhu.clinical.notes.orders import ORDERS_FILE, OrderTerms
    from yizhu.datafile import load_yaml_model
    from yizhu.errors import ConfigError

    path, model = {"findings": (FINDINGS_FILE, FindingRules), "orders": (ORDERS_FILE, OrderTerms),
                   "course": (COURSE_FILE, CourseRules)}[which]
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert load_yaml_model(path, model, which).source == data["source"]
    data["unexpected"] = 1
    bad = tmp_path / path.name
    bad.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ConfigError):
        load_yaml_model(bad, model, which)


@pytest.mark.parametrize(("clause", "order"), [
    ("约个磁共振", True),
    ("约3毫米", False),  # 约 as "about", not an appointment
    ("改口服头孢克洛", True),
    ("超过38度5吃一片退烧药", True),
    ("要是喘得厉害马上来急诊", True),
    ("右侧肢体肌力3级", False),
])
def test_an_order_clause(clause: str, order: bool):
    assert is_order_clause(clause) is order


def test_a_report_opening_a_clause_is_a_result_and_an_x_ray_film_is_no_product():
    from yizhu.clinical.notes.findings import results_back
    from yizhu.safety.omission import drug_products_in

    assert results_back("电子喉镜结果：左声带小结")
    assert results_back("曲面断层片示左下8水平阻生")
    assert not results_back("回去多喝水")
    assert drug_products_in("曲面断层片示左下8水平阻生") == []
    assert drug_products_in("予静脉溶栓") == []
