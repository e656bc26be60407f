"""Patient-safety classes of the rule-based draft (blind set 2 of tests/realworld/notes).

Every dialogue and record here is synthetic (合成), written for these tests; none copies a blind case.
Each test states one class: a negated finding never reads as present; a denied or excluded diagnosis is
never a diagnosis; ages in years+months, months and days are read whole; a one-line numbered diagnosis
list is split into items; a prohibition (禁用/避免/停用) is not an order.
"""

from __future__ import annotations

import pytest

from tests.clinical.notes.drafts import draft as _draft
from tests.clinical.notes.drafts import section_text as _sec
from yizhu.clinical.notes import draft_note
from yizhu.clinical.notes.extractive import exam_wording
from yizhu.clinical.notes.types import NoteDraft


def _all(d: NoteDraft) -> str:
    return "".join(s.text for sec in d.sections for s in sec.sentences)


# ── 1. a negated examination finding is never rendered as present ────────────────────────────────────
@pytest.mark.parametrize(("said", "record"), [
    ("双肺呼吸音清，没有听到干湿啰音", "未闻及干湿啰音"),
    ("心律齐，没听到杂音", "未闻及杂音"),
    ("两肺没听见哮鸣音", "未闻及哮鸣音"),
    ("心脏没有听到明显的收缩期杂音", "未闻及明显收缩期杂音"),
    ("双肺未闻及干、湿性啰音", "未闻及干、湿性啰音"),
    ("无胸膜摩擦音", "未闻及胸膜摩擦音"),
    ("腹部没摸到包块", "未触及包块"),
    ("颈部没有触及肿大淋巴结", "未触及肿大淋巴结"),
    ("皮肤没看到皮疹", "未见皮疹"),
])
def test_a_negated_finding_keeps_its_negation(said: str, record: str):
    out = exam_wording(said)
    assert record in out
    assert "可闻及" not in out


@pytest.mark.parametrize(("said", "record"), [
    ("右下肺湿啰音", "右下肺可闻及湿啰音"),
    ("双肺可以听到少量干湿啰音", "双肺可闻及少量干湿啰音"),
    ("左肺没有干啰音，右肺听见湿啰音", "左肺未闻及干啰音，右肺可闻及湿啰音"),
])
def test_a_present_finding_is_heard_only_in_its_own_clause(said: str, record: str):
    assert exam_wording(said) == record


def test_a_denied_auscultation_finding_in_a_dialogue_is_denied_in_the_exam():
    talk = """医生：哪里不舒服？
患者：咳嗽4天了，有白痰。
医生：我听一下。双肺呼吸音稍粗，没有听到干湿啰音，心脏也没听到杂音。
医生：考虑急性上呼吸道感染，多喝水，一周不好再来。"""
    d = _draft("outpatient", talk)
    exam = _sec(d, "体格检查")
    assert "未闻及干湿啰音" in exam and "未闻及杂音" in exam
    assert "可闻及" not in _all(d)


# ── 2. a denied or ruled-out diagnosis is never a diagnosis ──────────────────────────────────────────
@pytest.mark.parametrize(("said", "denied"), [
    ("考虑急性胃肠炎，不是阑尾炎。", "阑尾炎"),
    ("不像心肌梗死，考虑心绞痛。", "心肌梗死"),
    ("考虑偏头痛，已经排除了脑出血。", "脑出血"),
    ("急性胃肠炎，胰腺炎可能性不大。", "胰腺炎"),
    ("考虑腰肌劳损，腰椎间盘突出除外。", "腰椎间盘突出"),
])
def test_a_ruled_out_diagnosis_is_negated(said: str, denied: str):
    from yizhu.safety.entities import extract

    ms = [m for m in extract(said) if m.type == "diagnosis" and denied in m.text]
    assert ms and all(m.negated for m in ms)


def test_a_diagnosis_said_as_not_the_case_stays_out_of_the_draft():
    talk = """医生：哪里不舒服？
患者：头疼2天，一跳一跳的，以前也有过。
医生：手脚有没有没劲？
患者：没有。
医生：神经系统查体未见异常。考虑偏头痛，不是脑梗死，也不像脑出血。
医生：予布洛芬缓释胶囊0.3克，一天2次，疼的时候吃。"""
    dx = _sec(_draft("outpatient", talk), "初步诊断")
    assert "偏头痛" in dx
    assert "脑梗死" not in dx and "脑出血" not in dx


def test_a_stated_diagnosis_is_still_kept():
    from yizhu.safety.entities import extract

    assert any(m.text == "高血压病" and not m.negated for m in extract("诊断高血压病，不是继发性的。"))


