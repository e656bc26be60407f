"""The omission check as a specification: what a draft must carry from its sources (synthetic, 合成)."""

from __future__ import annotations

import pytest

from yizhu.safety.omission import ItemSource, check_omissions, is_instruction, list_items, source_items


@pytest.mark.parametrize(
    ("text", "items"),
    [
        ("1.社区获得性肺炎（非重症）\n2.高血压病2级（很高危）\n3.2型糖尿病", ["社区获得性肺炎（非重症）", "高血压病2级（很高危）", "2型糖尿病"]),
        ("1.社区获得性肺炎 2.高血压病3级 很高危 3.2型糖尿病", ["社区获得性肺炎", "高血压病3级 很高危", "2型糖尿病"]),
        ("急性阑尾炎", ["急性阑尾炎"]),
        ("慢性心力衰竭；慢性肾脏病4期", ["慢性心力衰竭", "慢性肾脏病4期"]),
    ],
)
def test_every_item_of_a_diagnosis_list(text: str, items: list[str]) -> None:
    assert [text[a:b] for a, b in list_items(text)] == items


@pytest.mark.parametrize(
    ("sentence", "instruction"),
    [
        ("出院后2周呼吸科门诊复诊，1个月后复查胸部CT。", True),
        ("三天后回来复查。", True),
        ("复查胸部CT示右下肺病灶较前明显吸收。", False),
        ("复查结果：白细胞计数 6.83×10^9/L。", False),
        ("患者一般情况可。", False),
    ],
)
def test_a_follow_up_instruction_is_not_a_result(sentence: str, instruction: bool) -> None:
    assert is_instruction(sentence) is instruction


DIALOGUE = [
    ItemSource("turn:1", "哪里不舒服？", "turn", speaker="doctor"),
    ItemSource("turn:2", "咳了一个礼拜，晚上咳得厉害。平时吃拜新同，一天一片。青霉素过敏。", "turn", speaker="patient"),
    ItemSource("turn:3", "血常规出来了，白细胞9.8，C反应蛋白35，胸片右下肺有片状影。", "turn", speaker="doctor"),
    ItemSource("turn:4", "考虑支原体肺炎，给你开阿奇霉素，一天一次，吃三天，三天后回来复查。", "turn", speaker="doctor"),
]


def test_items_of_a_dialogue() -> None:
    items = source_items(DIALOGUE)
    kinds = {(i.kind, i.text) for i in items}
    assert ("diagnosis", "支原体肺炎") in kinds
    assert ("medication", "阿奇霉素") in kinds and ("medication", "拜新同") in kinds
    assert ("allergy", "青霉素") in kinds and ("medication", "青霉素") not in kinds
    assert {t for k, t in kinds if k == "result"} >= {"白细胞9.8", "C反应蛋白35", "胸片右下肺有片状影"}
    assert any(k == "plan" and "复查" in t for k, t in kinds)


def test_a_draft_that_drops_the_treatment_and_results_is_told_so() -> None:
    items = source_items(DIALOGUE)
    thin = "主诉：咳嗽1周。现病史：患者咳嗽1周，夜间加重。初步诊断：支原体肺炎。"
    status = {(c.item.kind, c.item.text): c.status for c in check_omissions(items, thin)}
    assert status[("diagnosis", "支原体肺炎")] == "included"
    assert status[("medication", "阿奇霉素")] == "omitted"
    assert status[("allergy", "青霉素")] == "omitted"
    assert status[("result", "白细胞9.8")] == "omitted"
    full = (thin + "既往史：高血压，口服硝苯地平qd。过敏史：青霉素过敏。辅助检查：WBC 9.8×10^9/L，CRP 35mg/L，胸片右下肺片状影。"
            "处理意见：阿奇霉素 qd，共3天，3天后复诊。")
    assert all(c.status == "included" for c in check_omissions(items, full))


