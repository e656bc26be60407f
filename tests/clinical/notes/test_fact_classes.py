"""Clinical facts of the rule-based draft (classes found by blind set 2 of tests/realworld/notes).

Every dialogue and record here is synthetic (合成), written for these tests in wording of our own; none
copies a blind case. Each test states one class:
1. side and site stay attached to the diagnosis and the complaint they qualify, never invented or flipped;
2. every diagnosis the doctor states is kept, and a procedure being considered is never a diagnosis;
3. a hedge (可能/疑似/也可能是) stays in the drafted diagnosis;
4. every order reaches 处理意见 or the omission list, whatever its dosage form or route;
5. a result is never an order (复查 + a value, a test read out with its value);
6. a diagnosis is coded on a strong match only;
7. a clean record raises no false alarm (a diagnosis kept with its parenthesis; a bare 无 entry).
"""

from __future__ import annotations

import pytest

from tests.clinical.notes.drafts import draft as _draft
from tests.clinical.notes.drafts import section_text as _sec
from yizhu.clinical.notes import draft_note
from yizhu.clinical.notes.dxphrase import code_for, stated_diagnoses
from yizhu.clinical.notes.types import NoteDraft


def _omitted_or_included(d: NoteDraft, word: str) -> bool:
    return word in d.text or any(word in (o.get("text") or "") for o in (d.omissions or []))


# ── 1. side and site ────────────────────────────────────────────────────────────────────────────
@pytest.mark.parametrize(("said", "items"), [
    ("诊断是右肩关节脱位，合并肱骨大结节骨折", ["右肩关节脱位", "肱骨大结节骨折"]),
    ("考虑左膝内侧半月板损伤", ["左膝内侧半月板损伤"]),
    ("这个是双侧腹股沟斜疝", ["双侧腹股沟斜疝"]),
    ("诊断右侧输卵管妊娠", ["右侧输卵管妊娠"]),
    ("诊断急性阑尾炎", ["急性阑尾炎"]),  # no side said: none is written
])
def test_a_stated_diagnosis_keeps_its_side_and_site(said: str, items: list[str]):
    assert [x.text for x in stated_diagnoses(said)] == items


def test_the_side_reaches_the_drafted_diagnosis_and_is_not_flipped():
    d = _draft("outpatient", "医生：哪里不舒服？\n患者：右边膝盖肿了两天，上下楼梯疼。\n"
                             "医生：右膝关节肿胀，浮髌试验阳性，左膝正常。\n医生：诊断右膝关节滑膜炎。\n"
                             "医生：给你开双氯芬酸钠缓释片，一次75毫克，一天一次。两周后复诊。\n")
    dx = _sec(d, "初步诊断")
    assert "右膝关节滑膜炎" in dx
    assert "左膝" not in dx


@pytest.mark.parametrize(("talk", "side", "site"), [
    ("医生：怎么了？\n患者：右边腰那块一阵一阵绞着疼，两个小时了。\n", "右", "腰"),
    ("医生：哪里不好？\n患者：左边这个肩膀到胳膊这一片酸疼，三天了。\n", "左", "上肢"),
])
def test_the_complaint_keeps_the_side_said_with_its_site(talk: str, side: str, site: str):
    chief = _sec(_draft("outpatient", talk), "主诉")
    assert side in chief and site in chief
    assert ({"左", "右"} - {side}).pop() not in chief


def test_a_swelling_at_a_named_site_is_not_renamed_to_another_site():
    chief = _sec(_draft("outpatient", "医生：怎么了？\n患者：右边眼皮肿起来了，两天了。\n"), "主诉")
    assert "右" in chief and "眼睑" in chief
    assert "颜面" not in chief


# ── 2. every stated diagnosis; a procedure is not one ──────────────────────────────────────────────
@pytest.mark.parametrize(("said", "items"), [
    ("诊断胆囊多发结石，慢性胆囊炎", ["胆囊多发结石", "慢性胆囊炎"]),
    ("考虑卵巢囊肿，继发性贫血", ["卵巢囊肿", "继发性贫血"]),
    ("甲亢控制得还可以", ["甲亢"]),  # the words after a disease name that are no part of it end the item
    ("高血压病2级，很高危", ["高血压病2级"]),
])
def test_every_stated_diagnosis_is_an_item(said: str, items: list[str]):
    assert [x.text for x in stated_diagnoses(said)] == items


@pytest.mark.parametrize("said", ["等消肿以后再考虑手术", "如果形成脓肿就考虑切开引流", "考虑做关节置换"])
def test_a_procedure_being_considered_is_not_a_diagnosis(said: str):
    assert stated_diagnoses(said) == []


def test_a_procedure_being_considered_goes_to_the_plan():
    d = _draft("outpatient", "医生：这是右手甲沟炎。\n医生：先用莫匹罗星软膏外涂，一天三次，如果化脓了再考虑切开。\n患者：好的。\n")
    assert "切开" not in _sec(d, "初步诊断")
    assert "切开" in _sec(d, "处理意见")
    assert "右手甲沟炎" in _sec(d, "初步诊断")


