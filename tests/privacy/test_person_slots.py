"""Name slots: places where only a person's name can stand, whatever words its characters spell.

Written by hand for yizhu (合成: every name is invented), not copied from any corpus. Each class has several
wordings, and look-alikes that must survive: the same words, herbs and drugs outside a slot.
"""

from __future__ import annotations

import pytest

from yizhu.privacy import Analyzer

from .test_realistic_cues import covered, touching

POSITIVES = [
    # 1. the value of a role field: a word, a herb or a historical figure is a name there
    ("role field, a word", "麻醉方式：全麻　麻醉医师：晨曦\n", "晨曦"),
    ("role field, a second name in the same field", "麻醉医师：程远　凌云\n器械护士：苏晴", "凌云"),
    ("role field, a herb", "开方医师：连翘\n", "连翘"),
    ("role field, a herb inside a longer name", "医师：白芷兰　抄方：龙 胆草\n", "白芷兰"),
    ("role field, a spaced name with a herb", "医师：白芷兰　抄方：龙 胆草\n", "龙 胆草"),
    ("role field, a historical figure", "审核人：孔明远\n", "孔明远"),
    ("role field, before a bracket", "记录人：江山（实习）\n", "江山"),
    ("role field with a padded label", "医 师：安康\n", "安康"),
    ("role field broken by a line break", "经治医 师：韩\n雨桐\n", "韩"),
    ("role field broken by a line break, the rest", "经治医 师：韩\n雨桐\n", "雨桐"),
    ("report field", "填报人：常乐　填报日期：2026-10-02", "常乐"),
    ("a record field before a date", "记录：金秋　2026/10/29 11:35", "金秋"),
    ("an execution field", "执行：明珠\n核对：", "明珠"),
    ("a department field of a staff list", "会诊人员\n　骨科：江南\n　麻醉科：", "江南"),
    ("a compound surname and a spaced given name", "受检者：欧阳 静　性别：女", "欧阳 静"),
    ("three characters each after a space", "投保人：钟 子 豪 (CHUNG)", "钟 子 豪"),
    # the operating team written without colons, names that are words or herbs
    ("a surgeon written before the name", "手术组：主刀安康　助手柏杨、甘松　麻醉医师齐心", "安康"),
    ("an assistant that is a herb", "手术组：主刀安康　助手柏杨、甘松　麻醉医师齐心\n记录：甘松", "甘松"),
    ("a given name alone in a role field", "值班医师：晓雯\n", "晓雯"),
    ("a name whose surname the list lacks, after a person noun", "接种者冬梅\n", "冬梅"),
    # a person noun written straight before a name
    ("a vaccinator", "乙肝疫苗第一针已接种，接种者向晚\n", "向晚"),
    ("a person examined", "受检者安乐，男，41岁。", "安乐"),
    ("a visitor with a rare surname", "探视人员：区家宝（表哥）", "区家宝"),
    ("the patient of an incident", "当事患者柏林，女，80岁。", "柏林"),
    ("a doctor in charge with a surname missing from the list", "已告知主管医师纳兰芳。", "纳兰芳"),
    ("a former boss", "他说以前的主管高远总是针对他。", "高远"),
    ("a name badge", "那个护士（胸牌上写着宁静）态度很差。", "宁静"),
    # a name before a personal document or contact it owns
    ("owner of an ID card", "昨天有人把文静的身份证号发到了群里。", "文静"),
    ("owner of a phone", "这是安然的手机，请转交。", "安然"),
    # 某-masked names keep the visible given character inside the mask
    ("a 某 name before a comma", "当事人：陈某霞，女，52岁", "陈某霞"),
    ("a 某 name before a verb", "护士林某娜发现后立即报告。", "林某娜"),
    ("a 某 name after a kinship word", "由患者之女许某倩陪同。", "许某倩"),
    # nicknames and forms of address
    ("a nickname after 小名 in quotes", "患儿：钟子轩，小名“乐乐”，男，3岁。\n乐乐昨夜发热。", "乐乐"),
    ("a nickname after 乳名 with a colon", "乳名：糖糖\n糖糖今晨拒奶。", "糖糖"),
    ("a name in quotes after a calling word", "病友们都叫她“容姐姐”，她也答应。", "容姐姐"),
    ("a name in quotes after a neighbour", "陪同者自称邻居“小满”，未留电话。", "小满"),
    ("a quoted nickname with a note", "会叫“爸爸”“贝贝”（哥哥的小名）。", "贝贝"),
    ("a reduplicated name called out in a dialogue",
     "医生：今天怎么样？\n患者：还好。\n家属：嗯。\n患者：婷婷你跟医生说。", "婷婷"),
    ("小 + surname before a dash", "医生：那个小赵——不好意思，家属您来一下。", "赵"),
    ("小 + surname in quotes before 是", "总听见有人说“小蔡是个没用的人”。", "蔡"),
    # a speaker label in a chat whose other speakers are known
    ("a speaker that is a word", "【病区群】\n护士长周敏：明早查房\n方芳：收到\n凌霄：麻醉科明早过来", "凌霄"),
    # a staff list of department + name
    ("a staff list, a word after a department",
     "参会：心内科赵建国主任；影像科卢芳；病理科夏雨；药剂科龚丽", "夏雨"),
    ("a staff list, a historical figure inside a name",
     "参会：心内科赵建国主任；放疗科李白华；影像科卢芳", "李白华"),
    # a given name said alone beside its full name found in the text
    ("a given name before 家属", "邱秀云：医生好\n丈夫：你好，我是秀云家属。", "秀云"),
    # tables: a header note, two names in a cell, a cell name beside its herb word
    ("a header cell with a note", "日期 | 白班 | 夜班(备班)\n周一 | 方正 | 黄连生\n周二 | 方正 | 杜若", "黄连生"),
    ("two names of one shift in a cell", "日期 | 白班 | 夜班\n周一 | 方正 | 金灿/夏天\n周二 | 方正 | 杜若", "夏天"),
    ("a table name again after a label", "日期 | 一线 | 二线\n周一 | 方正 | 黄连生\n备注：二线电话：黄连生 13800000000", "黄连生"),
    # a bed number, then a name that is a word, then the sex
    ("a bed, a name that is a word, the sex", "交班：12床 双全，男，66岁，COPD。", "双全"),
    ("a bed, a weak surname, the sex with spaces", "7床　常胜　男　70岁　术后第1天", "常胜"),
    # spaced names in a numbered list
    ("a numbered row, a spaced name before a code", "1 喻 舟 ZY2026000101 10-28\n2 伍 一 ZY2026000102", "喻 舟"),
    ("a numbered row, a weak surname", "1. 查 文（体检号T001）：合格。", "查 文"),
    ("a numbered row, a name that is a word", "3 安 静 ZY2026000103 11-01", "安 静"),
    # session deidnames5: role fields whose label ends in a role the label list lacked
    ("a village doctor's field", "随访记录\n乡医：柏青山\n", "柏青山"),
    ("a supervisor's field", "责任社工：晏晴　社工督导：岑秋\n", "岑秋"),
    ("a vice-principal's field", "分管副校长：甘棠\n", "甘棠"),
    ("a doctor on duty written label first", "医师值班：冼明月 / 周一\n", "冼明月"),
    ("a field of the receiving ward", "新生儿科接诊：梅一帆\n备注：无", "梅一帆"),
    ("a compound surname 太叔", "复核：太叔文远\n", "太叔文远"),
    ("a department before a name acting (a verb of the dictionary)", "经核查，医务部晨曦调阅了录像。", "晨曦"),
    ("a bystander before a name", "现场有位路人江帆帮忙按压，", "江帆"),
    ("a patient's name that is a word, before the sex", "患者黄昏，男，62岁，因胸痛入院。", "黄昏"),
    ("a name that is a clinical word, before a possessive", "高峰之妻代诉病史。患者高峰，男，58岁。", "高峰"),
]

