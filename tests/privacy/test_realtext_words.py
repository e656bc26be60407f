"""Ordinary words of real clinical text that the person and organisation rules took for names (session deidreal).

Written by hand for yizhu: every sentence is new (none copied from IMCS-V2 or CMeEE, where the classes were measured
by ``scripts/eval_deid_realtext.py``), every name invented. Each class has several wordings that must stay unmasked,
and look-alikes — real names and institutions in the same places — that must STILL be masked.
"""

from __future__ import annotations

import pytest

from yizhu.privacy import Analyzer

from .test_realistic_cues import covered, touching

# (class, text, a word that must not be touched by a PERSON span)
NOT_PERSONS = [
    # thanks, requests and function words before a title
    ("thanks before a surname and title: only the surname", "好的，谢谢曲医生，我明天再来。", "谢谢"),
    ("多谢 before a surname and title", "多谢孔大夫这么晚还回复。", "多谢"),
    ("thanks with an interjection, no surname", "哈谢谢医生，我明白了。", "谢谢"),
    ("thanks with a pronoun, no surname", "嗯嗯，好的谢谢您大夫", "谢谢您"),
    ("a request before the title", "还想麻烦医生帮我看一下化验单。", "麻烦"),
    ("a pronoun before the title", "在医生那里开的药。", "那里"),
    ("那 opening a question to the doctor", "那医生有没有说要复查？", "那"),
    ("但 opening a clause", "但医生说没有大问题。", "但"),
    ("a word across the surname: 允许", "平台不允许医生在线开处方。", "许"),
    ("a word across the surname: 非常感谢", "好的，非常感谢医生的耐心。", "常感谢"),
    ("a noun before the title", "出院的时候医生交代过。", "时候"),
    # a conjunction or a wish before a child's word
    ("和 + 宝宝", "妈妈和宝宝最近都在咳嗽。", "和宝宝"),
    ("由于 + 宝宝", "由于宝宝月龄小，先观察。", "于宝宝"),
    ("祝 + 宝宝", "不客气，祝宝宝早日康复！", "祝宝宝"),
    ("和 + a place", "我们和中国其他城市不一样。", "和中国"),
    # ordinary words in running text and lists
    ("a treatment word", "黄疸高的话要照蓝光。", "蓝光"),
    ("a level", "血糖水平还是偏高。", "水平"),
    ("a genetics term in a list", "可为常染色体隐性、X-连锁、线粒体遗传。", "连锁"),
    ("a word across a country name", "孩子一直在澳大利亚长大。", "利亚"),
    ("a thermometer", "水银体温计量的是38度。", "水银"),
    ("an adjective phrase", "嗓子不是特别红，也不肿。", "特别红"),
    ("a food in a list", "辅食可以加玉米、小米、红薯。", "小米"),
    ("an ordinal day", "打针今天第五天了，还在烧。", "第五天"),
    # drugs: pack names, misspellings, brands beside intake and dose words or other drugs
    ("a pack drug after 和", "退烧用的美林和泰诺林交替。", "泰诺林"),
    ("a misspelt pack drug", "头孢和利巴伟林一起吃可以吗", "利巴伟林"),
    ("a brand after an intake verb", "孩子昨天开始吃金振了。", "金振"),
    ("a brand before a dose question", "艾畅每次吃多少毫升？", "艾畅"),
    ("a brand next to a drug in a list", "妈咪爱跟安乐宝有什么区别？", "安乐宝"),
    ("a brand after a dosage form", "医生开了茵栀黄颗粒和益君康。", "益君康"),
    ("an antibiotic stem", "这种情况用的是麦迪霉素吗", "麦迪霉素"),
    # a message that is one word is no signature
    ("a message of one drug word", "丁桂儿", "丁桂儿"),
    ("a message of one food word", "米糊", "米糊"),
    # role slots written tight that are phrases
    ("a particle after 医生", "孩子这次没有看过医生对吗", "对吗"),
    ("a word across the slot's edge", "屋内室温合适，多通风。", "温合适"),
]