def test_another_name_of_the_same_diagnosis_is_not_a_second_diagnosis():
    d = _draft("outpatient", "医生：这是右眼睑腺炎，就是麦粒肿。\n医生：热敷，一天三次。\n患者：好的。\n")
    dx = [s.text for sec in d.sections if sec.name == "初步诊断" for s in sec.sentences]
    assert len(dx) == 1 and dx[0].startswith("右眼睑腺炎")


def test_a_denied_item_of_a_list_is_dropped_and_the_others_kept():
    assert [x.text for x in stated_diagnoses("这是前庭神经炎，不是脑梗死")] == ["前庭神经炎"]


# ── 3. a hedge stays ─────────────────────────────────────────────────────────────────────────────
@pytest.mark.parametrize(("said", "items"), [
    ("考虑急性胆囊炎可能，也可能是胆总管结石", ["急性胆囊炎可能", "胆总管结石可能"]),
    ("疑似肺结核", ["肺结核可能"]),
    ("考虑肠易激综合征待排", ["肠易激综合征待排"]),
])
def test_a_hedged_diagnosis_keeps_its_hedge(said: str, items: list[str]):
    got = stated_diagnoses(said)
    assert [x.text for x in got] == items
    assert all(x.hedged for x in got)


def test_a_hedged_diagnosis_is_drafted_as_unconfirmed():
    d = _draft("outpatient", "医生：哪里不舒服？\n患者：胃这里胀，一个月了。\n医生：考虑慢性胃炎可能，做个胃镜看看。\n")
    dx = _sec(d, "初步诊断")
    assert "慢性胃炎可能" in dx


# ── 4. orders in every dosage form and route ─────────────────────────────────────────────────────
@pytest.mark.parametrize(("said", "product"), [
    ("睡前塞入制霉菌素阴道泡腾片一粒", "制霉菌素阴道泡腾片"),
    ("两只眼睛各滴妥布霉素滴眼液", "妥布霉素滴眼液"),
    ("患处外涂夫西地酸乳膏", "夫西地酸乳膏"),
    ("睡前用一枚吲哚美辛栓", "吲哚美辛栓"),
])
def test_a_product_is_recognised_by_its_dosage_form(said: str, product: str):
    from yizhu.safety.omission import drug_products_in

    assert [p for _, _, p in drug_products_in(said)] == [product]


@pytest.mark.parametrize("said", ["拍个胸片看看", "一次吃半片", "每天两片"])
def test_a_film_or_a_count_is_not_a_product(said: str):
    from yizhu.safety.omission import drug_products_in

    assert drug_products_in(said) == []


@pytest.mark.parametrize(("said", "route"), [("用棉签涂患处", "涂患处"), ("晚上塞肛门一粒", "塞肛门"), ("左耳滴耳", "滴耳")])
def test_a_route_as_said_is_recognised(said: str, route: str):
    from yizhu.safety.omission import routes_in

    assert route in routes_in(said)


def test_an_order_in_a_form_no_pack_knows_reaches_the_plan():
    d = _draft("outpatient", "医生：这是左耳外耳道炎。\n医生：左耳滴氧氟沙星滴耳液，一次三滴，一天两次。晚上在家用热毛巾敷一敷。\n患者：好的。\n")
    assert "氧氟沙星滴耳液" in _sec(d, "处理意见")


@pytest.mark.parametrize(("said", "record"), [("睡前塞进阴道里一粒", "睡前阴道内置入一粒"), ("便秘时塞肛门里一支", "便秘时纳肛一支")])
def test_a_route_as_said_is_written_in_record_wording(said: str, record: str):
    from yizhu.safety.omission import record_route

    assert record_route(said) == record


def test_a_route_in_an_order_is_written_in_record_wording_and_stays_grounded():
    d = _draft("outpatient", "医生：这是细菌性阴道病。\n医生：甲硝唑阴道泡腾片，每晚睡前塞阴道里一片，用七天。\n患者：好的。\n")
    plan = _sec(d, "处理意见")
    assert "甲硝唑阴道泡腾片" in plan and "阴道内置入" in plan and "塞阴道里" not in plan
    assert all(s.status in (None, "supported") for sec in d.sections if sec.name == "处理意见" for s in sec.sentences)


def test_an_order_the_draft_drops_is_listed_as_omitted():
    from yizhu.safety.omission import ItemSource, check_omissions, source_items

    items = source_items([ItemSource("T1", "右眼滴聚乙烯醇滴眼液，一天四次。", "turn", speaker="doctor")])
    meds = [i for i in items if i.kind == "medication"]
    assert [i.text for i in meds] == ["聚乙烯醇滴眼液"]
    assert [c.status for c in check_omissions(meds, "处理意见：1周后复诊。")] == ["omitted"]


