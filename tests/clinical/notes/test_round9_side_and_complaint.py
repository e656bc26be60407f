"""Round 9 classes (drafting): the side of a paired organ or limb kept in 主诉 and 初步诊断 however it was said,
and the 主诉 naming the complaint that brought the patient.

Every dialogue here is synthetic (合成), written for these tests in wording of its own; none copies a blind case of
tests/realworld/. Each class has several wordings and look-alikes that must not change.
"""

from __future__ import annotations

import pytest

from tests.clinical.notes.drafts import draft
from tests.clinical.notes.drafts import section_text as _sec


def _cc(talk: str, kind: str = "outpatient") -> str:
    return _sec(draft(kind, talk), "主诉")


def _dx(talk: str, kind: str = "outpatient") -> str:
    d = draft(kind, talk)
    return _sec(d, "初步诊断") + _sec(d, "入院诊断")


# ── 1. the side of a paired organ or limb ────────────────────────────────────────────────────────────────

@pytest.mark.parametrize(("talk", "want"), [
    ("医生：哪里不舒服？\n患者：左边眼睛胀痛，两天了。", "左眼"),
    ("医生：怎么了？\n患者：头痛，左边眼睛也胀痛，一天了。", "左眼"),
    ("医生：怎么了？\n患者：我左边鼻子出血，今天流了三次。", "左侧鼻腔出血"),
    ("医生：怎么了？\n患者：左边鼻子一直流血，止不住。", "左侧鼻腔出血"),
    ("医生：怎么了？\n患者：右边脸疼，像电打一样，三个月了。", "右侧面部疼痛"),
    ("医生：怎么了？\n患者：右边脸上一阵阵地疼，两个月了。", "右侧面部疼痛"),
    ("医生：怎么了？\n患者：左边脖子疼，还有点发烧，两周了。", "左颈部"),
    ("医生：怎么了？\n患者：右腰疼一个月了。", "右腰"),
    ("医生：怎么了？\n患者：左腿肿了，一天。", "左下肢"),
    ("医生：怎么了？\n患者：脖子左边疼，两周了，有点低烧。", "左颈"),
    ("医生：怎么了？\n患者：右边腰这里酸痛，半年了。", "右腰"),
])
def test_the_side_said_in_lay_words_stays_with_the_organ_in_the_complaint(talk: str, want: str):
    assert want in _cc(talk), _cc(talk)


@pytest.mark.parametrize("talk", [
    "医生：怎么了？\n患者：头痛两天，我一般左侧卧位睡觉。",
    "医生：怎么了？\n患者：咳嗽三天。我右手写字的，手没事。",
    "医生：怎么了？\n患者：眼睛不疼，就是头痛两天。",
])
def test_no_side_is_invented_from_a_look_alike(talk: str):
    cc = _cc(talk)
    assert cc and not any(s in cc for s in "左右双"), cc


@pytest.mark.parametrize(("talk", "want"), [
    ("医生：怎么了？\n患者：下面蛋蛋肿痛两天了。\n医生：右侧附睾肿大压痛，考虑急性附睾炎。", "右"),
    ("医生：怎么了？\n患者：阴囊疼。\n医生：右侧阴囊红肿，附睾触痛，左侧睾丸未见异常。考虑急性附睾炎。", "右"),
    ("医生：怎么了？\n患者：蛋蛋疼两天。\n医生：阴囊右侧红肿，附睾触痛。考虑急性附睾炎。", "右"),
    ("医生：怎么了？\n家属：发烧咳嗽三天。\n医生：右下肺可闻及湿啰音，左肺呼吸音清。诊断吸入性肺炎。", "右下肺"),
    ("医生：怎么了？\n患者：腰疼。\n医生：CT示右肾鹿角形结石。诊断肾结石。", "右"),
    ("医生：怎么了？\n患者：痛经。\n医生：B超左侧卵巢有个囊肿，考虑卵巢子宫内膜异位囊肿。", "左"),
])
def test_a_diagnosis_of_a_paired_organ_takes_the_side_the_exam_or_imaging_says(talk: str, want: str):
    assert want in _dx(talk), _dx(talk)


@pytest.mark.parametrize("talk", [
    "医生：怎么了？\n患者：咳嗽发烧。\n医生：两肺呼吸音粗。诊断社区获得性肺炎。\n患者：我右手写字的。",
    "医生：怎么了？\n患者：发烧。\n医生：左肺有啰音，右肺也有。诊断肺炎。",
    "医生：怎么了？\n患者：夜尿多。\n医生：B超右肾小结石。\n医生：肌酐高，诊断慢性肾功能不全。",
    "医生：怎么了？\n患者：咳嗽。\n医生：我听听。诊断急性支气管炎。",
])
def test_no_side_is_added_when_none_or_both_are_said_or_the_disease_is_of_both_organs(talk: str):
    dx = _dx(talk)
    assert dx and not dx.startswith(("左", "右")) and "右侧" not in dx and "左侧" not in dx, dx


