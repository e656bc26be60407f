"""Name slots, third round (session deidslots3): names that are ordinary words in strong slots, names that
propagate to chat speakers, children's names and nicknames, rare and compound surnames, and over-masking
look-alikes (a name before an eponym, a herb alone).

Written by hand for yizhu (合成: every name is invented), not copied from any corpus. Each class has several
wordings, and look-alikes that must survive: the same words in prose.
"""

from __future__ import annotations

import pytest

from yizhu.privacy import Analyzer

from .test_realistic_cues import covered, touching

POSITIVES = [
    # 1. names that are ordinary words, in strong slots
    ("a clinician role, a landscape word, a verb", "（本次记录经主治医师高岭审阅）", "高岭"),
    ("a second-line doctor, a word", "如病情变化请呼二线宁远。", "宁远"),
    ("a blood bank issuer, a word", "14:20 发血者安平，取血者刘小庆。", "安平"),
    ("a school doctor, a word", "已电话告知该校校医明月。", "明月"),
    ("a department head office, a word", "报医务部春晖备案。", "春晖"),
    ("a name field with a function character", "姓名：钱有福 性别：男 年龄：66", "钱有福"),
    ("a required-field star, a function character", "患者姓名＊：魏有财\n", "魏有财"),
    ("a managing doctor, a word", "请告知主管医生平安。", "平安"),
    ("a decorated label", "患者姓名*：宁静   性别：女", "宁静"),
    ("a bracketed label", "【姓名】丁香\n【性别】男", "丁香"),
    ("a classmate, a word", "他给高中同学向东打了电话。", "向东"),
    ("a signing proxy", "签名：钟玉兰 本人代子何平安\n", "何平安"),
    ("a carer, a word", "床旁陪护人尚佳，陪护证已发。", "尚佳"),
    ("relatives listed, words", "向亲戚万里、乔高远借了钱。", "万里"),
    ("a tabulator and a checker", "制表：尚可  审核：秦安然\n", "尚可"),
    ("a tabulator, a word", "制表人：白云  日期：2026-12-01", "白云"),
    ("a roster row, a rare surname and a word", "排班\n12/07 周一 邢飞 尚可 何必\n12/08 周二 邢飞 佴可 何必\n", "佴可"),
    ("a visitors' row, a word between names", "患者：尚德明\nICU-2 尚德明 尚可 女儿 3418\n", "尚可"),
    ("a row after a bed code, a word before a found name", "床号 患者 探视人\nICU-7 宁静 宁远山 父亲 6607\n", "宁静"),
    ("a child's name after its nickname in brackets, repeated", "患儿：欧阳子墨（小名豆豆）\n现病史：妈妈说豆豆两天前咳嗽。", "豆豆"),
    ("a roster row of names, a word", "值班表\n12/01 周一 江城 田园 孟星\n12/02 周二 田园 柏舟 孟星\n", "田园"),
    ("a bed row, a word before a kinship cell", "床号 患者 探视人 关系\nICU-3 宁静 女儿\n", "宁静"),
    ("a register row after an id, a word", "1120301 丁香 女 35 行政部\n", "丁香"),
    ("a list of names after found ones, a plant word", "参加抢救人员：周平、贾宝林、夏雨、秋菊、许先进\n", "秋菊"),
    ("a list of names after found ones, the last", "参加抢救人员：周平、贾宝林、夏雨、秋菊、许先进\n", "许先进"),
    ("a list item before an act", "向亲戚喻春生、雷大勇借款。", "雷大勇"),
    ("a historical name after a department head", "审核：王明   科主任：蔺相如   2026-12-01", "蔺相如"),
    # 2. propagation
    ("a kin cue inside a label value", "咨询人：妈妈江晚晴\n江晚晴 20:15 医生您好", "江晚晴"),
    ("a chat speaker after a found name", "家长：爸爸罗一舟\n罗一舟 21:03 孩子咳嗽\n罗一舟 次日 07:40 好些了", "罗一舟"),
    ("a speaker with a colon after a found name", "患者姓名：魏有财\n医生：最近血糖怎样？\n魏有财：还行。", "魏有财"),
    ("a repeated speaker with a function character", "【门诊录音】\n医生：哪里不舒服？\n钱有福：头晕。\n医生：多久了？\n钱有福：三天。\n患者钱有福：还有点恶心。", "钱有福"),
    # 3. children's names
    ("a nickname in brackets", "患儿：林子墨（小名乐乐）  男  5岁\n妈妈说乐乐昨晚发热。", "乐乐"),
    ("a child's name before a parent word", "王主任您好，我是上周看过的朵朵妈妈，孩子又咳了。", "朵朵"),
    ("a child's name before a father word", "留言：我是图图爸爸，想问复诊时间。", "图图"),
    ("a nickname as a chat speaker", "群成员：钟晓燕、罗一舟\n钟晓燕 08:01：谁有钥匙？\n罗一舟 08:02：找小禾拿。\n小禾 08:05：我在配药间。\n", "小禾"),
    # 4. rare and compound surnames
    ("a rare surname in a roster", "排班\n12/03 周三 孙杰 仉月 何勇\n", "仉月"),
    ("a rare surname before a role act", "血库发血者亓新，取血者王强。", "亓新"),
    ("a compound surname after a relative word", "14:00 家属上官云（其子）到场。", "上官云"),
    ("a compound surname after second-line", "通知二线第五明。", "第五明"),
    ("a rare surname before a role", "并告知主管医生逯海。", "逯海"),
    ("a weak surname before a formal title", "术中会把门先生叫醒。", "门"),
    ("a rare surname before a formal title", "请房女士到护士站。", "房"),
    ("a grandmother honorific", "家族史：外祖母冉阿奶有高血压。", "冉"),
    ("a sibling after a name", "陪护：阿敏（段瑜之妹）", "段瑜"),
    ("a sibling after the patient", "患者之弟房西来院探视。", "房西"),
    ("a historical name after a kin word", "他说儿子岳飞不管他了。", "岳飞"),
    ("a historical name after a role", "科主任：孔明   日期：2026-12-01", "孔明"),
]

