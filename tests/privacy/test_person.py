"""Person names: labels, relations and titles find them; clinical words that look like names do not."""

from __future__ import annotations

import pytest

from tests.privacy.conftest import found

CASES = [
    ("姓名：张三  性别：男", [("PERSON", "张三")]),
    ("姓名：欧阳娜娜 性别：女", [("PERSON", "欧阳娜娜")]),
    ("患者姓名：司马懿，男，65岁", [("PERSON", "司马懿")]),
    ("姓名：诸葛亮亮", [("PERSON", "诸葛亮亮")]),
    ("患者李四因发热3天入院。", [("PERSON", "李四")]),
    ("患者王建国，男，因胸痛就诊。", [("PERSON", "王建国")]),
    ("家属张建国陪同就诊。", [("PERSON", "张建国")]),
    ("其母刘桂英陪护。", [("PERSON", "刘桂英")]),
    ("曾红梅之子郝丹丹陪护。", [("PERSON", "曾红梅"), ("PERSON", "郝丹丹")]),
    ("今日王建国主任医师查房。", [("PERSON", "王建国")]),
    ("今日王主任查房，指示继续治疗。", [("PERSON", "王")]),
    ("请李明医师会诊。", [("PERSON", "李明")]),
    ("记录医师：李明  2023-05-03", [("PERSON", "李明")]),
    ("医师签名：秦娟", [("PERSON", "秦娟")]),
    ("一助：区飞、胡伟然  麻醉医师：姚秀英", [("PERSON", "区飞"), ("PERSON", "胡伟然"), ("PERSON", "姚秀英")]),
    ("检验者：由楠岩  审核者：赵帅", [("PERSON", "由楠岩"), ("PERSON", "赵帅")]),
    # a found name that is also a word is masked again where a name stands (患者高峰诉), not inside 高峰期
    ("姓名：高峰\n患者高峰诉发热高峰期在午后。", [("PERSON", "高峰"), ("PERSON", "高峰")]),
    ("姓名：李娜\n本人李娜已知晓手术风险。", [("PERSON", "李娜"), ("PERSON", "李娜")]),
]

# Drug, anatomy and everyday words that begin with a surname character.
TRAPS = [
    "予马来酸氯苯那敏4mg口服。",
    "患者马来酸氯苯那敏过敏。",
    "患者白细胞计数12.5×10^9/L。",
    "患者白细胞明显升高，考虑感染。",
    "发热高峰期体温39.5℃。",
    "痰培养示金黄色葡萄球菌。",
    "患者金黄色葡萄球菌感染。",
    "患者不能回忆何时开始咳嗽。",
    "患者何时进食需遵医嘱。",
    "中药方含王不留行、当归、黄芪。",
    "患者高热，精神差。",
    "其母高血压病史，其父体健。",
    "家属高度紧张，已予安抚。",
    "患者平卧位，双肺呼吸音粗。",
    "患者常规行心电图检查。",
    "患者于凌晨出现胸闷。",
    "患者于今日出院。",
    "患者黄疸明显，全身皮肤黄染。",
    "每周主任查房一次。",
    "谈话医师：",
    "请示上级医师后同意出院。",
    "值班医生巡视病房，患者安静入睡。",
    "签字：同意",
    "患者方可下床活动，时有头晕。",
    "其母亲体健。",
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_names_found(analyzer, text: str, expected: list[tuple[str, str]]) -> None:
    assert found(analyzer, text, "PERSON") == expected


@pytest.mark.parametrize("text", TRAPS)
def test_clinical_words_are_not_names(analyzer, text: str) -> None:
    assert found(analyzer, text, "PERSON") == []


def test_every_entity_names_its_recognizer_and_pattern(analyzer) -> None:
    (e,) = analyzer.analyze("患者李四因发热入院。")
    assert e.recognizer == "phi.person.v1"
    assert e.explanation.pattern == "relation"
    assert e.explanation.note == "label 患者"
    assert 0.5 <= e.score <= 1.0
