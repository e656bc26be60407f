"""Parsing printed Chinese notes: type, header fields, sections with exact offsets."""

from __future__ import annotations

import pytest

from yizhu.core.parsing import parse_document

ADMISSION_FULLWIDTH = """入院记录
【合成病历 / synthetic record — 非真实患者】
姓名：王建国　性别：男　年龄：67岁　科别：心血管内科
床号：12 住院号：ZY20260001
入院日期：2026-03-02 09:30  记录日期：2026-03-02 14:20
主诉：反复胸闷3年，加重2天。
现病史：患者3年前开始出现胸闷，活动后加重。
2天前再发，持续约10分钟。
既往史：高血压病史10年。
过敏史：否认药物及食物过敏史。
个人史：吸烟30年。
家族史：父亲有冠心病。
体格检查：T 36.5℃ P 78次/分 R 18次/分 BP 135/80mmHg
辅助检查：心电图示ST段压低。
初步诊断：1.冠心病 2.高血压病3级
"""

LAYOUTS = [
    # (id, text, doc_type, header subset, section names in order)
    (
        "admission-fullwidth",
        ADMISSION_FULLWIDTH,
        "入院记录",
        {"姓名": "王建国", "性别": "男", "年龄": "67岁", "床号": "12", "入院日期": "2026-03-02 09:30"},
        ["主诉", "现病史", "既往史", "过敏史", "个人史", "家族史", "体格检查", "辅助检查", "初步诊断"],
    ),
    (
        "halfwidth-colons-one-field-per-line",
        "入院记录\n姓名:李梅\n性别:女\n年龄:45岁\n主诉:腹痛1天\n现病史:1天前进食后出现上腹痛。\n月经史:13 5/28 2026-02-20\n",
        "入院记录",
        {"姓名": "李梅", "性别": "女", "年龄": "45岁"},
        ["主诉", "现病史", "月经史"],
    ),
    (
        "aliases-chati-and-ruyuan-zhenduan",
        "入院记录\n姓名：赵六 性别：男\n主诉：发热3天\n查体：T 38.9℃\n入院诊断：社区获得性肺炎\n",
        "入院记录",
        {"姓名": "赵六"},
        ["主诉", "体格检查", "初步诊断"],
    ),
    (
        "discharge-summary-keeps-ruyuan-zhenduan",
        "出院小结\n姓名：钱七　住院号：ZY1\n入院情况：咳嗽咳痰5天。\n入院诊断：肺炎\n诊疗经过：予头孢曲松抗感染。\n"
        "出院诊断：社区获得性肺炎\n出院情况：体温正常。\n出院医嘱：阿莫西林 0.5g tid 口服5天。\n",
        "出院记录",
        {"住院号": "ZY1"},
        ["入院情况", "入院诊断", "诊疗经过", "出院诊断", "出院情况", "出院医嘱"],
    ),
    (
        "bracketed-headings",
        "门诊病历\n门诊号：MZ0099 就诊日期：2026-05-01\n【主诉】咽痛2天\n【现病史】2天前受凉后咽痛。\n"
        "【过敏史】无\n【诊断】急性咽炎\n【处理】对症治疗\n",
        "门诊病历",
        {"门诊号": "MZ0099"},
        ["主诉", "现病史", "过敏史", "初步诊断", "处理意见"],
    ),
    (
        "numbered-headings",
        "首次病程记录\n2026-03-02 16:00\n一、病例特点：老年男性，胸闷3年。\n二、拟诊讨论：考虑冠心病。\n三、诊疗计划：完善冠脉造影。\n",
        "首次病程记录",
        {},
        ["病例特点", "拟诊讨论", "诊疗计划"],
    ),
    (
        "heading-alone-on-its-line",
        "入院记录\n姓名：孙八\n主诉：头痛2天\n体格检查\nT 36.8℃ P 80次/分\n神经系统：无异常\n",
        "入院记录",
        {"姓名": "孙八"},
        ["主诉", "体格检查"],
    ),
    (
        "missing-sections-and-unknown-heading",
        "入院记录\n姓名：周九\n主诉：乏力1月\n现病史：近1月乏力。\n营养评估：NRS2002 评分2分。\n",
        "入院记录",
        {"姓名": "周九"},
        ["主诉", "现病史", "营养评估"],
    ),
    (
        "hospital-name-before-title-and-spaced-title",
        "某某市人民医院\n出 院 记 录\n姓名：吴十\n入院情况：胸痛。\n出院诊断：急性心肌梗死\n",
        "出院记录",
        {"姓名": "吴十"},
        ["入院情况", "出院诊断"],
    ),
    (
        "no-title-type-inferred",
        "姓名：郑一 性别：女 门诊号：MZ12\n主诉：咳嗽1周\n现病史：1周前咳嗽。\n处理意见：止咳。\n",
        "门诊病历",
        {"门诊号": "MZ12"},
        ["主诉", "现病史", "处理意见"],
    ),
    (
        "progress-note-free-text",
        "日常病程记录\n记录日期：2026-03-03 10:00\n患者胸闷较前好转，无胸痛。\n查体：BP 130/78mmHg。\n",
        "日常病程记录",
        {"记录日期": "2026-03-03 10:00"},
        ["正文", "体格检查"],
    ),
    (
        "crlf-line-endings",
        "入院记录\r\n姓名：冯二\r\n主诉：胸痛1小时\r\n现病史：1小时前胸痛。\r\n",
        "入院记录",
        {"姓名": "冯二"},
        ["主诉", "现病史"],
    ),
]


