"""The rule-based draft keeps what a consultation said, by class of error (issue 13, item 4).

Every dialogue here is synthetic (合成), written for these tests; none copies a blind case of
tests/realworld/. Each test states one class: plan items carried or shown as left out; diagnoses implied
by findings and plan, never a denied one nor a qualifier; the doctor's spoken commentary turned into
record language; a pre-consultation form carried into history; side and site kept; 主诉 in standard
form with relative days counted; key results of a progress note kept.
"""

from __future__ import annotations

import pytest

from tests.clinical.notes.drafts import draft as _draft
from tests.clinical.notes.drafts import section_text as _sec
from yizhu.clinical.notes import draft_note
from yizhu.clinical.notes.implied import implied_rules, not_a_diagnosis
from yizhu.clinical.notes.preconsult import headings, parse_preconsult
from yizhu.clinical.notes.speech import doctor_to_record, patient_says_history, speech_rules
from yizhu.core import ClinicalContext, ClinicalDocument
from yizhu.core.parsing import parse_document
from yizhu.safety.omission import ItemSource, check_omissions, plan_terms, plan_terms_in, source_items

ANKLE = """医生：脚怎么了？
患者：前天下楼梯崴了一下，右脚踝肿了，走路疼。
医生：以前有什么病？对药过敏吗？
患者：没有。
医生：我看一下。右踝外侧肿胀，外踝前下方压痛，能站立。
医生：考虑右踝关节扭伤。给你拍个X线片排除骨折。先冰敷，抬高患肢，弹力绷带包扎，一周内少走路。
医生：一周后来复诊。
患者：好的，这个严重吗？
医生：疼得厉害吃点布洛芬。"""

BITE = """医生：被什么咬的？
患者：邻居家的狗，左小腿咬了一口，刚才。
医生：我先看看伤口。左小腿后侧两处牙痕，有少量渗血。
医生：给你冲洗伤口，冲15分钟，然后消毒。今天打狂犬疫苗第一针，按时来打后面几针。伤口不要包扎。
患者：谢谢医生。"""

THYROID = """医生：体检报告哪里不对？
患者：说我甲状腺有结节。
医生：脖子有没有不舒服？心慌、手抖吗？
患者：都没有。
医生：我摸一下脖子。甲状腺未触及明显肿大，没有压痛。
医生：彩超写的是甲状腺右叶低回声结节，0.6乘0.4厘米，TI-RADS 3类。
医生：半年后复查甲状腺彩超，再抽血查个甲功。"""


# ── 1. plan items: procedures, tests ordered, vaccinations, instructions, follow-up ─────────────────


def test_procedures_instructions_and_tests_ordered_are_in_the_plan():
    plan = _sec(_draft("outpatient", ANKLE), "处理意见")
    for term in ("X线", "冰敷", "包扎", "复诊", "布洛芬"):
        assert term in plan, (term, plan)
    assert not _draft("outpatient", ANKLE).omissions


def test_a_vaccination_and_wound_care_are_in_the_plan():
    plan = _sec(_draft("outpatient", BITE), "处理意见")
    assert "狂犬疫苗" in plan and "冲洗" in plan


def test_plan_terms_are_read_only_from_orders_not_questions_results_or_history():
    assert [w for _, w in plan_terms_in("给你约个胃镜")] == ["胃镜"]
    assert ("instruction", "日记") in plan_terms_in("回去每天写饮食日记")
    assert plan_terms_in("做过胃镜吗") == []  # a question
    assert plan_terms_in("胃镜报告没有溃疡") == []  # a result read out
    assert plan_terms_in("去年做了胃镜") == []  # history
    assert {"procedure", "test", "vaccination", "instruction", "follow_up"} <= set(plan_terms().kinds)


def test_the_omission_check_names_a_plan_item_the_draft_lost():
    items = source_items([ItemSource("turn:3", "给你约个胃镜，回去每天写饮食日记，两周后复诊。", "turn",
                                     speaker="doctor")])
    checks = check_omissions(items, "予预约胃镜。2周后复诊。", kinds=["plan"])
    lost = [c.item.text for c in checks if c.status == "omitted"]
    assert lost == ["回去每天写饮食日记"]


def test_an_admission_note_lists_ordered_procedures_as_left_out_not_lost():
    talk = ("医生：哪里不舒服？\n患者：右边腰疼，三天了，尿里有血。\n"
            "医生：考虑输尿管结石，收住院做输尿管镜碎石。\n患者：好。")
    d = _draft("admission", talk)
    left = [o for o in d.omissions if o["kind"] == "plan"]
    assert left and all(o["status"] == "left_out" and "首次病程记录" in o["reason"] for o in left)
    assert not any(f["rule_id"].startswith("safety.omission.plan") for f in d.findings)