# (class, text, value that must be masked)
STILL_PERSONS = [
    ("a surname alone before a title", "郑医生您好，孩子又烧了。", "郑"),
    ("a surname after thanks", "谢谢郑医生！", "郑"),
    ("a surname and title after 找", "明天找王医生复诊。", "王"),
    ("a full name after a title", "主治医师张姣姣查房后同意出院。", "张姣姣"),
    ("a full name after a job title", "派出所民警韦立新到场。", "韦立新"),
    ("a word-name in a name slot", "姓名：和平　性别：男　年龄：45岁", "和平"),
    ("a word-name after a kinship word, beside a drug name", "我闺女甘露说要来陪床。", "甘露"),
    ("a nickname after 小名", "患儿小名：小米，平时很乖。", "小米"),
    ("a familiar form 老 + surname", "隔壁老张吃那个药好了。", "老张"),
    ("familiar forms 小 + surname in a list", "是小张、小李帮忙抬上车的。", "小张"),
    ("a compound surname before a title", "今日东方主任查房，同意手术。", "东方"),
    ("a name that jieba also lists", "白班接班：安娜、付晶", "安娜"),
    ("a signature under a note", "病情已向家属交代。\n王建国", "王建国"),
]

# (class, text, text that must not be inside an ORG span)
NOT_ORGS = [
    ("pronoun and level words", "建议去你们当地公立医院儿科就诊。", "医院"),
    ("a level with 以上", "需要带孩子到二甲以上医院查血常规。", "医院"),
    ("a village clinic", "在村里诊所打过两天针。", "诊所"),
    ("a clause before 医院", "难受呗所以让你上医院去看。", "医院"),
    ("a length of stay", "上次住一个星期医院才好。", "医院"),
    ("a time word", "那天医院人特别多。", "医院"),
    ("a secretion, not a logistics firm", "鼻腔分泌物流出来是黄的。", "物流"),
    ("a nearby hospital", "明天去附近二甲医院看看嗓子。", "医院"),
]

# (class, text, organisation that must be masked)
STILL_ORGS = [
    ("a city hospital", "我们在昆明市儿童医院住过院。", "昆明市儿童医院"),
    ("a named hospital after a time word", "上次复旦附属儿童医院看过。", "复旦附属儿童医院"),
    ("a company whose name holds 和", "工作单位：上海三和精密机械有限公司", "上海三和精密机械有限公司"),
    ("a township hospital whose place holds 那", "转自百色市田阳区那坡镇卫生院。", "百色市田阳区那坡镇卫生院"),
]


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    from yizhu.privacy.deid import default_analyzer

    return default_analyzer()


@pytest.mark.parametrize(("cls", "text", "word"), NOT_PERSONS, ids=[c for c, _, _ in NOT_PERSONS])
def test_word_not_a_person(analyzer: Analyzer, cls: str, text: str, word: str) -> None:
    hits = touching(analyzer, text, word, "PERSON")
    assert not hits, f"{cls}: {word!r} taken as a name in {text!r}: {hits}"


@pytest.mark.parametrize(("cls", "text", "value"), STILL_PERSONS, ids=[c for c, _, _ in STILL_PERSONS])
def test_name_still_masked(analyzer: Analyzer, cls: str, text: str, value: str) -> None:
    assert covered(analyzer, text, value), f"{cls}: {value!r} leaks in {text!r}: {analyzer.analyze(text)}"


def test_thanks_trimmed_to_the_surname(analyzer: Analyzer) -> None:
    spans = [(e.text, e.type) for e in analyzer.analyze("好的，谢谢曲医生") if e.type == "PERSON"]
    assert spans == [("曲", "PERSON")]


@pytest.mark.parametrize(("cls", "text", "word"), NOT_ORGS, ids=[c for c, _, _ in NOT_ORGS])
def test_generic_place_not_an_org(analyzer: Analyzer, cls: str, text: str, word: str) -> None:
    hits = touching(analyzer, text, word, "ORG")
    assert not hits, f"{cls}: {word!r} taken as an organisation in {text!r}: {hits}"


@pytest.mark.parametrize(("cls", "text", "value"), STILL_ORGS, ids=[c for c, _, _ in STILL_ORGS])
def test_named_org_still_masked(analyzer: Analyzer, cls: str, text: str, value: str) -> None:
    assert covered(analyzer, text, value), f"{cls}: {value!r} leaks in {text!r}: {analyzer.analyze(text)}"