@pytest.mark.parametrize(("said", "kind"), [("在家隔离，一周内别上学", "instruction"), ("治疗期间不要同房", "instruction"),
                                            ("准备做左髋关节置换", "procedure")])
def test_isolation_abstinence_and_joint_replacement_are_plan_items(said: str, kind: str):
    from yizhu.safety.omission import plan_terms_in

    assert kind in {k for k, _ in plan_terms_in(said)}


def test_a_prohibition_is_not_an_order_even_in_a_dosage_form():
    from yizhu.safety.omission import ItemSource, source_items

    items = source_items([ItemSource("T1", "以后禁用红霉素眼膏。", "turn", speaker="doctor")])
    assert not [i for i in items if i.kind == "medication"]


# ── 5. a result is not an order ──────────────────────────────────────────────────────────────────
@pytest.mark.parametrize(("text", "instruction"), [
    ("复查血钾 3.2mmol/L，较前好转", False),
    ("复查肌酐98μmol/L", False),
    ("复查血常规正常", False),
    ("复查尿常规已转阴", False),
    ("出院后1周复查血钾", True),
    ("2周后门诊复查肝功能", True),
])
def test_a_review_with_its_value_is_a_result(text: str, instruction: bool):
    from yizhu.safety.omission import is_instruction

    assert is_instruction(text) is instruction


@pytest.mark.parametrize("said", ["这次的血脂总胆固醇6.2，偏高", "今天的肾功能肌酐98，正常"])
def test_a_test_read_out_with_its_value_goes_to_results(said: str):
    from yizhu.clinical.notes.extractive import _kind_of
    from yizhu.safety.omission import plan_terms_in

    assert plan_terms_in(said) == []
    assert _kind_of(said) == "辅助检查"


def test_a_course_result_stays_out_of_the_discharge_orders():
    from yizhu.core import ClinicalContext, ClinicalDocument

    adm = ("入院记录\n姓名：合成患者　性别：女　年龄：60岁\n主诉：乏力1周。\n现病史：患者1周前出现乏力。\n"
           "初步诊断：1.低钾血症\n")
    course = ("病程记录\n2026-03-02 09:00　主治医师查房\n乏力好转。复查血钾3.6mmol/L，已纠正。\n\n"
              "2026-03-04 10:00　出院前病程\n无不适，今日出院。\n出院诊断：1.低钾血症\n"
              "出院医嘱：氯化钾缓释片 1g po bid；1周后门诊复查电解质。\n")
    ctx = ClinicalContext(documents=[ClinicalDocument(id="syn-a", doc_type="入院记录", text=adm, synthetic=True),
                                     ClinicalDocument(id="syn-c", doc_type="病程记录", text=course, synthetic=True)])
    orders = _sec(draft_note("discharge", ctx, use_llm=False), "出院医嘱")
    assert "氯化钾缓释片" in orders and "复查电解质" in orders
    assert "3.6" not in orders


# ── 6. coding on a strong match only ─────────────────────────────────────────────────────────────
def test_a_named_syndrome_codes_to_itself_not_to_another_syndrome():
    assert code_for("Stevens-Johnson综合征（别嘌醇所致）") == ("L51.1", "icd10:L51.1")
    assert code_for("SJS") == ("L51.1", "icd10:L51.1")


@pytest.mark.parametrize("name", ["盆腔积液", "某某未知综合征", "切开"])
def test_a_weak_partial_match_gets_no_code(name: str):
    assert code_for(name) is None


def test_a_secondary_condition_codes_by_its_head_disease():
    code = code_for("继发性贫血")
    assert code is not None and code[0].startswith("D64")


# ── 7. no false alarm on a clean record ──────────────────────────────────────────────────────────
def test_a_diagnosis_kept_with_its_parenthesis_is_not_reported_omitted():
    from yizhu.safety.omission import ItemSource, check_omissions, source_items

    written = "1.胃多发增生性息肉（病理：增生性）内镜下切除术后"
    items = [i for i in source_items([ItemSource("S1", written, "section", section="出院诊断")]) if i.kind == "diagnosis"]
    draft = "出院诊断：\n1. 胃多发增生性息肉（病理：增生性）内镜下切除术后（K31.7）"
    assert [c.status for c in check_omissions(items, draft)] == ["included"]


def test_a_bare_nil_entry_supports_a_bare_nil_sentence_it_is_cited_by():
    from yizhu.safety.grounding import GroundingChecker, SourceText

    src = SourceText("P1", "既往疾病：无；否认肝炎、结核病史")
    ck = GroundingChecker([src, SourceText("P2", "过敏史：青霉素过敏")])
    assert ck.check("无。", [("P1", 5, 7)]).status == "supported"
    assert ck.check("无。", [("P2", 0, 9)]).status != "supported"  # an allergy entry says no 无
    assert ck.check("无。", None).status != "supported"  # uncited, a bare 无 proves nothing
