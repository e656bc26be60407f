"""初步诊断 list, by class (issue 13 item 4): every stated diagnosis whole, nothing that is not one.

Every statement here is synthetic (合成), written for these tests in wording of its own; none copies a blind
case of tests/realworld/. Rules as data in ``dx_phrases.yaml``: a name that opens with a denial word is still
one name (无症状…); an obstetric status (孕N周, 单/双活胎, GxPy) is a diagnosis line; a status after the name
(…术后) stays with it; an item that only places, grades or types the one before (…供血区, Wagner 2级, NYHA
Ⅲ级) is written with it, in brackets; a cause said with 考虑 (…引起的) is kept as a hedge after the item it
explains, never in its place; a list that goes on after ； keeps its next items.
"""

from __future__ import annotations

import pytest

from yizhu.clinical.notes import dialogue_context, draft_note
from yizhu.clinical.notes.dxphrase import dx_rules, stated_diagnoses


def _items(statement: str) -> list[str]:
    return [x.text for x in stated_diagnoses(statement)]


def test_the_rules_file_validates_and_its_patterns_compile():
    r = dx_rules()
    assert r.status_items and r.qualifier_items and r.cause_after and r.denial_names


@pytest.mark.parametrize(("statement", "items"), [
    ("诊断无症状性高尿酸血症。", ["无症状性高尿酸血症"]),
    ("诊断无菌性脑膜炎可能。", ["无菌性脑膜炎可能"]),
    ("不是脑膜炎。", []),
])
def test_a_name_opening_with_a_denial_word_is_still_a_name(statement: str, items: list[str]):
    assert _items(statement) == items


def test_an_obstetric_status_is_a_diagnosis_line():
    assert _items("诊断宫内孕28+5周，双活胎，G2P1，妊娠期糖尿病。") == ["宫内孕28+5周", "双活胎", "G2P1", "妊娠期糖尿病"]


def test_a_status_after_the_name_stays_with_it():
    assert _items("诊断右肾透明细胞癌切除术后，复查中。") == ["右肾透明细胞癌切除术后"]


@pytest.mark.parametrize(("statement", "first"), [
    ("诊断急性脑梗死，右侧大脑后动脉供血区，高血压病。", "急性脑梗死（右侧大脑后动脉供血区）"),
    ("诊断糖尿病足溃疡，Wagner 2级。", "糖尿病足溃疡（Wagner 2级）"),
    ("诊断慢性心力衰竭，NYHA Ⅲ级。", "慢性心力衰竭（NYHA Ⅲ级）"),
])
def test_a_site_or_grade_said_after_a_diagnosis_is_written_with_it(statement: str, first: str):
    items = _items(statement)
    assert items[0] == first
    assert not any(x.startswith(("右侧大脑", "Wagner", "NYHA")) for x in items)


def test_a_cause_said_with_a_hedge_is_kept_after_the_item_it_explains():
    assert _items("诊断急性支气管炎，考虑细菌感染引起的。") == ["急性支气管炎", "细菌感染可能"]


def test_dehydration_and_osteopenia_are_diagnoses():
    assert _items("诊断中度脱水，骨量减少。") == ["中度脱水", "骨量减少"]


def test_a_list_going_on_after_a_semicolon_keeps_its_next_items_in_the_draft():
    talk = ("医生：哪里不舒服？\n患者：膝盖疼一个月了。\n医生：右膝关节压痛。\n"
            "医生：诊断右膝骨关节炎，康复治疗中；骨量减少。")
    d = draft_note("outpatient", dialogue_context(talk), use_llm=False)
    dx = "".join(s.text for sec in d.sections if sec.name == "初步诊断" for s in sec.sentences)
    assert "右膝骨关节炎" in dx and "骨量减少" in dx and "治疗中" not in dx


# ── round 10 (lead, from the retired set 6's class descriptions): spoken lists, denials of a diagnosis, sides ──


@pytest.mark.parametrize(("statement", "items"), [
    # a spoken list — a cue, then several items, one of them a disease — keeps its symptom items the classification
    # files as disorders (失眠 G47.0, 便秘 K59.0), not the symptoms of chapter R (头晕 R42, 咳嗽 R05)
    ("考虑慢性胃炎，失眠。", ["慢性胃炎", "失眠"]),
    ("诊断高血压病，头晕，睡眠障碍。", ["高血压病", "睡眠障碍"]),
    ("考虑肠易激综合征，便秘。", ["肠易激综合征", "便秘"]),
    ("诊断脑梗死后遗症；吞咽障碍；高血压病。", ["脑梗死后遗症", "吞咽障碍", "高血压病"]),
    # one item alone is not a list: a symptom stays out as before
    ("考虑失眠。", []),
    # a clause of advice after the list is not an item
    ("考虑上呼吸道感染，发热的话吃布洛芬。", ["上呼吸道感染"]),
])
def test_a_spoken_list_keeps_its_symptom_items(statement: str, items: list[str]):
    assert _items(statement) == items


@pytest.mark.parametrize("statement", [
    "现在还不能诊断老年痴呆。", "目前尚不能诊断帕金森病。", "暂不诊断癫痫。", "这个还不能确诊肺结核。",
])
def test_a_diagnosis_said_not_yet_to_be_made_is_not_listed(statement: str):
    assert _items(statement) == []


@pytest.mark.parametrize(("statement", "items"), [
    ("诊断吸入性肺炎，右下肺。", ["吸入性肺炎（右下肺）"]),
    ("考虑急性附睾炎，右侧。", ["急性附睾炎（右侧）"]),
    ("诊断社区获得性肺炎，左肺下叶。", ["社区获得性肺炎（左肺下叶）"]),
    # a second diagnosis with its own side is an item of its own
    ("诊断右侧腹股沟斜疝，左眼白内障。", ["右侧腹股沟斜疝", "左眼白内障"]),
])
def test_a_side_said_alone_after_the_name_goes_with_it(statement: str, items: list[str]):
    assert _items(statement) == items


def _sections(talk: str) -> tuple[str, str]:
    d = draft_note("outpatient", dialogue_context(talk), use_llm=False)
    listed = "".join(s.text for sec in d.sections if sec.name == "初步诊断" for s in sec.sentences)
    aux = "".join(s.text for sec in d.sections if sec.name == "辅助检查" for s in sec.sentences)
    return listed, aux


def test_a_test_name_said_as_a_diagnosis_of_the_list_is_a_diagnosis_not_a_result():
    listed, aux = _sections("医生：哪里不舒服？\n患者：来复查血糖。\n医生：诊断2型糖尿病，血脂异常。二甲双胍一次两粒，一天两次。\n")
    assert "血脂异常" in listed and "血脂异常" not in aux


def test_a_test_with_its_result_said_after_the_list_stays_a_result():
    listed, _aux = _sections("医生：哪里不舒服？\n患者：头晕。\n医生：诊断高血压病，血钾正常。氨氯地平一天一片。\n")
    assert "高血压" in listed and "血钾" not in listed


def test_a_side_said_by_the_doctor_after_the_name_is_not_added_again_from_the_exam():
    listed, _aux = _sections("医生：哪里不舒服？\n患者：咳嗽发烧三天。\n医生：听诊右下肺湿啰音，胸片右下肺片状影。\n"
                             "医生：诊断社区获得性肺炎，右下肺。莫西沙星一天一次。\n")
    assert listed.count("右下肺") == 1 and "肺炎" in listed