NEGATIVES = [
    ("assessment in prose", "患者病情尚可，精神尚可。", "尚可"),
    ("a conjunction in prose", "头晕，于是就去药店了。", "于是"),
    ("a quiet ward", "病房环境宁静，利于休息。", "宁静"),
    ("a plant in prose", "院子里种了丁香和月季。", "丁香"),
    ("a sunny side", "病房朝南向阳，光线好。", "向阳"),
    ("a mountain in prose", "他住在高山上，交通不便。", "高山"),
    ("an eponym after a name", "家属：杜鹃\n诊断：吉兰-巴雷综合征", "吉兰-巴雷"),
    ("a herb alone", "中药：三七、当归、黄芪", "三七"),
    ("a herb alone, another", "中药：三七、当归、黄芪", "当归"),
    ("a herb in prose", "他平时泡三七粉喝。", "三七"),
    ("a vital row value", "时间 体温 精神\n08:00 36.5 尚可\n", "尚可"),
    ("a parent word after a pronoun", "我是孩子妈妈，想问一下。", "孩子"),
    ("a small thing", "找小刀拿来。", "小刀"),
    ("a door before a title", "他走出门先生们都在等。", "门"),
    ("a weekday cell in a roster", "排班\n12/07 周一 邢飞 佴可 何必\n", "周一"),
    ("a reduplicated word before a parent word", "宝宝妈妈说孩子哭了，星星爸爸来了。", "宝宝"),
    ("a vital assessment after a bed and a name", "6床 张伟 尚可\n7床 李强 明日 手术\n", "尚可"),
    ("a table header after a visitor column", "床号 患者 探视人 关系 电话\n", "关系"),
    ("a second-line regimen", "耐药后采用二线方案。", "方案"),
    ("a first-line treatment", "一线治疗失败，改二线药物。", "治疗"),
    ("a lab list after a name", "患者张伟、白细胞、血小板正常。", "白细胞"),
    ("a spoken turn after a head of department", "主任：好的，我知道了。\n医生：嗯。", "好的"),
    ("a chat line with no found speakers", "08:00 交班\n查房 08:30 完成\n护士 09:00 到岗\n", "查房"),
]


@pytest.mark.parametrize(("cls", "text", "value"), POSITIVES, ids=[p[0] for p in POSITIVES])
def test_slot_name_masked(analyzer: Analyzer, cls: str, text: str, value: str) -> None:
    assert covered(analyzer, text, value), f"{cls}: {value!r} leaks in {text!r}"


@pytest.mark.parametrize(("cls", "text", "value"), NEGATIVES, ids=[n[0] for n in NEGATIVES])
def test_look_alike_kept(analyzer: Analyzer, cls: str, text: str, value: str) -> None:
    touched = touching(analyzer, text, value)
    assert not touched, f"{cls}: {value!r} over-masked by {touched}"