# ── 2. the complaint that brought the patient ───────────────────────────────────────────────────────────

@pytest.mark.parametrize(("talk", "lead"), [
    ("医生：怎么了？\n患者：头痛两天了，左边眼睛也胀痛，看东西模糊。", "左眼"),
    ("医生：怎么了？\n患者：发烧一天，左腿又红又肿。", "左下肢"),
    ("医生：怎么了？\n患者：有点恶心，右边眼睛胀痛，昨天开始的。", "右眼"),
    ("医生：怎么了？\n患者：头痛一天了，左边眼睛也胀，还恶心。", "左眼"),
    ("医生：怎么了？\n患者：这两天有点头痛。痛经半年了，越来越厉害。", "痛经"),
])
def test_the_local_complaint_leads_over_the_whole_body_symptoms_said_with_it(talk: str, lead: str):
    cc = _cc(talk)
    assert cc.startswith(lead), cc


@pytest.mark.parametrize(("talk", "lead"), [
    ("医生：怎么了？\n患者：主要是头痛，两天了，左边眼睛也有点胀。", "头痛"),
    ("医生：怎么了？\n患者：发烧三天，咳嗽。", "发热"),
])
def test_a_complaint_the_patient_names_as_the_reason_or_with_no_local_rival_keeps_its_place(talk: str, lead: str):
    assert _cc(talk).startswith(lead), _cc(talk)


@pytest.mark.parametrize("talk", [
    "医生：今天来看什么？\n患者：我糖尿病，来复诊，最近血糖控制不好，口干。",
    "医生：哪里不舒服？\n患者：血糖这一个月控制得不好，口干得厉害。\n医生：格列美脲吃着吗？",
    "医生：怎么了？\n患者：我有糖尿病，血糖老是降不下来。",
    "医生：怎么了？\n患者：我有糖尿病，最近早上空腹测都在八九左右，降不下来。口干。",
])
def test_a_chronic_disease_poorly_controlled_is_the_complaint(talk: str):
    cc = _cc(talk)
    assert cc.startswith("血糖控制不佳"), cc


@pytest.mark.parametrize("talk", [
    "医生：怎么了？\n患者：口干两周了，喝水多。\n医生：查个血糖。",
    "医生：怎么了？\n患者：头晕三天。血压控制得挺好的。\n医生：有高血压？\n患者：有，吃着药。",
])
def test_a_control_said_good_or_a_symptom_alone_is_not_poor_control(talk: str):
    assert "控制不佳" not in _cc(talk), _cc(talk)


@pytest.mark.parametrize("talk", [
    "医生：为什么住院？\n患者：体检发现宫颈病变一个月。",
    "医生：怎么了？\n患者：单位体检查出来宫颈有病变，一个月了。",
])
def test_a_screening_finding_keeps_its_organ(talk: str):
    assert "宫颈" in _cc(talk, "admission"), _cc(talk, "admission")


@pytest.mark.parametrize("talk", [
    "医生：怎么了？\n患者：早上起来两条腿没劲，站不起来，六个小时了。",
    "医生：怎么了？\n患者：双腿没力气，半天了。",
    "医生：点解入院？\n患者：今朝起身两只脚冇力，行唔到。",
])
def test_weakness_of_both_legs_is_named_so(talk: str):
    # (两条腿不软 denies it; 左边手脚没劲 is one side's: test_the_side_said_in_lay_words_…)
    assert _cc(talk, "admission").startswith("双下肢无力"), _cc(talk, "admission")


@pytest.mark.parametrize("talk", [
    "医生：为什么住院？\n患者：就是体检查出来的，没什么不舒服，一个月了。",
    "医生：怎么了？\n患者：来做个体检。",
])
def test_a_check_up_is_never_the_complaint_itself(talk: str):
    assert "体检" not in _cc(talk, "admission"), _cc(talk, "admission")


@pytest.mark.parametrize("talk", [
    "医生：怎么了？\n家属：发烧咳痰三天。他前年脑梗过，左边手脚一直没劲。",
    "医生：怎么了？\n家属：咳嗽发烧两天。\n医生：以前有什么病？\n家属：脑梗后遗症，右边手脚没力气好几年了。",
])
def test_an_old_stroke_weakness_is_not_a_new_complaint(talk: str):
    cc = _cc(talk, "admission")
    assert cc and "肢体无力" not in cc, cc


@pytest.mark.parametrize("talk", [
    "医生：怎么了？\n家属：今天突然左边手脚没劲，说话不清。",
    "医生：怎么了？\n家属：今天突然左边手脚没劲，说话不清。\n医生：以前有什么病？\n家属：前年脑梗过。",
])
def test_a_new_or_worse_weakness_stays_the_complaint(talk: str):
    assert "肢体无力" in _cc(talk, "admission"), _cc(talk, "admission")


def test_the_time_said_with_the_companion_symptom_is_kept_when_the_local_one_leads():
    assert _cc("医生：怎么了？\n患者：头痛一天了，左边眼睛也胀，还恶心。").endswith("1天")