# ── 2. diagnoses implied by findings and plan; never a denied one or a qualifier ────────────────────


def test_a_nodule_on_ultrasound_is_a_diagnosis_with_its_code():
    dx = _sec(_draft("outpatient", THYROID), "初步诊断")
    assert dx.startswith("甲状腺结节（E04.1）")


def test_a_bite_treated_with_rabies_vaccine_is_a_diagnosis_with_its_site():
    assert "左小腿动物咬伤" in _sec(_draft("outpatient", BITE), "初步诊断")


@pytest.mark.parametrize(("values", "expected"), [("空腹5.3，1小时9.2，2小时8.0", True),
                                                  ("空腹4.6，1小时8.9，2小时8.7", True),
                                                  ("空腹4.8，1小时9.0，2小时8.0", False)])
def test_an_ogtt_is_read_against_its_thresholds(values: str, expected: bool):
    talk = f"医生：糖耐量结果出来了：{values}。\n医生：现在孕26周。有没有口渴？\n患者：没有。\n医生：一周后复诊。"
    dx = _sec(_draft("outpatient", talk), "初步诊断")
    assert ("妊娠期糖尿病" in dx) is expected, dx
    assert values.split("，")[1] in _sec(_draft("outpatient", talk), "辅助检查")


def test_a_diagnosis_stated_before_a_question_is_not_denied_by_the_answer():
    talk = "医生：血压160/100，诊断是高血压。平时有没有头晕？\n患者：没有。\n医生：开点氨氯地平。"
    d = _draft("outpatient", talk)
    assert "否认高血压" not in d.text
    assert "高血压" in _sec(d, "初步诊断") and "无头晕" in d.text


def test_a_qualifier_is_never_a_diagnosis():
    assert not_a_diagnosis("良性") and not_a_diagnosis("恶性可能（D12.6）") and not not_a_diagnosis("乳腺结节")
    talk = "医生：B超写的是左乳低回声结节，边界清。\n患者：要紧吗？\n医生：考虑良性可能大，半年后复查乳腺彩超。"
    dx = _sec(_draft("outpatient", talk), "初步诊断")
    assert "良性（" not in dx and "左侧乳腺结节" in dx
    assert "not_a_diagnosis" in implied_rules().model_dump() and implied_rules().source


def test_a_no_denies_only_what_its_own_clause_names():
    talk = "医生：有没有胸痛？家里有没有人得过心脏病？\n患者：没有胸痛。我爸得过心梗。"
    d = _draft("admission", talk)
    assert "否认胸痛、" not in d.text and "否认心脏病" not in d.text
    assert "无胸痛" in d.text and "心梗" in d.text


# ── 3. the doctor's spoken commentary in record language ─────────────────────────────────────────


def test_spoken_commentary_is_dropped_and_address_rewritten():
    assert doctor_to_record("好，我先听一下。") == ""
    assert doctor_to_record("我这边看看你的喉咙。") == ""
    assert "我" not in doctor_to_record("我这里检查一下，腹软，无压痛")
    assert doctor_to_record("给你约个肠镜") == "预约肠镜"
    assert doctor_to_record("伤口别碰水") == "伤口勿碰水"
    assert not patient_says_history("这个严重吗？") and patient_says_history("咳嗽三天了。")
    assert speech_rules().source  # every rule is checked against its example on load


def test_the_draft_keeps_no_commentary_and_no_patient_questions():
    d = _draft("outpatient", ANKLE)
    assert "我看一下" not in d.text and "严重吗" not in d.text and "拍个" not in d.text
    talk = "医生：哪里不舒服？\n患者：心慌。\n医生：好的，我先听一下心脏。心律齐，各瓣膜区未闻及杂音。"
    d = _draft("outpatient", talk)
    assert "我先听" not in d.text and "心律齐" in _sec(d, "体格检查")


# ── 4. a pre-consultation form carried into history ──────────────────────────────────────────────


PRE = """门诊预问诊单
本次不适：多饮多尿2个月
以前得过的病：糖尿病5年
目前用药：二甲双胍片0.5g 每天两次；阿托伐他汀20mg 每晚1次
烟酒史：吸烟20年
"""


def test_form_headings_map_to_record_sections():
    doc = parse_preconsult(PRE)
    names = [s.name for s in doc.sections]
    assert names == ["主诉", "既往史", "用药史", "个人史"]
    assert headings().section_of("正在服用的药物") == "用药史"