@pytest.mark.parametrize(("text", "doc_type", "header", "names"), [x[1:] for x in LAYOUTS], ids=[x[0] for x in LAYOUTS])
def test_layouts(text: str, doc_type: str, header: dict[str, str], names: list[str]) -> None:
    doc = parse_document(text)
    assert doc.doc_type == doc_type
    for k, v in header.items():
        assert doc.header.get(k) == v
    assert [s.name for s in doc.sections] == names
    for s in doc.sections:
        assert text[s.start : s.end] == s.text
        assert s.text == s.text.strip()


def test_multiline_section_body_is_kept_whole() -> None:
    doc = parse_document(ADMISSION_FULLWIDTH)
    hpi = doc.section("现病史")
    assert hpi is not None
    assert hpi.text == "患者3年前开始出现胸闷，活动后加重。\n2天前再发，持续约10分钟。"


def test_header_value_with_clock_time_keeps_its_colon() -> None:
    doc = parse_document(ADMISSION_FULLWIDTH)
    assert doc.header["记录日期"] == "2026-03-02 14:20"


def test_unknown_heading_is_kept_and_marked() -> None:
    doc = parse_document(LAYOUTS[7][1])
    unknown = [s for s in doc.sections if not s.known]
    assert [s.heading for s in unknown] == ["营养评估"]
    assert unknown[0].text == "NRS2002 评分2分。"


def test_synthetic_label_is_detected() -> None:
    assert parse_document(ADMISSION_FULLWIDTH).synthetic is True
    assert parse_document(LAYOUTS[1][1]).synthetic is False


def test_empty_text_gives_unknown_type_and_no_sections() -> None:
    doc = parse_document("")
    assert doc.doc_type == "未知"
    assert doc.sections == []


def test_sub_headings_stay_inside_their_section() -> None:
    text = (
        "首次病程记录\n病例特点：老年男性。\n1. 现病史：胸闷3年。\n2. 既往史：高血压。\n"
        "拟诊讨论：\n诊断依据：典型胸闷。\n鉴别诊断：需与主动脉夹层鉴别。\n诊疗计划：冠脉造影。\n"
    )
    doc = parse_document(text)
    assert [s.name for s in doc.sections] == ["病例特点", "拟诊讨论", "诊疗计划"]
    assert "鉴别诊断：需与主动脉夹层鉴别。" in doc.section("拟诊讨论").text
    assert "既往史：高血压。" in doc.section("病例特点").text


def test_repeated_alias_continues_the_section() -> None:
    text = "出院记录\n出院诊断：肺炎\n出院医嘱：1. 注意休息。\n2. 出院带药：阿莫西林 0.5g tid。\n"
    doc = parse_document(text)
    assert [s.name for s in doc.sections] == ["出院诊断", "出院医嘱"]
    assert doc.section("出院医嘱").text.endswith("阿莫西林 0.5g tid。")


def test_history_headings_split_an_admission_note_as_usual() -> None:
    doc = parse_document("入院记录\n主诉：胸闷\n现病史：胸闷3天。\n既往史：无。\n")
    assert [s.name for s in doc.sections] == ["主诉", "现病史", "既往史"]