NEGATIVES = [
    ("the word outside a slot", "麻醉后晨曦时分患者苏醒。", "晨曦"),
    ("a herb in a prescription", "处方：连翘10g　白芷6g　龙胆草6g", "连翘"),
    ("a herb in a prescription beside a doctor's slot", "医师：白芷兰\n处方：白芷6g　连翘10g", "白芷6g"),
    ("a dose of a herb near a staff name", "值班 | 一线\n周一 | 杜若\n提醒：杜仲饮片统一煎煮。", "杜仲"),
    ("an anaesthesia method after 麻醉", "麻醉：全麻　体位：仰卧位", "全麻"),
    ("a speaker's words after a role label", "调度员：别慌，地址在哪？", "别慌"),
    ("a short answer after a role label", "医生：饭后吃吗？\n患者：对对。", "对对"),
    ("words after 医生 in a dialogue", "医生：可以吃，饭后吃。", "可以吃"),
    ("a 某 determiner", "患者于某日出现胸痛，某些药物需停用。", "某些"),
    ("a 某 name before a verb of saying", "患者张某诉头痛。", "诉"),
    ("a reduplicated adverb", "家属：刚刚你说要做检查？\n医生：对。\n患者：好。", "刚刚"),
    ("a herb dose in a text whose doctor has the herb's name", "记录：甘松\n处方：甘松10g　甘松 6 g", "甘松10g"),
    ("a symptom in quotes after 称", "患者称“头晕”，无恶心。", "头晕"),
    ("a status in a role field", "执行：完成\n核对：无误\n审核：合格", "完成"),
    ("a check result in a role field", "执行：完成\n核对：无误\n审核：合格", "无误"),
    ("a bed before an age", "12床 男，66岁，COPD。", "男"),
    ("a department before a clinic", "建议眼科门诊，皮肤科门诊随诊。", "门诊"),
    ("a lab document, not a person's", "请把白蛋白的化验单带来。", "白蛋白"),
    ("a given name alone as a word", "患者张建国，男，66岁。建国以来首次住院。", "建国以来"),
    ("a numbered list of exam items", "1. 查 体：T 36.5℃\n2. 白 细 胞 计数", "查 体"),
    ("a weekday in a numbered row", "1 周 一 2 周 二", "周 一"),
    ("a head's approval after a role label", "院长：同意\n", "同意"),
    ("a school doctor's advice after the label", "校医：多喝水\n", "多喝水"),
    ("a department acting with no name", "医务部调阅了录像。", "调阅"),
    ("an address form after a role", "民警同志表示理解。", "同志"),
    ("bystanders acting", "路人纷纷围观。", "纷纷"),
    ("the word again inside a longer word", "患者高峰，男，58岁。家住市区，早高峰时段拥堵。", "早高峰"),
    ("a patient's word before the sex of a relative", "患者同意，男方签字。", "同意"),
]


@pytest.mark.parametrize(("cls", "text", "value"), POSITIVES, ids=[p[0] for p in POSITIVES])
def test_slot_name_masked(analyzer: Analyzer, cls: str, text: str, value: str) -> None:
    assert covered(analyzer, text, value), f"{cls}: {value!r} leaks in {text!r}"


@pytest.mark.parametrize(("cls", "text", "value"), NEGATIVES, ids=[n[0] for n in NEGATIVES])
def test_look_alike_kept(analyzer: Analyzer, cls: str, text: str, value: str) -> None:
    touched = touching(analyzer, text, value)
    assert not touched, f"{cls}: {value!r} over-masked by {touched}"


def test_a_field_broken_by_a_line_is_two_spans(analyzer: Analyzer) -> None:
    """One span per line: the line break between the parts of the name stays in the text."""
    text = "经治医 师：韩\n雨桐\n"
    spans = [(e.start, e.end) for e in analyzer.analyze(text) if e.type == "PERSON"]
    assert spans == [(6, 7), (8, 10)]