def test_an_item_the_draft_says_it_leaves_out_is_not_an_omission() -> None:
    items = source_items([ItemSource("s#初步诊断", "1.社区获得性肺炎 2.重症肺炎待排", "section", section="初步诊断")])
    checks = check_omissions(items, "出院诊断：社区获得性肺炎。", notes=["入院时待排诊断（重症肺炎待排）未列入"])
    assert {c.item.text: c.status for c in checks} == {"社区获得性肺炎": "included", "重症肺炎待排": "left_out"}
    stopped = check_omissions(source_items([ItemSource("o1", "二甲双胍片 0.5g po bid", "medication")]),
                              "出院医嘱：二甲双胍因肾功能不全停用。")
    assert stopped[0].status == "left_out"


def test_abnormal_lab_rows_are_key_results_and_normal_ones_are_not() -> None:
    items = source_items([
        ItemSource("lab:1", "估算肾小球滤过率 26mL/min/1.73m²↓", "lab", abnormal=True),
        ItemSource("lab:2", "钾 4.1mmol/L", "lab"),
        ItemSource("s#辅助检查", "头颅CT未见出血。胸部CT示右下肺大片实变影。", "section", section="辅助检查"),
    ])
    assert [(i.kind, i.source) for i in items] == [("result", "lab:1"), ("result", "s#辅助检查")]
    assert "实变" in items[1].text


@pytest.mark.parametrize("draft", [
    "出院诊断：\n1. 左桡骨远端粉碎性骨折（AO C2型）切开复位钢板内固定术后（S52.5）\n",
    "出院诊断：\n1. 左桡骨远端粉碎性骨折（AO C2型）（S52.5）切开复位钢板内固定术后\n",
    "出院诊断：\n1. 左桡骨远端粉碎性骨折(AO C2型)切开复位钢板内固定术后 S52.501\n",
    "出院诊断：\n1. 左桡骨远端粉碎性骨折（AO C2型）切开复位钢板内固定术后[S52.5]\n",
])
def test_a_diagnosis_written_with_its_code_appended_is_not_omitted(draft: str) -> None:
    # synthetic (合成): the source's 出院诊断 and a draft that appends the code the coder chose
    items = source_items([ItemSource("pn", "1.左桡骨远端粉碎性骨折（AO C2型）切开复位钢板内固定术后", "section",
                                     section="出院诊断")])
    assert [c.status for c in check_omissions(items, draft)] == ["included"]


def test_a_diagnosis_the_draft_really_lacks_is_still_omitted() -> None:
    items = source_items([ItemSource("pn", "1.右卵巢成熟性囊性畸胎瘤（腹腔镜右卵巢囊肿剥除术后）", "section", section="出院诊断")])
    assert [c.status for c in check_omissions(items, "出院诊断：\n1. 子宫平滑肌瘤（D25.9）\n")] == ["omitted"]


@pytest.mark.parametrize(("said", "kept", "lost"), [
    # a treatment the doctor orders by its aim, naming no drug (synthetic, 合成): the draft must carry it
    ("血钾2.9，偏低，先给你补钾。", "处理：口服氯化钾缓释片补钾。", "处理：观察。"),
    ("考虑肺部感染，予以抗感染治疗。", "诊疗计划：抗感染治疗。", "诊疗计划：完善检查。"),
    ("胃不舒服的话护胃一下。", "予护胃治疗。", "予对症处理。"),
    ("今晚继续心电监护。", "继续心电监护。", "密切观察病情。"),
])
def test_a_treatment_ordered_by_its_aim_is_a_plan_item(said: str, kept: str, lost: str) -> None:
    items = [i for i in source_items([ItemSource("turn:1", said, "turn", speaker="doctor")]) if i.kind == "plan"]
    assert len(items) == 1
    assert [c.status for c in check_omissions(items, kept)] == ["included"]
    assert [c.status for c in check_omissions(items, lost)] == ["omitted"]


def test_a_drug_explained_but_not_ordered_is_no_plan() -> None:
    items = source_items([ItemSource("turn:1", "你这个是止痛药，疼的时候吃。", "turn", speaker="doctor")])
    assert [i for i in items if i.kind == "plan"] == []
