"""Name slots without a colon (session deidslots2): a role or a unit written straight before a name, a name before
a role in brackets, the name cell of a register or a bed list, a name before a kinship cell.

Written by hand for yizhu (合成: every name is invented), not copied from any corpus. Each class has several
wordings, and look-alikes that must survive: the same words outside a slot, verbs after a role, function words.
"""

from __future__ import annotations

import pytest

from yizhu.privacy import Analyzer

from .test_realistic_cues import covered, touching

POSITIVES = [
    # 1. a role, spaces or nothing, then a name that is also a word
    ("a sign-off row, a word", "科主任 安然   主治医师 晏清\n", "安然"),
    ("a sign-off row, a rare surname", "质控医师 沐一凡   质控日期 2026-10-09", "沐一凡"),
    ("a sign-off row, a weak surname", "质控护士 常青   审核日期 2026-10-09", "常青"),
    ("a sign-off row at the line end", "病案质量 乙级   质控医师 台思远\n", "台思远"),
    ("a role straight before a name, sentence end", "出院小结已由主治医师沐清。", "沐清"),
    ("a role straight before a name that acts", "术毕转PACU，PACU护士乐乐接收。", "乐乐"),
    ("a role label that is no clinician", "社保的事是人事钟晓燕帮我办的。", "钟晓燕"),
    ("a helper before a colon", "助理金曦：好的，我去约时间。", "金曦"),
    ("a helper's colon field", "医生：戴宏远    助理：江帆\n", "江帆"),
    ("a therapist at the line end", "记录：心理治疗师于是\n", "于是"),
    ("a function word filling a field", "审核：于是    签发：2026-11-02\n", "于是"),
    ("a role in brackets after a name", "麻醉医师：齐飞（主麻） 言知秋（副麻）\n", "言知秋"),
    ("a unit before a name at the line end", "抄送：本院医务科毕想\n", "毕想"),
    ("an ICU before a name in a list", "参加：麻醉科单于平、ICU帅安\n", "帅安"),
    # 2. rows of registers and bed lists
    ("a bed, a name that is a word, a diagnosis", "15床 连山 胃癌术后第3天 已排气\n", "连山"),
    ("a new bed row", "交班：\n新入 32床 沐风 急性胰腺炎 禁食\n", "沐风"),
    ("a number, a name, the sex", "体检名单\n1100087 方圆 男 46 生产部\n", "方圆"),
    ("a numbered row, a name, the sex", "随访名单\n3 钱满满 女 1968-02-11\n", "钱满满"),
    ("a time, a name, a record number", "时间 姓名 住院号\n03:15 江流 ZY2611004\n", "江流"),
    ("a date and a time, a name, a record number", "给药登记\n11/23 04:10 巴音 ZY2611005 5mg\n", "巴音"),
    ("a name before a kinship cell of a register", "11/28 葛建国（12床） 许诺 外孙女 1380000\n", "许诺"),
    # 3. kinship and relationship cues: parts of a found name, rare surnames before a title, names called or paired
    ("a given name alone before signing", "患者之女彭夏禾。患者说：“听女儿的，让夏禾签。”", "夏禾"),
    ("a compound surname alone before talking", "[08:01] 主任：@欧阳一鸣 你先去\n[08:05] 主任：家属先让欧阳谈，再签字。", "欧阳"),
    ("a given name alone before a signature", "受托人：葛春生\n由春生签字确认。", "春生"),
    ("a weak surname after a department before a title", "已与重症医学科伏主任联系，同意转入。", "伏"),
    ("a weak surname after a department, another title", "请感染科伏医生会诊。", "伏"),
    ("a given name called with a kinship word", "邻居（大家都叫她桂枝姨）人很好。", "桂枝"),
    ("a given name called with a kinship word, a brother", "村里人都喊他建军哥。", "建军"),
    ("a relative listed after another, a weak surname", "术前与其妻桂兰芝、其子向东充分沟通。", "向东"),
    ("a relative listed after another, a word", "已告知其母苏桂英、其女安宁详细病情。", "安宁"),
    ("two names joined by 和 in quoted speech", "她说：“兰兰和孟可心总是一起去食堂。”", "兰兰"),
    ("two names joined by 和 in quoted speech, the second", "她说：“兰兰和孟可心总是一起去食堂。”", "孟可心"),
]

NEGATIVES = [
    ("a clinical word after a role", "主治医师查房。", "查房"),
    ("a verb after a role", "晚间护士通知家属。护士通知。", "通知"),
    ("agreement after a role", "科主任同意手术。", "同意"),
    ("a verb after a unit", "医务科通知。", "通知"),
    ("our department", "转入我科治疗。", "治疗"),
    ("a conjunction", "由于是急性起病，于是就来了。", "于是"),
    ("a conjunction after a role's colon", "家属：于是我们就过来了。", "于是"),
    ("a bed row, a diagnosis first", "15床 胃癌术后第3天 已排气\n", "胃癌"),
    ("a time row, a vital sign", "记录\n08:00 体温 37.5 ℃\n", "体温"),
    ("a time row, a round", "记录\n10:30 查房 3床\n", "查房"),
    ("a date and a time row, a round", "记录\n11/23 10:30 查房 3床\n", "查房"),
    ("a kinship cell after words", "患者 家属 女儿 陪同", "家属"),
    ("a clinical word after a role at the line end", "09:50　上级医师查房\n伏主任查房：切口干燥。", "查房"),
    ("a role after a unit", "制表：佘文涛（科秘书）  审核：\n联系科秘书佘文涛。", "秘书"),
    ("a given name's characters as a word before signing", "患者之女彭夏禾。夏禾季节多雨，让家属签字。", "家属"),
    ("a deputy after a department", "儿科副主任查房。麻醉科主任同意。", "副主任"),
    ("a department's head", "向科室主任汇报。", "科室"),
    ("a kinship word called", "孩子叫她小姨妈，叫他表哥，叫她阿姨。", "小姨"),
    ("a relative listed without a name", "告知其妻桂兰芝、其子病情。", "病情"),
    ("a relative listed, an adverb after", "其妻桂兰芝、其子向来体健。", "向来"),
    ("pronouns joined by 和 in quotes", "她说：“我和你总是一起。”", "我和你"),
]


@pytest.mark.parametrize(("cls", "text", "value"), POSITIVES, ids=[p[0] for p in POSITIVES])
def test_role_slot_name_masked(analyzer: Analyzer, cls: str, text: str, value: str) -> None:
    assert covered(analyzer, text, value), f"{cls}: {value!r} leaks in {text!r}"


@pytest.mark.parametrize(("cls", "text", "value"), NEGATIVES, ids=[n[0] for n in NEGATIVES])
def test_look_alike_kept(analyzer: Analyzer, cls: str, text: str, value: str) -> None:
    touched = touching(analyzer, text, value)
    assert not touched, f"{cls}: {value!r} over-masked by {touched}"