# ── 3. an age is read whole: years and months, months of age, days of a newborn ──────────────────────
@pytest.mark.parametrize(("written", "years", "shown"), [
    ("54岁", 54.0, "54岁"),
    ("3岁5个月", 3 + 5 / 12, "3岁5个月"),
    ("1岁2月", 1 + 2 / 12, "1岁2个月"),
    ("4岁半", 4.5, "4岁6个月"),
    ("10个月", 10 / 12, "10个月"),
    ("7月龄", 7 / 12, "7个月"),
    ("12天", 12 / 365.25, "12天"),
    ("2周", 14 / 365.25, "14天"),
])
def test_an_age_is_parsed_and_shown_whole(written: str, years: float, shown: str):
    from yizhu.core.context import age_text, parse_age

    got = parse_age(written)
    assert got == pytest.approx(years, abs=0.01)
    assert age_text(got) == shown


def test_a_printed_childs_age_keeps_its_months_in_the_draft():
    from yizhu.core.context import context_from_note
    from yizhu.core.parsing import parse_document

    note = ("入院记录\n姓名：合成患儿　性别：女　年龄：3岁5个月　科别：儿科\n主诉：发热2天。\n"
            "现病史：患儿2天前出现发热，最高39.1℃，伴流涕。\n体格检查：咽部充血，双肺呼吸音清。\n"
            "初步诊断：急性上呼吸道感染\n")
    doc = parse_document(note, doc_id="syn-adm")
    ctx = context_from_note(doc)
    d = draft_note("progress", ctx, use_llm=False)
    assert "3岁5个月" in d.text
    assert "35岁" not in d.text


# ── 4. a numbered list printed on one line is split into its items ───────────────────────────────────
@pytest.mark.parametrize(("line", "items"), [
    ("1.慢性阻塞性肺疾病急性加重2.慢性肺源性心脏病", ["慢性阻塞性肺疾病急性加重", "慢性肺源性心脏病"]),
    ("1.左股骨颈骨折（术后）2.骨质疏松症3.2型糖尿病", ["左股骨颈骨折（术后）", "骨质疏松症", "2型糖尿病"]),
    ("1、胆囊结石伴慢性胆囊炎2、脂肪肝", ["胆囊结石伴慢性胆囊炎", "脂肪肝"]),
    ("高血压病3级", ["高血压病3级"]),
    ("氨氯地平5mg qd，连服2、3天", ["氨氯地平5mg qd，连服2、3天"]),
])
def test_a_one_line_numbered_list_is_split(line: str, items: list[str]):
    from yizhu.safety.omission import list_items

    assert [line[a:b] for a, b in list_items(line)] == items


def test_a_one_line_discharge_diagnosis_list_is_coded_item_by_item():
    from yizhu.core import ClinicalContext, ClinicalDocument

    note = ("出院记录\n姓名：合成患者　性别：男　年龄：71岁\n入院诊断：1.慢性阻塞性肺疾病急性加重 2.高血压病\n"
            "诊疗经过：予抗感染、平喘治疗，症状好转。\n"
            "出院诊断：1.慢性阻塞性肺疾病急性加重2.高血压病2级\n出院医嘱：门诊随诊。\n")
    ctx = ClinicalContext(documents=[ClinicalDocument(id="syn-dis", doc_type="出院记录", text=note, synthetic=True)])
    dis = [s.text for sec in draft_note("discharge", ctx, use_llm=False).sections if sec.name == "出院诊断"
           for s in sec.sentences]
    assert len(dis) == 2
    assert dis[1].startswith("高血压病2级") and "J44" not in dis[1]


# ── 5. a prohibition names a drug but orders nothing ─────────────────────────────────────────────────
@pytest.mark.parametrize("said", [
    "终身禁用苯妥英钠及拉莫三嗪",
    "避免使用布洛芬",
    "停用阿司匹林",
    "华法林暂停",
    "勿用头孢曲松",
    "对青霉素过敏",
])
def test_a_prohibited_or_stopped_drug_is_not_an_order(said: str):
    from yizhu.clinical.notes.engine import order_from_text

    assert order_from_text(said, "syn1") is None


@pytest.mark.parametrize(("said", "drug"), [
    ("停用阿司匹林，改用氯吡格雷片 75mg po qd", "氯吡格雷"),
    ("阿莫西林胶囊 0.5g po tid×7天", "阿莫西林"),
    ("甲泼尼龙片 8mg po qd，每周减4mg至停药", "甲泼尼龙"),
])
def test_an_order_beside_a_prohibition_is_still_an_order(said: str, drug: str):
    from yizhu.clinical.notes.engine import order_from_text

    o = order_from_text(said, "syn1")
    assert o is not None and drug in o.drug and o.dose is not None
