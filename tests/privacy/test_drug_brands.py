"""Drug brands parents name are no persons, because the drug pack now holds them (session drugbrands).

Written by hand for yizhu: every sentence is new (none copied from IMCS-V2, where the class was measured by
``scripts/eval_deid_realtext.py``: 培菲康, 艾畅, 利君沙 read as names), every name invented. The privacy code is
unchanged: its guards treat any name, synonym or brand of the drug pack (and the colloquial lexicon's brands) as a
drug, so the fix is data. Look-alikes: real names that begin or end like a brand, and a brand written in a name
slot, must STILL be masked; so must given names that a brand would spell had it not been left out of the pack
(爱宁达 -> 爱宁, 安儿宁 -> 安儿, 善存, the short synonym 百蕊). Known gap, privacy code: a surname followed by a
two-character brand (刘美林 before this session, 刘亿活 now) is dropped by the drug guard.
"""

from __future__ import annotations

import pytest

from yizhu.privacy import Analyzer

from .test_realistic_cues import covered, touching

# (class, text, a brand that must not be touched by a PERSON span)
BRANDS = [
    ("a probiotic brand alone as a message", "培菲康", "培菲康"),
    ("probiotic brands in a list", "常用的就是妈咪爱、培菲康、亿活这几种。", "培菲康"),
    ("a probiotic brand beside another drug", "家里有思密达和金双歧，还用买别的吗？", "金双歧"),
    ("a probiotic brand after a prescribing verb", "医生开了思连康和整肠生。", "思连康"),
    ("a compound cough syrup after 就是", "问一下止咳的，就是易坦静，能喝吗", "易坦静"),
    ("a withdrawn cold drop named by parents", "要喂感冒药吗，家里只有艾畅", "艾畅"),
    ("a children's cold granule before a dose question", "小快克一次冲几袋？", "小快克"),
    ("a compound antipyretic after a giving verb", "烧到三十九度，给了臣功再欣。", "臣功再欣"),
    ("a vitamin drop brand", "每天一粒伊可新，还要加星鲨吗", "伊可新"),
    ("an erythromycin brand beside another antibiotic", "阿莫西林和利君沙能一起吃吗", "利君沙"),
    ("a nebuliser brand in a list", "雾化用的是可必特加普米克令舒。", "可必特"),
    ("an adult antihypertensive brand", "老人现在吃的是倍博特和拜阿司匹灵。", "倍博特"),
    ("a TCM patch after a time word", "丁桂儿脐贴昨晚贴上了。", "丁桂儿"),
]

# (class, text, value that must be masked)
STILL_PERSONS = [
    ("a full name that holds a brand's first characters", "患儿母亲王金双来院陪护。", "王金双"),
    ("a full name whose given name the pack no longer lists (善存 left out)", "管床医生刘善存今日值班。", "刘善存"),
    ("a full name whose given name begins a TCM name (百蕊颗粒, no short synonym)", "家属张百蕊签字。", "张百蕊"),
    ("a given name that is a brand's prefix, after a kin word", "我闺女伊可说要来陪床。", "伊可"),
    ("a brand written in a name slot", "姓名：思连康　性别：男　年龄：45岁", "思连康"),
    ("a given name no pack brand spells (爱宁达 left out)", "我女儿爱宁昨天发烧了。", "爱宁"),
    ("a nickname no pack name spells (安儿宁 left out)", "我儿子安儿咳嗽三天了。", "安儿"),
]


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    from yizhu.privacy.deid import default_analyzer

    return default_analyzer()


@pytest.mark.parametrize(("cls", "text", "brand"), BRANDS, ids=[c for c, _, _ in BRANDS])
def test_a_brand_is_not_a_person(analyzer: Analyzer, cls: str, text: str, brand: str) -> None:
    hits = touching(analyzer, text, brand, "PERSON")
    assert not hits, f"{cls}: {brand!r} taken as a name in {text!r}: {hits}"


@pytest.mark.parametrize(("cls", "text", "value"), STILL_PERSONS, ids=[c for c, _, _ in STILL_PERSONS])
def test_a_name_like_a_brand_is_still_masked(analyzer: Analyzer, cls: str, text: str, value: str) -> None:
    assert covered(analyzer, text, value), f"{cls}: {value!r} leaks in {text!r}: {analyzer.analyze(text)}"