def test_medicines_and_history_of_the_form_are_in_the_draft():
    talk = "医生：最近血糖多少？\n患者：空腹十一点多。\n医生：考虑2型糖尿病血糖控制不佳。"
    d = _draft("admission", talk, PRE)
    past = _sec(d, "既往史")
    assert "二甲双胍" in past and "阿托伐他汀" in past and "糖尿病5年" in past
    assert "吸烟20年" in _sec(d, "个人史") and _sec(d, "主诉").startswith("多饮多尿2个月")


# ── 5. side and site kept ─────────────────────────────────────────────────────────────────────────


def test_side_is_kept_in_complaint_and_exam():
    talk = ("医生：怎么了？\n家属：他早上起来右腿没劲，三个小时了。\n"
            "医生：神志清，右上肢肌力4级，右下肢肌力3级，右侧病理征阳性。")
    d = _draft("admission", talk)
    assert _sec(d, "主诉").startswith("右侧肢体无力")
    assert "右上肢肌力4级" in _sec(d, "体格检查")


# ── 6. 主诉: symptoms + duration in standard form ─────────────────────────────────────────────────


@pytest.mark.parametrize(("said", "chief"), [
    ("前天开始咳嗽，昨天又发烧了。", "咳嗽伴发热2天"),
    ("肚脐周围一阵一阵地疼，三天前开始的。", "脐周痛3天"),
    ("半个小时前开始胸口闷。", "胸闷30分钟"),
    ("三天前打球，左膝盖肿了，上下楼疼。", "左膝关节肿痛3天"),
])
def test_chief_complaint_counts_relative_days(said: str, chief: str):
    d = _draft("outpatient", f"医生：哪里不舒服？\n患者：{said}")
    assert _sec(d, "主诉") == chief


def test_history_findings_are_not_the_complaint():
    talk = "医生：哪里不舒服？\n患者：咽痛两天。\n医生：对什么药过敏？\n患者：青霉素，吃了起疹子。"
    assert _sec(_draft("outpatient", talk), "主诉") == "咽痛2天"


# ── 7. key results of a progress note ────────────────────────────────────────────────────────────


def test_positive_results_graded_with_plus_signs_are_in_the_case_summary():
    note = ("入院记录\n主诉：双下肢水肿2周。\n现病史：2周前出现双下肢水肿，尿中泡沫增多。\n既往史：体健。\n"
            "体格检查：BP 150/95mmHg，双下肢凹陷性水肿。\n辅助检查：尿常规：尿蛋白3+，隐血(++)；血白蛋白24g/L。\n"
            "初步诊断：\n1.肾病综合征\n诊疗计划：完善24小时尿蛋白定量；肾穿刺活检。\n")
    ctx = ClinicalContext(documents=[parse_document(note, doc_id="adm")])
    d = draft_note("progress", ctx, use_llm=False)
    assert "尿蛋白3+" in _sec(d, "病例特点")
    assert not [o for o in d.omissions if o["kind"] == "result" and o["status"] == "omitted"]


def test_a_form_without_known_headings_is_read_as_a_note():
    doc = parse_preconsult("随便写的一段话，没有标题。")
    assert not any(s.known for s in doc.sections)
    assert isinstance(doc, ClinicalDocument)


def test_a_finding_named_like_a_diagnosis_inside_an_exam_stays_in_the_exam():
    talk = ("医生：哪里不舒服？\n患者：心慌，三天了。\n医生：我听一下。心率120，心律不齐，双肺没有啰音。\n"
            "医生：心电图房颤。考虑心房颤动，收住院。")
    d = _draft("admission", talk)
    assert "心律不齐" in _sec(d, "体格检查") and "心律不齐" not in _sec(d, "初步诊断")
    assert "双肺未闻及啰音" in _sec(d, "体格检查")
    assert not [s for sec in d.sections if sec.name == "体格检查" for s in sec.sentences if s.status != "supported"]


def test_a_test_read_out_is_a_result_though_its_finding_names_a_diagnosis():
    talk = ("医生：哪里不舒服？\n患者：右上腹疼，两天了。\n"
            "医生：彩超胆囊增大，壁毛糙，胆囊结石0.8厘米。复查血常规。\n医生：考虑急性胆囊炎。")
    d = _draft("outpatient", talk)
    assert "胆囊增大" in _sec(d, "辅助检查") and "胆囊增大" not in _sec(d, "初步诊断")
    assert "复查血常规" in _sec(d, "处理意见")
