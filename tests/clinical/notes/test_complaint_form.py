"""主诉 in standard form, by class (issue 13 item 4): site + main symptom + total duration, ≤ 20 字.

Every dialogue here is synthetic (合成), written for these tests in wording of its own; none copies a blind
case of tests/realworld/. The main symptom is the one the patient came with — also when the doctor names it
and the patient gives only its time (胸闷多久了？半年了); its duration is the whole history, not one attack's;
a side said with an organ keeps the organ (左边耳朵 → 左耳); a chronic illness worse again reads
"…N年，加重N天"; a pregnancy visit names the weeks; a doctor's 发病N小时 is the time when the patient gave none.
"""

from __future__ import annotations

from tests.clinical.notes.drafts import draft as _draft
from yizhu.clinical.notes.types import NoteDraft


def _cc(kind: str, talk: str) -> tuple[str, NoteDraft]:
    d = _draft(kind, talk)
    sec = next(s for s in d.sections if s.name == "主诉")
    return "".join(s.text for s in sec.sentences).rstrip("。"), d


def _grounded(d: NoteDraft) -> bool:
    return all(s.status == "supported" for sec in d.sections if sec.name == "主诉" for s in sec.sentences)


def test_the_symptom_the_doctor_names_is_the_complaint_when_the_answer_gives_its_time():
    cc, d = _cc("outpatient", "医生：胸闷多久了？\n患者：半年多了，爬楼的时候明显。\n医生：有没有出汗、恶心？\n"
                              "患者：有时候出点汗。\n医生：心律齐。考虑稳定型心绞痛可能。")
    assert cc.startswith("胸闷") and ("半年" in cc or "6个月" in cc) and len(cc) <= 20
    assert _grounded(d)


def test_one_attack_is_not_the_history():
    cc, _ = _cc("outpatient", "医生：头晕有多久了？\n患者：三年了。\n医生：每次晕多长时间？\n患者：每次半个钟头左右。\n"
                              "医生：考虑良性阵发性位置性眩晕。")
    assert cc.startswith("头晕") and cc.endswith("3年")


def test_a_side_said_with_an_organ_keeps_the_organ():
    cc, _ = _cc("outpatient", "医生：怎么了？\n患者：两天前开始左边耳朵听不清，还嗡嗡响。\n医生：考虑突发性聋。")
    assert cc.startswith("左耳听力下降") and cc.endswith("2天")


def test_a_chronic_illness_worse_again_reads_years_then_the_exacerbation():
    cc, d = _cc("admission", "医生：哪里不好？\n家属：她哮喘二十来年了，三天前受凉以后喘得越来越厉害，还咳嗽。\n"
                             "医生：双肺满布哮鸣音。考虑支气管哮喘急性发作。")
    assert "20余年" in cc and cc.endswith("加重3天") and len(cc) <= 20
    assert _grounded(d)


def test_a_pregnancy_visit_names_the_weeks():
    cc, d = _cc("outpatient", "医生：来做产检是吧？最近怎么样？\n患者：有点胃口不好。\n医生：胎心150次每分。\n"
                              "医生：诊断宫内孕16+2周，单活胎。")
    assert cc.startswith("孕16+2周")
    assert _grounded(d)


def test_the_doctors_onset_time_when_the_family_gave_none():
    cc, _ = _cc("admission", "医生：怎么了？\n家属：吃午饭的时候突然左腿没劲，说话也不清楚。\n"
                             "医生：现在发病三小时，左下肢肌力3级。考虑急性脑梗死。")
    assert cc.endswith("3小时") and "左" in cc and "右" not in cc
